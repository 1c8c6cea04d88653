"""Cost of the scheduler's sweep and of the supervisor dashboard at 1,000 and 100,000 open
applications on PostgreSQL.

Rows are seeded with set-based SQL (generate_series), as if the applications had been running
for months: clocks and open tasks with deadlines spread over the next ten days, the last hour's
warnings, breaches and missed stages not yet handled (the scheduler was down for an hour), the
service-time rollup of a year, and a year's audit trail (fifteen rows a file, 1.5 million at
100,000, among them the missed stages). Printed per size:
- the catch-up sweep (timers, stage deadlines, warnings, breaches of the last hour);
- a steady sweep one minute later (what runs every minute);
- the dashboard's main queries (rollup report, at-risk and overdue lists, missed stages);
- declaring a force majeure over every permit type and ending it (every open file recomputed);
and the ratio of the dashboard latency between the two sizes.

Needs a PostgreSQL server: BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
a scratch database is created and dropped.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.demo import demo_app, scratch_database

SIZES = [int(s) for s in os.environ.get("BENCH_SLA_SIZES", "1000,100000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 13:00 WIB on a Tuesday


def seed(connection, size: int) -> None:
    from sqlalchemy import text

    for table in ("notifications", "audit_events", "work_items", "service_clocks", "sla_stats", "applications"):
        connection.execute(text(f"DELETE FROM {table}"))
    params = {"n": size, "now": NOW}
    # Open applications of both permit types, a week or two old.
    connection.execute(
        text("""
        INSERT INTO applications (id, reg_number, permit_type_id, process_version_id, applicant_id, status, stage,
                                  summary, workflow_json, version, created_at, submitted_at)
        SELECT i, 'B-' || i, pv.permit_type_id, pv.id, u.id, 'diproses', 'Tim Teknis', '{}', '{}', 1,
               :now - (i % 20160) * interval '1 minute' - interval '3 days',
               :now - (i % 20160) * interval '1 minute' - interval '3 days'
        FROM generate_series(1, :n) AS i
        JOIN (SELECT id, permit_type_id, row_number() OVER (ORDER BY id) - 1 AS k FROM process_versions
              WHERE published) pv ON pv.k = i % 2
        CROSS JOIN (SELECT id FROM users WHERE email = 'pemohon@demo.test') u"""),
        params,
    )
    # Deadlines spread evenly from an hour ago to ten days ahead; what fell before the last hour
    # was already handled by earlier sweeps.
    connection.execute(
        text("""
        INSERT INTO service_clocks (application_id, started_at, budget_minutes, used_minutes, deadline, warn_at,
                                    computed_at, warned_at, breached_at)
        SELECT id, created_at, 4800, 0, d, d - interval '2 days', :now,
               CASE WHEN d - interval '2 days' < :now - interval '1 hour' THEN d - interval '2 days' END,
               CASE WHEN d < :now - interval '1 hour' THEN d END
        FROM (SELECT id, created_at,
                     :now - interval '1 hour' + (id::bigint * 7919 % 14460) * interval '1 minute' AS d
              FROM applications) s"""),
        params,
    )
    connection.execute(
        text("""
        INSERT INTO work_items (application_id, task_id, task_spec, title, lane, role, stage, signs, state,
                                created_at, due_at, overdue_at)
        SELECT id, 'task-' || id, 'berita_acara', 'Berita Acara Pemeriksaan', 'Tim Teknis', 'tim_teknis',
               'Tim Teknis', false, 'open', created_at, d,
               CASE WHEN d < :now - interval '1 hour' THEN d END
        FROM (SELECT id, created_at,
                     :now - interval '1 hour' + (id::bigint * 104729 % 5820) * interval '1 minute' AS d
              FROM applications) s"""),
        params,
    )
    # A year of finished services rolled up: the rollup's size depends on months, types, stages
    # and officers; the counts grow with the number of applications.
    connection.execute(
        text("""
        INSERT INTO sla_stats (month, permit_type_id, stage, officer_id, on_time, quarter_days, slot, count)
        SELECT to_char(date '2025-12-01' + m * interval '1 month', 'YYYY-MM'), pt.id, st.stage, st.officer,
               q < 24, q, q % 16, greatest(1, :n / 2000)
        FROM generate_series(0, 11) AS m
        CROSS JOIN (SELECT id FROM permit_types) pt
        CROSS JOIN (VALUES ('', 0), ('Verifikasi Berkas', 2), ('Tim Teknis', 3), ('Persetujuan Kepala Dinas', 5),
                           ('Penyerahan', 2)) AS st(stage, officer)
        CROSS JOIN generate_series(0, 40) AS q"""),
        params,
    )
    # Missed stages over the year: one in fifty applications.
    connection.execute(
        text("""
        INSERT INTO audit_events (at, application_id, action, summary)
        SELECT :now - (id % 360) * interval '1 day', id,
               CASE WHEN id % 3 = 0 THEN 'deemed_approved' ELSE 'stage_escalated' END,
               '{"tahap": "Tim Teknis"}'
        FROM applications WHERE id % 50 = 0"""),
        params,
    )
    # The rest of a year's audit trail: fifteen events a file (submitted, claims, completions,
    # documents), 1.5 million rows at 100,000 files, none of them a missed stage.
    connection.execute(
        text("""
        INSERT INTO audit_events (at, application_id, actor_id, action, summary)
        SELECT :now - (a.id % 360) * interval '1 day' + k * interval '7 minutes', a.id, u.id,
               (ARRAY['submitted', 'task_claimed', 'task_completed', 'document_issued', 'task_completed'])[k % 5 + 1],
               '{}'
        FROM applications a CROSS JOIN generate_series(1, 15) AS k
        CROSS JOIN (SELECT id FROM users WHERE email = 'fo@demo.test') u"""),
        params,
    )
    connection.execute(text("SELECT setval(pg_get_serial_sequence('applications', 'id'), :n)"), params)
    connection.execute(text("ANALYZE"))


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    with scratch_database("postgresql") as url:
        os.environ["DATABASE_URL"] = url
        run(Path(tempfile.mkdtemp(prefix="ptsp-bench-")))


def run(instance: Path) -> None:
    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from engine.accounts.models import User
    from engine.casework import deadlines
    from engine.service_time import clock_status, clock_sweep, force_majeure, sla, sla_stats

    engine, services = demo_app(instance)

    def sweep(now):
        counts = {}
        with Session(engine) as session:
            counts["timer"] = len(deadlines.fire_due_timers(session, services, now))
            session.commit()
            stages = deadlines.sweep_stages(session, services, now)
            session.commit()
            clocks = clock_sweep.sweep(session, now)
            session.commit()
        counts.update(tahap=len(stages.escalated), peringatan=len(clocks.warned), eskalasi=len(clocks.escalated))
        return counts

    parts = {
        "rollup": lambda session: sla_stats.report(session, ("2025-12", "2026-11")),
        "at risk": lambda session: clock_status.at_risk_and_overdue(session, NOW),
        "missed stages": lambda session: deadlines.missed_stages(session, datetime(2025, 12, 1, tzinfo=UTC), NOW),
    }
    spent = {}

    def dashboard():
        with Session(engine) as session:
            for name, part in parts.items():
                spent.setdefault(name, []).append(timed(lambda part=part: part(session)))

    latency = {}
    for size in SIZES:
        with engine.begin() as connection:
            seed(connection, size)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))  # as autovacuum keeps a running database
        counts = {}
        catch_up = timed(lambda counts=counts: counts.update(sweep(NOW)))
        steady = statistics.median(timed(lambda i=i: sweep(NOW + timedelta(minutes=1 + i))) for i in range(5))
        for _ in range(3):
            dashboard()  # warm the caches as a running server would have them
        spent.clear()
        latency[size] = statistics.median(timed(dashboard) for _ in range(RUNS))
        by_part = ", ".join(f"{name} {statistics.median(times):.1f} ms" for name, times in spent.items())
        print(
            f"{size:>7} open applications: catch-up sweep after an hour down {catch_up:.0f} ms "
            f"({counts['tahap']} missed stages, {counts['peringatan']} warnings, {counts['eskalasi']} breaches); "
            f"steady sweep each minute: median {steady:.1f} ms; dashboard queries: median {latency[size]:.1f} ms "
            f"({by_part})"
        )
        with Session(engine) as session:
            head = session.scalar(select(User).where(User.email == "kadis@demo.test"))
            calendar = sla.calendar_for(session, services.calendar, NOW)
            later = NOW + timedelta(hours=2)
            force = []
            declared = timed(
                lambda force=force, calendar=calendar, head=head: force.append(
                    force_majeure.declare_force_majeure(
                        session,
                        calendar,
                        head,
                        category="layanan_terhenti",
                        description="Pemadaman listrik seluruh kota.",
                        permit_type_codes=None,
                        started_at=NOW + timedelta(hours=1),
                        now=NOW + timedelta(hours=1),
                    )
                )
            )
            ended = timed(
                lambda force=force, calendar=calendar, head=head, later=later: force_majeure.end_force_majeure(
                    session, calendar, head, force[0].id, now=later
                )
            )
            session.rollback()
        print(f"{size:>7} open applications: force majeure declared in {declared:.0f} ms, ended in {ended:.0f} ms")
    if len(SIZES) >= 2:
        small, large = SIZES[0], SIZES[-1]
        print(
            f"dashboard latency ratio {large} / {small}: {latency[large] / latency[small]:.2f}x (aim: at most 1.5x); "
            f"sweep aim: under 1 s at 100,000"
        )


if __name__ == "__main__":
    main()
