"""Cost of one workflow step: bare SpiffWorkflow versus the engine's complete-task verb.

Bare step: deserialize JSON, complete one user task, run engine steps, serialize, with
SpiffWorkflow's own serializer (spec embedded in the state, as Spiff stores it by default).
A second bare figure uses the engine's spec-free state format, to show what that format saves.
Engine verb: the same inside ``complete_task`` on SQLite, plus form validation, worklist sync,
audit row, optimistic-lock check and commit. Both on the retribution process (Izin Reklame), at
the "Jadwalkan Survei Lapangan" task, which issues no document. Prints medians and the ratio.
"""
from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.demo import demo_app  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))


def main() -> None:
    instance = Path(tempfile.mkdtemp(prefix="ptsp-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{instance / 'bench.db'}"
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from engine import clock, definitions, runtime, serialization
    from engine.applications import submit_application
    from engine.models import User, WorkItem
    from engine.tasks import complete_task
    from tests.factories import HAPPY, REKLAME, reklame_uploads

    engine, services = demo_app(instance)
    session = Session(engine)
    users = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    items = []
    for _ in range(RUNS):
        application = submit_application(session, services, permit_type, users["pemohon"], dict(REKLAME),
                                         reklame_uploads())
        session.commit()
        first = session.scalar(select(WorkItem).where(WorkItem.application_id == application.id,
                                                      WorkItem.state == "open"))
        complete_task(session, services, first.id, users["fo"], HAPPY["verifikasi_berkas"][0])
        session.commit()
        items.append(session.scalar(select(WorkItem).where(WorkItem.application_id == application.id,
                                                           WorkItem.state == "open")))
    data = HAPPY["jadwal_survei"][0]
    typed = {"tanggal_survei": datetime.date(2026, 11, 25), "petugas_survei": data["petugas_survei"]}

    spiff = serialization.build_serializer(embed_spec=True)
    parsed = definitions.specs_for(items[0].application.process_version)
    states = [(item.task_id, item.application.workflow_json) for item in items]
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

    verb = []
    ids = [item.id for item in items]
    session.expunge_all()
    for item_id in ids:
        officer = session.merge(users["teknis"])  # the login layer loads the user and roles before any verb
        officer.role_names
        start = time.perf_counter()
        complete_task(session, services, item_id, officer, dict(data))
        session.commit()
        verb.append(time.perf_counter() - start)
        session.expunge_all()

    bare_ms = statistics.median(bare) * 1000
    lean_ms = statistics.median(bare_lean) * 1000
    verb_ms = statistics.median(verb) * 1000
    print(f"runs: {RUNS}; workflow JSON: Spiff's format {len(embedded[0][1]) / 1024:.1f} KiB, "
          f"engine's spec-free format {len(states[0][1]) / 1024:.1f} KiB")
    print(f"bare SpiffWorkflow step (load, complete, steps, dump; spec embedded): median {bare_ms:.2f} ms")
    print(f"same bare step on the spec-free format: median {lean_ms:.2f} ms")
    print(f"engine complete_task on SQLite (+ form, worklist, audit, commit): median {verb_ms:.2f} ms")
    print(f"ratio engine / bare: {verb_ms / bare_ms:.2f}x (aim: at most 1.5x)")
    print(f"ratio engine / bare on the spec-free format: {verb_ms / lean_ms:.2f}x")


if __name__ == "__main__":
    main()
