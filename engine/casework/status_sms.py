"""The status check by SMS (R2.12): ``CEK <nomor registrasi>`` sent to the agency's number is answered
with the file's status in one SMS. It tells what public tracking tells anyone holding the number, and
nothing about the applicant."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.casework.applications import STATUS_LABELS
from engine.connectors.messaging import msisdn
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.services import Services
from engine.notifications.models import Notification
from engine.notifications.notices import notify
from engine.workflow.models import Application

_COMMAND = re.compile(r"^\s*CEK\s+([A-Za-z0-9][A-Za-z0-9-]{2,40})\s*$", re.IGNORECASE)
USAGE = "Format: CEK <nomor registrasi>, contoh CEK REK-2026-000123."


def answer(
    session: Session, services: Services, message_id: str, phone: str, text: str, now: datetime | None = None
) -> Notification | None:
    """Queue the reply to one inbound SMS (once per gateway message id: a webhook delivered twice
    is answered once). Returns the reply's notice, None when this message was answered already or
    the sender's number is not a mobile number."""
    now = now or utcnow()
    sender = msisdn(phone)
    if sender is None or services.connectors is None or services.connectors.sms is None:
        return None
    agency = f"{services.agency.short_name} {services.agency.city}"
    facts = {"instansi": agency, "nomor": "", "izin": "", "status": "", "tahap": ""}
    match = _COMMAND.match(text or "")
    application = None
    if match:
        number = match.group(1).upper()
        application = session.scalar(select(Application).where(func.upper(Application.reg_number) == number))
        facts["nomor"] = number
    if application is None:
        status = (
            f"nomor {facts['nomor']} tidak ditemukan; periksa nomor registrasi pada Tanda Terima atau email Anda"
            if match
            else USAGE.rstrip(".")
        )
        facts.update(status=status)
    else:
        facts.update(
            izin=application.permit_type.name,
            status=STATUS_LABELS.get(application.status, application.status),
            tahap=application.stage or "" if application.closed_at is None else "",
        )
    reply = notify(
        session,
        None,
        "cek_status",
        f"sms:{message_id[:80]}",
        facts,
        application=application,
        only={"sms": sender},
        now=now,
    )
    if reply is not None:
        record(
            session,
            "sms_status_checked",
            application=application,
            now=now,
            summary={
                "nomor": facts["nomor"] or None,
                "ditemukan": application is not None,
                "pengirim": sender[:4] + "*" * (len(sender) - 8) + sender[-4:],
            },
        )
    return reply
