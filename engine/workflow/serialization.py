"""SpiffWorkflow state to JSON and back, with the value types our forms produce.

The stored state leaves out the process spec: every application points at its process version,
whose parsed spec is cached by content hash, so the spec is handed back in on load. That halves
the stored size and skips rebuilding the spec on every step. States written with the spec
embedded (Spiff's own format) still load.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine.workflow.timers import ClockedCycle, ClockedDuration, ClockedTimeDate


class _StateConverter(BpmnWorkflowConverter):
    """The top-level workflow without ``spec`` and ``subprocess_specs``."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


def _register_values(registry) -> None:
    # datetime is registered by Spiff itself; date must come after it so subclasses don't collide.
    registry.register(
        dt.date, lambda v: {"value": v.isoformat()}, lambda v: dt.date.fromisoformat(v["value"]), typename="date"
    )
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]), typename="Decimal")


def build_serializer(embed_spec: bool) -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)
    for timer in (ClockedTimeDate, ClockedDuration, ClockedCycle):  # specs embedded in exports and benchmarks
        config[timer] = TimerConditionalEventDefinitionConverter
    if not embed_spec:
        config[BpmnWorkflow] = _StateConverter
    registry = BpmnWorkflowSerializer.configure(config)
    _register_values(registry)
    return BpmnWorkflowSerializer(registry)


SERIALIZER = build_serializer(embed_spec=False)


def dumps(workflow) -> str:
    return SERIALIZER.serialize_json(workflow)


def loads(text: str, spec, subprocess_specs: dict):
    """Restore a workflow on ``spec`` (the cached spec of the application's process version)."""
    dct = json.loads(text, cls=SERIALIZER.json_decoder_cls)
    SERIALIZER.migrate(dct)
    if "spec" not in dct:
        # Restoring an already-built object returns it unchanged, so the cached spec is used as is.
        dct["spec"] = spec
        dct["subprocess_specs"] = dict(subprocess_specs)
    return SERIALIZER.from_dict(dct)
