"""The files of a bundle beside its diagrams, checked before they are stored: document templates
(letters as blocks of text, facts and tables) and task forms (JSON Schema)."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from engine.connectors import checks
from engine.core.localtime import Phrase

TEMPLATE_SIGNATURES = ("segel", "petugas", "kepala_dinas")
TEMPLATE_TABLES = ("permohonan", "lampiran", "tugas")  # the tables issue_document fills
TEMPLATE_STYLES = ("", "B", "I", "BI")  # bold and italic, as the letter maker's font takes them
_BLOCK_KINDS = ("text", "facts", "table")


def _is_pair_list(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in value
    )


def lint_template(text: str) -> list[str]:
    """Problems of one document template (JSON: title, signature, blocks, and ``en``, the English
    copy's title and blocks, where the agency wants one). A template that passes renders: a
    document is issued inside an officer's step, where a broken template would fail it."""
    try:
        template = json.loads(text)
    except ValueError as exc:
        return [Phrase("JSON templat dokumen tidak valid: %(exc)s", exc=exc)]
    if not isinstance(template, dict) or not isinstance(template.get("title"), str):
        return [Phrase("templat dokumen harus memiliki 'title' berupa teks")]
    problems = []
    if template.get("signature") not in (None, *TEMPLATE_SIGNATURES):
        problems.append(Phrase("'signature' harus salah satu dari %(choices)s", choices=", ".join(TEMPLATE_SIGNATURES)))
    problems += _block_problems(template.get("blocks", []), "")
    if "en" in template:
        english = template["en"]
        if not isinstance(english, dict) or not isinstance(english.get("title"), str):
            problems.append(Phrase("salinan bahasa Inggris ('en') harus memiliki 'title' berupa teks"))
        else:
            problems += _block_problems(english.get("blocks", []), "en: ")
    return problems


def _block_problems(blocks, prefix: str) -> list[str]:
    if not isinstance(blocks, list):
        return [Phrase("%(prefix)s'blocks' harus berupa daftar blok", prefix=prefix)]
    problems = []
    for index, block in enumerate(blocks, start=1):
        where = Phrase("%(prefix)sblok ke-%(number)s", prefix=prefix, number=index)
        kinds = [k for k in _BLOCK_KINDS if isinstance(block, dict) and k in block]
        if len(kinds) != 1:
            problems.append(Phrase("%(where)s harus memuat tepat satu dari 'text', 'facts' atau 'table'", where=where))
            continue
        if "text" in block and not isinstance(block["text"], str):
            problems.append(Phrase("%(where)s: 'text' harus berupa teks", where=where))
        if "facts" in block and not _is_pair_list(block["facts"]):
            problems.append(Phrase('%(where)s: \'facts\' harus berupa daftar pasangan ["Label", "nilai"]', where=where))
        if "table" in block and block["table"] not in TEMPLATE_TABLES:
            problems.append(
                Phrase(
                    "%(where)s: 'table' harus salah satu dari %(choices)s",
                    where=where,
                    choices=", ".join(TEMPLATE_TABLES),
                )
            )
        if not isinstance(block.get("when", ""), str):
            problems.append(Phrase("%(where)s: 'when' harus berupa nama isian", where=where))
        if block.get("style", "") not in TEMPLATE_STYLES:
            problems.append(Phrase("%(where)s: 'style' harus salah satu dari B, I, BI", where=where))
    return problems


def lint_form_file(name: str, text: str) -> list[str]:
    """Problems of one form file: a JSON Schema (``*.schema.json``) or its UI hints."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        return [Phrase("JSON formulir tidak valid: %(exc)s", exc=exc)]
    if not isinstance(value, dict):
        return [Phrase("formulir harus berupa objek JSON")]
    if not name.endswith(".schema.json"):
        return []
    problems = [
        Phrase("JSON Schema tidak sah: %(error)s", error=error.message)
        for error in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(value)
    ]
    if value.get("type") != "object" or not isinstance(value.get("properties"), dict):
        problems.append(Phrase("skema formulir harus bertipe object dan memiliki 'properties'"))
    else:
        missing = [key for key in value.get("required", []) if key not in value["properties"]]
        if missing:
            problems.append(Phrase("isian wajib tidak ada di 'properties': %(missing)s", missing=", ".join(missing)))
        for key, prop in value["properties"].items():
            if isinstance(prop, dict) and "x-connector" in prop:
                problems += [
                    Phrase("isian '%(key)s': %(problem)s", key=key, problem=problem)
                    for problem in checks.problems(prop["x-connector"])
                ]
                fill = prop["x-connector"].get("fill") if isinstance(prop["x-connector"], dict) else None
                unknown = [target for target in (fill or {}) if target not in value["properties"]]
                if isinstance(fill, dict) and unknown:
                    problems.append(
                        Phrase(
                            "isian '%(key)s': 'fill' mengisi isian yang tidak ada: %(unknown)s",
                            key=key,
                            unknown=", ".join(unknown),
                        )
                    )
    return problems
