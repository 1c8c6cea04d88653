"""One INSERT … ON CONFLICT statement on whichever database the session is on."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from engine.core.models import SchedulerBeat
from engine.core.upserts import insert_for


def _upsert(session, host, at):
    statement = insert_for(session)(SchedulerBeat).values(name="uji", beat_at=at, host=host)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[SchedulerBeat.name],
            set_={"host": statement.excluded.host, "beat_at": statement.excluded.beat_at},
        )
    )


def test_the_first_write_inserts_and_the_second_updates_the_same_row(session):
    _upsert(session, "satu", datetime(2026, 12, 1, 1, tzinfo=UTC))
    _upsert(session, "dua", datetime(2026, 12, 1, 2, tzinfo=UTC))
    session.commit()
    assert session.scalar(select(func.count()).select_from(SchedulerBeat).where(SchedulerBeat.name == "uji")) == 1
    row = session.get(SchedulerBeat, "uji")
    assert (row.host, row.beat_at) == ("dua", datetime(2026, 12, 1, 2, tzinfo=UTC))


def test_the_statement_is_the_dialect_of_the_session(session):
    assert insert_for(session).__module__.split(".")[-2] == session.get_bind().dialect.name
