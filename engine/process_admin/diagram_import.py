"""Reading a BPMN file made in another modeler (Camunda Modeler, Signavio, bpmn.io) before it
replaces a draft's diagram. Only what the browser editor cannot open is refused here; everything
else is stored and judged by the normal validation, so the admin sees each problem on its element
and can mend it in the editor."""

from __future__ import annotations

from lxml import etree

from engine.core.localtime import Phrase
from engine.workflow.diagram_terms import NS

MAX_DIAGRAM_BYTES = 1_000_000
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
# Entities stay unexpanded and nothing is fetched: an uploaded file must not read our disk.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# Attributes of other engines that look like ours but are not read here, with what to do instead.
_FOREIGN_HINTS = {
    "formKey": Phrase("atribut formKey dari modeler lain tidak dibaca; pilih formulir di panel properti"),
    "assignee": Phrase("penugasan (assignee) dari modeler lain tidak dibaca; peran ditentukan oleh lajur"),
    "candidateGroups": Phrase("candidateGroups dari modeler lain tidak dibaca; peran ditentukan oleh lajur"),
    "decisionRef": Phrase("decisionRef dari modeler lain tidak dibaca; pilih tabel keputusan di panel properti"),
}
Findings = list[tuple[str, str]]


def read_diagram(data: bytes, name: str = "diagram") -> tuple[str | None, Findings, Findings]:
    """(the diagram as UTF-8 text, refusals, notes). With refusals the text is ``None`` and nothing
    may be stored; each refusal names the element or the file. Notes name what of another engine
    is not read here (see ``foreign_hints``).

    A lone process marked not executable (Signavio exports every process so) is marked executable:
    the editor has no switch for it, and a diagram brought here is meant to run."""
    if not data.strip():
        return None, [(name, Phrase("berkas kosong; pilih berkas .bpmn"))], []
    if len(data) > MAX_DIAGRAM_BYTES:
        return None, [(name, Phrase("berkas terlalu besar (maks. 1 MB)"))], []
    if b"<!DOCTYPE" in data.upper():
        return None, [(name, Phrase("berkas memuat DOCTYPE/entitas; ekspor ulang sebagai BPMN 2.0 biasa"))], []
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        return None, [(name, Phrase("XML tidak valid: %(exc)s", exc=exc))], []
    if root.tag != f"{{{NS['bpmn']}}}definitions":
        return None, [(name, Phrase("bukan berkas BPMN 2.0 (elemen akar harus bpmn:definitions)"))], []
    if root.find("bpmn:process", NS) is None:
        return None, [(name, Phrase("berkas tidak memuat proses (bpmn:process)"))], []
    if root.find(f"{{{BPMNDI}}}BPMNDiagram/{{{BPMNDI}}}BPMNPlane") is None:
        return (
            None,
            [
                (
                    name,
                    Phrase(
                        "diagram tidak menyimpan tata letak (BPMNDiagram), sehingga tidak dapat dibuka di "
                        "penyunting; ekspor ulang dengan tata letak dari modeler asalnya"
                    ),
                )
            ],
            [],
        )
    processes = root.findall("bpmn:process", NS)
    if len(processes) == 1 and processes[0].get("isExecutable", "true").lower() != "true":
        processes[0].set("isExecutable", "true")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode")
    return text, [], foreign_hints(root)


def foreign_hints(root) -> Findings:
    """Notes on attributes other engines use that this one ignores (Camunda, Zeebe), per element."""
    hints = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.get("id"):
            continue
        local_names = {etree.QName(attr).localname for attr in el.attrib if attr.startswith("{")}
        local_names |= {
            etree.QName(child).localname
            for ext in el.iterfind("bpmn:extensionElements", NS)
            for child in ext
            if isinstance(child.tag, str) and etree.QName(child).namespace != NS["spiffworkflow"]
        }
        if "formDefinition" in local_names:
            local_names.add("formKey")
        if "calledDecision" in local_names:
            local_names.add("decisionRef")
        hints.extend((el.get("id"), hint) for key, hint in _FOREIGN_HINTS.items() if key in local_names)
    return hints
