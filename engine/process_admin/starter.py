"""The starting bundle of a new permit type: the agencies' usual service flow, ready to edit.

Front office verification (with return to the applicant and rejection), the technical team's
Berita Acara, retribution from a fee table when the type has one, the Kepala Dinas's signature
and handover. The diagram is laid out here so it opens tidily in the modeler.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

LANE_HEIGHT = 220
COLUMN = 150
LEFT = 160
TOP = 80
SIZES = {"start": (36, 36), "end": (36, 36), "gateway": (50, 50)}
TAGS = {"start": "startEvent", "end": "endEvent", "user": "userTask", "script": "scriptTask",
        "rule": "businessRuleTask", "gateway": "exclusiveGateway"}
SHARED_FORMS = ("verifikasi-berkas", "berita-acara", "konfirmasi-pembayaran",
                "persetujuan-kepala", "penyerahan")


@dataclass
class Node:
    id: str
    kind: str
    name: str
    lane: int
    col: int
    row: int = 0
    props: dict = field(default_factory=dict)
    body: str = ""  # script text, or the called decision of a business rule task

    @property
    def size(self) -> tuple[int, int]:
        return SIZES.get(self.kind, (100, 80))

    def bounds(self) -> tuple[int, int, int, int]:
        width, height = self.size
        cx = LEFT + 90 + self.col * COLUMN
        cy = TOP + 70 + self.lane * LANE_HEIGHT + self.row * 110
        return cx - width // 2, cy - height // 2, width, height


def slug(code: str) -> str:
    """A BPMN/DMN id from a permit type code (letters, digits and underscores)."""
    return re.sub(r"[^0-9a-zA-Z_]", "_", code)


def _user(form: str, stage: str, **more) -> dict:
    return {"formJsonSchemaFilename": f"{form}.schema.json", "formUiSchemaFilename": f"{form}.uischema.json",
            "stage": stage, **more}


def _flow_ids(flows):
    return [(f"f_{i:02d}", *flow) for i, flow in enumerate(flows, start=1)]


def _layout(code: str, has_retribution: bool):
    """Lanes, nodes and flows (source, target, name, condition) of the starting diagram."""
    lanes = ["Pemohon", "Front Office", "Tim Teknis"] + (["Penetapan Retribusi"] if has_retribution else []) + [
        "Kepala Dinas"]
    fee = 1 if has_retribution else 0
    head = 3 + fee
    nodes = [
        Node("mulai", "start", "Permohonan dibuat", 0, 0),
        Node("isi_permohonan", "user", "Isi Permohonan", 0, 1, props=_user(f"{code}/permohonan", "Pengajuan")),
        Node("verifikasi_berkas", "user", "Verifikasi Berkas", 1, 2, props=_user(
            "umum/verifikasi-berkas", "Verifikasi Berkas", deemedApproval='{"hasil_verifikasi": "lengkap"}')),
        Node("gw_verifikasi", "gateway", "Hasil verifikasi?", 1, 3),
        Node("perbaiki_permohonan", "user", "Perbaiki Permohonan", 0, 3,
             props=_user(f"{code}/permohonan", "Perbaikan oleh Pemohon")),
        Node("tanda_terima", "script", "Terbitkan Tanda Terima", 1, 4, props={"document": "tanda_terima"}, body="pass"),
        Node("surat_penolakan", "script", "Terbitkan Surat Penolakan", 1, 4, row=1, props={"document": "penolakan"},
             body="pass"),
        Node("ditolak", "end", "Permohonan ditolak", 1, 5, row=1, props={"outcome": "ditolak"}),
        Node("berita_acara", "user", "Berita Acara Pemeriksaan", 2, 5, props=_user(
            "umum/berita-acara", "Tim Teknis", document="berita_acara", signature="true",
            deemedApproval='{"rekomendasi": "direkomendasikan"}')),
        Node("gw_rekomendasi", "gateway", "Direkomendasikan?", 2, 6),
    ]
    flows = [
        ("mulai", "isi_permohonan", None, None),
        ("isi_permohonan", "verifikasi_berkas", None, None),
        ("verifikasi_berkas", "gw_verifikasi", None, None),
        ("gw_verifikasi", "tanda_terima", "Lengkap", 'hasil_verifikasi == "lengkap"'),
        ("gw_verifikasi", "perbaiki_permohonan", "Tidak lengkap", 'hasil_verifikasi == "tidak_lengkap"'),
        ("gw_verifikasi", "surat_penolakan", "Tidak memenuhi syarat", 'hasil_verifikasi == "tidak_memenuhi"'),
        ("perbaiki_permohonan", "verifikasi_berkas", None, None),
        ("tanda_terima", "berita_acara", None, None),
        ("berita_acara", "gw_rekomendasi", None, None),
        ("gw_rekomendasi", "surat_penolakan", "Tidak direkomendasikan", 'rekomendasi == "tidak_direkomendasikan"'),
        ("surat_penolakan", "ditolak", None, None),
    ]
    col = 7
    after_recommendation = "persetujuan_kepala"
    if has_retribution:
        nodes += [
            Node("hitung_tarif", "rule", "Tentukan Tarif Retribusi", 3, 7, body=f"tarif_{slug(code)}"),
            Node("hitung_retribusi", "script", "Hitung Retribusi", 3, 8, body="retribusi = int(tarif * jumlah_unit)"),
            Node("penetapan_retribusi", "user", "Penetapan Retribusi (SKRD)", 3, 9, props=_user(
                f"{code}/penetapan-retribusi", "Penetapan Retribusi", document="skrd")),
            Node("konfirmasi_pembayaran", "user", "Konfirmasi Pembayaran", 3, 10, props=_user(
                "umum/konfirmasi-pembayaran", "Pembayaran Retribusi", clockStop="pembayaran")),
        ]
        flows += [("hitung_tarif", "hitung_retribusi", None, None),
                  ("hitung_retribusi", "penetapan_retribusi", None, None),
                  ("penetapan_retribusi", "konfirmasi_pembayaran", None, None),
                  ("konfirmasi_pembayaran", "persetujuan_kepala", None, None)]
        after_recommendation = "hitung_tarif"
        col = 11
    flows.append(("gw_rekomendasi", after_recommendation, "Direkomendasikan", 'rekomendasi == "direkomendasikan"'))
    nodes += [
        Node("persetujuan_kepala", "user", "Persetujuan Kepala Dinas", head, col, props=_user(
            "umum/persetujuan-kepala", "Persetujuan Kepala Dinas", signature="true",
            deemedApproval='{"keputusan_kepala": "setujui"}')),
        Node("gw_persetujuan", "gateway", "Disetujui?", head, col + 1),
        Node("terbitkan_izin", "script", "Terbitkan dan Tandatangani Izin", head, col + 2, props={"document": "izin"},
             body="pass"),
        Node("penyerahan", "user", "Penyerahan Izin", 1, col + 3, props=_user(
            "umum/penyerahan", "Penyerahan", deemedApproval="{}")),
        Node("selesai", "end", "Izin diserahkan", 1, col + 4, props={"outcome": "selesai"}),
    ]
    flows += [
        ("persetujuan_kepala", "gw_persetujuan", None, None),
        ("gw_persetujuan", "terbitkan_izin", "Setujui", 'keputusan_kepala == "setujui"'),
        ("gw_persetujuan", "berita_acara", "Kembalikan ke Tim Teknis", 'keputusan_kepala == "kembalikan"'),
        ("terbitkan_izin", "penyerahan", None, None),
        ("penyerahan", "selesai", None, None),
    ]
    return lanes, nodes, _flow_ids(flows), col + 5


def _properties_xml(node: Node) -> str:
    parts = []
    if node.props:
        props = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(v)} />' for k, v in node.props.items())
        parts.append(f"<spiffworkflow:properties>{props}</spiffworkflow:properties>")
    if node.kind == "rule":
        parts.append(f"<spiffworkflow:calledDecisionId>{escape(node.body)}</spiffworkflow:calledDecisionId>")
    return f"<bpmn:extensionElements>{''.join(parts)}</bpmn:extensionElements>" if parts else ""


def _waypoints(source: Node, target: Node) -> list[tuple[int, int]]:
    sx, sy, sw, sh = source.bounds()
    tx, ty, tw, th = target.bounds()
    start = (sx + sw, sy + sh // 2) if tx >= sx + sw else (sx + sw // 2, sy + (sh if ty > sy else 0))
    end = (tx, ty + th // 2) if tx >= sx + sw else (tx + tw // 2, ty + (0 if ty > sy else th))
    if start[1] == end[1] or start[0] == end[0]:
        return [start, end]
    if tx >= sx + sw:
        middle = (start[0] + end[0]) // 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    return [start, (start[0], end[1]), end] if ty != sy else [start, end]


def starter_bpmn(code: str, name: str, has_retribution: bool) -> str:
    lanes, nodes, flows, columns = _layout(code, has_retribution)
    pid = slug(code)
    by_id = {n.id: n for n in nodes}
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for fid, source, target, _name, _condition in flows:
        outgoing.setdefault(source, []).append(fid)
        incoming.setdefault(target, []).append(fid)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
           'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
           'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
           'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
           f'id="Definitions_{pid}" targetNamespace="http://bpmn.io/schema/bpmn">',
           f'  <bpmn:collaboration id="Collaboration_{pid}">',
           f'    <bpmn:participant id="Participant_{pid}" name={quoteattr(name)} processRef="{pid}" />',
           '  </bpmn:collaboration>',
           f'  <bpmn:process id="{pid}" name={quoteattr(name)} isExecutable="true">',
           f'    <bpmn:laneSet id="LaneSet_{pid}">']
    for index, lane in enumerate(lanes):
        refs = "".join(f"<bpmn:flowNodeRef>{n.id}</bpmn:flowNodeRef>" for n in nodes if n.lane == index)
        out.append(f'      <bpmn:lane id="Lane_{index}" name="{lane}">{refs}</bpmn:lane>')
    out.append("    </bpmn:laneSet>")
    for node in nodes:
        inner = _properties_xml(node)
        inner += "".join(f"<bpmn:incoming>{f}</bpmn:incoming>" for f in incoming.get(node.id, []))
        inner += "".join(f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing.get(node.id, []))
        if node.kind == "script":
            inner += f"<bpmn:script>{escape(node.body)}</bpmn:script>"
        out.append(f'    <bpmn:{TAGS[node.kind]} id="{node.id}" name={quoteattr(node.name)}>{inner}'
                   f'</bpmn:{TAGS[node.kind]}>')
    for fid, source, target, label, condition in flows:
        named = f" name={quoteattr(label)}" if label else ""
        body = f"<bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>" if condition else ""
        out.append(f'    <bpmn:sequenceFlow id="{fid}"{named} sourceRef="{source}" targetRef="{target}">{body}'
                   "</bpmn:sequenceFlow>")
    out.append("  </bpmn:process>")
    width = 60 + columns * COLUMN
    out += [f'  <bpmndi:BPMNDiagram id="Diagram_{pid}">',
            f'    <bpmndi:BPMNPlane id="Plane_{pid}" bpmnElement="Collaboration_{pid}">',
            f'      <bpmndi:BPMNShape id="Participant_{pid}_di" bpmnElement="Participant_{pid}" isHorizontal="true">'
            f'<dc:Bounds x="{LEFT - 30}" y="{TOP}" width="{width + 30}" height="{LANE_HEIGHT * len(lanes)}" />'
            "</bpmndi:BPMNShape>"]
    for index in range(len(lanes)):
        out.append(f'      <bpmndi:BPMNShape id="Lane_{index}_di" bpmnElement="Lane_{index}" isHorizontal="true">'
                   f'<dc:Bounds x="{LEFT}" y="{TOP + index * LANE_HEIGHT}" width="{width}" height="{LANE_HEIGHT}" />'
                   "</bpmndi:BPMNShape>")
    for node in nodes:
        x, y, w, h = node.bounds()
        marker = ' isMarkerVisible="true"' if node.kind == "gateway" else ""
        out.append(f'      <bpmndi:BPMNShape id="{node.id}_di" bpmnElement="{node.id}"{marker}>'
                   f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" /></bpmndi:BPMNShape>')
    for fid, source, target, _label, _condition in flows:
        points = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in _waypoints(by_id[source], by_id[target]))
        out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">{points}</bpmndi:BPMNEdge>')
    out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", ""]
    return "\n".join(out)


def starter_tariff(code: str, name: str) -> str:
    """A fee table by category; the admin replaces the rows with the regional regulation's tariffs."""
    did = f"tarif_{slug(code)}"
    rules = [("kecil", 50000), ("sedang", 100000), ("besar", 200000)]
    rows = "".join(
        f'<rule id="Rule_{key}"><inputEntry id="In_{key}"><text>"{key}"</text></inputEntry>'
        f'<outputEntry id="Out_{key}"><text>{amount}</text></outputEntry></rule>\n      '
        for key, amount in rules)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
            f'id="Definitions_{did}" name={quoteattr("Tarif " + name)} namespace="http://ptsp-el/dmn">\n'
            f'  <decision id="{did}" name={quoteattr("Tarif Retribusi " + name)}>\n'
            f'    <decisionTable id="DecisionTable_{did}" hitPolicy="UNIQUE">\n'
            '      <input id="Input_kategori" label="Kategori">'
            '<inputExpression id="InputExpression_kategori" typeRef="string"><text>kategori</text></inputExpression>'
            '</input>\n'
            '      <output id="Output_tarif" label="Tarif per unit (Rp)" name="tarif" typeRef="number" />\n'
            f'      {rows}</decisionTable>\n  </decision>\n</definitions>\n')


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def starter_forms(code: str, name: str, requirements: list[str], has_retribution: bool) -> dict[str, str]:
    """The application form (details, category and one upload per requirement document)."""
    uploads = {f"berkas_{i}": req for i, req in enumerate(requirements or ["Kartu Tanda Penduduk (KTP)"], start=1)}
    properties = {
        "nama_usaha": {"type": "string", "title": "Nama usaha / kegiatan", "minLength": 3, "maxLength": 200},
        "alamat_lokasi": {"type": "string", "title": "Alamat lokasi", "minLength": 5, "maxLength": 300},
    }
    order = ["nama_usaha", "alamat_lokasi"]
    if has_retribution:
        properties["kategori"] = {"type": "string", "title": "Kategori", "oneOf": [
            {"const": "kecil", "title": "Kecil"}, {"const": "sedang", "title": "Sedang"},
            {"const": "besar", "title": "Besar"}]}
        properties["jumlah_unit"] = {"type": "integer", "title": "Jumlah unit", "minimum": 1, "maximum": 1000}
        order += ["kategori", "jumlah_unit"]
    for key, title in uploads.items():
        properties[key] = {"type": "string", "format": "file", "title": title}
    order += list(uploads)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"Permohonan {name}",
              "type": "object", "required": order, "properties": properties}
    ui = {"ui:order": order, "ui:summary": ["nama_usaha", "alamat_lokasi"], "alamat_lokasi": {"ui:widget": "textarea"}}
    if has_retribution:
        ui["kategori"] = {"ui:widget": "select"}
    files = {f"forms/{code}/permohonan.schema.json": _dump(schema),
             f"forms/{code}/permohonan.uischema.json": _dump(ui)}
    if has_retribution:
        files[f"forms/{code}/penetapan-retribusi.schema.json"] = _dump({
            "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Penetapan Retribusi (SKRD)",
            "type": "object", "required": ["penetapan_sesuai", "jatuh_tempo"],
            "properties": {
                "tarif": {"type": "integer", "title": "Tarif per unit (Rp)"},
                "retribusi": {"type": "integer", "title": "Jumlah retribusi terhitung (Rp)"},
                "penetapan_sesuai": {"type": "boolean", "title": "Perhitungan telah diperiksa dan sesuai tabel tarif",
                                     "const": True},
                "jatuh_tempo": {"type": "string", "format": "date", "title": "Tanggal jatuh tempo pembayaran"}}})
        files[f"forms/{code}/penetapan-retribusi.uischema.json"] = _dump({
            "ui:order": ["tarif", "retribusi", "penetapan_sesuai", "jatuh_tempo"],
            "tarif": {"ui:readonly": True, "ui:options": {"format": "rupiah"}},
            "retribusi": {"ui:readonly": True, "ui:options": {"format": "rupiah"}}})
    return files


