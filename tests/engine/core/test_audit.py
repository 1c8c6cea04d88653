"""The audit trail is chained: an edited, deleted or cut-off row is found, naming the row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete, select, update

from engine.core import audit
from engine.core.models import AuditEvent
from tests.timeline import at, step, submit

ROOT = Path(__file__).resolve().parents[3]


def _trail(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    for moment in (at(2, 9), at(2, 13)):
        step(session, services, user, application, moment)
    assert audit.seal(session) > 3
    session.commit()
    return [e.id for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_a_sealed_trail_verifies_and_rows_written_later_join_it(session, services, user):
    ids = _trail(session, services, user)
    report = audit.verify(session)
    assert report.intact and report.sealed == len(ids) and report.unsealed == 0
    audit.record(session, "uji", summary={"catatan": "baris baru"})
    session.commit()
    assert audit.verify(session).unsealed == 1
    assert audit.seal(session) == 1
    session.commit()
    assert audit.verify(session).intact and audit.verify(session).sealed == len(ids) + 1


def test_an_edited_row_is_reported_with_its_id(session, services, user):
    ids = _trail(session, services, user)
    victim = ids[2]
    session.execute(update(AuditEvent).where(AuditEvent.id == victim).values(summary={"dipalsukan": True}))
    session.commit()
    report = audit.verify(session)
    assert not report.intact and report.row_id == victim and f"id {victim}" in report.problem


def test_a_deleted_row_and_a_cut_off_end_are_reported(session, services, user):
    ids = _trail(session, services, user)
    session.execute(delete(AuditEvent).where(AuditEvent.id == ids[1]))
    session.commit()
    report = audit.verify(session)
    assert not report.intact and report.row_id == ids[2] and "hilang" in report.problem
    session.execute(delete(AuditEvent))
    session.commit()
    assert "baris terakhir dihapus" in audit.verify(session).problem


def test_audit_verify_command_exits_non_zero_naming_the_row(session, services, user, app):
    ids = _trail(session, services, user)
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PKI_DIR": app.config["PKI_DIR"],
        "FILES_DIR": app.config["FILES_DIR"],
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "flask", "--app", "webapp", "ptsp", "audit-verify"]
    good = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert good.returncode == 0 and "Jejak audit utuh" in good.stdout, good.stderr[-1500:]
    session.execute(update(AuditEvent).where(AuditEvent.id == ids[0]).values(action="dipalsukan"))
    session.commit()
    bad = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode != 0 and f"id {ids[0]}" in bad.stderr
