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

from engine.core.errors import EngineError, ScriptRefused
from engine.core.roles import role_for_lane
from engine.workflow import serialization, timers
from engine.workflow.diagram_terms import FORM_SCHEMA_PROP, FORM_UI_PROP
from engine.workflow.script_engine import make_script_engine
from engine.workflow.specs import ParsedProcess


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
    compact(workflow)
    return serialization.dumps(workflow)


# --- bounded history ------------------------------------------------------------------------------
# SpiffWorkflow keeps every finished task: each return-for-correction round adds the verification,
# the gateway and the applicant's correction below the last, so the state and the cost of every
# later step would grow with the rounds. What is finished above the point where everything still
# running branches off is never read again (the audit trail and the documents keep the history),
# so a run of it is cut out of the tree once it is long enough.
COMPACT_AT = 3  # finished tasks in a run before it is cut out (a return round adds three)
_HEAD, _TAIL = 2, 3  # kept: the root and the start task; the last tasks before what runs


def _path(task) -> list:
    path = []
    while task is not None:
        path.append(task)
        task = task.parent
    return path[::-1]


def _common_path(tasks: list) -> list:
    """The path from the root to the deepest task that is an ancestor of (or is) every one of ``tasks``."""
    common = _path(tasks[0])
    depth_of = {t.id: i for i, t in enumerate(common)}
    deepest = len(common) - 1
    for task in tasks[1:]:
        while task.id not in depth_of:  # climbs only until it meets the path
            task = task.parent
        deepest = min(deepest, depth_of[task.id])
    return common[: deepest + 1]


def _only_cancelled(task) -> bool:
    return all(t.state == TaskState.CANCELLED for t in _subtree(task))


def _subtree(task) -> list:
    out, stack = [], [task]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.children)
    return out


def compact(workflow: BpmnWorkflow) -> int:
    """Cut finished history out of the task tree; returns how many tasks were dropped.

    Only a chain of completed tasks above every unfinished task is cut, and only where whatever
    hangs off it was cancelled (a boundary event that never fired): a completed side branch, an
    error or a subprocess leaves the tree as it is."""
    if workflow.subprocesses:
        return 0
    tasks = list(workflow.tasks.values())
    if any(t.state == TaskState.ERROR for t in tasks):
        return 0
    running = [t for t in tasks if not t.has_state(TaskState.FINISHED_MASK)]
    if not running:
        return 0
    common = _common_path(running)
    end = len(common) - _TAIL  # common[end] is the first task kept below the cut
    anchor = _HEAD - 1
    for i in range(_HEAD, end):
        chain_task, following = common[i], common[i + 1]
        if chain_task.state != TaskState.COMPLETED or not all(
            _only_cancelled(c) for c in chain_task.children if c is not following
        ):
            anchor = i  # this one stays: the cut can only start below it
    cut = common[anchor + 1 : end] if end > anchor + 1 else []
    if len(cut) < COMPACT_AT:
        return 0
    kept_above, kept_below = common[anchor], common[end]
    dropped = 0
    for task in cut:
        for side in task.children:
            if side is not kept_below and side not in cut:
                for t in _subtree(side):
                    workflow.tasks.pop(t.id, None)
                    dropped += 1
        workflow.tasks.pop(task.id, None)
        dropped += 1
    kept_above._children = [kept_below.id if c == cut[0].id else c for c in kept_above._children]
    kept_below._parent = kept_above.id
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = kept_below.parent
    return dropped


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
    except Exception:  # noqa: BLE001 - a malformed or unknown id is no ready task
        return None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        return None
    return task


def task_data(workflow: BpmnWorkflow, task_id: str) -> dict:
    task = find_ready(workflow, task_id)
    return dict(task.data) if task is not None else {}


def documents_ahead(workflow: BpmnWorkflow, task_id: str) -> list[tuple[str, bool]]:
    """(kind, issued by the task itself) of each ``document`` the ready task and the automatic steps
    after it may issue, up to the next user tasks: every branch, whichever the decision takes."""
    task = find_ready(workflow, task_id)
    if task is None:
        return []
    found: dict[str, bool] = {}
    seen, queue = set(), [task.task_spec]
    while queue:
        spec = queue.pop(0)
        if spec.name in seen:
            continue
        seen.add(spec.name)
        own = spec is task.task_spec
        if not own and getattr(spec, "manual", False):
            continue  # the next user task issues its documents when its own officer completes it
        kind = (getattr(spec, "extensions", {}) or {}).get("properties", {}).get("document")
        if kind and kind not in found:
            found[kind] = own
        queue.extend(spec.outputs)
    return list(found.items())


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
            out.append(
                Marker(str(task.id), props[prop], dict(task.data), props.get(FORM_SCHEMA_PROP), props.get(FORM_UI_PROP))
            )
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