SKRD_TEMPLATE = {
    "title": "Surat Ketetapan Retribusi Daerah (SKRD)",
    "signature": "segel",
    "blocks": [
        {"text": "Atas permohonan {permit_name} nomor registrasi {reg_number}, ditetapkan retribusi daerah sebagai "
                 "berikut:"},
        {"facts": [["Nama wajib retribusi", "{applicant_name}"], ["NIK", "{applicant_nik}"],
                   ["Objek retribusi", "{nama_usaha}, {alamat_lokasi}"], ["Kategori", "{kategori}"],
                   ["Jumlah unit", "{jumlah_unit}"]]},
        {"facts": [["Jumlah retribusi terutang", "{retribusi_rupiah}"], ["Jatuh tempo pembayaran", "{jatuh_tempo}"]]},
        {"text": "Pembayaran dilakukan melalui bank persepsi atau kanal pembayaran elektronik yang ditunjuk dengan "
                 "mencantumkan nomor registrasi {reg_number}."},
    ],
}


def starter_bundle(code: str, name: str, requirements: list[str], has_retribution: bool,
                   forms_dir: Path, templates_dir: Path) -> dict[str, str]:
    """Every file of a new permit type's first draft: diagram, forms, fee table and document templates."""
    files = {"proses.bpmn": starter_bpmn(code, name, has_retribution)}
    files.update(starter_forms(code, name, requirements, has_retribution))
    for form in (f for f in SHARED_FORMS if f"umum/{f}." in files["proses.bpmn"]):
        for part in ("schema", "uischema"):
            files[f"forms/umum/{form}.{part}.json"] = (forms_dir / "umum" / f"{form}.{part}.json").read_text("utf-8")
    for path in sorted(templates_dir.glob("*.json")):
        files[f"templates/{path.name}"] = path.read_text(encoding="utf-8")
    if has_retribution:
        files["tarif.dmn"] = starter_tariff(code, name)
        files["templates/skrd.json"] = _dump(SKRD_TEMPLATE)
    return files
