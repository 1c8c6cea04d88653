"""Driving both permit processes through the engine verbs, with no HTTP."""
from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.casework import queries, worklist
from engine.casework.applications import submit_application
from engine.casework.tasks import claim, complete_task, release
from engine.core.errors import Conflict, PermissionDenied, ValidationFailed
from engine.core.files import Upload
from engine.documents.models import Document
from engine.workflow import definitions, runtime, serialization
from engine.workflow.models import Application, WorkItem
from engine.workflow.version_forms import load_workflow
from tests.factories import HAPPY, REKLAME, image_bytes, open_item, reklame_uploads, submit, work


def test_retribution_permit_runs_from_submission_to_signed_permit(session, services, user):
    application = submit(session, services, user)
    assert application.reg_number.startswith("REK-")
    assert application.status == "diproses"
    seen = []
    while application.status == "diproses":
        seen.append(work(session, services, user, application).task_spec)
    assert seen == ["verifikasi_berkas", "jadwal_survei", "berita_acara", "penetapan_retribusi",
                    "konfirmasi_pembayaran", "persetujuan_kepala", "penyerahan"]
    assert application.status == "selesai"
    kinds = [d.kind for d in session.scalars(select(Document).where(Document.application_id == application.id))]
    assert kinds.count("tanda_terima") == 1 and kinds.count("izin") == 1
    assert kinds.count("lampiran") == 6  # four requirement files and two survey photos


def test_retribution_comes_from_the_decision_table(session, services, user):
    application = submit(session, services, user, data={**REKLAME, "luas_m2": "30.5", "jumlah_sisi": "1",
                                                         "masa_berlaku_tahun": "2"})
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
    permit = session.scalar(select(Document).where(Document.application_id == application.id,
                                                   Document.kind == "izin"))
    assert permit.signed and permit.verify_code
    check = services.documents.verify(services.files.read(permit.sha256))
    assert check.ok and check.trusted and check.intact


def test_incomplete_file_goes_back_to_applicant_and_resumes(session, services, user):
    application = submit(session, services, user)
    work(session, services, user, application, {"hasil_verifikasi": "tidak_lengkap",
                                                "catatan_perbaikan": "Foto lokasi buram, mohon unggah ulang."})
    assert application.status == "dikembalikan"
    fix = open_item(session, application)
    assert fix.role == "pemohon" and fix.task_spec == "perbaiki_permohonan"
    complete_task(session, services, fix.id, user("pemohon"), {**REKLAME, "naskah_reklame": "Promo Kopi Baru"},
                  [Upload("berkas_foto_lokasi", "lokasi-baru.jpg", image_bytes("JPEG", (200, 10, 10)))])
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
    letter = session.scalar(select(Document).where(Document.application_id == application.id,
                                                   Document.kind == "penolakan"))
    assert letter is not None and letter.signed


def test_technical_team_can_refuse_recommendation(session, services, user):
    application = submit(session, services, user, code="surat-izin-praktik")
    work(session, services, user, application)
    work(session, services, user, application)
    work(session, services, user, application, {"rekomendasi": "tidak_direkomendasikan",
                                                "alasan_penolakan": "Tempat praktik belum memenuhi standar sarana."})
    assert application.status == "ditolak"
    assert "standar sarana" in application.outcome_reason


def test_head_can_send_back_to_technical_team(session, services, user):
    application = submit(session, services, user, code="surat-izin-praktik")
    for _ in range(3):
        work(session, services, user, application)
    work(session, services, user, application, {"keputusan_kepala": "kembalikan",
                                                "catatan_kepala": "Lengkapi foto papan nama praktik."})
    assert open_item(session, application).task_spec == "berita_acara"


def test_wrong_role_cannot_complete_or_claim(session, services, user):
    application = submit(session, services, user)
    item = open_item(session, application)
    with pytest.raises(PermissionDenied):
        complete_task(session, services, item.id, user("teknis"), HAPPY["verifikasi_berkas"][0])
    session.rollback()
    with pytest.raises(PermissionDenied):
        claim(session, item.id, user("kadis"))
    session.rollback()
    assert open_item(session, application).state == "open"


