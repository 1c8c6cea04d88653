"""Readiness: the database answers, the archive takes files, and a scheduler swept in the last five minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.core.health import BEAT_LIMIT, beat, readiness

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


class _Files:
    def __init__(self, writable=True):
        self._writable = writable

    def writable(self):
        return self._writable


def test_without_a_sweep_the_installation_is_not_ready(session):
    state = readiness(session, _Files(), NOW)
    assert (state.database, state.files, state.scheduler, state.ready) == (True, True, False, False)
    assert state.last_sweep is None


def test_a_recent_sweep_makes_it_ready_and_a_stale_one_does_not(session):
    beat(session, NOW - BEAT_LIMIT + timedelta(seconds=1))
    beat(session, NOW - timedelta(seconds=30))  # a second scheduler's mark replaces the first
    session.commit()
    assert readiness(session, _Files(), NOW).ready
    assert not readiness(session, _Files(), NOW + BEAT_LIMIT).scheduler


def test_an_archive_that_takes_no_files_is_not_ready(session):
    beat(session, NOW)
    session.commit()
    state = readiness(session, _Files(writable=False), NOW)
    assert state.scheduler and not state.files and not state.ready
