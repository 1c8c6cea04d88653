"""Decisions reported back to OSS RBA for applications of a business that gave its NIB (a field
checked with ``oss.nib``): written with the step that decided, delivered by the connector outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import forwarded, lookups
from engine.connectors import outbox
from engine.core.localtime import local
from engine.documents.models import Document
from engine.workflow.models import Application
from engine.workflow.version_forms import submission_form


def nib_of(application: Application, data: dict) -> str | None:
    field = lookups.checked_field(submission_form(application.process_version), "oss.nib")
    value = str(data.get(field.name) or "").strip() if field else ""
    return value or None


def report_decision(
    session: Session, application: Application, data: dict, outcome: str, zone: str, now: datetime
) -> bool:
    """Queue the decision for OSS if the file has an NIB; whether it did."""
    nib = nib_of(application, data)
    if nib is None:
        return False
    permit = session.scalar(
        select(Document.number)
        .where(Document.application_id == application.id, Document.kind == "izin")
        .order_by(Document.id.desc())
    )
    note = application.outcome_reason or ("Izin diterbitkan" if outcome == "selesai" else outcome)
    outbox.enqueue(
        session,
        "oss.status_izin",
        {
            "nib": nib,
            "reference": application.reg_number,
            "status": outcome,
            "permit_number": permit if outcome == "selesai" else None,
            "decided_on": local(now, zone).date().isoformat(),
            "note": note,
            "oss_reference": forwarded.oss_reference(session, application.id),
        },
        application.id,
        now,
    )
    return True
