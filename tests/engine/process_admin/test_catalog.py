"""The catalog of permit types: made from nothing, changed only by process admins, kept when seeding again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.casework.applications import submit_application
from engine.core.errors import PermissionDenied
from engine.core.files import Upload
from engine.documents.models import Document
from engine.process_admin import catalog, decision_tables, drafts
from engine.workflow.definitions import load_directory, permit_type_by_code
from engine.workflow.models import ProcessVersion
from tests.factories import FORMS, NEW_TYPE, TEMPLATES, pdf_bytes
from tests.timeline import at, step


def _apply(session, services, user, permit_type, now):
    application = submit_application(
        session,
        services,
        permit_type,
        user("pemohon"),
        {
            "nama_usaha": "Festival Kuliner Sekanak",
            "alamat_lokasi": "Lapangan Sekanak, Palembang",
            "kategori": "sedang",
            "jumlah_unit": "3",
        },
        [Upload("berkas_1", "ktp.pdf", pdf_bytes("KTP")), Upload("berkas_2", "rekomendasi.pdf", pdf_bytes("Rek"))],
        now=now,
    )
    session.commit()
    return application


def test_a_permit_type_made_from_nothing_is_published_and_runs_to_a_signed_permit(session, services, user, made):
    permit_type = made()
    assert not permit_type.active and permit_type.versions == []
    draft = drafts.draft_of(session, permit_type)
    assert drafts.validate(draft.files) == []
    table = decision_tables.read_tables(draft.files)[0]
    name, text = decision_tables.write_rules(draft.files, table.decision_id, [['"sedang"', "125000"], ["-", "80000"]])
    drafts.save_draft_files(session, user("proses"), permit_type, {name: text}, now=at(2, 9))
    version = drafts.publish_draft(session, user("proses"), permit_type, now=at(2, 10))
    session.commit()
    assert version.number == 1 and permit_type.active and drafts.draft_of(session, permit_type) is None
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


def test_only_process_admins_change_processes(session, user, processes_restored):
    with pytest.raises(PermissionDenied):
        catalog.create_permit_type(session, user("fo"), dict(NEW_TYPE), FORMS, TEMPLATES)
    with pytest.raises(PermissionDenied):
        drafts.open_draft(session, user("kadis"), permit_type_by_code(session, "surat-izin-praktik"))


def test_seeding_again_keeps_what_admins_published_in_the_browser(app, session, user, processes_restored):
    sip = permit_type_by_code(session, "surat-izin-praktik")
    draft = drafts.open_draft(session, user("proses"), sip)
    bpmn = draft.files["proses.bpmn"].replace('name="Penyerahan Izin"', 'name="Serah Terima Izin"')
    drafts.save_draft_files(session, user("proses"), sip, {"proses.bpmn": bpmn})
    published = drafts.publish_draft(session, user("proses"), sip)
    session.commit()
    load_directory(session, Path(app.config["PROCESSES_DIR"]), FORMS)
    session.commit()
    session.expire_all()
    assert session.get(ProcessVersion, published.id).published
