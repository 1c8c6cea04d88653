"""Working time in the agency's time zone: office hours on working days, without national
holidays, cuti bersama and the agency's own days off.

All arithmetic is in whole minutes of office time. A service time of N working days is
N × (minutes in an office day). Functions take "now" and every instant as arguments (aware
datetimes); nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engine.core.localtime import ZONES, zone_info

__all__ = ["ZONES", "WorkCalendar", "Stop", "ClockReading", "read_clock", "shifted_due", "national_holidays"]


def national_holidays(years, language: str = "id") -> dict[date, str]:
    """Indonesian public holidays and cuti bersama (government category) for ``years``."""
    import holidays

    return dict(
        holidays.country_holidays("ID", categories=("public", "government"), years=list(years), language=language)
    )


@dataclass(frozen=True)
class WorkCalendar:
    zone: str = "WIB"
    start: time = time(8, 0)
    end: time = time(16, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday..Friday
    days_off: dict[date, str] = field(default_factory=dict)  # holidays, cuti bersama, local days off
    extra_workdays: frozenset[date] = frozenset()  # e.g. a Saturday declared a working day

    @property
    def tz(self) -> ZoneInfo:
        return zone_info(self.zone)

    @property
    def minutes_per_day(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.days_off

    def _window(self, day: date) -> tuple[datetime, datetime]:
        tz = self.tz
        return datetime.combine(day, self.start, tz), datetime.combine(day, self.end, tz)

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Office minutes in [start, end)."""
        if end <= start:
            return 0
        tz = self.tz
        start_local, end_local = start.astimezone(tz), end.astimezone(tz)
        total = 0
        day = start_local.date()
        while day <= end_local.date():
            if self.is_working_day(day):
                open_, close = self._window(day)
                lo, hi = max(open_, start_local), min(close, end_local)
                if hi > lo:
                    total += int((hi - lo).total_seconds() // 60)
            day += timedelta(days=1)
        return total

    def add_minutes(self, start: datetime, minutes: int) -> datetime:
        """The first instant at which ``minutes`` office minutes have passed since ``start``.

        A budget that runs out exactly at closing time ends at closing time (Friday 16:00), not
        at the next opening: otherwise the same deadline would read differently before and after
        closing. No minutes at all is ``start`` itself."""
        if minutes <= 0:
            return start
        tz = self.tz
        moment = start.astimezone(tz)
        remaining = minutes
        day = moment.date()
        for _ in range(3700):  # ten years of days: a calendar with no working days cannot loop forever
            if self.is_working_day(day):
                open_, close = self._window(day)
                lo = max(open_, moment)
                if close > lo:
                    available = int((close - lo).total_seconds() // 60)
                    if remaining <= available:
                        return lo + timedelta(minutes=remaining)
                    remaining -= available
            day += timedelta(days=1)
            moment = datetime.combine(day, time(0, 0), tz)
        raise ValueError("kalender tidak memiliki hari kerja")

    def add_working_days(self, start: datetime, days: float) -> datetime:
        return self.add_minutes(start, round(days * self.minutes_per_day))

    def describe(self, minutes: int) -> str:
        """'2 hari 3 jam 15 menit' of office time."""
        days, rest = divmod(max(minutes, 0), self.minutes_per_day)
        hours, mins = divmod(rest, 60)
        parts = [f"{days} hari" if days else "", f"{hours} jam" if hours else "", f"{mins} menit" if mins else ""]
        return " ".join(p for p in parts if p) or "0 menit"


# --- the service clock ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """A span when the clock does not run: the file is with the applicant, or force majeure.
    ``end`` None means it is still going on."""

    start: datetime
    end: datetime | None
    reason: str


def _merged(stops: list[Stop], until: datetime) -> list[tuple[datetime, datetime]]:
    spans = sorted((s.start, min(s.end or until, until)) for s in stops if s.start < until)
    merged: list[tuple[datetime, datetime]] = []
    for lo, hi in spans:
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


@dataclass(frozen=True)
class ClockReading:
    used_minutes: int
    budget_minutes: int
    deadline: datetime | None  # None while stopped: the remaining time is frozen, no date yet
    stopped_by: str | None

    @property
    def remaining_minutes(self) -> int:
        return self.budget_minutes - self.used_minutes

    @property
    def overdue(self) -> bool:
        return self.used_minutes > self.budget_minutes


def read_clock(
    calendar: WorkCalendar,
    started: datetime,
    budget_minutes: int,
    stops: list[Stop],
    now: datetime,
    ended: datetime | None = None,
) -> ClockReading:
    """Office minutes used from ``started`` to ``now`` (or ``ended``) outside ``stops``, and the
    deadline: where the remaining budget runs out if nothing else stops the clock. Recomputed from
    the spans each time, so a force majeure recorded afterwards moves everything exactly."""
    until = min(now, ended) if ended else now
    spans = _merged([s for s in stops if (s.end or until) > started], until)
    used = calendar.minutes_between(started, until)
    for lo, hi in spans:
        used -= calendar.minutes_between(max(lo, started), hi)
    ongoing = next((s for s in stops if s.start <= until and (s.end is None or s.end > until)), None)
    if ended is not None:
        return ClockReading(used, budget_minutes, None, None)
    if ongoing is not None:
        return ClockReading(used, budget_minutes, None, ongoing.reason)
    remaining = budget_minutes - used
    if remaining > 0:
        deadline = calendar.add_minutes(until, remaining)
    else:
        deadline = _deadline_in_past(calendar, started, budget_minutes, spans)
    return ClockReading(used, budget_minutes, deadline, None)


def _deadline_in_past(
    calendar: WorkCalendar, started: datetime, budget: int, spans: list[tuple[datetime, datetime]]
) -> datetime:
    # Walk the running stretches between stops until the budget is spent.
    moment, remaining = started, budget
    for lo, hi in spans + [(None, None)]:
        if lo is not None and lo <= moment:
            moment = max(moment, hi)
            continue
        stretch = calendar.minutes_between(moment, lo) if lo is not None else remaining
        if lo is None or remaining <= stretch:
            return calendar.add_minutes(moment, remaining)
        remaining -= stretch
        moment = hi
    return moment


# --- timers paused by force majeure ---------------------------------------------------------------


def shifted_due(
    calendar: WorkCalendar, nominal: datetime, armed: datetime, pauses: list[Stop], now: datetime
) -> tuple[datetime, bool]:
    """When a timer armed at ``armed`` for ``nominal`` is really due, and whether a pause is going
    on at ``now`` (then nothing fires, whatever is due).

    The due time moves later by the office time the pauses (force majeure) took between arming and
    the due time itself, counting the pauses it moves into too; the same rule whether a pause was
    declared live or recorded afterwards. A pause still going on counts up to ``now``, so the result
    is the earliest the timer can be due. A due time that falls inside a pause waits for its end.
    """
    spans = [(max(lo, armed), hi) for lo, hi in _merged(pauses, now) if hi > armed]
    paused_now = any(p.start <= now and (p.end is None or p.end > now) for p in pauses)
    due = nominal
    for _ in range(len(spans) + 2):  # each round can only take in pauses not counted before
        shift = sum(calendar.minutes_between(lo, min(hi, due)) for lo, hi in spans if lo < due)
        moved = calendar.add_minutes(nominal, shift) if shift else nominal
        if moved == due:
            break
        due = moved
    for lo, hi in spans:
        if lo <= due < hi:
            due = hi
    return due, paused_now
