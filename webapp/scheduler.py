"""The scheduler: one process of its own (``flask ptsp scheduler``), never inside web workers.

Jobs: the sweep every minute (due BPMN timers, stage deadlines, service-time warnings and
breaches, the notices' deliveries), the morning's reminders of permits about to end, the population registry asked again about applicants it did not answer for, and a
nightly backup of the whole installation. Each job runs in its own
transaction and is safe to run in several processes at once (see ``engine.service_time.clock_sweep``), so a
second scheduler started by mistake sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine.accounts import identity
from engine.casework import deadlines, held_uploads
from engine.connectors import outbox
from engine.core import audit, health, mail
from engine.core.clock import utcnow
from engine.documents import documents
from engine.feedback import complaints
from engine.notifications import delivery, events
from engine.payments import reconciliation, virtual_accounts
from engine.service_time import clock_sweep
from engine.service_time.working_time import ZONES

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
        return (
            f"{len(self.warned)} peringatan, {len(self.escalated)} eskalasi, "
            f"{len(self.stages_escalated)} tahap terlambat, {len(self.deemed_approved)} fiktif positif, "
            f"{len(self.timers_fired)} timer."
        )


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
        clocks = _in_transaction(lambda: clock_sweep.sweep(db.session, now))
        _in_transaction(lambda: audit.seal(db.session))  # it chains what the sweep just wrote
        mail.deliver_pending(db.session, services().mail, now)
        delivery.deliver_pending(db.session, delivery.gateways_of(db.session, services()), now)
        if services().documents.renew_crl():
            log.info("Daftar pencabutan sertifikat (CRL) diterbitkan ulang.")
        if services().documents.rotate_tsa_if_due():
            log.info("Sertifikat cap waktu (TSA) diganti.")
        renewed = _in_transaction(lambda: documents.renew_archive_timestamps(db.session, services(), now or utcnow()))
        if renewed:
            log.info("Cap waktu arsip diperbarui pada %d dokumen.", renewed)
        _in_transaction(lambda: held_uploads.sweep(db.session, now))
        _in_transaction(lambda: complaints.escalate_late(db.session, now))
        moved, deleted = _in_transaction(lambda: services().files.sweep_staging(db.session, now))
        if moved or deleted:
            log.warning("Berkas tertunda di arsip: %d dipindahkan, %d dihapus.", moved, deleted)
        _in_transaction(
            lambda: virtual_accounts.open_pending(db.session, services().connectors, now, services=services())
        )
        _in_transaction(lambda: outbox.deliver_pending(db.session, services().connectors, now))
        _in_transaction(lambda: health.beat(db.session, now))
    report = SweepReport(clocks.warned, clocks.escalated, stages.escalated, stages.deemed, timers)
    if any(vars(report).values()):
        log.info("Sapuan: %s", report)
    return report


def backup_once(app, now: datetime | None = None) -> Path | None:
    """The nightly archive of the whole installation (see ``webapp.backups``), then pruning."""
    from . import backups

    with app.app_context():
        where = backups.Installation.of(app, db.engine)
        try:
            target = backups.backup(
                where, Path(app.config["BACKUP_DIR"]), app.config.get("BACKUP_KEY"), db.session, _revision(), now
            )
        except backups.BackupError as exc:
            log.error("Cadangan tidak dibuat: %s", exc)
            return None
    removed = backups.prune(target.parent)
    log.info("Cadangan %s dibuat; %d cadangan lama dihapus.", target.name, len(removed))
    return target


def analyze_once(app) -> bool:
    """Refresh SQLite's statistics, without which its planner picks poor plans once tables are
    large (the task list at 100k open tasks). PostgreSQL's autovacuum does this by itself."""
    from sqlalchemy import text

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return False
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    log.info("Statistik basis data SQLite diperbarui.")
    return True


def recheck_identities_once(app, now: datetime | None = None) -> tuple[int, int]:
    """Ask the population registry again about applicants it did not answer for (it was down or
    slow when they registered or applied): (checked now, still waiting)."""
    with app.app_context():
        from .services import services

        checked, waiting = _in_transaction(lambda: identity.recheck_pending(db.session, services().connectors, now))
    if checked or waiting:
        log.info("Pemeriksaan ulang Dukcapil: %d diperiksa, %d masih menunggu.", checked, waiting)
    return checked, waiting


def reconcile_once(app, now: datetime | None = None):
    """Yesterday's bank statement against the SKRD bills (differences are audited for the treasurer)."""
    with app.app_context():
        from .services import services

        zone = services().calendar.zone
        day = reconciliation.yesterday(now or utcnow(), zone)
        result = _in_transaction(lambda: reconciliation.reconcile(db.session, services().connectors, zone, day, now))
    if result is not None:
        log.info("Rekonsiliasi bank %s: %d cocok, %d selisih.", day, result.matched, len(result.differences))
    return result


def remind_expiring_once(app, now: datetime | None = None) -> int:
    """The morning's reminders of permits that end within 90, 60 or 30 days (sent by the next sweep)."""
    with app.app_context():
        from .services import services

        told = _in_transaction(lambda: events.remind_expiring(db.session, services(), now))
    if told:
        log.info("Pengingat masa berlaku izin: %d.", told)
    return told


def _revision() -> str | None:
    from sqlalchemy import text

    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        db.session.rollback()


def run(app) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    zone = ZONES.get(app.config["AGENCY_TIMEZONE"], app.config["AGENCY_TIMEZONE"])
    scheduler = BlockingScheduler(
        timezone=zone, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}
    )
    scheduler.add_job(sweep_once, "interval", minutes=1, args=[app], id="sla_sweep", replace_existing=True)
    scheduler.add_job(
        recheck_identities_once, "interval", minutes=5, args=[app], id="identity_recheck", replace_existing=True
    )
    scheduler.add_job(
        reconcile_once, "cron", hour=6, minute=0, args=[app], id="bank_reconciliation", replace_existing=True
    )
    scheduler.add_job(
        remind_expiring_once, "cron", hour=7, minute=0, args=[app], id="expiry_reminders", replace_existing=True
    )
    scheduler.add_job(backup_once, "cron", hour=1, minute=30, args=[app], id="backup", replace_existing=True)
    scheduler.add_job(analyze_once, "cron", hour=1, minute=0, args=[app], id="analyze", replace_existing=True)
    log.info("Penjadwal berjalan (zona %s).", zone)
    scheduler.start()
