"""When the server fails: the database unreachable, an archived file gone, a bug. People get a page
in Indonesian with a reference the log holds (the API a problem document), never Werkzeug's bare
English 500, and service comes back by itself once the database does."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import event, select

from engine.documents.models import Document
from tests.factories import submit, work
from webapp.extensions import db


@pytest.fixture
def database_down(app):
    """Every new connection is refused, as when PostgreSQL is stopped; the pool is emptied first."""
    with app.app_context():
        driver_error = db.engine.dialect.loaded_dbapi.OperationalError

    def refuse(*_args, **_kwargs):
        raise driver_error("connection refused (simulated outage)")

    class Outage:
        def start(self):
            with app.app_context():
                db.engine.dispose()
                event.listen(db.engine, "do_connect", refuse)

        def end(self):
            with app.app_context():
                event.remove(db.engine, "do_connect", refuse)

    outage = Outage()
    yield outage
    with app.app_context():
        if event.contains(db.engine, "do_connect", refuse):
            outage.end()


def test_with_the_database_down_pages_say_so_in_indonesian_and_come_back_without_a_restart(
    app, login, database_down, caplog
):
    officer = login("fo", app.test_client())
    anyone = app.test_client()
    database_down.start()
    caplog.set_level(logging.ERROR, logger="webapp.failures")
    for client, path in ((anyone, "/"), (officer, "/petugas/"), (anyone, "/lacak?nomor=REK-2026-000001")):
        page = client.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 503 and page.headers["Retry-After"].isdigit(), path
        assert "tidak dapat menghubungi basis data" in text and "Internal Server Error" not in text
        reference = re.search(r"Kode rujukan: <strong class=\"mono\">([0-9A-F]{10})<", text).group(1)
        assert reference in caplog.text
    api = anyone.get("/api/v1/verify/kode-apa-saja")
    problem = api.get_json()
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert problem["status"] == 503 and problem["title"] and problem["reference"] in caplog.text
    assert "Retry-After" in api.headers
    database_down.end()
    assert anyone.get("/").status_code == 200
    assert officer.get("/petugas/").status_code == 200  # the session survived the outage


def test_a_bug_answers_a_page_with_a_reference_not_werkzeugs_500(app, client, monkeypatch, caplog):
    from webapp import public

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(public.definitions, "active_permit_types", broken)
    monkeypatch.setattr(public.verification, "check_code", broken)
    caplog.set_level(logging.ERROR, logger="webapp.failures")
    page = client.get("/")
    text = page.get_data(as_text=True)
    assert page.status_code == 500 and "Terjadi galat pada server" in text and "<html" in text
    assert "simulated bug" not in text and "simulated bug" in caplog.text  # the traceback goes to the log only
    api = client.get("/api/v1/verify/kode")
    assert api.status_code == 500 and api.get_json()["reference"] in caplog.text


def test_a_document_whose_archived_file_is_missing_or_changed_gets_a_clear_page(session, services, user, client):
    application = submit(session, services, user)
    work(session, services, user, application)  # the front office's check issues the receipt
    receipt = session.scalar(
        select(Document).where(Document.application_id == application.id, Document.kind == "tanda_terima")
    )
    path = services.files.path_for(receipt.sha256)
    original = path.read_bytes()
    path.chmod(0o644)
    try:
        path.unlink()
        page = client.get(f"/verify/{receipt.verify_code}")
        assert page.status_code == 503 and "Berkas arsip dokumen ini tidak ditemukan" in page.get_data(as_text=True)
        api = client.get(f"/api/v1/verify/{receipt.verify_code}")
        assert api.status_code == 503 and api.mimetype == "application/problem+json"
        path.write_bytes(original + b"%")
        page = client.get(f"/verify/{receipt.verify_code}")
        assert page.status_code == 503 and "rusak" in page.get_data(as_text=True)
    finally:
        path.write_bytes(original)
        path.chmod(0o444)
    assert client.get(f"/verify/{receipt.verify_code}").status_code == 200
    assert client.get(f"/api/v1/verify/{receipt.verify_code}").get_json()["authentic"]


def test_healthz_answers_alone_and_readyz_names_what_is_not_ready(app, client, database_down):
    from datetime import timedelta

    import time_machine

    from engine.core.clock import utcnow
    from webapp.scheduler import sweep_once

    assert client.get("/healthz").get_json() == {"status": "ok"}
    waiting = client.get("/readyz")
    assert waiting.status_code == 503 and waiting.get_json()["scheduler"] is False  # no sweep yet
    assert waiting.get_json()["database"] and waiting.get_json()["files"]
    sweep_once(app)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"
    with time_machine.travel(utcnow() + timedelta(minutes=10)):
        assert client.get("/readyz").get_json()["scheduler"] is False  # the scheduler stopped
    database_down.start()
    down = client.get("/readyz")
    assert down.status_code == 503 and down.get_json()["database"] is False
    assert client.get("/healthz").status_code == 200  # the process itself is alive
    database_down.end()
    assert client.get("/readyz").status_code == 200


def test_each_error_a_person_can_reach_is_a_page_in_the_site_s_layout_and_language(client):
    cases = {
        404: client.get("/tidak-ada-halaman-ini"),
        405: client.post("/lacak"),
        413: client.post(
            "/masuk",
            data=b"x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1),
            content_type="application/octet-stream",
        ),
    }
    for code, response in cases.items():
        page = response.get_data(as_text=True)
        assert response.status_code == code, (code, page[:300])
        assert 'class="brand"' in page and "Kembali ke beranda" in page, code
        assert "Method Not Allowed" not in page and "Request Entity Too Large" not in page and "Not Found" not in page
    assert "tidak dapat dibuka dengan cara itu" in cases[405].get_data(as_text=True)
    assert "GET" in cases[405].headers["Allow"]