def test_applicant_cannot_complete_another_applicants_correction(session, services, user):
    from engine.accounts.users import register_applicant

    application = submit(session, services, user)
    work(session, services, user, application, {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "Lengkapi KTP."})
    other = register_applicant(session, "rahasia-uji", lambda token: token, name="Orang Lain",
                               nik="3171010101800099", email="orang-lain@contoh.test", phone="081200000000",
                               password="Rahasia-Pemohon-77")
    assert other is not None, "a new email and NIK make a new (not yet active) account"
    session.commit()
    with pytest.raises(PermissionDenied):
        complete_task(session, services, open_item(session, application).id, other, dict(REKLAME))


def test_claimed_task_belongs_to_claimer_until_released(session, services, user, app):
    application = submit(session, services, user)
    item = open_item(session, application)
    claim(session, item.id, user("fo"))
    session.commit()
    assert _listed(session, services, user("fo"), worklist.MINE) == [item.id]
    assert item.id not in _listed(session, services, user("fo"), worklist.WAITING)
    release(session, item.id, user("fo"))
    session.commit()
    assert item.id in _listed(session, services, user("fo"), worklist.WAITING)
    assert _listed(session, services, user("fo"), worklist.MINE) == []


def _listed(session, services, officer, view):
    page = worklist.task_page(session, services.calendar, officer, worklist.TaskQuery(view=view, per_page=100))
    return [r.id for r in page.rows]


def test_completed_task_cannot_be_completed_again(session, services, user):
    application = submit(session, services, user)
    item = work(session, services, user, application)
    with pytest.raises(Conflict, match="sudah diselesaikan"):
        complete_task(session, services, item.id, user("fo"), HAPPY["verifikasi_berkas"][0])


