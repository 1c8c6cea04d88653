"""Applications OSS RBA forwards for a regional permit: taken in (idempotently, by OSS's id), the
business invited by email to complete the form here (prefilled, its files still to upload), and
linked to the application it becomes, so the decision goes back to OSS under OSS's own id."""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.accounts.users import EMAIL_PATTERN, NIK_PATTERN
from engine.casework import lookups
from engine.casework.models import ForwardedRequest
from engine.connectors.registry import Connectors
from engine.connectors.signatures import fresh, signature_matches
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.mail import Mail, queue
from engine.workflow.forms import FormDef
from engine.workflow.models import Application, PermitType


def receive_signed(
    session: Session,
    connectors: Connectors | None,
    *,
    method: str,
    path: str,
    headers,
    body: bytes,
    link_for,
    now: datetime | None = None,
) -> tuple[int, dict]:
    """OSS's forwarded request as it arrives: (HTTP status, answer). The signature (with the agency's
    OSS key) and its freshness are checked first; every refusal is audited."""
    now = now or utcnow()
    if connectors is None or connectors.oss is None:
        return 404, {"status": False, "keterangan": "OSS tidak terhubung"}
    timestamp = headers.get("X-TIMESTAMP", "")
    if not (
        signature_matches(connectors.oss_key, method, path, body, timestamp, headers.get("X-SIGNATURE", ""))
        and fresh(timestamp, now)
    ):
        record(session, "oss_request_refused", now=now, summary={"alasan": "tanda tangan tidak sah atau kedaluwarsa"})
        return 401, {"status": False, "keterangan": "tanda tangan tidak sah"}
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError
        forwarded, new = receive(session, data, link_for, now)
    except ValueError:
        record(session, "oss_request_refused", now=now, summary={"alasan": "isi bukan JSON"})
        return 400, {"status": False, "keterangan": "isi bukan JSON"}
    except ValidationFailed as exc:
        record(session, "oss_request_refused", now=now, summary={"alasan": exc.message, "kesalahan": exc.errors})
        return 422, {"status": False, "keterangan": exc.message, "kesalahan": exc.errors}
    code = session.get(PermitType, forwarded.permit_type_id).code
    return (201 if new else 200), {
        "status": True,
        "id_permohonan": forwarded.external_id,
        "tautan": link_for(code, forwarded.external_id),
    }


def receive(session: Session, body: dict, link_for, now: datetime | None = None) -> tuple[ForwardedRequest, bool]:
    """Take one forwarded request (``body``: OSS's fields); (the request, whether it is new).
    ``link_for(code, external_id)`` gives the address where the business completes it.
    Errors: ValidationFailed (fields missing or wrong, an unknown or retired permit type)."""
    now = now or utcnow()
    errors = {}
    external_id = str(body.get("id_permohonan") or "").strip()
    nib = str(body.get("nib") or "").strip()
    business = body.get("pelaku_usaha") if isinstance(body.get("pelaku_usaha"), dict) else {}
    email = str(business.get("email") or "").strip().lower()
    if not 4 <= len(external_id) <= 64:
        errors["id_permohonan"] = Phrase("wajib, 4–64 karakter")
    if not re.fullmatch(r"[0-9]{13}", nib):
        errors["nib"] = Phrase("NIB 13 digit")
    if not EMAIL_PATTERN.match(email):
        errors["pelaku_usaha.email"] = Phrase("alamat email tidak sah")
    permit_type = session.scalar(
        select(PermitType).where(PermitType.code == str(body.get("kode_izin") or ""), PermitType.active)
    )
    if permit_type is None:
        errors["kode_izin"] = Phrase("jenis izin tidak dilayani di daerah ini")
    if errors:
        raise ValidationFailed(Phrase("Permohonan dari OSS tidak dapat diterima."), errors)
    existing = session.scalar(select(ForwardedRequest).where(ForwardedRequest.external_id == external_id))
    if existing is not None:
        return existing, False
    nik = str(business.get("nik") or "").strip() or None
    forwarded = ForwardedRequest(
        source="oss",
        external_id=external_id,
        permit_type_id=permit_type.id,
        nib=nib,
        business_name=str(business.get("nama") or "")[:200],
        email=email,
        nik=nik if nik and NIK_PATTERN.fullmatch(nik) else None,
        received_at=now,
    )
    session.add(forwarded)
    session.flush()
    queue(
        session,
        Mail(
            to=email,
            subject=f"Lengkapi permohonan {permit_type.name} dari OSS",
            body=(
                f"Yth. {forwarded.business_name or 'Pelaku Usaha'},\n\nOSS RBA meneruskan permohonan {permit_type.name} "
                f"(nomor OSS {external_id}, NIB {nib}) kepada DPMPTSP. Lengkapi formulir dan unggah persyaratannya di:\n"
                f"{link_for(permit_type.code, external_id)}\n\nBila belum memiliki akun PTSP-el, daftar dahulu dengan email "
                "ini, lalu buka tautan di atas lagi.\n"
            ),
        ),
        now,
    )
    record(
        session,
        "oss_request_received",
        now=now,
        summary={"oss": external_id, "nib": nib, "jenis_izin": permit_type.code},
    )
    return forwarded, True


def open_for(session: Session, external_id: str, applicant: User, permit_type: PermitType) -> ForwardedRequest:
    """The forwarded request ``applicant`` may complete (it was sent to their email or NIK, not yet used).
    Errors: NotFound."""
    forwarded = session.scalar(
        select(ForwardedRequest).where(
            ForwardedRequest.external_id == external_id, ForwardedRequest.permit_type_id == permit_type.id
        )
    )
    mine = forwarded is not None and (
        forwarded.email == (applicant.email or "").lower() or (forwarded.nik and forwarded.nik == applicant.nik)
    )
    if not mine or forwarded.application_id is not None:
        raise NotFound(Phrase("Permohonan OSS ini tidak ditemukan untuk akun Anda, atau sudah dilengkapi."))
    return forwarded


def prefill(forwarded: ForwardedRequest, form: FormDef) -> dict:
    """The form's values from the request: the NIB in the field checked with ``oss.nib``, the business
    name in the field that check fills with the name."""
    field = lookups.checked_field(form, "oss.nib")
    if field is None:
        return {}
    values = {field.name: forwarded.nib}
    name_field = next(
        (target for target, source in (field.connector.get("fill") or {}).items() if source == "nama"), None
    )
    if name_field and forwarded.business_name:
        values[name_field] = forwarded.business_name
    return values


def link(session: Session, forwarded: ForwardedRequest, application: Application, now: datetime) -> None:
    """The application completes the forwarded request (its decision goes back under OSS's id)."""
    forwarded.application_id = application.id
    record(session, "oss_request_completed", application=application, now=now, summary={"oss": forwarded.external_id})


def oss_reference(session: Session, application_id: int) -> str | None:
    return session.scalar(
        select(ForwardedRequest.external_id).where(
            ForwardedRequest.application_id == application_id, ForwardedRequest.source == "oss"
        )
    )
