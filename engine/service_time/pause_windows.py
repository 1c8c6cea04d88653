"""Force majeure as the clocks read it: the declared windows as plain copies kept per process, re-read
when the stamp read beside a step says they changed, and the stops they put on a permit type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.clock import aware
from engine.service_time.models import ForceMajeure
from engine.service_time.working_time import Stop


@dataclass(frozen=True)
class Window:
    """A declared force majeure as the clocks read it: a plain copy, kept between requests."""

    id: int
    category: str
    description: str
    permit_type_ids: list | None
    started_at: datetime
    ended_at: datetime | None


_WINDOW_COLUMNS = (
    ForceMajeure.id,
    ForceMajeure.category,
    ForceMajeure.description,
    ForceMajeure.permit_type_ids,
    ForceMajeure.started_at,
    ForceMajeure.ended_at,
)


# What changes when a force majeure is declared or ended (the only two verbs that write them):
# read in the same statement as a task being completed, it tells whether this process's copy of
# the windows is still the database's, without a query of its own.
WINDOWS_STAMP = (
    select(func.count(ForceMajeure.id)).scalar_subquery(),
    select(func.coalesce(func.max(ForceMajeure.id), 0)).scalar_subquery(),
    select(func.count(ForceMajeure.ended_at)).scalar_subquery(),
)


# Written outside the verbs (a restored backup, a database administrator), the windows are
# picked up within this many seconds even if the stamp happens to be the same.
WINDOWS_TTL = 300.0


_WINDOWS: dict[str, tuple[tuple, float, list[Window]]] = {}


def force_windows(session: Session) -> list[Window]:
    """Every declared force majeure (a handful a year): read once per verb or batch."""
    return [Window(*row) for row in session.execute(select(*_WINDOW_COLUMNS).order_by(ForceMajeure.started_at))]


def forget_force_windows() -> None:
    """Drop this process's copy of the windows (a database emptied or replaced under it)."""
    _WINDOWS.clear()


def force_windows_at(session: Session, stamp: tuple) -> list[Window]:
    """The windows, from this process's copy if ``stamp`` (``WINDOWS_STAMP`` as just read) is the
    one it was read under; otherwise read afresh."""
    key = str(session.get_bind().url)
    cached = _WINDOWS.get(key)
    if cached is not None and cached[0] == stamp and monotonic() - cached[1] < WINDOWS_TTL:
        return cached[2]
    windows = force_windows(session)
    _WINDOWS[key] = (stamp, monotonic(), windows)
    return windows


def in_scope(force: Window, permit_type_id: int) -> bool:
    """Whether the window covers the permit type (no list: it covers every type)."""
    return force.permit_type_ids is None or permit_type_id in force.permit_type_ids


def force_stops(windows: list[Window], permit_type_id: int) -> list[Stop]:
    """The force majeure windows that pause a permit type. They pause every clock, stage deadline
    and timer of its files, also those that start during the window and files not yet received,
    so a window declared live and the same window recorded afterwards give the same deadlines."""
    return [
        Stop(aware(f.started_at), aware(f.ended_at), "force_majeure") for f in windows if in_scope(f, permit_type_id)
    ]
