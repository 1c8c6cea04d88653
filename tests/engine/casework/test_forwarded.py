"""Applications OSS forwards for a regional permit: signed, taken once, completed by the business."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.casework import forwarded
from engine.casework.models import ForwardedRequest
from engine.connectors.signatures import minified, signature
from engine.core.errors import NotFound
from engine.core.models import AuditEvent, OutboxMail
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form
from tests.factories import REKLAME, submit
from tests.timeline import at

PATH = "/api/v1/oss/permohonan"
REQUEST = {
    "id_permohonan": "OSS-PB-0001",
    "nib": "9120001234567",
    "kode_izin": "izin-reklame",
    "pelaku_usaha": {"nama": "PT Maju Jaya Reklame", "email": "pemohon@demo.test", "nik": "3171010101800001"},
}


def _send(session, agencies, body=REQUEST, key="kunci-oss", now=None, stamp=None):
    raw = minified(body)
    stamp = stamp or (now or at(2, 9)).isoformat()
    headers = {"X-TIMESTAMP": stamp, "X-SIGNATURE": signature(key, "POST", PATH, raw, stamp)}
    return forwarded.receive_signed(
        session,
        agencies.connectors,
        method="POST",
        path=PATH,
        headers=headers,
        body=raw,
        link_for=lambda code, oss: f"/pemohon/ajukan/{code}?oss={oss}",
        now=now or at(2, 9),
    )


def test_a_signed_request_is_taken_once_and_the_business_invited_by_email(session, agencies):
    status, answer = _send(session, agencies)
    assert status == 201 and answer["tautan"] == "/pemohon/ajukan/izin-reklame?oss=OSS-PB-0001"
    again, _ = _send(session, agencies)
    assert again == 200 and len(session.scalars(select(ForwardedRequest)).all()) == 1, "OSS may send it twice"
    mail = session.scalars(select(OutboxMail)).one()
    assert mail.recipient == "pemohon@demo.test" and "?oss=OSS-PB-0001" in mail.body and "9120001234567" in mail.body


def test_a_forged_or_stale_request_is_refused_and_audited(session, agencies):
    assert _send(session, agencies, key="tebakan")[0] == 401
    assert _send(session, agencies, stamp="2026-01-01T09:00:00+07:00")[0] == 401
    reasons = session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "oss_request_refused")).all()
    assert len(reasons) == 2 and session.scalars(select(ForwardedRequest)).all() == []


def test_a_request_for_a_permit_type_not_served_here_is_refused_with_the_fields(session, agencies):
    status, answer = _send(session, agencies, {**REQUEST, "kode_izin": "izin-tambang", "nib": "12"})
    assert status == 422 and set(answer["kesalahan"]) == {"kode_izin", "nib"}


def test_only_the_invited_business_completes_it_and_only_once(session, services, agencies, user):
    _send(session, agencies)
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    request = forwarded.open_for(session, "OSS-PB-0001", user("pemohon"), permit_type)
    form = submission_form(definitions.published_version(session, permit_type))
    assert forwarded.prefill(request, form) == {"nib": "9120001234567", "nama_penyelenggara": "PT Maju Jaya Reklame"}
    with pytest.raises(NotFound):
        forwarded.open_for(session, "OSS-PB-0001", user("fo"), permit_type)
    application = submit(session, services, user, data={**REKLAME, "nib": "9120001234567"})
    forwarded.link(session, request, application, at(2, 10))
    assert forwarded.oss_reference(session, application.id) == "OSS-PB-0001"
    with pytest.raises(NotFound):
        forwarded.open_for(session, "OSS-PB-0001", user("pemohon"), permit_type)
