"""Backup and restore of the whole installation: restored into a fresh database and a fresh
instance folder, every row and file is the same and every document verifies as before; a damaged
archive, a wrong key or a target that is not empty is refused before anything is written."""

from __future__ import annotations

import hashlib
import stat
import tarfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from engine.casework import permits
from engine.core.files import FileStore
from engine.documents.documents import SignatureRequest
from engine.documents.models import Document
from tests.signing.test_documents import finish
from webapp import backups
from webapp.extensions import db
from webapp.seeding import DEMO_PASSPHRASE

KEY = "kunci-cadangan-uji-2026"


@pytest.fixture
def fresh_database(app, tmp_path):
    """An empty database of the same kind as the suite's."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield make_url(f"sqlite:///{tmp_path / 'pulih' / 'ptsp.db'}")
        return
    name = f"ptsp_pulih_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield url.set(database=name)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _rows(engine) -> dict[str, list]:
    out = {}
    with engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(table.select()).all()
            out[table.name] = sorted(repr(tuple(row)) for row in rows)
    return out


def _answers(client, codes) -> dict:
    keep = ("authentic", "in_force", "status", "sha256", "matches_archive")
    answers = {}
    for code in codes:
        body = client.get(f"/api/v1/verify/{code}").get_json()
        signature = body["signature"] or {}
        answers[code] = (
            {k: body[k] for k in keep},
            signature.get("signer"),
            signature.get("etsi_indication"),
            [s["number"] for s in body["sanctions"]],
        )
    return answers


def test_backup_then_restore_into_a_fresh_database_and_instance_gives_the_same_rows_files_and_answers(
    app, session, services, user, client, tmp_path, fresh_database
):
    application = finish(session, services, user)
    permits.warn(
        session,
        services,
        user("kadis"),
        application.id,
        "Ukuran reklame melebihi izin.",
        "Perwali No. 19/2019 Pasal 19",
        "Sesuaikan ukuran.",
        SignatureRequest(DEMO_PASSPHRASE),
    )
    session.commit()
    codes = list(session.scalars(select(Document.verify_code).where(Document.verify_code.is_not(None))))
    before = _answers(client, codes)
    with app.app_context():
        where = backups.Installation.of(app, db.engine)
        original_rows = _rows(db.engine)
        archive = backups.backup(where, tmp_path / "cadangan", KEY, db.session, None)
        second = backups.backup(where, tmp_path / "cadangan", KEY, db.session, None)
    assert archive != second and stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "secrets.enc" in names and any(n.startswith("files/") for n in names)

    target = backups.Installation(
        fresh_database, FileStore(tmp_path / "pulih" / "files"), tmp_path / "pulih" / "pki", tmp_path / "pulih", "WIB"
    )
    target.instance.mkdir(parents=True, exist_ok=True)
    (target.pki_dir).mkdir()
    (target.pki_dir / "ca.pem").write_text("PKI baru yang belum menandatangani apa pun")
    engine = create_engine(fresh_database)
    from sqlalchemy.orm import Session

    with pytest.raises(backups.BackupError, match="PTSP_BACKUP_KEY|salah"):
        backups.restore(archive, target, engine, "kunci-yang-salah", lambda: Session(engine))
    assert not engine.dialect.has_table(engine.connect(), "users")  # refused before writing
    report = backups.restore(archive, target, engine, KEY, lambda: Session(engine))
    assert report.problems == [] and report.secrets and report.files >= 5
    assert _rows(engine) == original_rows
    for sha in (r.split("'")[1] for r in original_rows["stored_files"]):
        restored = target.store.path_for(sha)
        assert hashlib.sha256(restored.read_bytes()).hexdigest() == sha
    for path in services.documents.pki.directory.iterdir():
        if path.is_file():
            assert (target.pki_dir / path.name).read_bytes() == path.read_bytes(), path.name
    assert list(tmp_path.joinpath("pulih").glob("pki.diganti-*"))  # the unused new PKI was set aside
    with pytest.raises(backups.BackupError, match="tidak kosong"):
        backups.restore(archive, target, engine, KEY, lambda: Session(engine))

    from webapp import create_app

    restored_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "lain",
            "SQLALCHEMY_DATABASE_URI": fresh_database.render_as_string(hide_password=False),
            "FILES_DIR": str(target.store.root),
            "PKI_DIR": str(target.pki_dir),
            "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
            "MAIL_DIR": str(tmp_path / "mail"),
        }
    )
    assert _answers(restored_app.test_client(), codes) == before
    with restored_app.app_context():
        db.engine.dispose()
    engine.dispose()


def test_a_damaged_archive_is_refused_naming_the_part(app, tmp_path, fresh_database):
    from sqlalchemy.orm import Session

    with app.app_context():
        archive = backups.backup(backups.Installation.of(app, db.engine), tmp_path / "c", KEY, db.session, None)
    import io

    damaged, broken = tmp_path / "rusak.tar", None
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for info in source:
            data = source.extractfile(info).read()
            if info.name.startswith("database."):  # one bit flipped in the database snapshot
                data, broken = data[:-1] + bytes([data[-1] ^ 1]), info.name
            out.addfile(info, io.BytesIO(data))
    target = backups.Installation(
        fresh_database, FileStore(tmp_path / "pulih" / "files"), tmp_path / "pulih" / "pki", tmp_path / "pulih", "WIB"
    )
    target.instance.mkdir(parents=True, exist_ok=True)
    engine = create_engine(fresh_database)
    with pytest.raises(backups.BackupError, match="tidak sesuai sidik") as refused:
        backups.restore(damaged, target, engine, KEY, lambda: Session(engine))
    assert broken in str(refused.value)
    assert not engine.dialect.has_table(engine.connect(), "users") and target.store.is_empty()
    engine.dispose()


def test_old_archives_are_pruned_to_7_daily_4_weekly_and_12_monthly(tmp_path):
    start = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    for day in range(400):
        when = start - timedelta(days=day)
        path = tmp_path / f"ptsp-{when:%Y%m%d-%H%M%S}-abc{day:03d}.tar"
        path.write_bytes(b"")
    backups.prune(tmp_path)
    kept = sorted(p.name[5:13] for p in tmp_path.glob("*.tar"))
    assert kept[-7:] == [f"{start - timedelta(days=d):%Y%m%d}" for d in range(6, -1, -1)]
    months = {k[:6] for k in kept}
    assert len(months) == 12 and len(kept) <= 7 + 4 + 12
    assert Path(tmp_path).joinpath(f"ptsp-{start:%Y%m%d-%H%M%S}-abc000.tar").exists()


def test_an_archive_restores_into_object_storage_and_is_backed_up_from_it_the_same(
    app, session, services, user, tmp_path, fresh_database, s3_server
):
    """The installation moved onto S3-compatible storage by a restore; its next backup holds the
    same files; an app server on that storage answers every verification as before."""
    from sqlalchemy.orm import Session

    from engine.core.object_store import ObjectStore
    from tests.factories import submit, work

    application = submit(session, services, user)
    work(session, services, user, application)
    codes = list(session.scalars(select(Document.verify_code).where(Document.verify_code.is_not(None))))
    with app.app_context():
        before = _answers(app.test_client(), codes)
        archive = backups.backup(backups.Installation.of(app, db.engine), tmp_path / "c", KEY, db.session, None)
    prefix = uuid.uuid4().hex
    bucket = ObjectStore.connect(
        s3_server["endpoint"], s3_server["bucket"], s3_server["access"], s3_server["secret"], prefix=prefix
    )
    target = backups.Installation(fresh_database, bucket, tmp_path / "pulih" / "pki", tmp_path / "pulih", "WIB")
    target.instance.mkdir(parents=True)
    engine = create_engine(fresh_database)
    report = backups.restore(archive, target, engine, KEY, lambda: Session(engine))
    assert report.problems == [] and report.files >= 3
    again = backups.backup(target, tmp_path / "lagi", KEY, Session(engine), None)
    with tarfile.open(archive) as first, tarfile.open(again) as second:
        files = {n for n in first.getnames() if n.startswith("files/")}
        assert files and files == {n for n in second.getnames() if n.startswith("files/")}

    from webapp import create_app

    on_s3 = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "lain",
            "SQLALCHEMY_DATABASE_URI": fresh_database.render_as_string(hide_password=False),
            "PKI_DIR": str(target.pki_dir),
            "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
            "MAIL_DIR": str(tmp_path / "mail"),
            "FILES_DIR": str(tmp_path / "tidak-dipakai"),
            "FILE_STORE": "s3",
            "S3_ENDPOINT_URL": s3_server["endpoint"],
            "S3_BUCKET": s3_server["bucket"],
            "S3_ACCESS_KEY_ID": s3_server["access"],
            "S3_SECRET_ACCESS_KEY": s3_server["secret"],
            "S3_PREFIX": prefix,
        }
    )
    assert _answers(on_s3.test_client(), codes) == before
    with on_s3.app_context():
        db.engine.dispose()
    engine.dispose()
