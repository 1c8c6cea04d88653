"""The archive checked against the database: every missing or changed file, with the documents naming it."""

from __future__ import annotations

from engine.documents.archive_check import check_archive
from engine.documents.documents import documents_of


def test_check_archive_lists_every_missing_or_changed_file_with_the_documents_naming_it(session, services, user, app):
    from tests.factories import submit, work

    application = submit(session, services, user)
    work(session, services, user, application)
    documents = documents_of(session, application)
    receipt = next(d for d in documents if d.kind == "tanda_terima")
    upload = next(d for d in documents if d.kind == "lampiran")
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["ptsp", "check-archive"])
    assert clean.exit_code == 0 and "lengkap dan utuh" in clean.output
    saved = {}
    for doc in (receipt, upload):
        path = services.files.path_for(doc.sha256)
        saved[path] = path.read_bytes()
        path.chmod(0o644)
    try:
        services.files.path_for(receipt.sha256).unlink()
        services.files.path_for(upload.sha256).write_bytes(b"diubah di luar aplikasi")
        found = {p.sha256: p for p in check_archive(session, services.files, batch=2)}
        assert found[receipt.sha256].problem == "hilang" and found[upload.sha256].problem == "rusak"
        assert (receipt.id, "tanda_terima", receipt.number) in found[receipt.sha256].documents
        report = runner.invoke(args=["ptsp", "check-archive"])
        assert report.exit_code == 1 and f"HILANG {receipt.sha256}" in report.output
        assert f"RUSAK {upload.sha256}" in report.output and "2 berkas arsip" in report.output
    finally:
        for path, data in saved.items():
            path.write_bytes(data)
            path.chmod(0o444)
