"""Running a draft in memory with sample data, to see which tasks and decisions it reaches.

Nothing is stored and no document is made: scripts, fee tables and conditions run in the
sandbox exactly as they would for a real application.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState

from engine.core.clock import utcnow
from engine.core.errors import ProcessDefinitionError
from engine.core.localtime import Phrase
from engine.workflow import runtime
from engine.workflow.forms import FILE_FORMAT
from engine.workflow.runtime import ProcessRunError
from engine.workflow.specs import parse_bundle

_MAX_VISITS = 3
_KINDS = {
    "UserTask": "tugas",
    "ScriptTask": "skrip",
    "BusinessRuleTask": "tabel keputusan",
    "ExclusiveGateway": "gerbang",
    "ParallelGateway": "gerbang",
    "InclusiveGateway": "gerbang",
    "EndEvent": "akhir",
    "BoundaryEvent": "timer",
    "IntermediateCatchEvent": "timer",
}


@dataclass
class Step:
    element_id: str
    name: str
    kind: str
    lane: str
    data: dict = field(default_factory=dict)


@dataclass
class DryRun:
    steps: list[Step]
    outcome: str | None = None
    stopped: str | None = None  # why the run ended before an end event
    findings: list[tuple[str, str]] = field(default_factory=list)


def _sample_value(name: str, schema: dict):
    if "const" in schema:
        return schema["const"]
    if schema.get("oneOf"):
        return schema["oneOf"][0].get("const")
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if schema.get("format") == FILE_FORMAT:
        return {"nama": f"{name}.pdf", "sha256": "0" * 64}
    if kind == "array":
        return [_sample_value(name, schema.get("items", {}))]
    if schema.get("format") == "date":
        return utcnow().date().isoformat()
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    return ("contoh " + name.replace("_", " "))[: schema.get("maxLength", 60)].ljust(schema.get("minLength", 0), ".")


def sample_data(files: dict[str, str], form_ref: str | None) -> dict:
    """Values that pass the form: the first choice of each choice, sample text, today, one file."""
    text = files.get(f"forms/{form_ref}") if form_ref else None
    if not text:
        return {}
    schema = json.loads(text)
    return {name: _sample_value(name, prop) for name, prop in schema.get("properties", {}).items()}


def run(files: dict[str, str], samples: dict[str, dict] | None = None, max_steps: int = 200) -> DryRun:
    """Complete each ready user task with ``samples[task id]`` over the form's sample values."""
    samples = samples or {}
    try:
        parsed = parse_bundle(files)
    except ProcessDefinitionError as exc:
        return DryRun([], stopped=Phrase("Draf tidak lulus validasi."), findings=list(exc.findings))
    steps: list[Step] = []
    visits: dict[str, int] = {}
    try:
        now = utcnow()
        workflow = runtime.new_workflow(parsed, now)
        for _ in range(max_steps):
            ready = runtime.ready_user_tasks(workflow)
            if not ready:
                break
            task = ready[0]
            visits[task.spec_name] = visits.get(task.spec_name, 0) + 1
            if visits[task.spec_name] > _MAX_VISITS:
                return DryRun(
                    _path(workflow),
                    stopped=f"Tugas '{task.title}' berulang lebih dari {_MAX_VISITS} kali; "
                    "periksa data contoh untuk gerbang sesudahnya.",
                )
            data = {**sample_data(files, task.form_schema), **samples.get(task.spec_name, {})}
            runtime.complete(workflow, runtime.find_ready(workflow, task.task_id), data, now)
        steps = _path(workflow)
    except ProcessRunError as exc:
        return DryRun(steps, stopped=exc.message)
    outcome = runtime.outcome(workflow)
    stopped = None
    if not workflow.is_completed():
        stopped = (
            "Proses menunggu timer." if runtime.next_timer(workflow, None, now) else "Proses berhenti tanpa tugas siap."
        )
    return DryRun(steps, outcome=outcome, stopped=stopped)


def _path(workflow) -> list[Step]:
    done = [t for t in workflow.get_tasks(state=TaskState.COMPLETED) if getattr(t.task_spec, "bpmn_id", None)]
    done.sort(key=lambda t: t.last_state_change)
    steps = []
    for task in done:
        spec = task.task_spec
        kind = _KINDS.get(type(spec).__name__)
        if kind is None:
            continue
        before = task.parent.data if task.parent is not None else {}
        added = {k: v for k, v in task.data.items() if isinstance(v, (str, int, float, bool)) and before.get(k) != v}
        steps.append(
            Step(
                spec.bpmn_id,
                spec.bpmn_name or spec.bpmn_id,
                kind,
                spec.lane or "",
                added if kind in ("tabel keputusan", "skrip") else {},
            )
        )
    return steps
