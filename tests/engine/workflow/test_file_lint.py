"""Document templates and form files are checked before they are stored, each problem told in Indonesian."""

from __future__ import annotations

import json

import pytest

from engine.workflow.file_lint import lint_form_file, lint_template
from tests.factories import bundle


def test_every_shipped_template_and_form_passes():
    for kind in ("reklame", "sip"):
        _, files = bundle(kind)
        for name, text in files.items():
            if name.startswith("templates/"):
                assert lint_template(text) == [], name
            elif name.startswith("forms/"):
                assert lint_form_file(name, text) == [], name


@pytest.mark.parametrize(
    "template, says",
    [
        ("{", "JSON templat dokumen tidak valid"),
        ({"blocks": []}, "harus memiliki 'title'"),
        ({"title": "SK", "signature": "camat"}, "'signature' harus salah satu dari segel, petugas, kepala_dinas"),
        ({"title": "SK", "blocks": [{"text": "a", "table": "lampiran"}]}, "blok ke-1 harus memuat tepat satu"),
        (
            {"title": "SK", "blocks": [{"text": "a"}, {"facts": [["Nama"]]}]},
            "blok ke-2: 'facts' harus berupa daftar pasangan",
        ),
        (
            {"title": "SK", "blocks": [{"table": "pegawai"}]},
            "'table' harus salah satu dari permohonan, lampiran, tugas",
        ),
        ({"title": "SK", "blocks": [{"text": "a", "style": "U"}]}, "'style' harus salah satu dari B, I, BI"),
        ({"title": "SK", "blocks": [{"text": "a", "when": 3}]}, "'when' harus berupa nama isian"),
        ({"title": "SK", "en": "Decree"}, "salinan bahasa Inggris ('en') harus memiliki 'title'"),
        ({"title": "SK", "en": {"title": "Decree", "blocks": {}}}, "en: 'blocks' harus berupa daftar blok"),
        (
            {"title": "SK", "en": {"title": "Decree", "blocks": [{"text": "a"}, {"table": "x"}]}},
            "en: blok ke-2: 'table' harus salah satu dari",
        ),
    ],
)
def test_a_template_that_would_not_render_is_refused_naming_the_block(template, says):
    text = template if isinstance(template, str) else json.dumps(template)
    problems = lint_template(text)
    assert any(says in p for p in problems), problems


@pytest.mark.parametrize(
    "text, says",
    [
        ("[1, 2]", "formulir harus berupa objek JSON"),
        ('{"type": "object", "properties": {"a": {"type": "teks"}}}', "JSON Schema tidak sah"),
        ('{"type": "array"}', "harus bertipe object dan memiliki 'properties'"),
        ('{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]}', "b"),
    ],
)
def test_a_form_schema_that_is_not_a_form_is_refused(text, says):
    problems = lint_form_file("forms/uji/a.schema.json", text)
    assert problems and any(says in p for p in problems), problems


def test_ui_hints_need_only_be_a_json_object():
    assert lint_form_file("forms/uji/a.uischema.json", '{"ui:order": ["a"]}') == []
    assert lint_form_file("forms/uji/a.uischema.json", "bukan json")[0].startswith("JSON formulir tidak valid")


def _with_connector(spec) -> str:
    return json.dumps(
        {"type": "object", "properties": {"nib": {"type": "string", "x-connector": spec}, "nama": {"type": "string"}}}
    )


def test_a_field_naming_a_connector_check_that_does_not_exist_is_a_finding():
    assert lint_form_file("f.schema.json", _with_connector({"check": "oss.nib", "fill": {"nama": "nama"}})) == []
    (unknown,) = lint_form_file("f.schema.json", _with_connector({"check": "dukcapil.sidik_jari"}))
    assert unknown.startswith("isian 'nib': pemeriksaan 'dukcapil.sidik_jari' tidak dikenal; yang tersedia: ")
    (wrong_fact,) = lint_form_file("f.schema.json", _with_connector({"check": "oss.nib", "fill": {"nama": "warna"}}))
    assert "'warna' tidak diberikan oleh oss.nib" in wrong_fact
    (no_field,) = lint_form_file("f.schema.json", _with_connector({"check": "oss.nib", "fill": {"alamat": "alamat"}}))
    assert no_field == "isian 'nib': 'fill' mengisi isian yang tidak ada: alamat"
