"""The audit trail: one typed row per state change, written in the change's own transaction."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .clock import utcnow
from .models import AuditEvent

_MAX_TEXT = 200


def summarize(data: dict) -> dict:
    """A compact, JSON-safe digest of form data: long texts cut, files reduced to their hash."""
    out = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict) and "sha256" in value:
            out[key] = {"berkas": value.get("nama"), "sha256": value["sha256"][:16]}
        elif isinstance(value, list):
            out[key] = [summarize({"v": v})["v"] for v in value[:10]]
        elif isinstance(value, (date, datetime)):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, str) and len(value) > _MAX_TEXT:
            out[key] = value[:_MAX_TEXT] + "…"
        elif value is None or isinstance(value, (str, int, float, bool)):
            out[key] = value
        else:
            out[key] = str(value)[:_MAX_TEXT]
    return out


def record(session: Session, action: str, *, actor=None, application=None, work_item=None,
           summary: dict | None = None, now: datetime | None = None) -> AuditEvent:
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=getattr(actor, "id", None),
        application_id=getattr(application, "id", None),
        work_item_id=getattr(work_item, "id", None),
        task_title=getattr(work_item, "title", None),
        action=action,
        summary=summary or {},
    )
    session.add(event)
    return event


def record_many(session: Session, action: str, rows: list[dict], now: datetime) -> None:
    """Audit rows written by the scheduler in bulk (one statement), each a dict with
    ``application_id`` and optionally ``work_item_id``, ``task_title`` and ``summary``."""
    if rows:
        session.execute(insert(AuditEvent), [{"at": now, "action": action, "actor_id": None, "summary": {},
                                              **row} for row in rows])
