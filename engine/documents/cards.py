"""What the permit card shows: the permit's key facts and where anyone verifies it."""

from __future__ import annotations

from engine.core.errors import Conflict
from engine.core.localtime import Phrase, format_date
from engine.core.services import Services
from engine.documents.models import Document


def card_facts(services: Services, permit: Document) -> dict:
    """Errors: Conflict (not an issued permit with a verification code)."""
    if permit.kind != "izin" or not permit.verify_code or not permit.number:
        raise Conflict(Phrase("Kartu izin hanya dibuat untuk izin yang sudah terbit."))
    application = permit.application
    agency = services.agency
    return {
        "government": agency.government,
        "agency": f"{agency.name}",
        "title": permit.title,
        "number": permit.number,
        "holder": application.applicant.name,
        "facts": dict(application.summary or {}),
        "valid_until": format_date(permit.valid_until, services.calendar.zone) if permit.valid_until else None,
        "verify_url": services.verify_url(permit.verify_code),
        "verify_code": permit.verify_code,
    }
