"""Several app servers, each with its own instance folder, sharing one database and one archive in
S3-compatible object storage (a real SeaweedFS server): what one stores, the other serves."""
from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select

from engine.models import Document, User
from tests.engine.test_applications import submit, work
from webapp import config as cfg
from webapp.extensions import db


def test_two_app_servers_with_their_own_instance_folders_serve_the_same_documents_from_object_storage(
        app, s3_server, tmp_path, monkeypatch):
    from webapp import create_app

    shared = {"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "dibagi-antar-server",
              "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PKI_DIR": app.config["PKI_DIR"],
              "PKI_KEY_PASSPHRASE": cfg.pki_key_secret(app.config, app.instance_path).decode(),
              "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"], "FILE_STORE": "s3",
              "S3_ENDPOINT_URL": s3_server["endpoint"], "S3_BUCKET": s3_server["bucket"],
              "S3_ACCESS_KEY_ID": s3_server["access"], "S3_SECRET_ACCESS_KEY": s3_server["secret"],
              "S3_PREFIX": uuid.uuid4().hex}
    servers = []
    for name in ("server-a", "server-b"):
        monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / name))
        servers.append(create_app({**shared, "FILES_DIR": str(tmp_path / name / "files"),
                                   "MAIL_DIR": str(tmp_path / name / "mail")}))
    monkeypatch.delenv("INSTANCE_PATH")
    first, second = servers
    assert first.instance_path != second.instance_path
    with first.app_context():
        services = first.extensions["ptsp_services"]

        def user(prefix):
            return db.session.scalar(select(User).where(User.email == f"{prefix}@demo.test"))

        application = submit(db.session, services, user)
        work(db.session, services, user, application)  # the front office's check seals the receipt
        receipt = db.session.scalar(select(Document).where(Document.application_id == application.id,
                                                           Document.kind == "tanda_terima"))
        code, sha = receipt.verify_code, receipt.sha256
        db.engine.dispose()
    assert not any(p.is_file() for p in (tmp_path / "server-a" / "files").rglob("*"))  # nothing kept locally
    other = second.test_client()
    page = other.get(f"/verify/{code}").get_data(as_text=True)
    assert "Dokumen ASLI dan SAH" in page
    original = other.get(f"/verify/{code}/asli")
    assert original.status_code == 200 and hashlib.sha256(original.data).hexdigest() == sha
    assert other.get("/readyz").get_json()["files"] is True
    with second.app_context():
        db.engine.dispose()
