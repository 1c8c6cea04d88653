"""Task forms typed and validated on the server: strings from HTML become task values, and every
wrong field is named in Indonesian."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from engine.core.errors import ValidationFailed
from engine.workflow.forms import load_form, validate

SCHEMA = {
    "type": "object",
    "required": ["nama", "luas", "mulai"],
    "properties": {
        "nama": {"type": "string", "title": "Nama usaha", "maxLength": 40},
        "luas": {"type": "number", "title": "Luas (m²)", "minimum": 0},
        "lembar": {"type": "integer", "title": "Jumlah lembar"},
        "mulai": {"type": "string", "format": "date", "title": "Mulai"},
        "setuju": {"type": "boolean", "title": "Setuju"},
        "jenis": {"type": "string", "title": "Jenis", "enum": ["papan", "baliho"]},
        "nomor": {"type": "string", "title": "Nomor"},
    },
}
UI = {"ui:order": ["jenis", "nama"], "nomor": {"ui:readonly": True}}


@pytest.fixture
def form():
    files = {"forms/uji/a.schema.json": json.dumps(SCHEMA), "forms/uji/a.uischema.json": json.dumps(UI)}
    return load_form(files, "uji/a.schema.json", "uji/a.uischema.json")


def test_fields_follow_the_ui_order_then_the_schema(form):
    assert [f.name for f in form.fields] == ["jenis", "nama", "luas", "lembar", "mulai", "setuju", "nomor"]
    assert form.field("nama").required and not form.field("lembar").required


def test_submitted_strings_become_typed_values(form):
    data = validate(
        form,
        {"nama": "Toko Maju", "luas": "12,5", "lembar": "3", "mulai": "2026-12-14", "setuju": "on", "jenis": "baliho"},
        {},
        {},
        {},
    )
    assert data["nama"] == "Toko Maju" and data["lembar"] == 3 and data["mulai"] == date(2026, 12, 14)
    assert data["luas"] == Decimal("12.5") and data["setuju"] is True and data["jenis"] == "baliho"


def test_a_readonly_field_keeps_the_task_value_whatever_is_submitted(form):
    data = validate(
        form, {"nama": "A", "luas": "1", "mulai": "2026-12-14", "nomor": "palsu"}, {"nomor": "503/001"}, {}, {}
    )
    assert data["nomor"] == "503/001"


def test_every_wrong_field_is_named_and_nothing_is_returned(form):
    with pytest.raises(ValidationFailed) as refused:
        validate(
            form,
            {"nama": "x" * 41, "luas": "-1", "lembar": "tiga", "mulai": "14/12/2026", "jenis": "spanduk"},
            {},
            {},
            {},
        )
    errors = refused.value.errors
    assert set(errors) >= {"nama", "luas", "lembar", "mulai", "jenis"}
    assert errors["lembar"] == "Harus berupa bilangan bulat."
    assert errors["nama"] == "Maksimal 40 karakter." and errors["luas"] == "Tidak boleh kurang dari 0."
    assert errors["mulai"].startswith("Tanggal tidak valid")


def test_a_missing_required_field_is_refused(form):
    with pytest.raises(ValidationFailed) as refused:
        validate(form, {"nama": "A"}, {}, {}, {})
    assert {"luas", "mulai"} <= set(refused.value.errors)
