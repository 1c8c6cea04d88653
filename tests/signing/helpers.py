"""Officers made for one test (the demo accounts' certificates stay untouched)."""

from __future__ import annotations

import uuid

from engine.accounts import users
from engine.core.roles import HEAD
from engine.documents import certificates


def new_head(session, services, passphrase: str = "kepala-baru-123", enroll: bool = True):
    """A second head of agency with a certificate of their own (or none)."""
    tag = uuid.uuid4().hex[:8]
    head = users.create_user(
        session,
        None,
        name=f"Plt. Kepala {tag}",
        email=f"plt-{tag}@dinas.test",
        password="sandi-rahasia-1",
        roles=[HEAD],
        nip="198001012005011001",
        position="Plt. Kepala Dinas",
        scope=users.AccountScope(all_permit_types=True),
    )
    if enroll:
        certificates.enroll(session, services, head, passphrase, passphrase)
    session.commit()
    return head
