"""Bundles are linted before SpiffWorkflow sees them; bad ones are refused with the element id."""

import pytest

from engine.core.errors import ProcessDefinitionError
from engine.workflow.specs import lint_bundle, parse_bundle
from tests.factories import bundle


@pytest.mark.parametrize("kind", ["reklame", "sip"])
def test_shipped_processes_lint_clean_and_parse(kind):
    _, files = bundle(kind)
    assert lint_bundle(files) == []
    assert parse_bundle(files).process_id


def _findings(files):
    with pytest.raises(ProcessDefinitionError) as caught:
        parse_bundle(files)
    return caught.value.findings


@pytest.mark.parametrize(
    "payload",
    [
        "__import__('os').system('id')",
        "open('/etc/passwd').read()",
        "().__class__.__base__.__subclasses__()",
    ],
)
def test_script_with_sandbox_escape_is_refused_naming_the_task(payload):
    _, files = bundle("reklame")
    files["proses.bpmn"] = files["proses.bpmn"].replace(
        "retribusi = int(Decimal(tarif_per_m2) * luas_m2 * jumlah_sisi * masa_berlaku_tahun)", payload
    )
    findings = _findings(files)
    assert any(eid == "hitung_retribusi" and "ditolak" in msg for eid, msg in findings), findings


def test_condition_with_escape_is_refused_naming_the_flow():
    _, files = bundle()
    files["proses.bpmn"] = files["proses.bpmn"].replace('hasil_verifikasi == "lengkap"', "open('/etc/passwd') and True")
    assert ("f_lengkap", "kondisi ditolak: fungsi 'open' tidak diizinkan (baris 1)") in _findings(files)


def test_dmn_cell_with_escape_is_refused():
    _, files = bundle("reklame")
    files["tarif.dmn"] = files["tarif.dmn"].replace("<text>400000</text>", "<text>().__class__</text>")
    assert any(eid == "Out_videotron" for eid, _ in _findings(files))


def test_malformed_xml_is_refused_with_file_name():
    _, files = bundle()
    files["proses.bpmn"] = files["proses.bpmn"][:500]
    findings = _findings(files)
    assert findings[0][0] == "proses.bpmn" and "XML tidak valid" in findings[0][1]


def test_missing_form_is_refused():
    _, files = bundle()
    del files["forms/umum/jadwal-survei.schema.json"]
    assert ("jadwal_survei", "berkas formulir 'umum/jadwal-survei.schema.json' tidak ditemukan") in _findings(files)


def test_gateway_flow_without_condition_is_refused():
    _, files = bundle()
    files["proses.bpmn"] = files["proses.bpmn"].replace(
        '<bpmn:conditionExpression>hasil_verifikasi == "tidak_lengkap"</bpmn:conditionExpression>', ""
    )
    assert any(eid == "f_tidak_lengkap" for eid, _ in _findings(files))


def test_unknown_lane_is_refused():
    _, files = bundle()
    files["proses.bpmn"] = files["proses.bpmn"].replace('name="Tim Teknis"', 'name="Dinas Lain"')
    assert any(eid == "jadwal_survei" and "Dinas Lain" in msg for eid, msg in _findings(files))


def test_flow_to_missing_element_is_refused():
    _, files = bundle()
    files["proses.bpmn"] = files["proses.bpmn"].replace('targetRef="penyerahan"', 'targetRef="tidak_ada"')
    assert any("tidak_ada" in msg for _, msg in _findings(files))


@pytest.mark.parametrize(
    "before, after, element, fragment",
    [
        ('name="document" value="izin"', 'name="document" value="rekomendasi"', "terbitkan_izin", "tidak dikenal"),
        ('name="outcome" value="gugur"', 'name="outcome" value="batal"', "gugur", "hasil akhir (outcome)"),
        (
            'name="clockStop" value="pembayaran"',
            'name="clockStop" value="survei"',
            "konfirmasi_pembayaran",
            "clockStop harus",
        ),
        ('name="signature" value="true"', 'name="signature" value="ya"', "berita_acara", "signature harus"),
        ("{&quot;keputusan_kepala&quot;: &quot;setujui&quot;}", "setujui", "persetujuan_kepala", "objek JSON"),
    ],
)
def test_task_properties_the_engine_reads_are_checked_naming_the_element(before, after, element, fragment):
    _, files = bundle("reklame")
    assert before in files["proses.bpmn"]
    files["proses.bpmn"] = files["proses.bpmn"].replace(before, after, 1)
    assert any(eid == element and fragment in message for eid, message in _findings(files)), _findings(files)


def test_a_document_without_its_template_is_refused_naming_the_task():
    _, files = bundle("reklame")
    del files["templates/skrd.json"]
    assert ("penetapan_retribusi", "templat dokumen 'skrd' tidak ada dalam draf") in _findings(files)
