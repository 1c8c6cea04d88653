"""Claim+complete pairs per second over HTTP, against the production server shape: gunicorn with
``deploy/gunicorn.conf.py`` and two workers, on PostgreSQL, loopback only.

Before the server starts, BENCH_PAIRS applications of Izin Reklame are brought to the technical
team's "Jadwalkan Survei Lapangan" task (which issues no document). Then BENCH_CLIENTS client
threads, each on its own keep-alive connection, take the tasks from a shared queue and, as the
technical officer through the API, claim one and complete it. Printed: pairs per second, the
latency of a pair (p50, p95, p99), and the answers by status (any 5xx is a failure of the run).

BENCH_PG_URL names the PostgreSQL server (a scratch database is created and dropped);
BENCH_WORKERS the number of gunicorn workers (default 2).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.demo import demo_app, scratch_database  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "400"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(instance: Path) -> list[int]:
    """The applications at the survey scheduling task; returns the task ids."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from engine.accounts.models import User
    from engine.casework.applications import submit_application
    from engine.casework.tasks import complete_task
    from engine.workflow import definitions
    from engine.workflow.models import WorkItem
    from tests.factories import HAPPY, REKLAME, reklame_uploads

    engine, services = demo_app(instance)
    logging.getLogger().setLevel(logging.WARNING)
    ids = []
    with Session(engine) as session:
        people = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
        permit_type = definitions.permit_type_by_code(session, "izin-reklame")
        for _ in range(PAIRS):
            application = submit_application(
                session, services, permit_type, people["pemohon"], dict(REKLAME), reklame_uploads()
            )
            session.commit()
            first = session.scalar(
                select(WorkItem.id).where(WorkItem.application_id == application.id, WorkItem.state == "open")
            )
            complete_task(session, services, first, people["fo"], HAPPY["verifikasi_berkas"][0])
            session.commit()
            ids.append(
                session.scalar(
                    select(WorkItem.id).where(WorkItem.application_id == application.id, WorkItem.state == "open")
                )
            )
    engine.dispose()
    return ids


def run(url: str) -> None:
    from tests.factories import HAPPY

    instance = Path(tempfile.mkdtemp(prefix="ptsp-bench-"))
    os.environ["DATABASE_URL"] = url
    # The server must open the keys the preparation made: both read the same passphrase.
    os.environ.setdefault("PKI_KEY_PASSPHRASE", "kunci-pki-bench")
    started = time.perf_counter()
    tasks = prepare(instance)
    print(f"{len(tasks)} tasks ready in {time.perf_counter() - started:.0f} s", flush=True)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "FILES_DIR": str(instance / "files"),
        "PKI_DIR": str(instance / "pki"),
        "SECRET_KEY": "bench",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": WORKERS,
        "PYTHONPATH": str(ROOT),
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log = (instance / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [gunicorn, "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(port)
        token = _token(port)
        work: queue.Queue[int] = queue.Queue()
        for task in tasks:
            work.put(task)
        data = HAPPY["jadwal_survei"][0]
        statuses, pairs, lock = Counter(), [], threading.Lock()

        def client():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            while True:
                try:
                    task = work.get_nowait()
                except queue.Empty:
                    return
                begin = time.perf_counter()
                answers = [
                    _call(connection, "POST", f"/api/v1/tasks/{task}/claim", headers),
                    _call(connection, "POST", f"/api/v1/tasks/{task}/complete", headers, data),
                ]
                took = time.perf_counter() - begin
                with lock:
                    statuses.update(answers)
                    if answers == [200, 200]:
                        pairs.append(took)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - begin
    finally:
        server.terminate()
        server.wait(30)
    cuts = statistics.quantiles(pairs, n=100) if len(pairs) > 1 else [float("nan")] * 99
    print(f"gunicorn, {WORKERS} workers (deploy/gunicorn.conf.py), PostgreSQL, {CLIENTS} clients on loopback")
    print(
        f"  {len(pairs)} claim+complete pairs in {elapsed:.1f} s: {len(pairs) / elapsed:.1f} pairs/s "
        f"(goal: at least 100)"
    )
    print(f"  pair latency p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms")
    print(
        f"  answers by status: {dict(sorted(statuses.items()))}"
        f"{'  (5xx: FAILED)' if any(s >= 500 or s == 0 for s in statuses) else ''}"
    )


def _call(connection, method, path, headers, body=None) -> int:
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        connection.close()
        return 0


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def _token(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "POST",
        "/api/v1/tokens",
        body=json.dumps({"email": "teknis@demo.test", "password": "demo12345"}),
        headers={"Content-Type": "application/json"},
    )
    response = connection.getresponse()
    body = json.loads(response.read())
    assert response.status == 201, body
    return body["token"]


def main() -> None:
    with scratch_database("postgresql") as url:
        run(url)


if __name__ == "__main__":
    main()
