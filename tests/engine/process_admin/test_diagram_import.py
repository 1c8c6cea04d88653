"""Diagrams made in other modelers (Camunda Modeler 7 and 8, Signavio): each imports into a draft
and every problem is a finding on its element; what the editor cannot open is refused and the
draft is kept as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from engine.core.errors import ProcessDefinitionError
from engine.core.models import AuditEvent
from engine.process_admin import drafts
from engine.workflow import dry_run
from engine.workflow.diagram_terms import NS
from tests.factories import FOREIGN_BPMN
from tests.timeline import at


def _import(session, user, permit_type, data):
    notes = drafts.replace_diagram(session, user("proses"), permit_type, data, now=at(2, 9))
    session.commit()
    files = drafts.draft_of(session, permit_type).files
    return notes, files, drafts.validate(files)


@pytest.mark.parametrize(
    "file_name, expected",
    [
        (
            "camunda7_izin_keramaian.bpmn",
            {
                ("Activity_isi_permohonan", "tidak menunjuk formulir"),
                ("Activity_verifikasi", "tidak menunjuk formulir"),
                ("Activity_notifikasi", "tidak didukung: tugas layanan"),
                ("Flow_lengkap", "JUEL/FEEL"),
                ("Flow_tidak_lengkap", "JUEL/FEEL"),
            },
        ),
        (
            "camunda8_izin_keramaian.bpmn",
            {
                ("Task_verifikasi", "tidak berada di lajur"),
                ("Task_verifikasi", "tidak menunjuk formulir"),
                ("Task_tarif", "tidak menyebut tabel keputusan"),
                ("Flow_besar", "JUEL/FEEL"),
                ("Flow_kecil", "JUEL/FEEL"),
                ("Event_batas_waktu", 'tanda kutip, mis. "PT2H"'),
            },
        ),
        (
            "signavio_izin_keramaian.bpmn",
            {
                ("sid-pesan-rekomendasi", "tidak didukung: alur pesan"),
                ("sid-tugas-survei", "tidak menunjuk formulir"),
                ("sid-alur-ya", "tidak punya kondisi"),
                ("sid-alur-tidak", "tidak punya kondisi"),
                ("sid-data-ba", "tidak didukung: objek data"),
                ("sid-ref-ba", "tidak didukung: referensi objek data"),
            },
        ),
    ],
)
def test_a_diagram_from_another_modeler_imports_with_each_problem_on_its_element(
    session, user, made, file_name, expected
):
    permit_type = made()
    notes, files, findings = _import(session, user, permit_type, (FOREIGN_BPMN / file_name).read_bytes())
    assert files["proses.bpmn"].startswith('<?xml version="1.0" encoding="UTF-8"?>')
    # Exactly these problems, each naming the element an admin clicks to mend it.
    assert len(findings) == len(expected)
    for element_id, fragment in expected:
        assert any(eid == element_id and fragment in message for eid, message in findings), (element_id, findings)
    with pytest.raises(ProcessDefinitionError):
        drafts.publish_draft(session, user("proses"), permit_type, now=at(2, 10))
    session.rollback()
    assert permit_type.versions == []


def test_camunda_attributes_the_engine_ignores_are_noted_on_their_elements(session, user, made):
    notes, _, _ = _import(session, user, made(), (FOREIGN_BPMN / "camunda7_izin_keramaian.bpmn").read_bytes())
    assert (
        "Activity_verifikasi",
        "candidateGroups dari modeler lain tidak dibaca; peran ditentukan oleh lajur",
    ) in notes
    assert any(eid == "Activity_isi_permohonan" and "formKey" in note for eid, note in notes)


def test_signavio_process_is_marked_executable_on_import(session, user, made):
    _, files, findings = _import(session, user, made(), (FOREIGN_BPMN / "signavio_izin_keramaian.bpmn").read_bytes())
    assert 'isExecutable="true"' in files["proses.bpmn"]
    assert not any("isExecutable" in message for _, message in findings)


def test_a_camunda_diagram_mended_as_in_the_editor_publishes_and_runs_its_paths(session, user, made):
    permit_type = made()
    _import(session, user, permit_type, (FOREIGN_BPMN / "camunda7_izin_keramaian.bpmn").read_bytes())
    root = etree.fromstring(drafts.draft_of(session, permit_type).files["proses.bpmn"].encode())
    # What an admin does in the properties panel: choose the form, rewrite the conditions in Python,
    # and turn the Java service task into a plain task.
    for task_id, form in (
        ("Activity_isi_permohonan", "izin-keramaian/permohonan"),
        ("Activity_verifikasi", "umum/verifikasi-berkas"),
    ):
        task = root.find(f".//bpmn:userTask[@id='{task_id}']", NS)
        extensions = etree.Element(f"{{{NS['bpmn']}}}extensionElements")
        task.insert(0, extensions)
        properties = etree.SubElement(extensions, f"{{{NS['spiffworkflow']}}}properties")
        for name, suffix in (("formJsonSchemaFilename", "schema"), ("formUiSchemaFilename", "uischema")):
            etree.SubElement(properties, f"{{{NS['spiffworkflow']}}}property", name=name, value=f"{form}.{suffix}.json")
    root.find(
        ".//bpmn:sequenceFlow[@id='Flow_lengkap']/bpmn:conditionExpression", NS
    ).text = "hasil_verifikasi == 'lengkap'"
    root.find(
        ".//bpmn:sequenceFlow[@id='Flow_tidak_lengkap']/bpmn:conditionExpression", NS
    ).text = "hasil_verifikasi != 'lengkap'"
    root.find(".//bpmn:serviceTask", NS).tag = f"{{{NS['bpmn']}}}task"
    drafts.save_draft_files(
        session, user("proses"), permit_type, {"proses.bpmn": etree.tostring(root, encoding="unicode")}, now=at(2, 10)
    )
    files = drafts.draft_of(session, permit_type).files
    assert drafts.validate(files) == []
    report = dry_run.run(files, {"Activity_verifikasi": {"hasil_verifikasi": "tidak_memenuhi"}})
    path = [step.element_id for step in report.steps]
    assert path == ["Activity_isi_permohonan", "Activity_verifikasi", "Gateway_lengkap", "Event_ditolak"], (
        path,
        report.stopped,
    )
    version = drafts.publish_draft(session, user("proses"), permit_type, now=at(2, 11))
    session.commit()
    assert version.number == 1


NO_LAYOUT = (
    b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
    b'<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>'
)
ENTITY = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY rahasia SYSTEM "file:///etc/hostname">]>' + NO_LAYOUT.replace(
    b'id="s"/>', b'id="s" name="&rahasia;"/>'
)


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "berkas kosong"),
        (
            b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'><bpmn:process",
            "XML tidak valid",
        ),
        ((Path(__file__).parents[3] / "processes" / "reklame" / "tarif.dmn").read_bytes(), "bukan berkas BPMN 2.0"),
        (NO_LAYOUT, "tidak menyimpan tata letak"),
        (ENTITY, "DOCTYPE"),
        (b"<a>" + b"x" * 1_000_001 + b"</a>", "terlalu besar"),
    ],
)
def test_a_file_the_editor_cannot_open_is_refused_and_the_draft_kept(session, user, made, data, fragment):
    permit_type = made()
    before = dict(drafts.draft_of(session, permit_type).files)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ProcessDefinitionError) as refused:
        drafts.replace_diagram(session, user("proses"), permit_type, data, now=at(2, 9))
    session.rollback()
    assert [eid for eid, _ in refused.value.findings] == ["proses.bpmn"]
    assert fragment in refused.value.findings[0][1]
    assert drafts.draft_of(session, permit_type).files == before
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_process_that_does_not_open_with_the_applicants_form_is_not_published(session, user, made):
    permit_type = made()
    files = drafts.draft_of(session, permit_type).files
    moved = files["proses.bpmn"].replace(
        '<bpmn:lane id="Lane_0" name="Pemohon">', '<bpmn:lane id="Lane_0" name="Front Office">'
    )
    drafts.save_draft_files(session, user("proses"), permit_type, {"proses.bpmn": moved}, now=at(2, 9))
    findings = drafts.validate(drafts.draft_of(session, permit_type).files)
    assert findings == [
        (
            "isi_permohonan",
            "tugas pertama harus formulir permohonan di lajur Pemohon; tanpa itu permohonan tidak dapat diajukan",
        )
    ]
    with pytest.raises(ProcessDefinitionError) as refused:
        drafts.publish_draft(session, user("proses"), permit_type, now=at(2, 10))
    session.rollback()
    assert refused.value.findings == findings and permit_type.versions == []


def test_findings_on_every_foreign_file_name_elements_and_vendor_data_is_not_bpmn(session, user, made):
    for path in sorted(FOREIGN_BPMN.glob("*.bpmn")):
        permit_type = made()
        notes, files, findings = _import(session, user, permit_type, path.read_bytes())
        root = etree.fromstring(path.read_bytes())
        ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        named = [element for element, _ in findings if element not in ids]
        assert not [n for n in named if n not in files and n != "(bundle)"], (path.name, named)
        assert not any("vp:" in m or "style" in m or "comment" in m for _, m in findings), (path.name, findings)
        assert len(findings) == len(set(findings))
        if path.name.startswith("visual_paradigm"):
            messages = {(e, m) for e, m in findings}
            # The parts of an unsupported element are not findings of their own; vendor data is ignored.
            assert ("_vp_isi", "elemen tidak didukung: ioSpecification") in messages
            assert not any("dataInput" in m or "inputSet" in m or "formalExpression" in m for _, m in messages)
            assert len(findings) < 12, findings
        session.delete(drafts.draft_of(session, permit_type))  # the next file gets the code afresh
        session.delete(permit_type)
        session.commit()
