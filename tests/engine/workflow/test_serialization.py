"""Workflow state as stored: our value types survive, the spec stays out, and the older embedded format still loads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.casework import queries
from engine.workflow import definitions, runtime, serialization
from engine.workflow.version_forms import load_workflow
from tests.factories import REKLAME, submit, work


def test_dates_and_decimals_survive_serialization(session, services, user):
    application = submit(session, services, user, data={**REKLAME, "luas_m2": "12.75"})
    workflow = load_workflow(application)
    data = runtime.latest_data(workflow)
    assert data["luas_m2"] == Decimal("12.75")
    assert data["tanggal_mulai"] == date.fromisoformat(REKLAME["tanggal_mulai"])
    again = runtime.load(runtime.dump(workflow), definitions.specs_for(application.process_version))
    assert runtime.latest_data(again)["luas_m2"] == Decimal("12.75")


def test_stored_state_leaves_out_the_spec_and_runs_on_the_cached_one(session, services, user):
    # The stored state relies on Spiff restoring an already-built spec object unchanged; this pins it.
    application = submit(session, services, user)
    parsed = definitions.specs_for(application.process_version)
    assert '"spec"' not in application.workflow_json
    workflow = load_workflow(application)
    assert workflow.spec is parsed.spec
    assert work(session, services, user, application).task_spec == "verifikasi_berkas"
    assert [i.task_spec for i in queries.open_items(session, application)] == ["jadwal_survei"]


def test_state_in_spiffs_own_format_with_embedded_spec_still_loads(session, services, user):
    application = submit(session, services, user)
    parsed = definitions.specs_for(application.process_version)
    embedded = serialization.build_serializer(embed_spec=True).serialize_json(load_workflow(application))
    assert '"spec"' in embedded and len(embedded) > len(application.workflow_json)
    workflow = runtime.load(embedded, parsed)
    assert [t.spec_name for t in runtime.ready_user_tasks(workflow)] == ["verifikasi_berkas"]
