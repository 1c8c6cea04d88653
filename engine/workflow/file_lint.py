"""The files of a bundle beside its diagrams, checked before they are stored: document templates
(letters as blocks of text, facts and tables) and task forms (JSON Schema)."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from engine.connectors import checks

TEMPLATE_SIGNATURES = ("segel", "petugas", "kepala_dinas")
TEMPLATE_TABLES = ("permohonan", "lampiran", "tugas")  # the tables issue_document fills
TEMPLATE_STYLES = ("", "B", "I", "BI")  # bold and italic, as the letter maker's font takes them
_BLOCK_KINDS = ("text", "facts", "table")


def _is_pair_list(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in value
    )


def lint_template(text: str) -> list[str]:
    """Problems of one document template (JSON: title, signature, blocks). A template that passes
    renders: a document is issued inside an officer's step, where a broken template would fail it."""
    try:
        template = json.loads(text)
    except ValueError as exc:
        return [f"JSON templat dokumen tidak valid: {exc}"]
    problems = []
    if not isinstance(template, dict) or not isinstance(template.get("title"), str):
        return ["templat dokumen harus memiliki 'title' berupa teks"]
    if template.get("signature") not in (None, *TEMPLATE_SIGNATURES):
        problems.append(f"'signature' harus salah satu dari {', '.join(TEMPLATE_SIGNATURES)}")
    blocks = template.get("blocks", [])
    if not isinstance(blocks, list):
        return problems + ["'blocks' harus berupa daftar blok"]
    for index, block in enumerate(blocks, start=1):
        where = f"blok ke-{index}"
        kinds = [k for k in _BLOCK_KINDS if isinstance(block, dict) and k in block]
        if len(kinds) != 1:
            problems.append(f"{where} harus memuat tepat satu dari 'text', 'facts' atau 'table'")
            continue
        if "text" in block and not isinstance(block["text"], str):
            problems.append(f"{where}: 'text' harus berupa teks")
        if "facts" in block and not _is_pair_list(block["facts"]):
            problems.append(f'{where}: \'facts\' harus berupa daftar pasangan ["Label", "nilai"]')
        if "table" in block and block["table"] not in TEMPLATE_TABLES:
            problems.append(f"{where}: 'table' harus salah satu dari {', '.join(TEMPLATE_TABLES)}")
        if not isinstance(block.get("when", ""), str):
            problems.append(f"{where}: 'when' harus berupa nama isian")
        if block.get("style", "") not in TEMPLATE_STYLES:
            problems.append(f"{where}: 'style' harus salah satu dari B, I, BI")
    return problems


def lint_form_file(name: str, text: str) -> list[str]:
    """Problems of one form file: a JSON Schema (``*.schema.json``) or its UI hints."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        return [f"JSON formulir tidak valid: {exc}"]
    if not isinstance(value, dict):
        return ["formulir harus berupa objek JSON"]
    if not name.endswith(".schema.json"):
        return []
    problems = [
        f"JSON Schema tidak sah: {error.message}"
        for error in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(value)
    ]
    if value.get("type") != "object" or not isinstance(value.get("properties"), dict):
        problems.append("skema formulir harus bertipe object dan memiliki 'properties'")
    else:
        missing = [key for key in value.get("required", []) if key not in value["properties"]]
        if missing:
            problems.append(f"isian wajib tidak ada di 'properties': {', '.join(missing)}")
        for key, prop in value["properties"].items():
            if isinstance(prop, dict) and "x-connector" in prop:
                problems += [f"isian '{key}': {problem}" for problem in checks.problems(prop["x-connector"])]
                fill = prop["x-connector"].get("fill") if isinstance(prop["x-connector"], dict) else None
                unknown = [target for target in (fill or {}) if target not in value["properties"]]
                if isinstance(fill, dict) and unknown:
                    problems.append(f"isian '{key}': 'fill' mengisi isian yang tidak ada: {', '.join(unknown)}")
    return problems