def test_simultaneous_completion_one_succeeds_one_conflicts(app, session, services, user):
    application = submit(session, services, user)
    item_id = open_item(session, application).id
    from webapp.extensions import db

    on_disk = {p.name for p in services.files.root.glob("??/??/*")}
    barrier = threading.Barrier(2)
    outcomes = []

    def officer():
        with app.app_context():
            own = Session(db.engine)
            try:
                from engine.accounts.models import User

                fo = own.scalar(select(User).where(User.email == "fo@demo.test"))
                item = own.get(WorkItem, item_id)
                assert item.state == "open"
                own.get(Application, item.application_id).workflow_json  # both read the same state
                barrier.wait(timeout=10)
                complete_task(own, services, item_id, fo, {"hasil_verifikasi": "lengkap"})
                own.commit()
                outcomes.append("ok")
            except Conflict as exc:
                own.rollback()
                outcomes.append(exc.message)
            except Exception as exc:  # surfaced below with its type
                own.rollback()
                outcomes.append(f"{type(exc).__name__}: {exc}")
            finally:
                own.close()

    threads = [threading.Thread(target=officer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok", outcomes
    assert outcomes.count("ok") == 1, outcomes
    assert "diubah oleh pengguna lain" in [o for o in outcomes if o != "ok"][0]
    with app.app_context():
        fresh = Session(db.engine)
        assert fresh.scalar(select(func.count()).select_from(Document).where(Document.kind == "tanda_terima")) == 1
        assert fresh.scalar(select(func.count()).select_from(WorkItem).where(
            WorkItem.application_id == application.id, WorkItem.state == "open")) == 1
        # The loser's sealed receipt was never archived: every new file has its row, none waits.
        from engine.core.models import StoredFile

        new = {p.name for p in services.files.root.glob("??/??/*")} - on_disk
        assert len(new) == 1 and fresh.get(StoredFile, new.pop()) is not None
        assert not list((services.files.root / ".staging").glob("*"))
        fresh.close()


def test_simultaneous_claims_one_wins_the_other_is_told_who_took_it(app, session, services, user):
    """Two front-office officers press "Ambil" on the same task at the same moment, ten times over:
    each time exactly one claim holds and is audited, and the other is told who took it."""
    from engine.accounts import users
    from engine.accounts.models import User
    from engine.core.models import AuditEvent
    from webapp.extensions import db

    second = session.scalar(select(User).where(User.email == "fo2@dinas.test")) or users.create_user(
        session, None, name="Rina Kartika (FO)", email="fo2@dinas.test", password="sandi-rahasia-1",
        roles=["front_office"], scope=users.AccountScope(all_permit_types=True))
    session.commit()
    application = submit(session, services, user)
    item_id = open_item(session, application).id
    for _round in range(10):
        barrier, outcomes = threading.Barrier(2), {}

        def officer(email):
            with app.app_context():
                own = Session(db.engine)
                try:
                    me = own.scalar(select(User).where(User.email == email))
                    own.get(WorkItem, item_id)  # both have read the task as unclaimed
                    barrier.wait(timeout=10)
                    claim(own, item_id, me)
                    own.commit()
                    outcomes[email] = "ok"
                except Conflict as exc:
                    own.rollback()
                    outcomes[email] = exc.message
                except Exception as exc:  # surfaced below with its type
                    own.rollback()
                    outcomes[email] = f"{type(exc).__name__}: {exc}"
                finally:
                    own.close()

        threads = [threading.Thread(target=officer, args=(e,)) for e in ("fo@demo.test", second.email)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [e for e, o in outcomes.items() if o == "ok"]
        assert len(winners) == 1, outcomes
        winner = session.scalar(select(User).where(User.email == winners[0]))
        loser = next(o for o in outcomes.values() if o != "ok")
        assert f"diambil oleh {winner.name}" in loser, outcomes
        session.expire_all()
        assert session.get(WorkItem, item_id).claimed_by_id == winner.id
        release(session, item_id, winner)
        session.commit()
    claims = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "task_claimed", AuditEvent.application_id == application.id))
    assert claims == 10


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


def test_dates_and_decimals_survive_serialization(session, services, user):
    application = submit(session, services, user, data={**REKLAME, "luas_m2": "12.75"})
    workflow = load_workflow(application)
    data = runtime.latest_data(workflow)
    assert data["luas_m2"] == Decimal("12.75")
    assert data["tanggal_mulai"] == date.fromisoformat(REKLAME["tanggal_mulai"])
    again = runtime.load(runtime.dump(workflow), definitions.specs_for(application.process_version))
    assert runtime.latest_data(again)["luas_m2"] == Decimal("12.75")


def test_stored_state_leaves_out_the_spec_and_runs_on_the_cached_one(session, services, user):
    # The stored state relies on Spiff restoring an already-built spec object unchanged; this pins it.
    application = submit(session, services, user)
    parsed = definitions.specs_for(application.process_version)
    assert '"spec"' not in application.workflow_json
    workflow = load_workflow(application)
    assert workflow.spec is parsed.spec
    assert work(session, services, user, application).task_spec == "verifikasi_berkas"
    assert [i.task_spec for i in queries.open_items(session, application)] == ["jadwal_survei"]


def test_state_in_spiffs_own_format_with_embedded_spec_still_loads(session, services, user):
    application = submit(session, services, user)
    parsed = definitions.specs_for(application.process_version)
    embedded = serialization.build_serializer(embed_spec=True).serialize_json(load_workflow(application))
    assert '"spec"' in embedded and len(embedded) > len(application.workflow_json)
    workflow = runtime.load(embedded, parsed)
    assert [t.spec_name for t in runtime.ready_user_tasks(workflow)] == ["verifikasi_berkas"]


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


def test_running_application_keeps_its_process_version(session, services, user, app, tmp_path):
    application = submit(session, services, user, code="surat-izin-praktik")
    old_version = application.process_version_id
    metadata, original = definitions.read_bundle(Path(app.config["PROCESSES_DIR"]) / "sip", Path(app.config["FORMS_DIR"]))
    files = dict(original)
    files["proses.bpmn"] = files["proses.bpmn"].replace('name="Verifikasi Berkas"', 'name="Verifikasi Berkas v2"')
    new_version = definitions.publish_bundle(session, metadata, files)
    session.commit()
    try:
        assert new_version.id != old_version and new_version.number == 2
        assert open_item(session, application).title == "Verifikasi Berkas"
        work(session, services, user, application)
        assert application.process_version_id == old_version
        newer = submit(session, services, user, code="surat-izin-praktik")
        assert newer.process_version_id == new_version.id
        assert open_item(session, newer).title == "Verifikasi Berkas v2"
    finally:
        # put the original bundle back as published for the other tests
        definitions.publish_bundle(session, metadata, original)
        session.commit()
