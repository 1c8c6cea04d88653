"""Queue numbers: per counter and day, in order; online tickets wait for their slot; each call once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.public_data import queue
from tests.timeline import at


def test_tickets_are_numbered_per_counter_and_called_in_order(session, user):
    fo = user("fo")
    first = queue.take(session, "pengajuan", "WIB", now=at(2, 8))
    second = queue.take(session, "pengajuan", "WIB", now=at(2, 8, 5))
    other = queue.take(session, "konsultasi", "WIB", now=at(2, 8, 6))
    assert [queue.label(t) for t in (first, second, other)] == ["B-001", "B-002", "A-001"]
    online = queue.take(session, "pengajuan", "WIB", source="online", slot_at=at(2, 11), now=at(2, 7))
    assert queue.label(online) == "B-003"
    assert [queue.ahead_of(session, t) for t in (first, second, online)] == [0, 1, 2]
    assert queue.call_next(session, fo, "pengajuan", "2", "WIB", now=at(2, 9)).id == first.id
    assert queue.call_next(session, fo, "pengajuan", "2", "WIB", now=at(2, 9, 5)).id == second.id
    with pytest.raises(NotFound):  # the online one is not due before 10:45
        queue.call_next(session, fo, "pengajuan", "2", "WIB", now=at(2, 10))
    assert queue.call_next(session, fo, "pengajuan", "3", "WIB", now=at(2, 10, 46)).id == online.id
    queue.finish(session, fo, first.id, present=True)
    [line] = [b for b in queue.board(session, "WIB", at(2, 10, 50)) if b.counter == "pengajuan"]
    assert queue.label(line.called[0]) == "B-003" and line.called[0].desk == "3" and line.waiting == 0
    waits = queue.waiting_minutes(session, at(2, 9).date())
    # An hour each for the kiosk tickets; the online one was called before its slot: no wait.
    assert waits["pengajuan"] == 40.0 and waits["penyerahan"] is None
    assert queue.label(queue.take(session, "pengajuan", "WIB", now=at(3, 8))) == "B-001"  # a new day
    session.rollback()


def test_only_officers_call_and_a_slot_must_be_ahead(session, user):
    with pytest.raises(PermissionDenied):
        queue.call_next(session, user("pemohon"), "pengajuan", "1", "WIB", now=at(2, 9))
    with pytest.raises(ValidationFailed):
        queue.take(session, "pengajuan", "WIB", slot_at=at(2, 9) - timedelta(hours=2), now=at(2, 9))
    with pytest.raises(ValidationFailed):
        queue.take(session, "tidak-ada", "WIB", now=at(2, 9))
