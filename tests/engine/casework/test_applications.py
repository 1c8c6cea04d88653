"""Driving both permit processes through the engine verbs, with no HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.casework import queries
from engine.casework.applications import submit_application
from engine.casework.tasks import complete_task
from engine.core.errors import ValidationFailed
from engine.core.files import Upload
from engine.documents.models import Document
from engine.workflow import definitions, runtime
from engine.workflow.models import Application
from engine.workflow.version_forms import load_workflow
from tests.factories import REKLAME, image_bytes, open_item, reklame_uploads, submit, work


def test_retribution_permit_runs_from_submission_to_signed_permit(session, services, user):
    application = submit(session, services, user)
    assert application.reg_number.startswith("REK-")
    assert application.status == "diproses"
    seen = []
    while application.status == "diproses":
        seen.append(work(session, services, user, application).task_spec)
    assert seen == [
        "verifikasi_berkas",
        "jadwal_survei",
        "berita_acara",
        "penetapan_retribusi",
        "konfirmasi_pembayaran",
        "persetujuan_kepala",
        "penyerahan",
    ]
    assert application.status == "selesai"
    kinds = [d.kind for d in session.scalars(select(Document).where(Document.application_id == application.id))]
    assert kinds.count("tanda_terima") == 1 and kinds.count("izin") == 1
    assert kinds.count("lampiran") == 6  # four requirement files and two survey photos


def test_retribution_comes_from_the_decision_table(session, services, user):
    application = submit(
        session, services, user, data={**REKLAME, "luas_m2": "30.5", "jumlah_sisi": "1", "masa_berlaku_tahun": "2"}
    )
    for _ in range(3):
        work(session, services, user, application)
    workflow = load_workflow(application)
    data = runtime.latest_data(workflow)
    assert data["tarif_per_m2"] == 175000  # billboard over 24 m²
    assert data["retribusi"] == int(Decimal("30.5") * 175000 * 1 * 2)
    assert open_item(session, application).task_spec == "penetapan_retribusi"


def test_permit_without_retribution_skips_fee_tasks(session, services, user):
    application = submit(session, services, user, code="surat-izin-praktik")
    seen = []
    while application.status == "diproses":
        seen.append(work(session, services, user, application).task_spec)
    assert seen == ["verifikasi_berkas", "jadwal_survei", "berita_acara", "persetujuan_kepala", "penyerahan"]
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    assert permit.signed and permit.verify_code
    check = services.documents.verify(services.files.read(permit.sha256))
    assert check.ok and check.trusted and check.intact


def test_incomplete_file_goes_back_to_applicant_and_resumes(session, services, user):
    application = submit(session, services, user)
    work(
        session,
        services,
        user,
        application,
        {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "Foto lokasi buram, mohon unggah ulang."},
    )
    assert application.status == "dikembalikan"
    fix = open_item(session, application)
    assert fix.role == "pemohon" and fix.task_spec == "perbaiki_permohonan"
    complete_task(
        session,
        services,
        fix.id,
        user("pemohon"),
        {**REKLAME, "naskah_reklame": "Promo Kopi Baru"},
        [Upload("berkas_foto_lokasi", "lokasi-baru.jpg", image_bytes("JPEG", (200, 10, 10)))],
    )
    session.commit()
    assert application.status == "diproses"
    again = open_item(session, application)
    assert again.task_spec == "verifikasi_berkas"
    data = runtime.task_data(load_workflow(application), again.task_id)
    assert data["naskah_reklame"] == "Promo Kopi Baru"
    assert data["berkas_foto_lokasi"]["nama"] == "lokasi-baru.jpg"
    assert data["berkas_ktp"]["nama"] == "ktp.pdf"  # kept when not uploaded again
    actions = [e.action for e in queries.history(session, application)]
    assert "resubmitted" in actions


def test_ineligible_file_is_rejected_with_reason_for_applicant(session, services, user):
    application = submit(session, services, user)
    reason = "Lokasi berada di kawasan larangan reklame menurut Perda."
    work(session, services, user, application, {"hasil_verifikasi": "tidak_memenuhi", "alasan_penolakan": reason})
    assert application.status == "ditolak"
    assert application.outcome_reason == reason
    assert queries.open_items(session, application) == []
    letter = session.scalar(
        select(Document).where(Document.application_id == application.id, Document.kind == "penolakan")
    )
    assert letter is not None and letter.signed


def test_technical_team_can_refuse_recommendation(session, services, user):
    application = submit(session, services, user, code="surat-izin-praktik")
    work(session, services, user, application)
    work(session, services, user, application)
    work(
        session,
        services,
        user,
        application,
        {"rekomendasi": "tidak_direkomendasikan", "alasan_penolakan": "Tempat praktik belum memenuhi standar sarana."},
    )
    assert application.status == "ditolak"
    assert "standar sarana" in application.outcome_reason


def test_head_can_send_back_to_technical_team(session, services, user):
    application = submit(session, services, user, code="surat-izin-praktik")
    for _ in range(3):
        work(session, services, user, application)
    work(
        session,
        services,
        user,
        application,
        {"keputusan_kepala": "kembalikan", "catatan_kepala": "Lengkapi foto papan nama praktik."},
    )
    assert open_item(session, application).task_spec == "berita_acara"


def test_invalid_form_stores_nothing_and_explains_in_indonesian(session, services, user):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    bad = {**REKLAME, "luas_m2": "dua puluh", "tanggal_mulai": "31-12-2026", "npwpd": ""}
    with pytest.raises(ValidationFailed) as caught:
        submit_application(session, services, permit_type, user("pemohon"), bad, reklame_uploads()[:2])
    session.rollback()
    errors = caught.value.errors
    assert errors["luas_m2"] == "Harus berupa angka."
    assert errors["tanggal_mulai"].startswith("Tanggal tidak valid")
    assert errors["npwpd"] == "Wajib diisi."
    assert errors["berkas_foto_lokasi"] == "Berkas wajib diunggah."
    assert session.scalar(select(func.count()).select_from(Application)) == 0


def test_upload_type_is_judged_by_content_not_name(session, services, user):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    uploads = reklame_uploads()
    uploads[0] = Upload("berkas_ktp", "ktp.pdf", b"MZ\x90\x00 this is an executable, not a PDF")
    with pytest.raises(ValidationFailed) as caught:
        submit_application(session, services, permit_type, user("pemohon"), dict(REKLAME), uploads)
    assert "Jenis berkas tidak diizinkan" in caught.value.errors["berkas_ktp"]


def test_every_state_change_is_audited(session, services, user):
    application = submit(session, services, user)
    work(session, services, user, application)
    events = queries.history(session, application)
    actions = [e.action for e in events]
    assert actions[:1] == ["submitted"]
    assert "task_completed" in actions and "document_issued" in actions
    completed = next(e for e in events if e.action == "task_completed")
    assert completed.actor.email == "fo@demo.test"
    assert completed.task_title == "Verifikasi Berkas"
    assert completed.summary == {"hasil_verifikasi": "lengkap"}


def test_worklist_rows_carry_role_from_lane(session, services, user):
    application = submit(session, services, user)
    item = open_item(session, application)
    assert (item.role, item.lane, item.title) == ("front_office", "Front Office", "Verifikasi Berkas")
    assert item.form_schema == "umum/verifikasi-berkas.schema.json"


def test_an_application_is_submitted_while_dukcapil_is_down_and_marked_not_yet_verified(
    session, services, user, agencies
):
    agencies.mode("dukcapil", "mati")
    application = submit(session, services, user)
    assert application.reg_number and user("pemohon").identity_status == "belum"
    assert user("pemohon").identity_tried_at is not None


def test_the_applicant_is_checked_once_at_submission_and_not_again_once_matched(session, services, user, agencies):
    submit(session, services, user)
    assert user("pemohon").identity_status == "cocok"
    calls = agencies.calls("dukcapil")
    submit(session, services, user)
    assert agencies.calls("dukcapil") == calls


def test_a_permit_type_requiring_a_match_refuses_a_mismatch_and_stores_nothing(session, services, user, agencies):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    permit_type.requires_identity_match = True
    user("pemohon").name = "Bambang Sutrisno"
    before = session.scalar(select(func.count(Application.id)))
    with pytest.raises(ValidationFailed) as caught:
        submit_application(session, services, permit_type, user("pemohon"), dict(REKLAME), reklame_uploads())
    assert "Tidak cocok dengan data Dukcapil: nama" in caught.value.message
    session.rollback()
    assert session.scalar(select(func.count(Application.id))) == before


def test_a_permit_type_requiring_a_match_still_accepts_while_dukcapil_is_down(session, services, user, agencies):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    permit_type.requires_identity_match = True
    agencies.mode("dukcapil", "mati")
    application = submit_application(session, services, permit_type, user("pemohon"), dict(REKLAME), reklame_uploads())
    assert application.reg_number
    session.rollback()
