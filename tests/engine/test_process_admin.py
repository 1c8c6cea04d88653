"""Process administration: a permit type made from nothing, drafts judged before publishing,
running applications kept on their version, and the archive one agency hands another."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework.applications import submit_application
from engine.core.errors import PermissionDenied, ProcessDefinitionError, ValidationFailed
from engine.core.files import Upload
from engine.core.roles import PROCESS_ADMIN
from engine.documents.models import Document
from engine.process_admin import catalog, decision_tables, exchange
from engine.process_admin import drafts as process_admin
from engine.workflow import dry_run
from engine.workflow.definitions import load_directory, permit_type_by_code
from engine.workflow.models import ProcessVersion
from tests.factories import FORMS, NEW_TYPE, TEMPLATES, pdf_bytes
from tests.timeline import at, step, submit


def _apply(session, services, user, permit_type, now):
    application = submit_application(session, services, permit_type, user("pemohon"), {
        "nama_usaha": "Festival Kuliner Sekanak", "alamat_lokasi": "Lapangan Sekanak, Palembang",
        "kategori": "sedang", "jumlah_unit": "3"},
        [Upload("berkas_1", "ktp.pdf", pdf_bytes("KTP")), Upload("berkas_2", "rekomendasi.pdf", pdf_bytes("Rek"))],
        now=now)
    session.commit()
    return application


def test_a_permit_type_made_from_nothing_is_published_and_runs_to_a_signed_permit(session, services, user, made):
    permit_type = made()
    assert not permit_type.active and permit_type.versions == []
    draft = process_admin.draft_of(session, permit_type)
    assert process_admin.validate(draft.files) == []
    table = decision_tables.read_tables(draft.files)[0]
    name, text = decision_tables.write_rules(draft.files, table.decision_id, [['"sedang"', "125000"], ["-", "80000"]])
    process_admin.save_draft_files(session, user("proses"), permit_type, {name: text}, now=at(2, 9))
    version = process_admin.publish_draft(session, user("proses"), permit_type, now=at(2, 10))
    session.commit()
    assert version.number == 1 and permit_type.active and process_admin.draft_of(session, permit_type) is None
    assert permit_type_by_code(session, "izin-keramaian").id == permit_type.id

    application = _apply(session, services, user, permit_type, at(3, 8))
    assert application.reg_number.startswith("IKR-2026-")
    moment = iter(at(d, h) for d in (3, 4, 5, 6, 9, 10) for h in (9, 13))
    while application.status == "diproses":
        # The payment must equal the fee the edited table gives: 3 units at Rp 125.000.
        step(session, services, user, application, next(moment), overrides={"jumlah_dibayar": "375000"})
    assert application.status == "selesai"
    kinds = {d.kind: d for d in session.scalars(select(Document).where(Document.application_id == application.id))}
    assert {"tanda_terima", "berita_acara", "skrd", "izin"} <= set(kinds)
    assert kinds["izin"].signed and kinds["izin"].signature == "tte" and kinds["izin"].signer_id == user("kadis").id


def test_changing_a_published_process_leaves_running_applications_on_their_version(session, services, user,
                                                                                 processes_restored):
    running = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    sip = running.permit_type
    old = running.process_version
    draft = process_admin.open_draft(session, user("proses"), sip, now=at(2, 9))
    bpmn = draft.files["proses.bpmn"].replace('name="Penyerahan Izin"', 'name="Penyerahan Izin Elektronik"')
    process_admin.save_draft_files(session, user("proses"), sip, {"proses.bpmn": bpmn}, now=at(2, 9))
    new = process_admin.publish_draft(session, user("proses"), sip, now=at(2, 10))
    session.commit()
    assert new.number > old.number and new.published and not old.published
    fresh = submit(session, services, user, "surat-izin-praktik", at(2, 11))
    assert fresh.process_version_id == new.id and running.process_version_id == old.id
    moment = iter(at(d, h) for d in (3, 4, 5, 6, 9) for h in (9, 13))
    while running.status == "diproses":
        item = step(session, services, user, running, next(moment))
    assert running.status == "selesai" and item.title == "Penyerahan Izin"

    process_admin.roll_back(session, user("proses"), sip, old.number, now=at(9, 14))
    session.commit()
    assert submit(session, services, user, "surat-izin-praktik", at(9, 15)).process_version_id == old.id
    assert fresh.process_version_id == new.id


BROKEN = {
    "malformed XML": (lambda b: b.replace("</bpmn:process>", "</bpmn:proses>"), "proses.bpmn", "XML tidak valid"),
    "missing form": (lambda b: b.replace("umum/penyerahan.schema.json", "umum/hilang.schema.json"),
                     "penyerahan", "tidak ditemukan"),
    "sandbox escape": (lambda b: b.replace("<bpmn:script>retribusi = int(tarif * jumlah_unit)</bpmn:script>",
                                           "<bpmn:script>().__class__.__base__.__subclasses__()</bpmn:script>"),
                       "hitung_retribusi", "ditolak"),
    "gateway without conditions": (lambda b: b.replace(
        '<bpmn:conditionExpression>hasil_verifikasi == "tidak_lengkap"</bpmn:conditionExpression>', ""),
        "f_05", "tidak punya kondisi"),
    "unsupported element": (lambda b: b.replace('<bpmn:scriptTask id="tanda_terima"', '<bpmn:serviceTask id="tanda_terima"')
                            .replace("</bpmn:scriptTask>\n    <bpmn:scriptTask id=\"surat_penolakan\"",
                                     "</bpmn:serviceTask>\n    <bpmn:scriptTask id=\"surat_penolakan\""),
                            "tanda_terima", "tidak didukung"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_draft_is_refused_with_findings_naming_the_element(session, user, made, case):
    change, element, words = BROKEN[case]
    permit_type = made()
    draft = process_admin.draft_of(session, permit_type)
    bpmn = change(draft.files["proses.bpmn"])
    assert bpmn != draft.files["proses.bpmn"]
    process_admin.save_draft_files(session, user("proses"), permit_type, {"proses.bpmn": bpmn})
    session.commit()
    with pytest.raises(ProcessDefinitionError) as refused:
        process_admin.publish_draft(session, user("proses"), permit_type)
    session.rollback()
    assert any(eid == element and words in message for eid, message in refused.value.findings), refused.value.findings
    assert session.scalar(select(func.count()).select_from(ProcessVersion).where(
        ProcessVersion.permit_type_id == permit_type.id)) == 0
    assert process_admin.draft_of(session, permit_type).files["proses.bpmn"] == bpmn  # the draft is kept


def test_a_form_that_is_not_a_json_schema_is_not_saved(session, user, made):
    permit_type = made()
    before = process_admin.draft_of(session, permit_type).files["forms/izin-keramaian/permohonan.schema.json"]
    with pytest.raises(ValidationFailed) as refused:
        process_admin.save_draft_files(session, user("proses"), permit_type, {
            "forms/izin-keramaian/permohonan.schema.json": '{"type": "object", "properties": {"a": {"type": "teks"}}}'})
    session.rollback()
    assert "JSON Schema tidak sah" in refused.value.errors["forms/izin-keramaian/permohonan.schema.json"]
    assert process_admin.draft_of(session, permit_type).files["forms/izin-keramaian/permohonan.schema.json"] == before


def test_only_process_admins_change_processes(session, user, processes_restored):
    with pytest.raises(PermissionDenied):
        catalog.create_permit_type(session, user("fo"), dict(NEW_TYPE), FORMS, TEMPLATES)
    with pytest.raises(PermissionDenied):
        process_admin.open_draft(session, user("kadis"), permit_type_by_code(session, "surat-izin-praktik"))


def test_every_change_is_audited_with_a_diff(session, user, made):
    from engine.core.models import AuditEvent

    permit_type = made()
    draft = process_admin.draft_of(session, permit_type)
    bpmn = draft.files["proses.bpmn"].replace('name="Verifikasi Berkas"', 'name="Pemeriksaan Berkas"')
    process_admin.save_draft_files(session, user("proses"), permit_type, {"proses.bpmn": bpmn})
    session.commit()
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "draft_changed").order_by(AuditEvent.id.desc()))
    assert event.actor_id == user("proses").id
    lines = event.summary["diff"]["proses.bpmn"]
    assert any(line.startswith("-") and 'name="Verifikasi Berkas"' in line for line in lines)
    assert any(line.startswith("+") and 'name="Pemeriksaan Berkas"' in line for line in lines)


def test_dry_run_shows_the_path_and_the_fee_the_table_gives(session, made):
    files = process_admin.draft_of(session, made()).files
    happy = dry_run.run(files, {"isi_permohonan": {"kategori": "besar", "jumlah_unit": 2}})
    assert happy.outcome == "selesai" and happy.stopped is None
    path = [s.element_id for s in happy.steps]
    assert path.index("hitung_tarif") < path.index("persetujuan_kepala") < path.index("selesai")
    assert next(s for s in happy.steps if s.element_id == "hitung_retribusi").data["retribusi"] == 400000
    refused = dry_run.run(files, {"verifikasi_berkas": {"hasil_verifikasi": "tidak_memenuhi"}})
    assert refused.outcome == "ditolak" and "hitung_tarif" not in [s.element_id for s in refused.steps]


def test_a_fee_table_is_tried_with_inputs(session, made):
    files = process_admin.draft_of(session, made()).files
    table = decision_tables.read_tables(files)[0]
    assert decision_tables.try_table(files, table.decision_id, {"kategori": "kecil"}) == {"tarif": 50000}
    with pytest.raises(ValidationFailed):
        decision_tables.write_rules(files, table.decision_id, [['open("/etc/passwd")', "1"]])


def test_seeding_again_keeps_what_admins_published_in_the_browser(app, session, user, processes_restored):
    sip = permit_type_by_code(session, "surat-izin-praktik")
    draft = process_admin.open_draft(session, user("proses"), sip)
    bpmn = draft.files["proses.bpmn"].replace('name="Penyerahan Izin"', 'name="Serah Terima Izin"')
    process_admin.save_draft_files(session, user("proses"), sip, {"proses.bpmn": bpmn})
    published = process_admin.publish_draft(session, user("proses"), sip)
    session.commit()
    load_directory(session, Path(app.config["PROCESSES_DIR"]), FORMS)
    session.commit()
    session.expire_all()
    assert session.get(ProcessVersion, published.id).published


def test_export_then_import_into_a_fresh_database_reproduces_the_permit_type(app, session, tmp_path, user):
    reklame = permit_type_by_code(session, "izin-reklame")
    archive = exchange.export_archive(session, reklame)
    original = process_admin.version_files(session, next(v for v in reklame.versions if v.published))

    fresh = create_engine(f"sqlite:///{tmp_path / 'lain.db'}")
    import os
    previous = os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = str(fresh.url)
    try:
        from webapp import create_app
        other = create_app({"TESTING": True, "SECRET_KEY": "x", "FILES_DIR": str(tmp_path / "f"),
                            "PKI_DIR": str(tmp_path / "p")})
        with other.app_context():
            upgrade()
    finally:
        os.environ["DATABASE_URL"] = previous
    with Session(fresh) as elsewhere:
        from engine.accounts import users

        admin = users.create_user(elsewhere, None, name="Admin Proses Kota Lain", email="proses@lain.test",
                                  password="rahasia-123", roles=[PROCESS_ADMIN])
        draft = exchange.import_archive(elsewhere, admin, archive)
        elsewhere.commit()
        imported = draft.permit_type
        # Imported is not published: a draft of a type not yet offered, until the admin publishes it.
        assert not imported.active and not imported.versions and process_admin.validate(draft.files) == []
        version = process_admin.publish_draft(elsewhere, admin, imported)
        catalog.set_active(elsewhere, admin, imported, True)
        elsewhere.commit()
        assert catalog.metadata_of(imported) == catalog.metadata_of(reklame)
        assert process_admin.version_files(elsewhere, version) == original
        assert version.content_hash == next(v for v in reklame.versions if v.published).content_hash
        assert imported.active and elsewhere.scalar(select(User).where(User.email == "proses@lain.test"))
    with pytest.raises(ValidationFailed):
        exchange.import_archive(session, user("proses"), b"bukan zip")


def _zip(members: dict[str, bytes], method=None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method or zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()




@pytest.mark.parametrize("case", ["deflate-1.5GiB", "bzip2", "many-members", "one-member-too-large"])
def test_a_hostile_archive_is_refused_without_expanding_it(session, user, case):
    """A zip bomb (1.5 GiB of deflated zeros in about 1.5 MB), bzip2 members, hundreds of members,
    one member past its limit: refused with a message, reading no more than the limits allow."""
    import io
    import json
    import tracemalloc
    import zipfile

    permit = json.dumps({"code": "izin-bom", "name": "Bom", "prefix": "BOM"}).encode()
    if case == "deflate-1.5GiB":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("permit.json", permit)
            with archive.open("bundle/proses.bpmn", "w", force_zip64=True) as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(1536):  # streamed: the test never holds 1.5 GiB either
                    member.write(chunk)
        data = buffer.getvalue()
    elif case == "bzip2":
        data = _zip({"permit.json": permit, "bundle/proses.bpmn": b"\0" * (50 << 20)}, zipfile.ZIP_BZIP2)
    elif case == "many-members":
        data = _zip({"permit.json": permit, **{f"bundle/f{i}.json": b"{}" for i in range(500)}})
    else:
        data = _zip({"permit.json": permit, "bundle/proses.bpmn": b"<" * (30 << 20)})
    assert len(data) < exchange.MAX_ARCHIVE_BYTES, len(data)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationFailed) as refused:
            exchange.import_archive(session, user("proses"), data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.errors["arsip"]
    assert peak < 50 << 20, f"the archive was expanded in memory: peak {peak >> 20} MB"
    session.rollback()
