"""The scheduler: one process of its own (``flask ptsp scheduler``), never inside web workers.

Jobs: the sweep every minute (due BPMN timers, stage deadlines, service-time warnings and
breaches) and a nightly database backup. Each job runs in its own
transaction and is safe to run in several processes at once (see ``engine.sla.sweep``), so a
second scheduler started by mistake sends nothing twice.
"""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine import audit, deadlines, documents, mail, sla
from engine.clock import utcnow
from engine.localtime import local
from engine.working_time import ZONES

from .extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepReport:
    warned: list[int]
    escalated: list[int]
    stages_escalated: list[int]
    deemed_approved: list[int]
    timers_fired: list[int]

    def __str__(self) -> str:
        return (f"{len(self.warned)} peringatan, {len(self.escalated)} eskalasi, "
                f"{len(self.stages_escalated)} tahap terlambat, {len(self.deemed_approved)} fiktif positif, "
                f"{len(self.timers_fired)} timer.")


def _in_transaction(work):
    try:
        result = work()
        db.session.commit()
        return result
    except Exception:
        db.session.rollback()
        raise


def sweep_once(app, now: datetime | None = None) -> SweepReport:
    """One pass: due BPMN timers, then stage deadlines, then service-time warnings and breaches,
    each in a transaction of its own."""
    with app.app_context():
        from .services import services

        timers = _in_transaction(lambda: deadlines.fire_due_timers(db.session, services(), now))
        stages = _in_transaction(lambda: deadlines.sweep_stages(db.session, services(), now))
        clocks = _in_transaction(lambda: sla.sweep(db.session, now))
        _in_transaction(lambda: audit.seal(db.session))  # it chains what the sweep just wrote
        mail.deliver_pending(db.session, services().mail, now)
        if services().documents.renew_crl():
            log.info("Daftar pencabutan sertifikat (CRL) diterbitkan ulang.")
        if services().documents.rotate_tsa_if_due():
            log.info("Sertifikat cap waktu (TSA) diganti.")
        renewed = _in_transaction(lambda: documents.renew_archive_timestamps(db.session, services(), now or utcnow()))
        if renewed:
            log.info("Cap waktu arsip diperbarui pada %d dokumen.", renewed)
        moved, deleted = _in_transaction(lambda: services().files.sweep_staging(db.session, now))
        if moved or deleted:
            log.warning("Berkas tertunda di arsip: %d dipindahkan, %d dihapus.", moved, deleted)
    report = SweepReport(clocks.warned, clocks.escalated, stages.escalated, stages.deemed, timers)
    if any(vars(report).values()):
        log.info("Sapuan: %s", report)
    return report


def _part(target: Path) -> Path:
    # Written aside and renamed, so a reader (or a second scheduler started by mistake) never
    # sees a half-written copy under the final name; readable by the server's user alone.
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    part.touch(mode=0o600)
    part.chmod(0o600)
    return part


def backup_once(app, now: datetime | None = None) -> Path | None:
    """A copy of the database under instance/backups (SQLite online backup, or pg_dump)."""
    now = local(now or utcnow(), app.config["AGENCY_TIMEZONE"])  # the file name reads in the agency's time
    target_dir = Path(app.instance_path) / "backups"
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with app.app_context():
        url = db.engine.url
    stamp = now.strftime("%Y%m%d-%H%M")
    if url.get_backend_name() == "sqlite":
        target = target_dir / f"ptsp-{stamp}.db"
        part = _part(target)
        with sqlite3.connect(url.database) as source, sqlite3.connect(part) as copy:
            source.backup(copy)
        part.replace(target)
        return target
    if shutil.which("pg_dump"):
        target = target_dir / f"ptsp-{stamp}.sql.gz"
        # The password goes through the environment: a command line is visible to every local user.
        dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
        env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
        part = _part(target)
        with part.open("wb") as out:
            dump = subprocess.run(["pg_dump", "--no-owner", "--compress=6", dsn], stdout=out, check=False, env=env)
        if dump.returncode == 0:
            part.replace(target)
            return target
        part.unlink(missing_ok=True)
    log.warning("Cadangan basis data tidak dibuat: pg_dump tidak tersedia atau gagal.")
    return None


def run(app) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    zone = ZONES.get(app.config["AGENCY_TIMEZONE"], app.config["AGENCY_TIMEZONE"])
    scheduler = BlockingScheduler(timezone=zone, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    scheduler.add_job(sweep_once, "interval", minutes=1, args=[app], id="sla_sweep", replace_existing=True)
    scheduler.add_job(backup_once, "cron", hour=1, minute=30, args=[app], id="backup", replace_existing=True)
    log.info("Penjadwal berjalan (zona %s).", zone)
    scheduler.start()
