"""Running one application's workflow: create, load, step, save, and mirror it into rows.

Nothing outside this module touches SpiffWorkflow objects; callers get plain values.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from . import serialization, timers
from .errors import EngineError, ScriptRefused
from .roles import role_for_lane
from .sandbox import make_script_engine
from .specs import FORM_SCHEMA_PROP, FORM_UI_PROP, ParsedProcess


class ProcessRunError(EngineError):
    """The diagram failed while running (a script, condition or decision raised)."""


@dataclass(frozen=True)
class ReadyTask:
    task_id: str
    spec_name: str
    title: str
    lane: str
    role: str | None
    form_schema: str | None
    form_ui: str | None
    instructions: str | None
    stage: str
    signs: bool = False
    # The service clock stops while this task waits on the applicant (e.g. "pembayaran").
    clock_stop: str | None = None


def _describe_failure(exc: Exception) -> str:
    cause = exc
    while cause is not None:
        if isinstance(cause, ScriptRefused):
            break
        cause = getattr(cause, "exception", None) or cause.__cause__
    task = getattr(exc, "task", None)
    element = getattr(getattr(task, "task_spec", None), "bpmn_id", None) or getattr(exc, "task_id", None) or "?"
    reason = cause.message if isinstance(cause, ScriptRefused) else str(exc).splitlines()[0]
    return f"Proses gagal dijalankan pada elemen '{element}': {reason}"


def run_engine_steps(workflow: BpmnWorkflow, clock: timers.TimerClock) -> None:
    """Advance automatic tasks at ``clock.now`` (timers arm then; they fire only when ``clock`` says
    when they are due). On failure the in-memory workflow is unusable: never save it."""
    try:
        with timers.stepping(clock):
            workflow.do_engine_steps()
    except Exception as exc:  # whatever a script or decision raised, the verb stops here
        raise ProcessRunError(_describe_failure(exc)) from exc


def new_workflow(parsed: ParsedProcess, now: datetime) -> BpmnWorkflow:
    workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=make_script_engine())
    run_engine_steps(workflow, timers.TimerClock(now))
    return workflow


def load(workflow_json: str, parsed: ParsedProcess) -> BpmnWorkflow:
    """Restore an instance of ``parsed`` (its process version's cached spec)."""
    workflow = serialization.loads(workflow_json, parsed.spec, parsed.subprocess_specs)
    # The script engine is not serialized: without this the unrestricted default would run.
    workflow.script_engine = make_script_engine()
    return workflow


def dump(workflow: BpmnWorkflow) -> str:
    return serialization.dumps(workflow)


def describe(task) -> ReadyTask:
    spec = task.task_spec
    props = spec.extensions.get("properties", {}) if hasattr(spec, "extensions") else {}
    lane = spec.lane or ""
    return ReadyTask(
        task_id=str(task.id),
        spec_name=spec.bpmn_id or spec.name,
        title=spec.bpmn_name or spec.name,
        lane=lane,
        role=role_for_lane(lane),
        form_schema=props.get(FORM_SCHEMA_PROP),
        form_ui=props.get(FORM_UI_PROP),
        instructions=spec.extensions.get("instructionsForEndUser") if hasattr(spec, "extensions") else None,
        stage=props.get("stage") or spec.bpmn_name or spec.name,
        signs=props.get("signature") == "true",
        clock_stop=props.get("clockStop") or None,
    )


def user_task_stages(parsed: ParsedProcess) -> list[tuple[str | None, str]]:
    """(role, stage) of every user task the diagram has, in no particular order, without duplicates."""
    seen: dict[tuple[str | None, str], None] = {}
    for spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for task_spec in spec.task_specs.values():
            if getattr(task_spec, "manual", False):
                props = task_spec.extensions.get("properties", {}) if hasattr(task_spec, "extensions") else {}
                stage = props.get("stage") or task_spec.bpmn_name or task_spec.name
                seen[(role_for_lane(task_spec.lane), stage)] = None
    return list(seen)


def ready_user_tasks(workflow: BpmnWorkflow) -> list[ReadyTask]:
    return [describe(t) for t in workflow.get_tasks(state=TaskState.READY, manual=True)]


def find_ready(workflow: BpmnWorkflow, task_id: str):
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except Exception:
        return None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        return None
    return task


def task_data(workflow: BpmnWorkflow, task_id: str) -> dict:
    task = find_ready(workflow, task_id)
    return dict(task.data) if task is not None else {}


def complete(workflow: BpmnWorkflow, task, data: dict, now: datetime) -> None:
    task.data.update(data)
    task.run()
    run_engine_steps(workflow, timers.TimerClock(now))


@dataclass(frozen=True)
class Marker:
    """A completed task carrying an extension property (e.g. ``document``), with its data."""
    task_id: str
    value: str
    data: dict
    form_schema: str | None
    form_ui: str | None


def completed_marker_tasks(workflow: BpmnWorkflow, prop: str) -> list[Marker]:
    out = []
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        props = getattr(task.task_spec, "extensions", {}).get("properties", {})
        if props.get(prop):
            out.append(Marker(str(task.id), props[prop], dict(task.data), props.get(FORM_SCHEMA_PROP),
                              props.get(FORM_UI_PROP)))
    return out


def deemed_approval(workflow: BpmnWorkflow, task_id: str) -> dict | None:
    """The data that approves a ready task when its deadline passes under the "fiktif positif"
    policy (the task's ``deemedApproval`` property, a JSON object), or None if it has none."""
    task = find_ready(workflow, task_id)
    if task is None:
        return None
    text = getattr(task.task_spec, "extensions", {}).get("properties", {}).get("deemedApproval")
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- timers ----------------------------------------------------------------------------------------
# Timers never fire by the machine's clock (see ``timers``): the scheduler fires them with the
# application's due rule (force majeure moves them) and its own "now".

def next_timer(workflow: BpmnWorkflow, rule: timers.DueRule | None, now: datetime) -> datetime | None:
    """When the earliest waiting timer can be due (copied into an indexed column after every step)."""
    return timers.next_due(workflow, rule, now)


def fire_timers(workflow: BpmnWorkflow, rule: timers.DueRule, now: datetime) -> list[str]:
    """Fire the timers due at ``now`` under ``rule`` and run on; returns the element ids of those fired."""
    return timers.fire(workflow, timers.TimerClock(now, rule), run_engine_steps)


def latest_data(workflow: BpmnWorkflow) -> dict:
    """The data of the most advanced point of the process (for documents and summaries)."""
    if workflow.is_completed():
        return dict(workflow.data) | dict(workflow.last_task.data if workflow.last_task else {})
    ready = workflow.get_tasks(state=TaskState.READY)
    return dict(ready[0].data) if ready else dict(workflow.data)


def cancel(workflow: BpmnWorkflow) -> None:
    """Stop the process for good (a sanction cancelled it): every unfinished task is cancelled."""
    workflow.cancel()


def outcome(workflow: BpmnWorkflow) -> str | None:
    """The ``outcome`` property of the end event reached, once the process has finished
    (``dibatalkan`` when it was stopped instead)."""
    if not workflow.is_completed():
        return None
    if not workflow.success:
        return "dibatalkan"
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        props = getattr(task.task_spec, "extensions", {}).get("properties", {})
        if props.get("outcome"):
            return props["outcome"]
    return "selesai"
