"""Running an engine verb for a request: one transaction, committed or rolled back whole.

A refused signature rolls the step back (nothing signed, nothing stored) and then records the
attempt in a transaction of its own, so the audit trail keeps it.
"""
from __future__ import annotations

from flask import request

from engine.casework.tasks import complete_task, get_item
from engine.core.errors import SigningRefused
from engine.documents.certificates import record_refused_signing
from engine.documents.documents import SignatureRequest

from .extensions import db
from .services import services


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
    return run(lambda: complete_task(db.session, services(), item_id, actor, raw, uploads, signature=signature),
               actor, lambda: get_item(db.session, item_id).application)
