"""Running an engine verb for a request: one transaction, committed or rolled back whole.

A refused signature rolls the step back (nothing signed, nothing stored) and then records the
attempt in a transaction of its own, so the audit trail keeps it.
"""

from __future__ import annotations

import logging

from flask import request

from engine.casework.tasks import complete_task, get_item
from engine.connectors import outbox
from engine.core.errors import SigningRefused
from engine.documents.certificates import record_refused_signing
from engine.documents.documents import SignatureRequest
from engine.payments import virtual_accounts

from .extensions import db
from .services import services

log = logging.getLogger(__name__)


def run(action, actor, application_of=None):
    """``action()`` then commit; any error rolls back (a refused signature is audited) and is re-raised."""
    try:
        result = action()
        db.session.commit()
        return result
    except SigningRefused as exc:
        db.session.rollback()
        record_refused_signing(db.session, actor, exc, application_of() if application_of else None)
        db.session.commit()
        raise
    except Exception:
        db.session.rollback()
        raise


def passphrase_from_form() -> SignatureRequest | None:
    """The passphrase field of a signing task; it goes to the signer only, never into task data."""
    value = request.form.get("passphrase") or ""
    return SignatureRequest(value) if value else None


def complete(item_id: int, actor, raw: dict, uploads: list, signature: SignatureRequest | None = None):
    item = run(
        lambda: complete_task(db.session, services(), item_id, actor, raw, uploads, signature=signature),
        actor,
        lambda: get_item(db.session, item_id).application,
    )
    open_accounts(item.application_id)
    return item


def open_accounts(application_id: int) -> None:
    """After the step committed: the bank's virtual account for an SKRD it issued, and the reports it
    owes other agencies (a decision for OSS). Each service answers within its time limit or the
    scheduler tries again later; the step stands either way."""
    try:
        virtual_accounts.open_pending(
            db.session, services().connectors, application_id=application_id, services=services()
        )
        outbox.deliver_pending(db.session, services().connectors, application_id=application_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Virtual account untuk permohonan %s belum dapat dibuka.", application_id)
