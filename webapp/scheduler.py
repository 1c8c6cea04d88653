"""The scheduler: one process of its own (``flask ptsp scheduler``), never inside web workers.

Jobs: the SLA sweep every minute and a nightly database backup. Each job runs in its own
transaction and is safe to run in several processes at once (see ``engine.sla.sweep``), so a
second scheduler started by mistake sends nothing twice.
"""
from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from engine import sla
from engine.working_time import ZONES

from .extensions import db

log = logging.getLogger(__name__)


def sweep_once(app, now: datetime | None = None) -> sla.SweepResult:
    with app.app_context():
        try:
            result = sla.sweep(db.session, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    if result.warned or result.escalated:
        log.info("SLA: %d peringatan, %d eskalasi", len(result.warned), len(result.escalated))
    return result


def backup_once(app, now: datetime | None = None) -> Path | None:
    """A copy of the database under instance/backups (SQLite online backup, or pg_dump)."""
    now = now or datetime.now()
    target_dir = Path(app.instance_path) / "backups"
    target_dir.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        url = db.engine.url
    stamp = now.strftime("%Y%m%d-%H%M")
    if url.get_backend_name() == "sqlite":
        target = target_dir / f"ptsp-{stamp}.db"
        with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return target
    if shutil.which("pg_dump"):
        target = target_dir / f"ptsp-{stamp}.sql.gz"
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with target.open("wb") as out:
            dump = subprocess.run(["pg_dump", "--no-owner", "--compress=6", dsn], stdout=out, check=False)
        if dump.returncode == 0:
            return target
        target.unlink(missing_ok=True)
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
