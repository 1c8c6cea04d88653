"""What a diagram may say and how its XML is read: the namespaces, the BPMN elements the engine
runs, the properties it reads (document kinds, end results, clock stops, forms), a parser that
expands no entity and fetches nothing, and the code a diagram carries for an admin to read.
``specs`` checks and parses bundles with these terms."""

from __future__ import annotations

from lxml import etree

from engine.core.localtime import Phrase

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "https://www.omg.org/spec/DMN/20180521/MODEL/",
)
# BPMN elements the engine runs (or that only draw); anything else in a process is refused with
# its id rather than left to fail, or to be skipped silently, at run time.
SUPPORTED_ELEMENTS = {
    "definitions",
    "collaboration",
    "participant",
    "process",
    "laneSet",
    "lane",
    "childLaneSet",
    "flowNodeRef",
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "userTask",
    "scriptTask",
    "businessRuleTask",
    "task",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "sequenceFlow",
    "conditionExpression",
    "timerEventDefinition",
    "terminateEventDefinition",
    "timeDate",
    "timeDuration",
    "timeCycle",
    "extensionElements",
    "documentation",
    "incoming",
    "outgoing",
    "script",
    "textAnnotation",
    "text",
    "association",
    "group",
    "category",
    "categoryValue",
}
ELEMENT_LABELS = {
    "serviceTask": Phrase("tugas layanan (service task)"),
    "sendTask": Phrase("tugas kirim (send task)"),
    "receiveTask": Phrase("tugas terima (receive task)"),
    "manualTask": Phrase("tugas manual (manual task)"),
    "callActivity": Phrase("pemanggilan proses lain (call activity)"),
    "subProcess": Phrase("subproses"),
    "complexGateway": Phrase("gerbang kompleks"),
    "eventBasedGateway": Phrase("gerbang berbasis event"),
    "messageEventDefinition": Phrase("event pesan"),
    "signalEventDefinition": Phrase("event sinyal"),
    "errorEventDefinition": Phrase("event galat"),
    "escalationEventDefinition": Phrase("event eskalasi"),
    "compensateEventDefinition": Phrase("event kompensasi"),
    "conditionalEventDefinition": Phrase("event bersyarat"),
    "linkEventDefinition": Phrase("event tautan"),
    "intermediateThrowEvent": Phrase("event lempar antara"),
    "transaction": Phrase("transaksi"),
    "dataObject": Phrase("objek data"),
    "dataObjectReference": Phrase("referensi objek data"),
    "dataInputAssociation": Phrase("asosiasi data masuk"),
    "dataOutputAssociation": Phrase("asosiasi data keluar"),
    "dataStoreReference": Phrase("penyimpanan data"),
    "messageFlow": Phrase("alur pesan"),
}
# The documents the engine issues (a task's ``document`` property), with what agencies call them.
KIND_TITLES = {
    "tanda_terima": "Tanda Terima Berkas",
    "skrd": "Surat Ketetapan Retribusi Daerah (SKRD)",
    "berita_acara": "Berita Acara Pemeriksaan Lapangan",
    "izin": "Surat Izin",
    "penolakan": "Surat Penolakan Permohonan",
    "pencabutan": "Keputusan Pencabutan Izin",
    "pembatalan": "Keputusan Pembatalan Izin",
    "teguran": "Surat Teguran Tertulis",
    "pembatalan_penerbitan": "Keputusan Pembatalan Penerbitan Izin",
    "lampiran": "Lampiran",
}
# Values of the other task properties the engine reads.
OUTCOMES = {"selesai": "Selesai", "ditolak": "Ditolak", "gugur": "Gugur"}  # an end event's ``outcome``
CLOCK_STOPS = {"pemohon": "Menunggu Pemohon", "pembayaran": "Menunggu pembayaran retribusi"}  # ``clockStop``
FORM_SCHEMA_PROP = "formJsonSchemaFilename"
FORM_UI_PROP = "formUiSchemaFilename"


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_xml(name: str, text: str, findings: list):
    try:
        return etree.fromstring(text.encode("utf-8"), _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        findings.append((name, Phrase("XML tidak valid: %(exc)s", exc=exc)))
    except (MemoryError, RecursionError, ValueError, AttributeError) as exc:
        findings.append((name, Phrase("berkas tidak dapat dibaca: %(error)s", error=type(exc).__name__)))
    return None


def nearest_id(el) -> str | None:
    """The id of ``el`` or of the nearest enclosing element that has one."""
    while el is not None:
        if isinstance(el.tag, str) and el.get("id"):
            return el.get("id")
        el = el.getparent()
    return None


_CODE_TAGS = {
    "script": Phrase("skrip"),
    "conditionExpression": Phrase("kondisi"),
    "timeDate": Phrase("timer"),
    "timeDuration": Phrase("timer"),
    "timeCycle": Phrase("timer"),
    "preScript": Phrase("skrip awal"),
    "postScript": Phrase("skrip akhir"),
}


def code_in(files: dict[str, str]) -> list[tuple[str, str, str]]:
    """Every piece of code the diagram carries, as (element id, kind, code): what an admin reads
    before publishing a diagram from elsewhere."""
    out = []
    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        root = read_xml(name, text, [])
        if root is None:
            continue
        for el in root.iter():
            if isinstance(el.tag, str) and etree.QName(el).localname in _CODE_TAGS and (el.text or "").strip():
                out.append((nearest_id(el) or name, _CODE_TAGS[etree.QName(el).localname], el.text.strip()[:2000]))
    return out
