"""BPMN timers on the engine's clock.

SpiffWorkflow's own timers compare their due time with the machine's clock whenever the workflow
steps, so a step "on 17 November" made by a frozen-time test or a replay fired timers by the wall
clock, and a force majeure could not hold them back. Here every timer of a parsed process is one of
the subclasses below, which never read a clock: a step runs inside ``stepping(TimerClock(...))``,
whose ``now`` arms timers and whose ``due`` says when an armed timer is really due (its nominal time
moved by force majeure, see ``working_time.shifted_due``). A step without ``due`` (a verb that
only completes a task) fires nothing; the scheduler's sweep fires timers with the application's
pauses in hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from engine.core.clock import aware, utcnow

# (nominal due, armed at, now) -> (due, paused at now): see ``working_time.shifted_due``.
DueRule = Callable[[datetime, datetime, datetime], tuple[datetime, bool]]
# While a pause goes on, the next look at a timer is this far ahead (ending the pause looks again).
PAUSED_RECHECK = timedelta(hours=1)


@dataclass(frozen=True)
class TimerClock:
    now: datetime
    due: DueRule | None = None  # None: arm timers but fire none in this step

    def fires(self, nominal: datetime, armed: datetime) -> bool:
        if self.due is None:
            return False
        due, paused = self.due(nominal, armed, self.now)
        return not paused and due <= self.now


_CURRENT: ContextVar[TimerClock | None] = ContextVar("timer_clock", default=None)


@contextmanager
def stepping(clock: TimerClock) -> Iterator[None]:
    token = _CURRENT.set(clock)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _clock() -> TimerClock:
    # Outside a verb's step (e.g. a workflow built in a shell) timers arm at the real time and wait.
    return _CURRENT.get() or TimerClock(utcnow())


def instant(value) -> datetime | None:
    """A timer's stored due time as an aware datetime (None if it is not one)."""
    try:
        moment = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else value
    except (TypeError, ValueError):
        return None
    if not isinstance(moment, datetime):
        return None
    return aware(moment)


def armed_at(task) -> datetime | None:
    value = task._get_internal_data("armed_at")
    if value:
        return datetime.fromisoformat(value)
    # A timer armed before arming times were kept: when its task began to wait.
    changed = getattr(task, "last_state_change", None)
    return datetime.fromtimestamp(changed, UTC) if changed else None


class _OneShot:
    def _nominal(self, my_task, now: datetime) -> str:
        raise NotImplementedError

    def has_fired(self, my_task):
        clock = _clock()
        if my_task._get_internal_data("event_value") is None:
            my_task._set_internal_data(event_value=self._nominal(my_task, clock.now), armed_at=clock.now.isoformat())
        if not my_task._get_internal_data("event_fired", False):
            nominal = instant(my_task._get_internal_data("event_value"))
            if nominal is not None and clock.fires(nominal, armed_at(my_task) or nominal):
                my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class ClockedTimeDate(_OneShot, TimeDateEventDefinition):
    def _nominal(self, my_task, now):
        return my_task.workflow.script_engine.evaluate(my_task, self.expression)


class ClockedDuration(_OneShot, DurationTimerEventDefinition):
    def _nominal(self, my_task, now):
        expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
        parsed = TimerEventDefinition.parse_iso_duration(expression)
        return (now + TimerEventDefinition.get_timedelta_from_start(parsed, now)).isoformat()


class ClockedCycle(CycleTimerEventDefinition):
    """A repeating timer: each repetition is due like a one-shot timer armed at the previous one."""

    def cycle_complete(self, my_task):
        clock = _clock()
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            cycles, start, duration = self._interval(expression, clock.now)
            event_value = {
                "cycles": cycles,
                "next": start.isoformat(),
                "duration": duration.total_seconds(),
                "armed": clock.now.isoformat(),
            }
        ready = False
        if event_value["cycles"] != 0:
            nominal = datetime.fromisoformat(event_value["next"])
            armed = datetime.fromisoformat(event_value.get("armed") or event_value["next"])
            if clock.fires(nominal, armed):
                following = nominal + timedelta(seconds=event_value["duration"])
                event_value.update(
                    next=following.isoformat(), armed=clock.now.isoformat(), cycles=event_value["cycles"] - 1
                )
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
            return False
        my_task._set_internal_data(event_value=event_value)
        return ready

    @staticmethod
    def _interval(expression: str, now: datetime):
        cycles, start, duration = TimerEventDefinition.parse_iso_recurring_interval(expression)
        parts = expression.upper().replace("--", "/").strip("R").split("/")
        if len(parts) == 2 and parts[1].startswith("P"):
            start = now + duration  # "R3/PT1H": the first repetition one interval from arming
        return cycles, start, duration


_CLOCKED = {
    TimeDateEventDefinition: ClockedTimeDate,
    DurationTimerEventDefinition: ClockedDuration,
    CycleTimerEventDefinition: ClockedCycle,
}


def _clocked(definition):
    cls = _CLOCKED.get(type(definition))
    if cls is not None:
        return cls(definition.name, definition.expression, description=definition.description)
    if isinstance(definition, MultipleEventDefinition):
        definition.event_definitions = [_clocked(d) for d in definition.event_definitions]
    return definition


def clock_timers(*specs) -> None:
    """Make every timer of the parsed ``specs`` (a process and its subprocesses) a clocked one."""
    for spec in specs:
        for task_spec in spec.task_specs.values():
            definition = getattr(task_spec, "event_definition", None)
            if definition is not None:
                task_spec.event_definition = _clocked(definition)


def waiting(workflow) -> Iterator[tuple[object, datetime, datetime]]:
    """Waiting timers as (task, nominal due, armed at)."""
    for task in list(workflow.event_manager.tasks.values()):
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, TimerEventDefinition) or task._get_internal_data("event_fired", False):
            continue
        value = task._get_internal_data("event_value")
        if isinstance(definition, CycleTimerEventDefinition):
            if not isinstance(value, dict) or value.get("cycles") == 0:
                continue
            nominal = instant(value["next"])
            armed = instant(value.get("armed") or value["next"])
        else:
            nominal = instant(value)
            armed = armed_at(task) or nominal
        if nominal is not None:
            yield task, nominal, armed


def next_due(workflow, rule: DueRule | None, now: datetime) -> datetime | None:
    """The earliest time any waiting timer can be due (copied into an indexed column after every
    step, so the sweep finds it). Never later than the real due time, so nothing fires late; while a
    force majeure goes on, an hour on (ending, declaring or recording one re-reads it at once)."""
    earliest = None
    for _task, nominal, armed in waiting(workflow):
        due = nominal
        if rule is not None:
            due, paused = rule(nominal, armed, now)
            if paused:  # ending the pause re-reads it at once; until then, a look now and then
                due = max(rule(nominal, armed, now + PAUSED_RECHECK)[0], now + PAUSED_RECHECK)
        earliest = due if earliest is None else min(earliest, due)
    return earliest


def fire(workflow, clock: TimerClock, run) -> list[str]:
    """Fire the timers due by ``clock`` and run on with ``run(workflow, clock)``; the element ids fired."""
    fired = [
        task.task_spec.bpmn_id or task.task_spec.name
        for task, nominal, armed in waiting(workflow)
        if clock.fires(nominal, armed)
    ]
    if fired:
        with stepping(clock):
            workflow.refresh_timers()
        run(workflow, clock)
    return fired
