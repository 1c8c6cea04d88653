"""SpiffWorkflow state to JSON and back, with the value types our forms produce."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


def _build() -> BpmnWorkflowSerializer:
    registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
    # datetime is registered by Spiff itself; date must come after it so subclasses don't collide.
    registry.register(dt.date, lambda v: {"value": v.isoformat()},
                      lambda v: dt.date.fromisoformat(v["value"]), typename="date")
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]),
                      typename="Decimal")
    return BpmnWorkflowSerializer(registry)


SERIALIZER = _build()


def dumps(workflow) -> str:
    return SERIALIZER.serialize_json(workflow)


def loads(text: str):
    return SERIALIZER.deserialize_json(text)
