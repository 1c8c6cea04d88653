"""The catalog of permit types as a process admin keeps it: creating one (with a first draft of the
usual service flow), editing what the public reads of it, offering it or taking it off."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import may
from engine.process_admin.models import ProcessDraft
from engine.process_admin.starter import starter_bundle
from engine.workflow.definitions import _METADATA_FIELDS
from engine.workflow.models import PermitType, ProcessVersion

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{2,39}$")
PREFIX_PATTERN = re.compile(r"^[A-Z]{2,6}$")
SIGNING_MODES = ("elektronik", "manual")


def require_process_admin(actor: User | None) -> None:
    if actor is None or not may(actor.role_names, "manage_processes"):
        raise PermissionDenied(Phrase("Hanya Admin Proses yang dapat mengubah jenis izin dan prosesnya."))


def metadata_of(permit_type: PermitType) -> dict:
    """The permit type's data as stored in ``permit.json`` of a bundle or an archive."""
    return {"code": permit_type.code, **{f: getattr(permit_type, f) for f in _METADATA_FIELDS}}


def _clean_metadata(values: dict, creating: bool) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    out: dict = {}
    if creating:
        code = (values.get("code") or "").strip().lower()
        if not CODE_PATTERN.match(code):
            errors["code"] = Phrase("Kode 3–40 karakter: huruf kecil, angka dan tanda hubung, diawali huruf.")
        out["code"] = code
    if "prefix" in values or creating:
        prefix = (values.get("prefix") or "").strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            errors["prefix"] = Phrase("Awalan nomor registrasi 2–6 huruf kapital, misalnya IMB.")
        out["prefix"] = prefix
    if "name" in values or creating:
        name = " ".join((values.get("name") or "").split())
        if not 3 <= len(name) <= 200:
            errors["name"] = Phrase("Nama jenis izin 3–200 karakter.")
        out["name"] = name
    for key in ("description", "legal_basis", "cost_note"):
        if key in values:
            out[key] = (values.get(key) or "").strip()[:4000]
    if "unit" in values:  # the agency's own organisation, so not part of an exported permit type
        out["unit"] = " ".join((values.get("unit") or "").split())[:100] or None
    for key in ("requirements", "procedure"):
        if key in values:
            raw = values[key]
            items = raw if isinstance(raw, list) else (raw or "").splitlines()
            out[key] = [" ".join(str(i).split()) for i in items if str(i).strip()][:40]
    if "sla_working_days" in values or creating:
        try:
            days = int(values.get("sla_working_days"))
            if not 1 <= days <= 120:
                raise ValueError
            out["sla_working_days"] = days
        except (TypeError, ValueError):
            errors["sla_working_days"] = Phrase("Waktu layanan 1–120 hari kerja.")
    if "signing_mode" in values or creating:
        mode = values.get("signing_mode") or "elektronik"
        if mode not in SIGNING_MODES:
            errors["signing_mode"] = Phrase("Pilih cara penandatanganan.")
        out["signing_mode"] = mode
    if "requires_identity_match" in values:
        out["requires_identity_match"] = values.get("requires_identity_match") in (True, "true", "on", "1", "ya")
    if "has_retribution" in values or creating:
        out["has_retribution"] = values.get("has_retribution") in (True, "true", "on", "1", "ya")
    return out, errors


def create_permit_type(
    session: Session, actor: User, values: dict, forms_dir: Path, templates_dir: Path, now: datetime | None = None
) -> PermitType:
    """A new permit type, not yet offered, with a first draft of the usual service flow to edit.

    Errors: PermissionDenied, ValidationFailed (field -> message).
    """
    now = now or utcnow()
    require_process_admin(actor)
    data, errors = _clean_metadata(values, creating=True)
    if "code" not in errors and session.scalar(select(PermitType.id).where(PermitType.code == data["code"])):
        errors["code"] = Phrase("Kode ini sudah dipakai jenis izin lain.")
    if "prefix" not in errors and session.scalar(select(PermitType.id).where(PermitType.prefix == data["prefix"])):
        errors["prefix"] = Phrase("Awalan ini sudah dipakai jenis izin lain.")
    if errors:
        raise ValidationFailed(Phrase("Jenis izin belum dapat dibuat."), errors)
    permit_type = PermitType(active=False, sla_stages={}, validity={}, **data)
    session.add(permit_type)
    session.flush()
    files = starter_bundle(
        data["code"], data["name"], data.get("requirements", []), data["has_retribution"], forms_dir, templates_dir
    )
    session.add(ProcessDraft(permit_type_id=permit_type.id, files=files, updated_at=now, updated_by_id=actor.id))
    record(
        session,
        "permit_type_created",
        actor=actor,
        now=now,
        summary={"permit_type": data["code"], **{k: v for k, v in data.items() if k != "code"}},
    )
    session.flush()
    return permit_type


def update_permit_type(
    session: Session, actor: User, permit_type: PermitType, values: dict, now: datetime | None = None
) -> dict:
    """Change the permit type's data; returns the changed fields as {field: [before, after]}."""
    now = now or utcnow()
    require_process_admin(actor)
    data, errors = _clean_metadata(values, creating=False)
    if (
        "prefix" not in errors
        and data.get("prefix")
        and session.scalar(
            select(PermitType.id).where(PermitType.prefix == data["prefix"], PermitType.id != permit_type.id)
        )
    ):
        errors["prefix"] = Phrase("Awalan ini sudah dipakai jenis izin lain.")
    if errors:
        raise ValidationFailed(Phrase("Perubahan jenis izin belum dapat disimpan."), errors)
    changed = {k: [getattr(permit_type, k), v] for k, v in data.items() if getattr(permit_type, k) != v}
    for key, (_before, after) in changed.items():
        setattr(permit_type, key, after)
    if changed:
        record(
            session,
            "permit_type_changed",
            actor=actor,
            now=now,
            summary={"permit_type": permit_type.code, "perubahan": changed},
        )
    return changed


def set_active(
    session: Session, actor: User, permit_type: PermitType, active: bool, now: datetime | None = None
) -> PermitType:
    """Retire a permit type (no new applications; running ones go on) or offer it again."""
    now = now or utcnow()
    require_process_admin(actor)
    if active and published_of(permit_type) is None:
        raise ValidationFailed(
            Phrase("Jenis izin belum memiliki proses yang diterbitkan."),
            {"active": Phrase("Terbitkan prosesnya terlebih dahulu.")},
        )
    if permit_type.active != active:
        permit_type.active = active
        record(
            session,
            "permit_type_offered" if active else "permit_type_retired",
            actor=actor,
            now=now,
            summary={"permit_type": permit_type.code},
        )
    return permit_type


def published_of(permit_type: PermitType) -> ProcessVersion | None:
    return next((v for v in permit_type.versions if v.published), None)


def permit_types(session: Session) -> list[PermitType]:
    return list(session.scalars(select(PermitType).order_by(PermitType.name)))


def permit_type_for_admin(session: Session, code: str) -> PermitType:
    permit_type = session.scalar(select(PermitType).where(PermitType.code == code))
    if permit_type is None:
        raise NotFound(Phrase("Jenis izin tidak ditemukan."))
    return permit_type
