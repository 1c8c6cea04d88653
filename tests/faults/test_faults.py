"""Faults against the real deployment shape: gunicorn with several workers on PostgreSQL, loopback
only, bounded in size and time. Double claims, workers killed with SIGKILL under load, database
connections cut during requests: nothing lost, nothing done twice, no orphan file, no reused
number, and no bare 500 page.

Runs when TEST_DATABASE_URL is PostgreSQL (CI's third pass); on SQLite it is skipped: the embedded
database serves one machine, and these are the faults of a production installation."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") or "").startswith("postgres"), reason="the fault suite runs on PostgreSQL"
)
WORKERS = 3
APPLICATIONS = 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    def __init__(self, base: Path, url):
        self.base, self.url = base, url
        self.port = _free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "INSTANCE_PATH": str(base / "instance"),
            "FILES_DIR": str(base / "files"),
            "PKI_DIR": str(base / "pki"),
            "MAIL_DIR": str(base / "mail"),
            "PUBLIC_BASE_URL": self.root,
            "PKI_KEY_PASSPHRASE": "kunci-pki-uji-gangguan",
            "PYTHONPATH": str(ROOT),
        }
        self.server = None

    def flask(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "webapp", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def start(self) -> None:
        gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
        self.server = subprocess.Popen(
            [
                gunicorn,
                "-w",
                str(WORKERS),
                "-b",
                f"127.0.0.1:{self.port}",
                "--graceful-timeout",
                "2",
                "--timeout",
                "60",
                "webapp:create_app()",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=(self.base / "gunicorn.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{self.root}/healthz", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError((self.base / "gunicorn.log").read_text()[-3000:])

    def workers(self, older_than: int = 0) -> list[int]:
        """The worker processes that have run for at least ``older_than`` seconds."""
        out = subprocess.run(
            ["ps", "-o", "pid=,etimes=", "--ppid", str(self.server.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid, age in (line.split() for line in out.splitlines()) if int(age) >= older_than]

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()

    def call(self, method: str, path: str, token: str | None = None, body: dict | None = None):
        """(status, parsed JSON or text); a connection cut by a killed worker is status 0."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.root}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                raw = response.read()
                return response.status, _parsed(raw, response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            return exc.code, _parsed(raw, exc.headers.get("Content-Type", ""))
        except (OSError, urllib.error.URLError):
            return 0, None

    def token(self, email: str) -> str:
        status, body = self.call("POST", "/api/v1/tokens", body={"email": email, "password": "demo12345"})
        assert status == 201, body
        return body["token"]


def _parsed(raw: bytes, kind: str):
    return json.loads(raw) if "json" in kind else raw.decode(errors="replace")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    url = make_url(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"ptsp_gangguan_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    served = Deployment(tmp_path_factory.mktemp("gangguan"), url.set(database=name))
    served.flask("db", "upgrade")
    served.flask("ptsp", "seed-demo")
    _second_front_office(served)
    _applications(served, APPLICATIONS)
    served.start()
    yield served
    served.stop()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _in_app(served: Deployment, code: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code], env=served.env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _second_front_office(served: Deployment) -> None:
    _in_app(
        served,
        """
from webapp import create_app
from webapp.extensions import db
from engine.accounts import users
app = create_app()
with app.app_context():
    users.create_user(db.session, None, name="Rina Kartika (FO)", email="fo2@demo.test", password="demo12345",
                      roles=["front_office"], strength=False, scope=users.AccountScope(all_permit_types=True))
    db.session.commit()
""",
    )


def _applications(served: Deployment, count: int) -> None:
    """``count`` applications waiting at the front office, made through the engine as set-up."""
    _in_app(
        served,
        f"""
from sqlalchemy import select
from webapp import create_app
from webapp.extensions import db
from webapp.services import services
from engine.accounts.models import User
from tests.factories import submit
app = create_app()
with app.app_context():
    user = lambda p: db.session.scalar(select(User).where(User.email == f"{{p}}@demo.test"))
    for _ in range({count}):
        submit(db.session, services(), user, code="surat-izin-praktik")
""",
    )


def _open_front_office_tasks(served: Deployment, token: str) -> list[int]:
    ids, page = [], 1
    while True:  # every page of the shared list
        status, box = served.call("GET", f"/api/v1/tasks?view=available&per_page=100&page={page}", token)
        assert status == 200, box
        ids += [t["id"] for t in box["items"] if t["role"] == "front_office"]
        if not box["has_next"]:
            return sorted(ids)
        page += 1


def _scalar(served: Deployment, sql: str):
    engine = create_engine(served.url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).all()
    finally:
        engine.dispose()


def test_fifty_double_claims_each_give_exactly_one_200_and_one_409(deployment):
    tokens = [deployment.token("fo@demo.test"), deployment.token("fo2@demo.test")]
    tasks = _open_front_office_tasks(deployment, tokens[0])[:50]
    assert len(tasks) == 50
    outcomes = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for task in tasks:
            barrier = threading.Barrier(2)

            def claim(token, task=task, barrier=barrier):
                barrier.wait(timeout=10)
                return deployment.call("POST", f"/api/v1/tasks/{task}/claim", token)

            pair = [pool.submit(claim, token) for token in tokens]
            outcomes.append([f.result() for f in pair])
    for task, pair in zip(tasks, outcomes, strict=True):
        assert sorted(status for status, _ in pair) == [200, 409], (task, pair)
        loser = next(body for status, body in pair if status == 409)
        assert "diambil oleh" in loser["error"], loser
    claims = _scalar(
        deployment,
        "SELECT work_item_id, count(*) FROM audit_events WHERE action = 'task_claimed' "
        "GROUP BY work_item_id HAVING count(*) > 1",
    )
    assert claims == []  # never two claims recorded for one task
    for task, pair in zip(tasks, outcomes, strict=True):  # hand the tasks back for the next test
        winner = tokens[[s for s, _ in pair].index(200)]
        assert deployment.call("POST", f"/api/v1/tasks/{task}/release", winner)[0] == 200


def test_ten_double_completions_each_give_one_200_and_one_409_and_one_receipt(deployment):
    tokens = [deployment.token("fo@demo.test"), deployment.token("fo2@demo.test")]
    tasks = _open_front_office_tasks(deployment, tokens[0])[-10:]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for task in tasks:
            barrier = threading.Barrier(2)

            def complete(token, task=task, barrier=barrier):
                barrier.wait(timeout=10)
                return deployment.call("POST", f"/api/v1/tasks/{task}/complete", token, {"hasil_verifikasi": "lengkap"})

            pair = [f.result() for f in [pool.submit(complete, t) for t in tokens]]
            assert sorted(status for status, _ in pair) == [200, 409], (task, pair)
    ids = ",".join(map(str, tasks))
    receipts = _scalar(
        deployment,
        f"SELECT w.application_id, count(d.id) FROM work_items w LEFT JOIN documents d "
        f"ON d.application_id = w.application_id AND d.kind = 'tanda_terima' "
        f"WHERE w.id IN ({ids}) GROUP BY w.application_id",
    )
    assert {count for _app, count in receipts} == {1}, receipts


def test_workers_killed_with_sigkill_under_load_lose_and_duplicate_nothing_and_leave_no_orphan(deployment):
    token = deployment.token("fo@demo.test")
    tasks = _open_front_office_tasks(deployment, token)[:40]
    done: dict[int, int] = {}
    stop = threading.Event()

    kills = []

    def killer():
        # Eight kills, each of a worker that is serving (booted a while ago), while requests run.
        while not stop.is_set() and len(kills) < 8:
            time.sleep(1.5)
            alive = deployment.workers(older_than=2)
            if alive:
                victim = random.choice(alive)
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)

    def complete(task):
        # A cut connection is retried, as an officer would press again; 409 means it was done.
        for _attempt in range(30):
            status, body = deployment.call(
                "POST", f"/api/v1/tasks/{task}/complete", token, {"hasil_verifikasi": "lengkap"}
            )
            if status in (200, 409):
                return status
            assert status in (0, 503), (status, body)  # never a bare 500
            time.sleep(0.2)
        return status

    chaos = threading.Thread(target=killer, daemon=True)
    chaos.start()
    with ThreadPoolExecutor(max_workers=6) as pool:
        for task, status in zip(tasks, pool.map(complete, tasks), strict=True):
            done[task] = status
    stop.set()
    chaos.join()
    assert kills, "no worker was killed while the completions ran"
    assert set(done.values()) <= {200, 409}, done
    ids = ",".join(map(str, tasks))
    states = dict(_scalar(deployment, f"SELECT id, state FROM work_items WHERE id IN ({ids})"))
    assert set(states.values()) == {"done"}, states  # nothing lost
    receipts = _scalar(
        deployment,
        f"SELECT w.application_id, count(d.id) FROM work_items w LEFT JOIN documents d "
        f"ON d.application_id = w.application_id AND d.kind = 'tanda_terima' "
        f"WHERE w.id IN ({ids}) GROUP BY w.application_id",
    )
    assert {count for _app, count in receipts} == {1}, receipts  # nothing done twice
    numbers = _scalar(
        deployment,
        "SELECT number, count(*) FROM documents WHERE number IS NOT NULL GROUP BY number HAVING count(*) > 1",
    )
    assert numbers == []  # no number given twice
    # Every archived file has its row; what killed workers left staged is swept (an hour later).
    _in_app(
        deployment,
        """
from datetime import timedelta
from engine.core.clock import utcnow
from webapp import create_app
from webapp.extensions import db
from webapp.services import services
app = create_app()
with app.app_context():
    services().files.sweep_staging(db.session, utcnow() + timedelta(hours=2))
    db.session.commit()
""",
    )
    rows = {sha for (sha,) in _scalar(deployment, "SELECT sha256 FROM stored_files")}
    on_disk = {p.name for p in (deployment.base / "files").glob("??/??/*")}
    assert on_disk <= rows and not list((deployment.base / "files" / ".staging").glob("*"))


def test_database_connections_cut_during_requests_give_pages_not_bare_errors_and_recover(deployment):
    stop = threading.Event()
    name = deployment.url.database

    def cutter():
        engine = create_engine(
            make_url(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as connection:
            while not stop.is_set():
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                time.sleep(0.05)
        engine.dispose()

    chaos = threading.Thread(target=cutter, daemon=True)
    chaos.start()
    answers = []
    with ThreadPoolExecutor(max_workers=6) as pool:
        paths = ["/", "/lacak?nomor=SIP-2026-000001", "/api/v1/verify/kode-tidak-ada", "/readyz"] * 20
        answers = list(pool.map(lambda p: (p, *deployment.call("GET", p)), paths))
    stop.set()
    chaos.join()
    assert any(status == 503 for _path, status, _body in answers), "the cuts never reached a request"
    for path, status, body in answers:
        assert status in (200, 404, 503), (path, status, str(body)[:300])
        if status == 503 and path.startswith("/api/"):
            assert body["status"] == 503 and body["reference"]
        elif status == 503 and path != "/readyz":
            assert "Kode rujukan" in body and "Internal Server Error" not in body
    time.sleep(1)
    assert deployment.call("GET", "/")[0] == 200 and deployment.call("GET", "/readyz")[0] in (200, 503)


def test_a_scheduler_killed_mid_sweep_commits_nothing_and_the_next_sends_each_warning_once(deployment):
    """Every running service clock is made due for its warning; a sweep is killed with SIGKILL as it
    runs, then another runs to the end: each application is warned exactly once."""
    engine = create_engine(deployment.url)
    with engine.begin() as connection:
        due = connection.execute(
            text(
                "UPDATE service_clocks SET warn_at = now() - interval '1 minute', "
                "warned_at = NULL WHERE ended_at IS NULL RETURNING application_id"
            )
        ).all()
    assert len(due) >= 10, due
    command = [sys.executable, "-m", "flask", "--app", "webapp", "ptsp", "sla-sweep"]
    killed = subprocess.Popen(
        command, env=deployment.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(1.5)  # the app is up and the sweep under way (or, at worst, done)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    deployment.flask("ptsp", "sla-sweep")
    with engine.connect() as connection:
        warnings = dict(
            connection.execute(
                text(
                    "SELECT application_id, count(*) FROM audit_events WHERE action = 'sla_warning' GROUP BY application_id"
                )
            ).all()
        )
    engine.dispose()
    assert {app_id for (app_id,) in due} <= set(warnings) and set(warnings.values()) == {1}, warnings
