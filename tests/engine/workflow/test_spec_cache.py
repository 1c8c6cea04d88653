"""Parsed specs kept by content hash, and what a published bundle does when a newer check refuses it."""

from __future__ import annotations

import pytest

from engine.core.errors import ProcessDefinitionError
from engine.workflow.specs import lint_bundle
from tests.factories import bundle


def test_a_published_bundle_that_fails_a_newer_check_still_loads_for_its_running_applications(caplog):
    from engine.workflow.spec_cache import SpecCache

    _, files = bundle("reklame")
    files["templates/izin.json"] = files["templates/izin.json"].replace(
        '{"table": "permohonan"}', '{"table": "permohonan", "text": "x"}'
    )
    assert lint_bundle(files)  # as if this check were added after the bundle was published
    with caplog.at_level("WARNING", logger="engine.workflow.spec_cache"):
        parsed = SpecCache().get("a" * 64, lambda: files)
    assert parsed.process_id and "no longer passes a newer check" in caplog.text
    files["proses.bpmn"] = files["proses.bpmn"][:200]
    with pytest.raises(ProcessDefinitionError):  # what SpiffWorkflow cannot parse still cannot load
        SpecCache().get("b" * 64, lambda: files)
