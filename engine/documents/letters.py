"""What a letter says: the facts a document template is filled from (the application's data as
text, in Indonesian and for an English copy in English), when a permit lapses, and who signs.
Issuing (numbering, signing, archiving) is ``documents``; drafts read the same facts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.core.localtime import format_date, format_rupiah, local
from engine.core.numbers import is_whole_number
from engine.core.services import Services
from engine.workflow.forms import FormDef
from engine.workflow.models import Application
from engine.workflow.version_forms import submission_form

if TYPE_CHECKING:  # accounts sit above this domain; the type is only named
    from engine.accounts.models import User

_YES_NO = {"id": ("Ya", "Tidak"), "en": ("Yes", "No")}


def _text(value, zone: str, locale: str = "id") -> str:
    if isinstance(value, bool):
        return _YES_NO[locale][0 if value else 1]
    if isinstance(value, (date, datetime)):
        return format_date(value, zone, locale)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.replace(".", ",") if locale == "id" else text
    if isinstance(value, dict) and "nama" in value:
        return value["nama"]
    if isinstance(value, list):
        return ", ".join(_text(v, zone, locale) for v in value)
    return "" if value is None else str(value)


def _values(services: Services, application: Application, data: dict, forms: list[FormDef], locale: str = "id") -> dict:
    """Placeholder values: every data item as text, choice codes turned into their titles."""
    zone = services.calendar.zone
    values = {key: _text(value, zone, locale) for key, value in data.items() if not key.startswith("_")}
    for form in forms:
        for field in form.fields:
            if field.name in data and not field.is_file:
                values[field.name] = field.label_for(data[field.name])
    agency = services.agency
    values.update(
        agency_name=agency.name,
        agency_short=agency.short_name,
        agency_city=agency.city,
        permit_name=application.permit_type.name,
        reg_number=application.reg_number or "",
        applicant_name=application.applicant.name,
        applicant_nik=application.applicant.nik or "",
    )
    for key in ("retribusi", "tarif_per_m2"):
        if isinstance(data.get(key), (int, Decimal)):
            values[key] = format_rupiah(data[key], locale)
    if isinstance(data.get("retribusi"), (int, Decimal)):
        values["retribusi_rupiah"] = values["retribusi"]
    return values


def _valid_until(application: Application, data: dict, now: datetime, zone: str) -> datetime | None:
    """When the permit lapses: so many years after issuance, or at the end of a date the form gives
    (the agency's day)."""
    now = local(now, zone)
    rule = application.permit_type.validity or {}
    if rule.get("years_field") and is_whole_number(str(data.get(rule["years_field"]) or "")):
        years = int(data[rule["years_field"]])
        try:
            return now.replace(year=now.year + years)
        except ValueError:  # 29 February
            return now.replace(year=now.year + years, day=28)
    until = data.get(rule.get("until_field") or "")
    if isinstance(until, date):
        return datetime(until.year, until.month, until.day, 23, 59, tzinfo=now.tzinfo)
    return None


_POSITIONS = {
    "id": ("a.n. KEPALA {agency}", "KEPALA {agency}", "Petugas"),
    "en": ("on behalf of the HEAD OF {agency}", "HEAD OF {agency}", "Officer"),
}


def signer_position(mode: str, agency_short: str, officer_position: str | None, locale: str = "id") -> str:
    """What the signature block calls the signer: for the seal, on behalf of the head; the head; or
    the officer's own position."""
    on_behalf, head, officer = _POSITIONS[locale]
    if mode == "segel":
        return on_behalf.format(agency=agency_short)
    return head.format(agency=agency_short) if mode == "kepala_dinas" else (officer_position or officer)


def _signer_block(services: Services, mode: str, actor: User | None, locale: str = "id") -> dict:
    agency = services.agency
    position = signer_position(mode, agency.short_name, getattr(actor, "position", None), locale)
    if mode == "segel":
        return {"position": position, "name": agency.seal_name}
    return {"position": position, "name": actor.name, "rank": actor.rank, "nip": actor.nip}


def letter_facts(
    services: Services,
    application: Application,
    kind: str,
    template: dict,
    mode: str | None,
    data: dict,
    actor: User | None,
    now: datetime,
    forms: list[FormDef] | None,
    extra: dict | None,
    *,
    number: str,
    verify_code: str | None,
    paper: bool,
) -> tuple[dict, datetime | None]:
    """What the letter says (the renderer's facts) and, for a permit, when it lapses."""
    zone = services.calendar.zone
    submission = submission_form(application.process_version)
    valid_until = _valid_until(application, data, now, zone) if kind == "izin" else None

    def filled(locale: str) -> dict:
        values = _values(services, application, data, [submission, *(forms or [])], locale)
        values.update(number=number, date=format_date(now, zone, locale), **(extra or {}))
        if valid_until:
            values["berlaku_sampai"] = format_date(valid_until, zone, locale)
        return values

    values = filled("id")
    tables = {
        "permohonan": [(f.title, f.label_for(data.get(f.name))) for f in submission.fields if not f.is_file],
        "lampiran": [(f.title, f.label_for(data.get(f.name))) for f in submission.fields if f.is_file],
        "tugas": [
            (f.title, f.label_for(data.get(f.name))) for form in forms or [] for f in form.fields if not f.is_file
        ],
    }
    facts = {
        "template": template,
        "values": values,
        "tables": tables,
        "agency": vars(services.agency),
        "signer": _signer_block(services, mode or "segel", actor),
        "number": number,
        "date": values["date"],
        "verify_url": services.verify_url(verify_code) if verify_code else None,
        "verify_code": verify_code,
        "paper": paper,
    }
    if template.get("en"):  # the agency wants an English copy of this letter
        english = filled("en")
        facts["english"] = {
            "template": template["en"],
            "values": english,
            "date": english["date"],
            "signer": _signer_block(services, mode or "segel", actor, "en"),
        }
    return facts, valid_until
