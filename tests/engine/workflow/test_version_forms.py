"""A running application stays on its own process version, and its forms and start task come from it."""

from __future__ import annotations

from pathlib import Path

from engine.workflow import definitions
from tests.factories import open_item, submit, work


def test_running_application_keeps_its_process_version(session, services, user, app, tmp_path):
    application = submit(session, services, user, code="surat-izin-praktik")
    old_version = application.process_version_id
    metadata, original = definitions.read_bundle(
        Path(app.config["PROCESSES_DIR"]) / "sip", Path(app.config["FORMS_DIR"])
    )
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
