"""Process administration: a permit type made from nothing, drafts judged before publishing,
running applications kept on their version, and the archive one agency hands another."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.core.errors import ProcessDefinitionError, ValidationFailed
from engine.process_admin import drafts
from engine.workflow.models import ProcessVersion
from tests.timeline import at, step, submit


def test_changing_a_published_process_leaves_running_applications_on_their_version(
    session, services, user, processes_restored
):
    running = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    sip = running.permit_type
    old = running.process_version
    draft = drafts.open_draft(session, user("proses"), sip, now=at(2, 9))
    bpmn = draft.files["proses.bpmn"].replace('name="Penyerahan Izin"', 'name="Penyerahan Izin Elektronik"')
    drafts.save_draft_files(session, user("proses"), sip, {"proses.bpmn": bpmn}, now=at(2, 9))
    new = drafts.publish_draft(session, user("proses"), sip, now=at(2, 10))
    session.commit()
    assert new.number > old.number and new.published and not old.published
    fresh = submit(session, services, user, "surat-izin-praktik", at(2, 11))
    assert fresh.process_version_id == new.id and running.process_version_id == old.id
    moment = iter(at(d, h) for d in (3, 4, 5, 6, 9) for h in (9, 13))
    while running.status == "diproses":
        item = step(session, services, user, running, next(moment))
    assert running.status == "selesai" and item.title == "Penyerahan Izin"

    drafts.roll_back(session, user("proses"), sip, old.number, now=at(9, 14))
    session.commit()
    assert submit(session, services, user, "surat-izin-praktik", at(9, 15)).process_version_id == old.id
    assert fresh.process_version_id == new.id


BROKEN = {
    "malformed XML": (lambda b: b.replace("</bpmn:process>", "</bpmn:proses>"), "proses.bpmn", "XML tidak valid"),
    "missing form": (
        lambda b: b.replace("umum/penyerahan.schema.json", "umum/hilang.schema.json"),
        "penyerahan",
        "tidak ditemukan",
    ),
    "sandbox escape": (
        lambda b: b.replace(
            "<bpmn:script>retribusi = int(tarif * jumlah_unit)</bpmn:script>",
            "<bpmn:script>().__class__.__base__.__subclasses__()</bpmn:script>",
        ),
        "hitung_retribusi",
        "ditolak",
    ),
    "gateway without conditions": (
        lambda b: b.replace(
            '<bpmn:conditionExpression>hasil_verifikasi == "tidak_lengkap"</bpmn:conditionExpression>', ""
        ),
        "f_05",
        "tidak punya kondisi",
    ),
    "unsupported element": (
        lambda b: b.replace('<bpmn:scriptTask id="tanda_terima"', '<bpmn:serviceTask id="tanda_terima"').replace(
            '</bpmn:scriptTask>\n    <bpmn:scriptTask id="surat_penolakan"',
            '</bpmn:serviceTask>\n    <bpmn:scriptTask id="surat_penolakan"',
        ),
        "tanda_terima",
        "tidak didukung",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_draft_is_refused_with_findings_naming_the_element(session, user, made, case):
    change, element, words = BROKEN[case]
    permit_type = made()
    draft = drafts.draft_of(session, permit_type)
    bpmn = change(draft.files["proses.bpmn"])
    assert bpmn != draft.files["proses.bpmn"]
    drafts.save_draft_files(session, user("proses"), permit_type, {"proses.bpmn": bpmn})
    session.commit()
    with pytest.raises(ProcessDefinitionError) as refused:
        drafts.publish_draft(session, user("proses"), permit_type)
    session.rollback()
    assert any(eid == element and words in message for eid, message in refused.value.findings), refused.value.findings
    assert (
        session.scalar(
            select(func.count()).select_from(ProcessVersion).where(ProcessVersion.permit_type_id == permit_type.id)
        )
        == 0
    )
    assert drafts.draft_of(session, permit_type).files["proses.bpmn"] == bpmn  # the draft is kept


def test_a_form_that_is_not_a_json_schema_is_not_saved(session, user, made):
    permit_type = made()
    before = drafts.draft_of(session, permit_type).files["forms/izin-keramaian/permohonan.schema.json"]
    with pytest.raises(ValidationFailed) as refused:
        drafts.save_draft_files(
            session,
            user("proses"),
            permit_type,
            {
                "forms/izin-keramaian/permohonan.schema.json": '{"type": "object", "properties": {"a": {"type": "teks"}}}'
            },
        )
    session.rollback()
    assert "JSON Schema tidak sah" in refused.value.errors["forms/izin-keramaian/permohonan.schema.json"]
    assert drafts.draft_of(session, permit_type).files["forms/izin-keramaian/permohonan.schema.json"] == before


def test_every_change_is_audited_with_a_diff(session, user, made):
    from engine.core.models import AuditEvent

    permit_type = made()
    draft = drafts.draft_of(session, permit_type)
    bpmn = draft.files["proses.bpmn"].replace('name="Verifikasi Berkas"', 'name="Pemeriksaan Berkas"')
    drafts.save_draft_files(session, user("proses"), permit_type, {"proses.bpmn": bpmn})
    session.commit()
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "draft_changed").order_by(AuditEvent.id.desc())
    )
    assert event.actor_id == user("proses").id
    lines = event.summary["diff"]["proses.bpmn"]
    assert any(line.startswith("-") and 'name="Verifikasi Berkas"' in line for line in lines)
    assert any(line.startswith("+") and 'name="Pemeriksaan Berkas"' in line for line in lines)
