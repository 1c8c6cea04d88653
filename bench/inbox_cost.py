"""Latency and SQL statement count of the task list and the application list at 1,000, 20,000 and
100,000 open tasks, on SQLite and on PostgreSQL.

Rows are bulk-inserted as a province's agency would hold them: one open front-office task per
running application (a tenth of them held by the officer measured), twice as many finished tasks,
deadlines spread from two days late to ten days ahead, each application with a 4 KiB workflow
state (which the lists must never read). Requests go through the Flask app (test client: no
network), logged in as the front office, and through the API with a bearer token. Printed per
database and size: median latency over BENCH_RUNS requests and statements per request; then the
ratio of the largest size to the smallest.

BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server where a
scratch database is created and dropped; BENCH_DATABASES=sqlite,postgresql picks the databases,
BENCH_INBOX_SIZES the sizes.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = [int(s) for s in os.environ.get("BENCH_INBOX_SIZES", "1000,20000,100000").split(",")]
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
STATE = '{"filler": "' + "x" * 4096 + '"}'
REQUESTS = {
    "inbox, my tasks": "/petugas/?tampilan=saya",
    "inbox, waiting": "/petugas/?tampilan=menunggu",
    "inbox, waiting, overdue": "/petugas/?tampilan=menunggu&tenggat=lewat",
    "inbox, waiting, by received": "/petugas/?tampilan=menunggu&urut=masuk",
    "API tasks, available": "/api/v1/tasks?view=available",
    "API tasks, mine": "/api/v1/tasks?view=mine",
    "application list": "/petugas/permohonan",
}
# Searches find the matching files first: on PostgreSQL through trigram indexes (a goal like the
# rest); on SQLite by a scan of the files' numbers and names (reported, not a goal).
SEARCH = {
    "inbox, search by number": "/petugas/?tampilan=menunggu&cari=B-0000777",
    "inbox, search by part of number": "/petugas/?tampilan=menunggu&cari=0777",
    "API tasks, search by name": "/api/v1/tasks?view=available&q=kusuma",
}


def grow(
    engine, start: int, size: int, fo_id: int, applicant_ids: tuple[int, int], versions: list[tuple[int, int]]
) -> None:
    """Add applications ``start``..``size-1`` with their open and finished tasks; one in a thousand
    is the second applicant's (the one searched by name)."""
    from sqlalchemy import insert

    from engine.core.clock import utcnow
    from engine.workflow.models import Application, WorkItem

    now = utcnow()
    chunk = 5000
    with engine.begin() as connection:
        for low in range(start, size, chunk):
            ids = range(low, min(size, low + chunk))
            rows = []
            for i in ids:
                type_id, version_id = versions[i % len(versions)]
                rows.append(
                    {
                        "reg_number": f"B-{i:07d}",
                        "permit_type_id": type_id,
                        "process_version_id": version_id,
                        "applicant_id": applicant_ids[i % 1000 == 7],
                        "status": "diproses",
                        "stage": "Verifikasi Berkas",
                        "summary": {},
                        "workflow_json": STATE,
                        "version": 1,
                        "created_at": now - timedelta(minutes=i % 20160),
                        "submitted_at": now,
                    }
                )
            new_ids = connection.execute(insert(Application).returning(Application.id), rows).scalars().all()
            items = []
            for n, app_id in zip(ids, new_ids, strict=True):
                due = now + timedelta(minutes=(n * 7919) % 17280 - 2880)
                items.append(
                    _item(app_id, "open", now - timedelta(minutes=n % 20160), due, fo_id if n % 10 == 0 else None)
                )
                for _ in range(2):
                    items.append(_item(app_id, "done", now - timedelta(days=20), due, fo_id))
            connection.execute(insert(WorkItem), items)
    return None


