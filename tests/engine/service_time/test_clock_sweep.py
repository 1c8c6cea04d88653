"""The SLA sweep: warnings at the threshold and escalations at the deadline, each exactly once,
even with three scheduler processes sweeping the same database at the same time."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.core.models import AuditEvent
from engine.notifications.models import Notification
from engine.service_time import clock_sweep, force_majeure, sla
from engine.service_time.models import ServiceClock
from tests.timeline import at, clock_of, step, submit

ROOT = Path(__file__).resolve().parents[3]
WIB = ZoneInfo("Asia/Jakarta")


def test_warning_goes_to_the_officer_and_breach_to_supervisor_and_head(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))  # receipt Monday 09:00, due Monday 9 Nov 09:00
    clock = clock_of(session, application)
    assert clock.warn_at.astimezone(WIB) == at(6, 9)  # 80 % of five days: four days in
    assert clock_sweep.sweep(session, at(6, 8)) == clock_sweep.SweepResult([], [])
    assert clock_sweep.sweep(session, at(6, 10)).warned == [application.id]
    session.commit()
    warning = session.scalars(select(Notification).where(Notification.kind == "sla_peringatan")).all()
    assert [(n.role, n.user_id) for n in warning] == [("tim_teknis", None)]
    assert clock_sweep.sweep(session, at(9, 10)) == clock_sweep.SweepResult([], [application.id])
    session.commit()
    escalation = session.scalars(select(Notification).where(Notification.kind == "sla_eskalasi")).all()
    assert sorted(n.role for n in escalation) == ["kepala_dinas", "pengawas"]
    assert clock_sweep.sweep(session, at(10, 10)) == clock_sweep.SweepResult([], [])


def test_a_stopped_clock_is_neither_warned_nor_escalated(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    force_majeure.declare_force_majeure(
        session,
        sla.calendar_for(session, services.calendar, at(3, 9)),
        user("kadis"),
        category="layanan_terhenti",
        description="Pemadaman listrik total di gedung.",
        permit_type_codes=None,
        started_at=at(3, 9),
        now=at(3, 9),
    )
    session.commit()
    assert clock_sweep.sweep(session, at(20, 9)) == clock_sweep.SweepResult([], [])


def test_three_scheduler_processes_send_each_warning_and_escalation_exactly_once(
    session, services, user, app, tmp_path
):
    applications = []
    for _ in range(6):
        application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
        step(session, services, user, application, at(2, 9))
        applications.append(application.id)
    # Three half-sweeps then three full ones: first only warnings are due, then escalations too.
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FILES_DIR": str(tmp_path / "f"),
        "PKI_DIR": app.config["PKI_DIR"],
        "PYTHONPATH": str(ROOT),
    }
    for moment in (at(6, 10), at(9, 10)):
        command = [sys.executable, "-m", "flask", "--app", "webapp", "ptsp", "sla-sweep", "--now", moment.isoformat()]
        runs = [
            subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0, err.decode()[-2000:]
    session.expire_all()
    kinds = Counter(
        (n.application_id, n.kind, n.role)
        for n in session.scalars(select(Notification).where(Notification.role.is_not(None)))
    )
    for app_id in applications:
        assert kinds[(app_id, "sla_peringatan", "tim_teknis")] == 1
        assert kinds[(app_id, "sla_eskalasi", "pengawas")] == 1
        assert kinds[(app_id, "sla_eskalasi", "kepala_dinas")] == 1
        # The technical team's stage (two days) also missed its own deadline: escalated once.
        assert kinds[(app_id, "tahap_terlambat", "pengawas")] == 1
        assert kinds[(app_id, "tahap_terlambat", "kepala_dinas")] == 1
    assert sum(kinds.values()) == 5 * len(applications)
    audit = Counter(
        e.action
        for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(["sla_warning", "sla_escalated", "stage_escalated"]))
        )
    )
    assert audit == {"sla_warning": 6, "sla_escalated": 6, "stage_escalated": 6}
    assert all(c.breached_at is not None for c in session.scalars(select(ServiceClock)))
