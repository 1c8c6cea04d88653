"""Fee tables (DMN decision tables) as rows an admin edits, and trying one with sample inputs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape

from lxml import etree

from engine.core.clock import utcnow
from engine.core.errors import ProcessDefinitionError, ValidationFailed
from engine.core.localtime import Phrase
from engine.workflow import runtime
from engine.workflow.specs import dmn_cell_problem, parse_bundle

DMN = "https://www.omg.org/spec/DMN/20191111/MODEL/"
_Q = f"{{{DMN}}}"


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    expression: str  # input: the data name it reads; output: the data name it writes
    type_ref: str


@dataclass(frozen=True)
class Table:
    file: str
    decision_id: str
    name: str
    hit_policy: str
    inputs: list[Column]
    outputs: list[Column]
    rules: list[list[str]]  # each row: input cells, then output cells


def _text(el) -> str:
    found = el.find(f"{_Q}text")
    return (found.text or "").strip() if found is not None else ""


def read_tables(files: dict[str, str]) -> list[Table]:
    """The decision tables of the bundle's DMN files; a file that cannot be read is left out here
    (``drafts.validate`` reports it as a finding)."""
    tables = []
    for name in sorted(n for n in files if n.endswith(".dmn")):
        try:
            tables += _tables_of(name, etree.fromstring(files[name].encode("utf-8")))
        except (etree.XMLSyntaxError, AttributeError, ValueError, TypeError):
            continue
    return tables


def _tables_of(name: str, root) -> list[Table]:
    tables = []
    for decision in root.iterfind(f"{_Q}decision"):
        table = decision.find(f"{_Q}decisionTable")
        if table is None:
            continue
        inputs = [
            Column(
                i.get("id"),
                i.get("label") or "",
                _text(i.find(f"{_Q}inputExpression")),
                i.find(f"{_Q}inputExpression").get("typeRef") or "string",
            )
            for i in table.iterfind(f"{_Q}input")
        ]
        outputs = [
            Column(o.get("id"), o.get("label") or "", o.get("name") or "", o.get("typeRef") or "string")
            for o in table.iterfind(f"{_Q}output")
        ]
        rules = [
            [_text(c) for c in rule.iterfind(f"{_Q}inputEntry")] + [_text(c) for c in rule.iterfind(f"{_Q}outputEntry")]
            for rule in table.iterfind(f"{_Q}rule")
        ]
        tables.append(
            Table(
                name,
                decision.get("id"),
                decision.get("name") or decision.get("id"),
                table.get("hitPolicy") or "UNIQUE",
                inputs,
                outputs,
                rules,
            )
        )
    return tables


MAX_RULES = 500  # far above any agency's tariff table; bounds the editor's form


def _check_cell(value: str, is_input: bool) -> str | None:
    if not value or (is_input and value == "-"):
        return None if is_input else Phrase("sel keluaran tidak boleh kosong")
    return dmn_cell_problem(value, unary=is_input)


def write_rules(files: dict[str, str], decision_id: str, rows: list[list[str]]) -> tuple[str, str]:
    """The DMN file with the decision's rules replaced by ``rows``; returns (file name, new text).

    Errors: ValidationFailed keyed "baris N kolom M" for a cell the sandbox refuses.
    """
    table = next((t for t in read_tables(files) if t.decision_id == decision_id), None)
    if table is None:
        raise ValidationFailed(Phrase("Tabel keputusan tidak ditemukan."), {"tabel": decision_id})
    width = len(table.inputs) + len(table.outputs)
    errors = {}
    clean = []
    for r, row in enumerate(rows, start=1):
        cells = [(c or "").strip() for c in row][:width] + [""] * max(0, width - len(row))
        if not any(cells):
            continue
        for c, value in enumerate(cells):
            problem = _check_cell(value, c < len(table.inputs))
            if problem:
                errors[f"baris {r} kolom {c + 1}"] = problem
        clean.append(["-" if (c < len(table.inputs) and not v) else v for c, v in enumerate(cells)])
    if not clean:
        errors["tabel"] = Phrase("Tabel harus memiliki paling sedikit satu baris.")
    if errors:
        raise ValidationFailed(Phrase("Tabel tarif belum dapat disimpan."), errors)
    root = etree.fromstring(files[table.file].encode("utf-8"))
    decision_table = root.find(f"{_Q}decision[@id='{decision_id}']/{_Q}decisionTable")
    for rule in decision_table.findall(f"{_Q}rule"):
        decision_table.remove(rule)
    for index, cells in enumerate(clean, start=1):
        rule = etree.SubElement(decision_table, f"{_Q}rule", id=f"Rule_{decision_id}_{index}")
        for c, value in enumerate(cells):
            tag = "inputEntry" if c < len(table.inputs) else "outputEntry"
            entry = etree.SubElement(rule, f"{_Q}{tag}", id=f"{tag}_{decision_id}_{index}_{c + 1}")
            etree.SubElement(entry, f"{_Q}text").text = value
    etree.indent(root, space="  ")
    return table.file, etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8") + "\n"


def _typed(value: str, type_ref: str):
    if type_ref in ("number", "integer", "long", "double"):
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise ValidationFailed(
                Phrase("Masukan percobaan tidak valid."), {"masukan": Phrase("'%(value)s' bukan angka.", value=value)}
            ) from None
        return int(number) if number == number.to_integral_value() else number
    if type_ref == "boolean":
        return value.lower() in ("true", "ya", "1")
    return value


def try_table(files: dict[str, str], decision_id: str, values: dict[str, str]) -> dict:
    """Run the decision on sample inputs in memory; returns its outputs.

    Errors: ValidationFailed (bad input), ProcessDefinitionError (no rule matched or table unusable).
    """
    table = next((t for t in read_tables(files) if t.decision_id == decision_id), None)
    if table is None:
        raise ValidationFailed(Phrase("Tabel keputusan tidak ditemukan."), {"tabel": decision_id})
    data = {c.expression: _typed(str(values.get(c.expression, "")), c.type_ref) for c in table.inputs}
    result = run_decision(files, decision_id, data)
    return {c.expression: result.get(c.expression) for c in table.outputs}


def run_decision(files: dict[str, str], decision_id: str, data: dict, then: str = "") -> dict:
    """The data after the decision runs on ``data`` (and the script ``then`` after it), through the
    same engine and sandbox as a real process, in memory.

    Errors: ProcessDefinitionError (no rule matched, the table or the script unusable)."""
    assignments = "\n".join(f"{name} = {value!r}" for name, value in data.items() if name.isidentifier())
    after = (
        (
            f'<bpmn:scriptTask id="sesudah"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>'
            f"<bpmn:script>{escape(then)}</bpmn:script></bpmn:scriptTask>"
            '<bpmn:sequenceFlow id="f4" sourceRef="sesudah" targetRef="selesai" />'
        )
        if then
        else ""
    )
    bpmn = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="coba" targetNamespace="coba">'
        '<bpmn:process id="coba_tarif" isExecutable="true">'
        '<bpmn:startEvent id="mulai"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'
        f'<bpmn:scriptTask id="masukan"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>'
        f"<bpmn:script>{escape(assignments or 'pass')}</bpmn:script></bpmn:scriptTask>"
        '<bpmn:businessRuleTask id="tabel"><bpmn:extensionElements><spiffworkflow:calledDecisionId>'
        f"{escape(decision_id)}</spiffworkflow:calledDecisionId></bpmn:extensionElements>"
        "<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:businessRuleTask>"
        f'{after}<bpmn:endEvent id="selesai"><bpmn:incoming>{"f4" if then else "f3"}</bpmn:incoming></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="f1" sourceRef="mulai" targetRef="masukan" />'
        '<bpmn:sequenceFlow id="f2" sourceRef="masukan" targetRef="tabel" />'
        f'<bpmn:sequenceFlow id="f3" sourceRef="tabel" targetRef="{"sesudah" if then else "selesai"}" />'
        "</bpmn:process></bpmn:definitions>"
    )
    bundle = {"coba.bpmn": bpmn, **{n: t for n, t in files.items() if n.endswith(".dmn")}}
    parsed = parse_bundle(bundle)
    try:
        workflow = runtime.new_workflow(parsed, utcnow())
    except runtime.ProcessRunError as exc:
        raise ProcessDefinitionError(
            Phrase("Tabel tidak menghasilkan keluaran"), [(decision_id, exc.message)]
        ) from None
    return runtime.latest_data(workflow)
