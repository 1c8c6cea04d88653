"""Cost of a step after many return-for-correction rounds, against the same step after one.

One Izin Reklame file is returned to the applicant and corrected ROUNDS times (default 50). At
round 1, 10, 25 and 50 the front office's verification step is measured two ways: the workflow
alone (load, complete, store: what grows with the task tree) repeated on the same state, and the
engine's complete-task verb with its commit as the rounds go by. Prints the stored state's size,
the number of tasks in it and the medians, and the ratio of round 50 to round 1 (goal: at most
1.2x). BENCH_DATABASES picks the databases (default sqlite,postgresql).
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.demo import demo_app, on_each_database

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
SHOWN = sorted({1, 10, 25, ROUNDS} & set(range(1, ROUNDS + 1)))
RETURN = {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "Foto lokasi buram, mohon unggah ulang."}


def measure(database: str) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from engine.accounts.models import User
    from engine.casework.applications import submit_application
    from engine.casework.tasks import complete_task
    from engine.workflow import definitions, runtime
    from engine.workflow.models import Application, WorkItem
    from tests.factories import REKLAME, reklame_uploads

    engine, services = demo_app(Path(tempfile.mkdtemp(prefix="ptsp-bench-")))
    logging.getLogger().setLevel(logging.WARNING)
    with Session(engine) as session:
        users = {u.email.split("@")[0]: u.id for u in session.scalars(select(User))}
        permit_type = definitions.permit_type_by_code(session, "izin-reklame")
        files = [
            submit_application(
                session, services, permit_type, session.get(User, users["pemohon"]), dict(REKLAME), reklame_uploads()
            ).id
            for _ in range(2)
        ]
        session.commit()
    application_id = files[0]

    def open_item(session):
        return session.scalar(
            select(WorkItem).where(WorkItem.application_id == application_id, WorkItem.state == "open")
        )

    def verb(role: str, data: dict, uploads=None) -> float:
        with Session(engine) as session:
            actor = session.get(User, users[role])
            _ = actor.role_names  # loaded before the clock starts, as the login layer does
            item_id = open_item(session).id
            start = time.perf_counter()
            complete_task(session, services, item_id, actor, data, uploads)
            session.commit()
            return (time.perf_counter() - start) * 1000

    def workflow_step() -> tuple[float, int, int]:
        with Session(engine) as session:
            application = session.get(Application, application_id)
            state, task_id = application.workflow_json, open_item(session).task_id
            parsed = definitions.specs_for(application.process_version)
            created = application.created_at
        times = []
        for _ in range(40):
            start = time.perf_counter()
            workflow = runtime.load(state, parsed)
            runtime.complete(workflow, runtime.find_ready(workflow, task_id), dict(RETURN), created)
            runtime.dump(workflow)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times), len(state), len(runtime.load(state, parsed).tasks)

    for round_ in range(10):  # a warm-up file first: caches and connections as a running server has them
        verb("fo", dict(RETURN))
        verb("pemohon", {**REKLAME, "naskah_reklame": f"Pemanasan {round_}"}, reklame_uploads())
    application_id = files[1]
    rows, verbs = {}, {}
    for round_ in range(1, ROUNDS + 1):
        if round_ in SHOWN:
            rows[round_] = workflow_step()
        verbs[round_] = verb("fo", dict(RETURN))
        verb("pemohon", {**REKLAME, "naskah_reklame": f"Promo ke-{round_}"}, reklame_uploads())
    engine.dispose()
    print(f"\n{database}: one file returned for correction {ROUNDS} times")
    for round_ in SHOWN:
        near = [verbs[r] for r in range(max(1, round_ - 2), min(ROUNDS, round_ + 2) + 1)]
        ms, size, tasks = rows[round_]
        print(
            f"  round {round_:>3}: state {size / 1024:5.1f} KiB, {tasks:>3} tasks; workflow step median {ms:5.2f} ms; "
            f"verb + commit median {statistics.median(near):5.2f} ms (rounds around it)"
        )
    first, last = rows[SHOWN[0]][0], rows[SHOWN[-1]][0]
    verb_first = statistics.median(verbs[r] for r in range(1, min(ROUNDS, 5) + 1))
    verb_last = statistics.median(verbs[r] for r in range(max(1, ROUNDS - 4), ROUNDS + 1))
    print(
        f"  ratio round {SHOWN[-1]} / round {SHOWN[0]}: workflow step {last / first:.2f}x, "
        f"verb {verb_last / verb_first:.2f}x (goal: at most 1.2x)"
    )


def main() -> None:
    on_each_database(DATABASES, measure)


if __name__ == "__main__":
    main()
