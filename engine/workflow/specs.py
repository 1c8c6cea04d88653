"""Checking and parsing process bundles (BPMN + DMN + forms), with a per-version spec cache; the
terms a diagram may use are in ``diagram_terms``.

A bundle is a dict of file name to text: ``*.bpmn``, ``*.dmn`` and ``forms/<path>.json``.
Everything a diagram could run is linted by the sandbox before SpiffWorkflow sees it, because
Spiff itself surfaces script errors only at run time and drops some broken references silently.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.core.errors import ProcessDefinitionError, ScriptRefused
from engine.core.localtime import Phrase
from engine.core.roles import role_for_lane
from engine.workflow.diagram_terms import (
    CLOCK_STOPS,
    DMN_NAMESPACES,
    ELEMENT_LABELS,
    FORM_SCHEMA_PROP,
    FORM_UI_PROP,
    KIND_TITLES,
    NS,
    OUTCOMES,
    SUPPORTED_ELEMENTS,
    nearest_id,
    read_xml,
)
from engine.workflow.file_lint import lint_form_file, lint_template
from engine.workflow.sandbox import HELPERS, SAFE_BUILTINS, check_code
from engine.workflow.script_engine import constant_bombs, evaluate_alone
from engine.workflow.timers import clock_timers


@dataclass(frozen=True)
class ParsedProcess:
    process_id: str
    spec: object
    subprocess_specs: dict


def _skipped(el, reported: set) -> bool:
    """Inside an ``extensionElements`` block (another modeler's own data, not BPMN to run), or
    inside an element already reported as unsupported (its parts are not findings of their own)."""
    parent = el.getparent()
    while parent is not None:
        if parent in reported or (isinstance(parent.tag, str) and etree.QName(parent).localname == "extensionElements"):
            return True
        parent = parent.getparent()
    return False


def _check(findings, element_id, source, mode, what):
    if source is None or not source.strip():
        findings.append((element_id, Phrase("%(what)s kosong", what=what)))
        return
    try:
        tree = check_code(source.strip(), mode)
    except ScriptRefused as exc:
        findings.append((element_id, Phrase("%(what)s ditolak: %(message)s", what=what, message=exc.message)))
        return
    bomb = constant_bombs(tree)
    if bomb:
        findings.append((element_id, Phrase("%(what)s ditolak: %(bomb)s", what=what, bomb=bomb)))


def _properties(el) -> dict[str, str]:
    return {
        p.get("name"): p.get("value")
        for p in el.iterfind("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", NS)
    }


def _check_properties(findings, element_id, props: dict, files: dict) -> None:
    """The task properties the engine reads (document, signature, clockStop, outcome, deemedApproval)."""
    kind = props.get("document")
    if kind and kind not in KIND_TITLES:
        findings.append(
            (
                element_id,
                Phrase("jenis dokumen '%(kind)s' tidak dikenal (%(known)s)", kind=kind, known=", ".join(KIND_TITLES)),
            )
        )
    elif kind and f"templates/{kind}.json" not in files:
        findings.append((element_id, Phrase("templat dokumen '%(kind)s' tidak ada dalam draf", kind=kind)))
    if props.get("signature") not in (None, "", "true", "false"):
        findings.append((element_id, Phrase("properti signature harus 'true' atau 'false'")))
    if props.get("clockStop") and props["clockStop"] not in CLOCK_STOPS:
        findings.append(
            (element_id, Phrase("clockStop harus salah satu dari %(choices)s", choices=", ".join(CLOCK_STOPS)))
        )
    if props.get("outcome") and props["outcome"] not in OUTCOMES:
        findings.append(
            (element_id, Phrase("hasil akhir (outcome) harus salah satu dari %(choices)s", choices=", ".join(OUTCOMES)))
        )
    if props.get("deemedApproval"):
        try:
            valid = isinstance(json.loads(props["deemedApproval"]), dict)
        except ValueError:
            valid = False
        if not valid:
            findings.append(
                (
                    element_id,
                    Phrase(
                        'data fiktif positif (deemedApproval) harus objek JSON, mis. {"keputusan_kepala": "setujui"}'
                    ),
                )
            )


# Other engines write timers as bare ISO 8601 text and conditions in JUEL (${...}) or FEEL (=...);
# here both are Python expressions, so those get a finding that says how to write them.
_BARE_ISO = re.compile(r"^(R\d*/)?(P[\dT]|\d{4}-\d{2}-\d{2}T)[\w:.+/-]*$")
_FOREIGN_CONDITION = re.compile(r"^(\$\{|#\{|=)")


def _check_timer(findings, element_id, kind, source):
    """Evaluate a timer expression that needs no task data, and check what it gives."""
    if _BARE_ISO.match(source.strip()):
        findings.append(
            (
                element_id,
                Phrase(
                    'ekspresi timer harus berupa ekspresi Python: tulis teks ISO 8601 dalam tanda kutip, mis. "%(source)s"',
                    source=source.strip(),
                ),
            )
        )
        return
    try:
        tree = check_code(source.strip(), "eval")
    except ScriptRefused:
        return  # reported by _check
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    if names - set(HELPERS) - set(SAFE_BUILTINS):
        return  # depends on task data: checked when it runs
    try:
        value = evaluate_alone(source.strip())  # under the run-time bounds: a bomb is refused, not run
        if kind == "timeDuration":
            TimerEventDefinition.parse_iso_duration(value)
        elif kind == "timeDate":
            TimerEventDefinition.get_datetime(value)
        else:
            TimerEventDefinition.parse_iso_recurring_interval(value)
    except ScriptRefused as exc:
        findings.append((element_id, Phrase("ekspresi timer ditolak: %(message)s", message=exc.message)))
    except Exception as exc:  # noqa: BLE001 - whatever the expression or the ISO parser raised
        findings.append(
            (element_id, Phrase("ekspresi timer tidak menghasilkan waktu yang sah: %(exc)s", exc=str(exc)[:200]))
        )


def _lint_bpmn(name: str, root, files: dict, decisions: set, findings: list) -> list[str]:
    if root.tag != f"{{{NS['bpmn']}}}definitions":
        findings.append((name, Phrase("bukan berkas BPMN 2.0 (elemen akar harus bpmn:definitions)")))
        return []
    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable", "true").lower() == "true"]
    if not executable:
        findings.append((name, Phrase("tidak ada proses yang dapat dijalankan (isExecutable)")))
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for flow in root.iterfind("bpmn:collaboration/bpmn:messageFlow", NS):
        findings.append(
            (flow.get("id"), Phrase("elemen tidak didukung: %(element)s", element=ELEMENT_LABELS["messageFlow"]))
        )
    for process in processes:
        lanes = {}
        for lane in process.iterfind(".//bpmn:lane", NS):
            for ref in lane.iterfind("bpmn:flowNodeRef", NS):
                if not (ref.text or "").strip():
                    findings.append((lane.get("id") or name, Phrase("lajur memuat flowNodeRef kosong")))
                    continue
                lanes[ref.text.strip()] = lane.get("name")
        reported: set = set()
        for el in process.iter():
            if not isinstance(el.tag, str) or _skipped(el, reported):
                continue
            qname = etree.QName(el)
            tag = qname.localname
            eid = el.get("id") or nearest_id(el) or tag
            if qname.namespace == NS["bpmn"] and tag not in SUPPORTED_ELEMENTS:
                findings.append(
                    (
                        nearest_id(el) or name,
                        Phrase("elemen tidak didukung: %(element)s", element=ELEMENT_LABELS.get(tag, tag)),
                    )
                )
                reported.add(el)
                continue
            if el.get("id") and el.find("bpmn:extensionElements", NS) is not None:
                _check_properties(findings, eid, _properties(el), files)
            if tag == "scriptTask":
                script = el.find("bpmn:script", NS)
                _check(findings, eid, script.text if script is not None else None, "exec", Phrase("skrip"))
            elif tag == "conditionExpression":
                parent = el.getparent()
                if el.text and _FOREIGN_CONDITION.match(el.text.strip()):
                    findings.append(
                        (
                            parent.get("id"),
                            Phrase(
                                "kondisi ditulis dalam bahasa ekspresi modeler lain (JUEL/"
                                "FEEL); tulis sebagai ekspresi Python, mis. lengkap == True"
                            ),
                        )
                    )
                else:
                    _check(findings, parent.get("id"), el.text, "eval", Phrase("kondisi"))
            elif tag in ("timeDuration", "timeDate", "timeCycle"):
                event = el.getparent().getparent()
                _check(findings, event.get("id"), el.text, "eval", Phrase("ekspresi timer"))
                if el.text and el.text.strip():
                    _check_timer(findings, event.get("id"), tag, el.text)
            elif tag in ("preScript", "postScript"):
                task = el.getparent().getparent()
                _check(findings, task.get("id"), el.text, "exec", Phrase("skrip %(tag)s", tag=tag))
            elif tag == "userTask":
                lane = lanes.get(eid)
                if lane is None:
                    findings.append((eid, Phrase("tugas pengguna tidak berada di lajur (lane) mana pun")))
                elif role_for_lane(lane) is None:
                    findings.append((eid, Phrase("lajur '%(lane)s' tidak dipetakan ke peran yang dikenal", lane=lane)))
                props = _properties(el)
                for prop in (FORM_SCHEMA_PROP, FORM_UI_PROP):
                    ref = props.get(prop)
                    if prop == FORM_SCHEMA_PROP and not ref:
                        findings.append(
                            (eid, Phrase("tugas pengguna tidak menunjuk formulir (formJsonSchemaFilename)"))
                        )
                    elif ref and f"forms/{ref}" not in files:
                        findings.append((eid, Phrase("berkas formulir '%(ref)s' tidak ditemukan", ref=ref)))
            elif tag == "businessRuleTask":
                called = el.find("bpmn:extensionElements/spiffworkflow:calledDecisionId", NS)
                if called is None or not (called.text or "").strip():
                    findings.append((eid, Phrase("tugas aturan bisnis tidak menyebut tabel keputusan")))
                elif called.text.strip() not in decisions:
                    findings.append(
                        (eid, Phrase("tabel keputusan '%(text)s' tidak ditemukan", text=called.text.strip()))
                    )
            elif tag == "sequenceFlow":
                for ref in ("sourceRef", "targetRef"):
                    if el.get(ref) not in ids:
                        findings.append((eid, Phrase("alur menunjuk elemen '%(el)s' yang tidak ada", el=el.get(ref))))
            elif tag == "boundaryEvent" and el.get("attachedToRef") not in ids:
                findings.append(
                    (eid, Phrase("event batas menempel pada '%(el)s' yang tidak ada", el=el.get("attachedToRef")))
                )
            elif tag == "exclusiveGateway":
                outgoing = [f for f in process.iterfind("bpmn:sequenceFlow", NS) if f.get("sourceRef") == eid]
                if len(outgoing) > 1:
                    default = el.get("default")
                    for flow in outgoing:
                        if flow.get("id") != default and flow.find("bpmn:conditionExpression", NS) is None:
                            findings.append(
                                (
                                    flow.get("id"),
                                    Phrase(
                                        "alur keluar gerbang '%(eid)s' tidak punya kondisi dan bukan alur bawaan",
                                        eid=eid,
                                    ),
                                )
                            )
    return [p.get("id") for p in executable]


def dmn_cell_problem(source: str, unary: bool) -> str | None:
    """Why the sandbox refuses one DMN cell, or None. With ``unary`` (input cells), ``?`` stands for
    the input and a test such as "> 10" (valid only with a left-hand side) is accepted too."""
    candidate = source.replace("?", "dmninputexpr") if unary else source
    try:
        check_code(candidate, "eval")
        return None
    except ScriptRefused as first:
        if unary:
            try:
                check_code("v " + candidate, "eval")
                return None
            except ScriptRefused:
                pass
        return first.message


def _lint_dmn(name: str, root, findings: list) -> set[str]:
    decisions = set()
    for ns in DMN_NAMESPACES:
        for decision in root.iterfind(f"{{{ns}}}decision"):
            decisions.add(decision.get("id"))
            for el in decision.iter():
                if not isinstance(el.tag, str):
                    continue
                tag = etree.QName(el).localname
                text_el = el.find(f"{{{ns}}}text")
                source = (text_el.text or "").strip() if text_el is not None else ""
                eid = el.get("id") or decision.get("id")
                if tag == "inputExpression":
                    _check(findings, eid, source, "eval", Phrase("ekspresi masukan DMN"))
                elif tag in ("inputEntry", "outputEntry") and source and source != "-":
                    problem = dmn_cell_problem(source, unary=True)
                    if problem:
                        findings.append((eid, Phrase("sel DMN ditolak: %(problem)s", problem=problem)))
    return decisions


def lint_bundle(files: dict[str, str]) -> list[tuple[str, str]]:
    """All findings that make the bundle unusable, each with the element id (or file name)."""
    findings: list[tuple[str, str]] = []
    bpmn = {n: t for n, t in files.items() if n.endswith(".bpmn")}
    if len(bpmn) != 1:
        findings.append(("(bundle)", Phrase("harus ada tepat satu berkas BPMN")))
    decisions: set[str] = set()
    for name, text in files.items():
        if name.endswith(".dmn"):
            root = read_xml(name, text, findings)
            if root is not None:
                decisions |= _lint_dmn(name, root, findings)
        elif name.startswith("forms/"):
            findings.extend((name, message) for message in lint_form_file(name, text))
        elif name.startswith("templates/"):
            findings.extend((name, message) for message in lint_template(text))
    for name, text in bpmn.items():
        root = read_xml(name, text, findings)
        if root is not None:
            _lint_bpmn(name, root, files, decisions, findings)
    return list(dict.fromkeys(findings))  # one finding once, however often the file repeats it


def parse_bundle(files: dict[str, str], lint: bool = True) -> ParsedProcess:
    """Lint, then parse with SpiffWorkflow. Raises ``ProcessDefinitionError`` with findings."""
    findings = lint_bundle(files) if lint else []
    if findings:
        raise ProcessDefinitionError(Phrase("Definisi proses ditolak"), findings)
    parser = SpiffBpmnParser()
    try:
        for name, text in sorted(files.items()):
            if name.endswith(".dmn"):
                parser.add_dmn_xml(etree.fromstring(text.encode("utf-8")), filename=name)
            elif name.endswith(".bpmn"):
                parser.add_bpmn_xml(etree.fromstring(text.encode("utf-8")), filename=name)
        process_ids = parser.get_process_ids()
        executable = [pid for pid in process_ids if parser.get_process_parser(pid).process_executable]
        process_id = (executable or process_ids)[0]
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except Exception as exc:  # Spiff raises many kinds; all mean "this bundle is unusable"
        element = getattr(exc, "id", None) or getattr(exc, "file_name", None) or "(proses)"
        raise ProcessDefinitionError(
            Phrase("Definisi proses ditolak"), [(str(element), str(exc).splitlines()[0])]
        ) from exc
    clock_timers(spec, *subprocess_specs.values())
    return ParsedProcess(process_id, spec, subprocess_specs)
