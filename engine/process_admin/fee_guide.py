"""The fee as the public guide shows it: the published process's fee table as readable rows, and a
calculator that runs that table and the process's own fee script (the one that sets ``retribusi``)
through the same engine, so its amount is the SKRD's for the same answers."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from engine.core.errors import ProcessDefinitionError, ValidationFailed
from engine.core.localtime import Phrase
from engine.process_admin.decision_tables import Table, _typed, read_tables, run_decision
from engine.workflow.forms import Field, FormDef

_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_FEE = re.compile(r"^\s*retribusi\s*=", re.MULTILINE)
# Names a fee script may call without their being answers.
_KNOWN = {"Decimal", "int", "float", "round", "min", "max", "abs", "str", "len"}


@dataclass(frozen=True)
class FeeGuide:
    table: Table
    script: str
    fields: list[Field]  # what the calculator asks, as the application form asks it


def _fee_parts(files: dict[str, str]) -> tuple[str, str] | None:
    """(decision id, fee script) of the first business rule task followed by a script setting ``retribusi``."""
    for name in sorted(n for n in files if n.endswith(".bpmn")):
        try:
            root = etree.fromstring(files[name].encode("utf-8"))
        except etree.XMLSyntaxError:
            continue
        called = [el.text.strip() for el in root.iter(f"{{{_SPIFF}}}calledDecisionId") if el.text]
        scripts = [el.findtext(f"{{{_BPMN}}}script") or "" for el in root.iter(f"{{{_BPMN}}}scriptTask")]
        fee = next((script for script in scripts if _FEE.search(script)), None)
        if called and fee:
            return called[0], fee
    return None


def _names_read(script: str) -> list[str]:
    tree = ast.parse(script)
    assigned = {
        t.id for node in ast.walk(tree) if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
    }
    read = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return [n for n in dict.fromkeys(read) if n not in assigned and n not in _KNOWN]


def guide_of(files: dict[str, str], form: FormDef) -> FeeGuide | None:
    """The fee guide of a published bundle, or None when its process has no fee table and script."""
    parts = _fee_parts(files)
    if parts is None:
        return None
    decision_id, script = parts
    table = next((t for t in read_tables(files) if t.decision_id == decision_id), None)
    if table is None:
        return None
    produced = {c.expression for c in table.outputs}
    names = [c.expression for c in table.inputs] + [n for n in _names_read(script) if n not in produced]
    wanted = set(names)
    fields = [f for f in form.fields if f.name in wanted]  # in the application form's order
    return FeeGuide(table, script, fields)


def estimate(files: dict[str, str], guide: FeeGuide, values: dict[str, str]) -> int:
    """The fee for these answers. Errors: ValidationFailed (an answer missing or not a number),
    ProcessDefinitionError (the table has no rule for them)."""
    data, errors = {}, {}
    for field in guide.fields:
        given = str(values.get(field.name, "") or "").strip()
        if not given:
            errors[field.name] = Phrase("Isi %(title)s.", title=field.title.lower())
            continue
        numeric = field.schema.get("type") in ("number", "integer")
        try:
            data[field.name] = _typed(given, "number") if numeric else given
        except ValidationFailed:
            errors[field.name] = Phrase("%(title)s harus berupa angka.", title=field.title)
        else:
            if numeric and data[field.name] <= 0:
                errors[field.name] = Phrase("%(title)s harus lebih dari nol.", title=field.title)
    if errors:
        raise ValidationFailed(Phrase("Lengkapi isian penghitung."), errors)
    result = run_decision(files, guide.table.decision_id, data, then=guide.script)
    fee = result.get("retribusi")
    if not isinstance(fee, (int, Decimal)):
        raise ProcessDefinitionError(Phrase("Retribusi tidak terhitung"), [(guide.table.decision_id, repr(fee))])
    return int(fee)


def readable(cell: str, is_output: bool, column, fields: list[Field], locale: str = "id", say=lambda text: text) -> str:
    """A table cell as a reader of the guide says it: a choice by its title, a number in Rupiah (an
    amount) or with its comparison, "semua" for any value (``say`` gives a word in the reader's language)."""
    from engine.core.localtime import N_, format_number, format_rupiah

    text = (cell or "").strip()
    field = next((f for f in fields if f.name == column.expression), None)
    if text in ("", "-"):
        return say(N_("lainnya") if field is not None and field.choices else N_("semua"))
    if len(text) > 1 and text[0] == text[-1] == '"':
        value = text[1:-1]
        titles = dict(field.choices) if field is not None else {}
        return titles.get(value, value)
    comparison = re.fullmatch(r"(<=|>=|<|>|==|!=)?\s*(-?\d+(?:\.\d+)?)", text)
    if comparison:
        sign = {"<=": "≤ ", ">=": "≥ ", "<": "< ", ">": "> ", "==": "", "!=": "≠ "}.get(comparison.group(1) or "", "")
        number = Decimal(comparison.group(2))
        return format_rupiah(number, locale) if is_output else f"{sign}{format_number(number, locale=locale)}"
    return text
