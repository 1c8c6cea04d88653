"""A new permit type's first draft: the agencies' usual flow, clean for the linter and runnable
from the first day, with one upload per requirement and the fee parts only when it charges one."""

from __future__ import annotations

import json

import pytest

from engine.process_admin.starter import slug, starter_bundle
from engine.workflow import dry_run
from engine.workflow.specs import lint_bundle, parse_bundle
from tests.factories import FORMS, TEMPLATES

REQUIREMENTS = ["Kartu Tanda Penduduk (KTP)", "Surat Izin Tetangga"]


@pytest.mark.parametrize("has_retribution", [True, False])
def test_the_starter_bundle_passes_the_checks_and_runs_to_its_end(has_retribution):
    files = starter_bundle("izin-keramaian", "Izin Keramaian", REQUIREMENTS, has_retribution, FORMS, TEMPLATES)
    assert lint_bundle(files) == []
    assert parse_bundle(files).process_id
    assert ("tarif.dmn" in files) is has_retribution and ("templates/skrd.json" in files) is has_retribution
    run = dry_run.run(files)
    assert run.stopped is None and run.findings == [] and run.outcome == "selesai"
    assert any(step.kind == "tugas" for step in run.steps)


def test_each_requirement_becomes_a_required_upload_of_the_application_form():
    files = starter_bundle("izin-keramaian", "Izin Keramaian", REQUIREMENTS, False, FORMS, TEMPLATES)
    schema = json.loads(files["forms/izin-keramaian/permohonan.schema.json"])
    uploads = {name: p["title"] for name, p in schema["properties"].items() if p.get("format") == "file"}
    assert list(uploads.values()) == REQUIREMENTS and set(uploads) <= set(schema["required"])
    assert "kategori" not in schema["properties"]


def test_without_requirements_the_form_still_asks_for_an_identity_card():
    files = starter_bundle("izin-keramaian", "Izin Keramaian", [], False, FORMS, TEMPLATES)
    schema = json.loads(files["forms/izin-keramaian/permohonan.schema.json"])
    assert [p["title"] for p in schema["properties"].values() if p.get("format") == "file"] == [
        "Kartu Tanda Penduduk (KTP)"
    ]


def test_the_code_becomes_an_id_of_letters_digits_and_underscores():
    assert slug("izin-keramaian") == "izin_keramaian"
    assert slug("izin.usaha mikro/2") == "izin_usaha_mikro_2"
