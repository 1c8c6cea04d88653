"""Several app servers, each with its own instance folder, sharing one database and one archive in
S3-compatible object storage (a real SeaweedFS server): what one stores, the other serves."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select

from engine.accounts.models import User
from engine.documents.models import Document
from tests.factories import submit, work
from webapp import config as cfg
from webapp.extensions import db


def test_two_app_servers_with_their_own_instance_folders_serve_the_same_documents_from_object_storage(
    app, s3_server, tmp_path, monkeypatch
):
    """Server A (this process) stores; server B, a process of its own with another instance folder
    and nothing on its disk, serves the same document from the bucket."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from webapp import create_app

    prefix = uuid.uuid4().hex
    s3 = {
        "FILE_STORE": "s3",
        "S3_ENDPOINT_URL": s3_server["endpoint"],
        "S3_BUCKET": s3_server["bucket"],
        "S3_ACCESS_KEY_ID": s3_server["access"],
        "S3_SECRET_ACCESS_KEY": s3_server["secret"],
        "S3_PREFIX": prefix,
    }
    secret = cfg.pki_key_secret(app.config, app.instance_path).decode()
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "server-a"))
    first = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "dibagi-antar-server",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PKI_DIR": app.config["PKI_DIR"],
            "PKI_KEY_PASSPHRASE": secret,
            "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
            "FILES_DIR": str(tmp_path / "server-a" / "files"),
            "MAIL_DIR": str(tmp_path / "server-a" / "mail"),
            **s3,
        }
    )
    monkeypatch.delenv("INSTANCE_PATH")
    with first.app_context():
        services = first.extensions["ptsp_services"]

        def user(prefix):
            return db.session.scalar(select(User).where(User.email == f"{prefix}@demo.test"))

        application = submit(db.session, services, user)
        work(db.session, services, user, application)  # the front office's check seals the receipt
        receipt = db.session.scalar(
            select(Document).where(Document.application_id == application.id, Document.kind == "tanda_terima")
        )
        code, sha = receipt.verify_code, receipt.sha256
        db.engine.dispose()
    assert not any(p.is_file() for p in (tmp_path / "server-a" / "files").rglob("*"))  # nothing kept locally

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {
        **os.environ,
        **s3,
        "INSTANCE_PATH": str(tmp_path / "server-b"),
        "DATABASE_URL": url,
        "PKI_DIR": app.config["PKI_DIR"],
        "PKI_KEY_PASSPHRASE": secret,
        "FILES_DIR": str(tmp_path / "server-b" / "f"),
        "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
        "MAIL_DIR": str(tmp_path / "server-b" / "mail"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    second = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "b.log").open("wb"),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.25)
        page = urllib.request.urlopen(f"{base}/verify/{code}", timeout=30).read().decode()
        assert "Dokumen ASLI dan SAH" in page, (tmp_path / "b.log").read_text()[-2000:]
        original = urllib.request.urlopen(f"{base}/verify/{code}/asli", timeout=30).read()
        assert hashlib.sha256(original).hexdigest() == sha
        assert not any(p.is_file() for p in (tmp_path / "server-b" / "f").rglob("*"))
    finally:
        second.terminate()
        second.wait(timeout=15)
