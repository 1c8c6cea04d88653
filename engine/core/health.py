"""Whether this installation can serve: its database answers, its archive takes files, and a
scheduler has swept lately (otherwise no deadline warning, timer or email goes out)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.core.clock import aware, utcnow
from engine.core.models import SchedulerBeat
from engine.core.upserts import insert_for

SWEEP = "sweep"
# The sweep runs every minute: five missed in a row means the scheduler is not running.
BEAT_LIMIT = timedelta(minutes=5)


@dataclass(frozen=True)
class Readiness:
    database: bool
    files: bool
    scheduler: bool
    last_sweep: datetime | None

    @property
    def ready(self) -> bool:
        return self.database and self.files and self.scheduler


def beat(session: Session, now: datetime | None = None) -> None:
    """The scheduler's mark after each sweep: one upsert, since several schedulers may finish a
    sweep at the same moment (a read-then-insert lets two of them insert the same row)."""
    values = {"name": SWEEP, "beat_at": now or utcnow(), "host": socket.gethostname()[:255]}
    statement = insert_for(session)(SchedulerBeat).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[SchedulerBeat.name],
            set_={"beat_at": statement.excluded.beat_at, "host": statement.excluded.host},
        )
    )


def readiness(session: Session, files, now: datetime | None = None) -> Readiness:
    now = now or utcnow()
    last = None
    try:
        session.execute(text("SELECT 1"))
        database = True
        last = session.scalar(select(SchedulerBeat.beat_at).where(SchedulerBeat.name == SWEEP))
    except Exception:  # noqa: BLE001 - whatever the driver raised: not ready, and the caller rolls back
        database = False
    return Readiness(
        database=database,
        files=files.writable(),
        scheduler=bool(last and now - aware(last) <= BEAT_LIMIT),
        last_sweep=last,
    )
