"""The wall clock read in one place, and stored instants always handed back in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import time_machine

from engine.core.clock import aware, utcnow


def test_now_is_utc_aware_and_follows_a_moved_clock():
    with time_machine.travel(datetime(2031, 2, 28, 23, 59, tzinfo=timezone(timedelta(hours=7))), tick=False):
        now = utcnow()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert now == datetime(2031, 2, 28, 16, 59, tzinfo=UTC)


def test_a_naive_stored_instant_is_read_as_utc_and_an_aware_one_is_kept():
    naive = datetime(2026, 12, 1, 1, 30)
    assert aware(naive) == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    wita = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert aware(wita) is wita
    assert aware(None) is None
