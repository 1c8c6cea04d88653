"""Parts added to a draft as the flow grows: a new form, a shared form, a fee table; each checked,
audited, and refused whole when wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.errors import ValidationFailed
from engine.core.models import AuditEvent
from engine.process_admin import decision_tables, draft_parts, drafts
from tests.factories import FORMS, NEW_TYPE
from tests.timeline import at

WITHOUT_FEE = {**NEW_TYPE, "has_retribution": ""}


def _files(session, permit_type):
    session.expire_all()
    return drafts.draft_of(session, permit_type).files


def test_a_new_form_is_added_with_a_note_field_and_audited(session, user, made):
    permit_type = made()
    name = draft_parts.add_form(
        session, user("proses"), permit_type, "rekomendasi-camat", "Rekomendasi Camat", now=at(2, 9)
    )
    session.commit()
    files = _files(session, permit_type)
    assert name == "forms/izin-keramaian/rekomendasi-camat.schema.json"
    assert '"title": "Rekomendasi Camat"' in files[name]
    assert "forms/izin-keramaian/rekomendasi-camat.uischema.json" in files
    assert drafts.validate(files) == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "draft_changed")).all()[-1]
    assert name in event.summary["diff"]


@pytest.mark.parametrize(
    "name, title, field",
    [
        ("Rekomendasi Camat", "Rekomendasi Camat", "nama"),
        ("../umum/x", "Rekomendasi", "nama"),
        ("permohonan", "Permohonan", "nama"),
        ("rekomendasi", "", "judul"),
    ],
)
def test_a_bad_new_form_is_refused_and_nothing_added(session, user, made, name, title, field):
    permit_type = made()
    before = _files(session, permit_type)
    with pytest.raises(ValidationFailed) as refused:
        draft_parts.add_form(session, user("proses"), permit_type, name, title, now=at(2, 9))
    session.rollback()
    assert field in refused.value.errors
    assert _files(session, permit_type) == before


def test_a_shared_form_is_copied_once(session, user, made):
    permit_type = made(WITHOUT_FEE)
    available = draft_parts.shared_forms(FORMS, _files(session, permit_type))
    assert "konfirmasi-pembayaran" in available and "verifikasi-berkas" not in available
    draft_parts.add_shared_form(session, user("proses"), permit_type, "konfirmasi-pembayaran", FORMS, now=at(2, 9))
    session.commit()
    files = _files(session, permit_type)
    assert files["forms/umum/konfirmasi-pembayaran.schema.json"] == (
        FORMS / "umum" / "konfirmasi-pembayaran.schema.json"
    ).read_text("utf-8")
    for name in ("konfirmasi-pembayaran", "../../processes/reklame/permit", "tidak-ada"):
        with pytest.raises(ValidationFailed):
            draft_parts.add_shared_form(session, user("proses"), permit_type, name, FORMS, now=at(2, 10))
        session.rollback()


def test_a_type_without_retribution_gets_a_fee_table_that_can_be_tried(session, user, made):
    permit_type = made(WITHOUT_FEE)
    assert not any(n.endswith(".dmn") for n in _files(session, permit_type))
    decision = draft_parts.add_fee_table(session, user("proses"), permit_type, now=at(2, 9))
    session.commit()
    files = _files(session, permit_type)
    assert decision == "tarif_izin_keramaian" and "templates/skrd.json" in files
    assert decision_tables.try_table(files, decision, {"kategori": "besar"}) == {"tarif": 200000}
    assert drafts.validate(files) == []
    with pytest.raises(ValidationFailed):
        draft_parts.add_fee_table(session, user("proses"), permit_type, now=at(2, 10))


def test_only_a_form_no_task_uses_is_taken_out(session, user, made):
    permit_type = made()
    draft_parts.add_form(session, user("proses"), permit_type, "rekomendasi-camat", "Rekomendasi Camat", now=at(2, 9))
    session.commit()
    used = draft_parts.forms_in_use(_files(session, permit_type))
    assert used["forms/umum/verifikasi-berkas.schema.json"] == ["verifikasi_berkas"]
    assert "forms/izin-keramaian/rekomendasi-camat.schema.json" not in used
    with pytest.raises(ValidationFailed) as refused:
        draft_parts.remove_form(
            session, user("proses"), permit_type, "forms/umum/verifikasi-berkas.schema.json", now=at(2, 10)
        )
    session.rollback()
    assert "verifikasi_berkas" in refused.value.errors["formulir"]
    draft_parts.remove_form(
        session, user("proses"), permit_type, "forms/izin-keramaian/rekomendasi-camat.schema.json", now=at(2, 11)
    )
    session.commit()
    files = _files(session, permit_type)
    assert not any("rekomendasi-camat" in name for name in files)
    assert drafts.validate(files) == []
