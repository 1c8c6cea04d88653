"""Taking rows of an outbox one at a time, so that several schedulers never send the same one: each
row is claimed by an update that only one of them wins, committed before the send. A claim older than
``stale`` was left by a scheduler that stopped mid-send, and is taken over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session


def unclaimed(model, now: datetime, stale: timedelta):
    """The condition of a row nobody holds (``model`` has a ``claimed_at`` column)."""
    return or_(model.claimed_at.is_(None), model.claimed_at < now - stale)


def claim_each(session: Session, model, ids: list[int], still_pending, now: datetime, stale: timedelta) -> Iterator:
    """Yield each row of ``ids`` this process claimed (``still_pending``: the condition that it is
    still to send). The caller records the outcome and commits after each row."""
    free = unclaimed(model, now, stale)
    for row_id in ids:
        won = session.execute(update(model).where(model.id == row_id, still_pending, free).values(claimed_at=now))
        session.commit()
        if won.rowcount == 1:
            yield session.get(model, row_id)
