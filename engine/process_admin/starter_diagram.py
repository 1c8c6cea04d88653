"""The starting diagram of a new permit type, laid out so it opens tidily in the modeler: the
agencies' usual service flow in lanes per role (front office, technical team, treasurer, Kepala
Dinas), one column per step, with the SpiffWorkflow properties the engine reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

LANE_HEIGHT = 220
COLUMN = 150
LEFT = 160
TOP = 80
SIZES = {"start": (36, 36), "end": (36, 36), "gateway": (50, 50)}
TAGS = {
    "start": "startEvent",
    "end": "endEvent",
    "user": "userTask",
    "script": "scriptTask",
    "rule": "businessRuleTask",
    "gateway": "exclusiveGateway",
}
SHARED_FORMS = ("verifikasi-berkas", "berita-acara", "konfirmasi-pembayaran", "persetujuan-kepala", "penyerahan")


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
    return {
        "formJsonSchemaFilename": f"{form}.schema.json",
        "formUiSchemaFilename": f"{form}.uischema.json",
        "stage": stage,
        **more,
    }


def _flow_ids(flows):
    return [(f"f_{i:02d}", *flow) for i, flow in enumerate(flows, start=1)]


def _layout(code: str, has_retribution: bool):
    """Lanes, nodes and flows (source, target, name, condition) of the starting diagram."""
    lanes = (
        ["Pemohon", "Front Office", "Tim Teknis"]
        + (["Penetapan Retribusi"] if has_retribution else [])
        + ["Kepala Dinas"]
    )
    fee = 1 if has_retribution else 0
    head = 3 + fee
    nodes = [
        Node("mulai", "start", "Permohonan dibuat", 0, 0),
        Node("isi_permohonan", "user", "Isi Permohonan", 0, 1, props=_user(f"{code}/permohonan", "Pengajuan")),
        Node(
            "verifikasi_berkas",
            "user",
            "Verifikasi Berkas",
            1,
            2,
            props=_user(
                "umum/verifikasi-berkas", "Verifikasi Berkas", deemedApproval='{"hasil_verifikasi": "lengkap"}'
            ),
        ),
        Node("gw_verifikasi", "gateway", "Hasil verifikasi?", 1, 3),
        Node(
            "perbaiki_permohonan",
            "user",
            "Perbaiki Permohonan",
            0,
            3,
            props=_user(f"{code}/permohonan", "Perbaikan oleh Pemohon"),
        ),
        Node("tanda_terima", "script", "Terbitkan Tanda Terima", 1, 4, props={"document": "tanda_terima"}, body="pass"),
        Node(
            "surat_penolakan",
            "script",
            "Terbitkan Surat Penolakan",
            1,
            4,
            row=1,
            props={"document": "penolakan"},
            body="pass",
        ),
        Node("ditolak", "end", "Permohonan ditolak", 1, 5, row=1, props={"outcome": "ditolak"}),
        Node(
            "berita_acara",
            "user",
            "Berita Acara Pemeriksaan",
            2,
            5,
            props=_user(
                "umum/berita-acara",
                "Tim Teknis",
                document="berita_acara",
                signature="true",
                deemedApproval='{"rekomendasi": "direkomendasikan"}',
            ),
        ),
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
            Node(
                "penetapan_retribusi",
                "user",
                "Penetapan Retribusi (SKRD)",
                3,
                9,
                props=_user(f"{code}/penetapan-retribusi", "Penetapan Retribusi", document="skrd"),
            ),
            Node(
                "konfirmasi_pembayaran",
                "user",
                "Konfirmasi Pembayaran",
                3,
                10,
                props=_user("umum/konfirmasi-pembayaran", "Pembayaran Retribusi", clockStop="pembayaran"),
            ),
        ]
        flows += [
            ("hitung_tarif", "hitung_retribusi", None, None),
            ("hitung_retribusi", "penetapan_retribusi", None, None),
            ("penetapan_retribusi", "konfirmasi_pembayaran", None, None),
            ("konfirmasi_pembayaran", "persetujuan_kepala", None, None),
        ]
        after_recommendation = "hitung_tarif"
        col = 11
    flows.append(("gw_rekomendasi", after_recommendation, "Direkomendasikan", 'rekomendasi == "direkomendasikan"'))
    nodes += [
        Node(
            "persetujuan_kepala",
            "user",
            "Persetujuan Kepala Dinas",
            head,
            col,
            props=_user(
                "umum/persetujuan-kepala",
                "Persetujuan Kepala Dinas",
                signature="true",
                deemedApproval='{"keputusan_kepala": "setujui"}',
            ),
        ),
        Node("gw_persetujuan", "gateway", "Disetujui?", head, col + 1),
        Node(
            "terbitkan_izin",
            "script",
            "Terbitkan dan Tandatangani Izin",
            head,
            col + 2,
            props={"document": "izin"},
            body="pass",
        ),
        Node(
            "penyerahan",
            "user",
            "Penyerahan Izin",
            1,
            col + 3,
            props=_user("umum/penyerahan", "Penyerahan", deemedApproval="{}"),
        ),
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
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
        f'id="Definitions_{pid}" targetNamespace="http://bpmn.io/schema/bpmn">',
        f'  <bpmn:collaboration id="Collaboration_{pid}">',
        f'    <bpmn:participant id="Participant_{pid}" name={quoteattr(name)} processRef="{pid}" />',
        "  </bpmn:collaboration>",
        f'  <bpmn:process id="{pid}" name={quoteattr(name)} isExecutable="true">',
        f'    <bpmn:laneSet id="LaneSet_{pid}">',
    ]
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
        out.append(
            f'    <bpmn:{TAGS[node.kind]} id="{node.id}" name={quoteattr(node.name)}>{inner}</bpmn:{TAGS[node.kind]}>'
        )
    for fid, source, target, label, condition in flows:
        named = f" name={quoteattr(label)}" if label else ""
        body = f"<bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>" if condition else ""
        out.append(
            f'    <bpmn:sequenceFlow id="{fid}"{named} sourceRef="{source}" targetRef="{target}">{body}'
            "</bpmn:sequenceFlow>"
        )
    out.append("  </bpmn:process>")
    width = 60 + columns * COLUMN
    out += [
        f'  <bpmndi:BPMNDiagram id="Diagram_{pid}">',
        f'    <bpmndi:BPMNPlane id="Plane_{pid}" bpmnElement="Collaboration_{pid}">',
        f'      <bpmndi:BPMNShape id="Participant_{pid}_di" bpmnElement="Participant_{pid}" isHorizontal="true">'
        f'<dc:Bounds x="{LEFT - 30}" y="{TOP}" width="{width + 30}" height="{LANE_HEIGHT * len(lanes)}" />'
        "</bpmndi:BPMNShape>",
    ]
    for index in range(len(lanes)):
        out.append(
            f'      <bpmndi:BPMNShape id="Lane_{index}_di" bpmnElement="Lane_{index}" isHorizontal="true">'
            f'<dc:Bounds x="{LEFT}" y="{TOP + index * LANE_HEIGHT}" width="{width}" height="{LANE_HEIGHT}" />'
            "</bpmndi:BPMNShape>"
        )
    for node in nodes:
        x, y, w, h = node.bounds()
        marker = ' isMarkerVisible="true"' if node.kind == "gateway" else ""
        out.append(
            f'      <bpmndi:BPMNShape id="{node.id}_di" bpmnElement="{node.id}"{marker}>'
            f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" /></bpmndi:BPMNShape>'
        )
    for fid, source, target, _label, _condition in flows:
        points = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in _waypoints(by_id[source], by_id[target]))
        out.append(f'      <bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">{points}</bpmndi:BPMNEdge>')
    out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", ""]
    return "\n".join(out)