def _item(application_id, state, created, due, claimed):
    return {
        "application_id": application_id,
        "task_id": str(uuid.uuid4()),
        "task_spec": "verifikasi_berkas",
        "title": "Verifikasi Berkas",
        "lane": "Front Office",
        "role": "front_office",
        "form_schema": "umum/verifikasi-berkas.schema.json",
        "stage": "Verifikasi Berkas",
        "signs": False,
        "state": state,
        "created_at": created,
        "due_at": due,
        "claimed_by_id": claimed,
        "completed_by_id": claimed if state == "done" else None,
        "closed_at": created + timedelta(hours=2) if state == "done" else None,
    }


def measure(database: str, url: str) -> dict:
    from sqlalchemy import event, insert, select, text

    from bench.demo import demo_app
    from engine.core.clock import utcnow

    os.environ["DATABASE_URL"] = url
    instance = Path(tempfile.mkdtemp(prefix="ptsp-bench-"))
    engine, _ = demo_app(instance)
    from engine.accounts import api_tokens
    from engine.accounts.models import User
    from engine.workflow.models import PermitType, ProcessVersion
    from webapp import create_app
    from webapp.seeding import DEMO_PASSWORD

    app = create_app(
        {
            "FILES_DIR": str(instance / "files"),
            "PKI_DIR": str(instance / "pki"),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    logging.getLogger().setLevel(logging.WARNING)
    with engine.begin() as connection:
        fo_id = connection.scalar(select(User.id).where(User.email == "fo@demo.test"))
        applicant_id = connection.scalar(select(User.id).where(User.email == "pemohon@demo.test"))
        other_applicant = connection.scalar(
            insert(User)
            .values(
                email="ratna@contoh.test", name="Ratna Kusumawati", password_hash="-", active=True, created_at=utcnow()
            )
            .returning(User.id)
        )
        versions = connection.execute(
            select(PermitType.id, ProcessVersion.id)
            .join(ProcessVersion, ProcessVersion.permit_type_id == PermitType.id)
            .where(ProcessVersion.published)
        ).all()
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        token = api_tokens.issue_token(session, session.get(User, fo_id), "bench")
        session.commit()
    client = app.test_client()
    client.post("/masuk", data={"email": "fo@demo.test", "password": DEMO_PASSWORD})
    auth = {"Authorization": f"Bearer {token}"}
    statements = []
    with app.app_context():
        from webapp.extensions import db

        app_engine = db.engine
    event.listen(app_engine, "before_cursor_execute", lambda *args: statements.append(1))
    results, done = {}, 0
    for size in SIZES:
        grow(engine, done, size, fo_id, (applicant_id, other_applicant), versions)
        done = size
        # Fresh statistics and visibility, as PostgreSQL's autovacuum and the scheduler's nightly
        # ANALYZE on SQLite keep them (without the vacuum, counting reads every row from the table).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if database == "postgresql" else "ANALYZE"))
        for label, path in {**REQUESTS, **SEARCH}.items():
            headers = auth if path.startswith("/api/") else {}
            assert client.get(path, headers=headers).status_code == 200, (label, path)  # warm
            times = []
            for _ in range(RUNS):
                statements.clear()
                start = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, (label, response.status_code)
            results[(size, label)] = (statistics.median(times) * 1000, len(statements))
            print(
                f"{database:10} {size:>7} open tasks  {label:30} {results[(size, label)][0]:8.1f} ms"
                f"  {results[(size, label)][1]:3d} statements",
                flush=True,
            )
    return results


def main() -> None:
    from bench.demo import scratch_database

    for database in DATABASES:
        with scratch_database(database) as url:
            results = measure(database, url)
        low, high = SIZES[0], SIZES[-1]
        print(f"\n{database}: {high:,} open tasks against {low:,} (goal: latency at most 1.5x, same statements)")
        for label in {**REQUESTS, **SEARCH}:
            (a, sa), (b, sb) = results[(low, label)], results[(high, label)]
            scanned = label in SEARCH and database == "sqlite"
            goal = "" if scanned else ("  ok" if b <= 1.5 * a and sa == sb else "  MISSED")
            print(f"  {label:30} {b / a:5.2f}x latency, statements {sa} -> {sb}{goal}")
        print()


if __name__ == "__main__":
    main()
