"""Cost of one workflow step: bare SpiffWorkflow, the floor any persistence adds to it, and the
engine's complete-task verb, on SQLite and on PostgreSQL.

- Bare step: deserialize, complete one user task, run engine steps, serialize, with SpiffWorkflow's
  own serializer (spec embedded in the state, as Spiff stores it by default), and again on the
  engine's spec-free state format (what the engine stores).
- Floor: the spec-free bare step plus the fewest writes a step can do in plain SQL: read the task
  with its file's state, close the task, store the state under the optimistic lock, insert the next
  task, insert the audit row, commit.
- Engine verb: ``complete_task`` and the commit, as a request runs them (form validation, worklist,
  service clock and stage deadlines, audit).
All on the retribution process (Izin Reklame) at the "Jadwalkan Survei Lapangan" task, which issues
no document. Prints medians, statements per step and the ratios; BENCH_DATABASES picks the
databases (default sqlite,postgresql), BENCH_RUNS the number of steps.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.demo import demo_app, on_each_database

RUNS = int(os.environ.get("BENCH_RUNS", "60"))
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")


def measure(database: str) -> None:
    from sqlalchemy import event, select, text
    from sqlalchemy.orm import Session

    from engine.accounts.models import User
    from engine.casework.applications import submit_application
    from engine.casework.tasks import complete_task
    from engine.core import clock
    from engine.workflow import definitions, runtime, serialization
    from engine.workflow.models import WorkItem
    from tests.factories import HAPPY, REKLAME, reklame_uploads

    engine, services = demo_app(Path(tempfile.mkdtemp(prefix="ptsp-bench-")))
    logging.getLogger().setLevel(logging.WARNING)
    session = Session(engine)
    users = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    items = []
    for _ in range(2 * RUNS):
        application = submit_application(
            session, services, permit_type, users["pemohon"], dict(REKLAME), reklame_uploads()
        )
        session.commit()
        first = session.scalar(
            select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open")
        )
        complete_task(session, services, first.id, users["fo"], HAPPY["verifikasi_berkas"][0])
        session.commit()
        items.append(
            session.scalar(select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open"))
        )
    data = HAPPY["jadwal_survei"][0]
    typed = {"tanggal_survei": datetime.date(2026, 11, 25), "petugas_survei": data["petugas_survei"]}

    spiff = serialization.build_serializer(embed_spec=True)
    parsed = definitions.specs_for(items[0].application.process_version)
    states = [(item.task_id, item.application.workflow_json) for item in items[:RUNS]]
    embedded = [(task_id, spiff.serialize_json(runtime.load(state, parsed))) for task_id, state in states]

    def bare_step(task_id, load, dump):
        start = time.perf_counter()
        workflow = load()
        workflow.script_engine = runtime.make_script_engine()
        task = runtime.find_ready(workflow, task_id)
        runtime.complete(workflow, task, typed, clock.utcnow())
        dump(workflow)
        return time.perf_counter() - start

    bare = [bare_step(t, lambda s=s: spiff.deserialize_json(s), spiff.serialize_json) for t, s in embedded]
    bare_lean = [bare_step(t, lambda s=s: runtime.load(s, parsed), runtime.dump) for t, s in states]

    officer_id = users["teknis"].id
    floor_ids = [item.id for item in items[:RUNS]]
    verb_ids = [item.id for item in items[RUNS:]]
    session.close()

    def floor_step(item_id):
        """The fewest statements a step can send, around the bare step."""
        start = time.perf_counter()
        now = clock.utcnow()
        with engine.begin() as connection:
            row = connection.execute(
                text(
                    "SELECT w.task_id, w.application_id, a.workflow_json, a.version FROM work_items w "
                    "JOIN applications a ON a.id = w.application_id WHERE w.id = :id"
                ),
                {"id": item_id},
            ).one()
            workflow = runtime.load(row.workflow_json, parsed)
            task = runtime.find_ready(workflow, row.task_id)
            runtime.complete(workflow, task, typed, now)
            following = runtime.ready_user_tasks(workflow)[0]
            connection.execute(
                text("UPDATE work_items SET state = 'done', completed_by_id = :u, closed_at = :now WHERE id = :id"),
                {"u": officer_id, "now": now, "id": item_id},
            )
            changed = connection.execute(
                text(
                    "UPDATE applications SET workflow_json = :state, version = version + 1 "
                    "WHERE id = :id AND version = :version"
                ),
                {"state": runtime.dump(workflow), "id": row.application_id, "version": row.version},
            ).rowcount
            assert changed == 1
            connection.execute(
                text(
                    "INSERT INTO work_items (application_id, task_id, task_spec, title, lane, role, stage, signs, state, "
                    "created_at, due_at) VALUES (:a, :t, :s, :title, :lane, :role, :stage, false, 'open', :now, :now)"
                ),
                {
                    "a": row.application_id,
                    "t": following.task_id,
                    "s": following.spec_name,
                    "title": following.title,
                    "lane": following.lane,
                    "role": following.role,
                    "stage": following.stage,
                    "now": now,
                },
            )
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, actor_id, application_id, work_item_id, task_title, action, summary) "
                    "VALUES (:now, :u, :a, :w, :title, 'task_completed', :summary)"
                ),
                {
                    "now": now,
                    "u": officer_id,
                    "a": row.application_id,
                    "w": item_id,
                    "title": following.title,
                    "summary": json.dumps({"petugas_survei": data["petugas_survei"], "ref": str(uuid.uuid4())}),
                },
            )
        return time.perf_counter() - start

    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    floor, floor_statements = [], []
    verb, verb_statements = [], []
    # Floor and verb steps alternate, so a slow moment of the machine (or of the disk's syncs)
    # falls on both alike.
    for floor_id, item_id in zip(floor_ids, verb_ids, strict=True):
        statements.clear()
        floor.append(floor_step(floor_id))
        floor_statements.append(len(statements))
        with Session(engine) as request_session:
            officer = request_session.get(User, officer_id)  # the login layer loads the user first
            _ = officer.role_names
            statements.clear()
            start = time.perf_counter()
            complete_task(request_session, services, item_id, officer, dict(data))
            request_session.commit()
            verb.append(time.perf_counter() - start)
            verb_statements.append(len(statements))
    engine.dispose()

    bare_ms, lean_ms = statistics.median(bare) * 1000, statistics.median(bare_lean) * 1000
    floor_ms, verb_ms = statistics.median(floor) * 1000, statistics.median(verb) * 1000
    print(
        f"\n{database}: {RUNS} steps each; workflow JSON: Spiff's format {len(embedded[0][1]) / 1024:.1f} KiB, "
        f"engine's spec-free format {len(states[0][1]) / 1024:.1f} KiB"
    )
    print(f"  bare SpiffWorkflow step, spec embedded:            median {bare_ms:7.2f} ms")
    print(f"  bare step on the spec-free format:                 median {lean_ms:7.2f} ms")
    print(
        f"  floor (spec-free step + {statistics.median(floor_statements):.0f} plain statements + commit): "
        f"median {floor_ms:7.2f} ms"
    )
    print(
        f"  engine complete_task + commit ({statistics.median(verb_statements):.0f} statements):        "
        f"median {verb_ms:7.2f} ms"
    )
    print(f"  ratio engine / floor: {verb_ms / floor_ms:.2f}x (goal: at most 1.5x)")
    print(
        f"  ratio engine / bare spec-free step: {verb_ms / lean_ms:.2f}x; / bare embedded step: {verb_ms / bare_ms:.2f}x"
    )


def main() -> None:
    on_each_database(DATABASES, measure)


if __name__ == "__main__":
    main()
