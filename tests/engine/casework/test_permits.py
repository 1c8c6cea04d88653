"""The head's administrative sanctions (Palu 2019 art. 19(2)): a written warning and the cancellation
of a permit about to be issued, each a signed decision the holder and the verification page see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.casework import permits
from engine.casework.tasks import complete_task
from engine.core.errors import Conflict, PermissionDenied, SigningRefused, ValidationFailed
from engine.core.models import AuditEvent
from engine.documents import verification
from engine.documents.documents import SignatureRequest
from engine.documents.models import Document
from engine.notifications.models import Notification
from engine.service_time import sla
from engine.service_time.models import ServiceClock
from engine.workflow import runtime
from engine.workflow.models import Application, WorkItem
from engine.workflow.version_forms import load_workflow
from tests.factories import open_item, submit, work
from tests.signing.test_documents import document_of, finish
from webapp.seeding import DEMO_PASSPHRASE

REASON = "Dokumen IMB yang diunggah ternyata palsu menurut pemeriksaan dinas teknis."
BASIS = "Perwali Palu No. 19 Tahun 2019 Pasal 19 ayat (2)"
HEAD = SignatureRequest(DEMO_PASSPHRASE)


def _until_skrd(session, services, user):
    """An application waiting on the applicant's payment: its SKRD is out, the permit is not."""
    application = submit(session, services, user)
    while document_of(session, application, "skrd") is None:
        work(session, services, user, application)
    return application


def _actions(session, application) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(AuditEvent.application_id == application.id)))


def test_a_written_warning_is_a_signed_letter_the_holder_and_the_verify_page_see(
    session, services, user, login, client
):
    application = finish(session, services, user)
    permit = document_of(session, application, "izin")
    warning = permits.warn(
        session, services, user("kadis"), application.id, REASON, BASIS, "Unggah IMB asli dalam 7 hari kerja.", HEAD
    )
    session.commit()

    assert warning.kind == "teguran" and warning.signature == "tte" and warning.number.count("TEGUR-")
    assert warning.grounds == REASON
    assert services.documents.verify(services.files.read(warning.sha256)).ok
    assert session.get(Document, permit.id).status == "berlaku"  # a warning leaves the permit in force
    assert "written_warning_issued" in _actions(session, application)
    note = session.scalar(
        select(Notification).where(
            Notification.user_id == application.applicant_id, Notification.kind == "izin_dicabut"
        )
    )
    assert warning.number in note.title and warning.number in note.message
    [mail] = note.deliveries
    assert (mail.channel, mail.address, mail.attachment_document_id) == (
        "email",
        application.applicant.email,
        warning.id,
    )
    assert warning.number in mail.subject and services.verify_url(warning.verify_code) in mail.text

    check = verification.check_code(session, services, permit.verify_code)
    assert check.authentic and check.in_force and [d.id for d in check.sanctions] == [warning.id]
    page = client.get(f"/verify/{permit.verify_code}").get_data(as_text=True)
    assert "Sanksi administratif atas permohonan ini" in page and warning.number in page and REASON in page
    answer = client.get(f"/api/v1/verify/{permit.verify_code}").get_json()
    assert answer["in_force"] and answer["sanctions"][0]["kind"] == "teguran"
    own = client.get(f"/verify/{warning.verify_code}").get_data(as_text=True)
    assert "Dokumen ASLI dan SAH" in own and "Alasan keputusan" in own

    login("pemohon")
    mine = client.get(f"/pemohon/permohonan/{application.id}").get_data(as_text=True)
    assert f"Anda menerima Surat Teguran Tertulis Nomor {warning.number}" in mine


def test_cancelling_the_permit_about_to_be_issued_stops_the_process_for_good(session, services, user, client):
    application = _until_skrd(session, services, user)
    bill = document_of(session, application, "skrd")
    waiting = open_item(session, application)
    decision = permits.cancel_before_issue(session, services, user("kadis"), application.id, REASON, BASIS, HEAD)
    session.commit()

    application = session.get(Application, application.id)
    assert decision.kind == "pembatalan_penerbitan" and decision.signature == "tte"
    assert application.status == "dibatalkan" and application.closed_at is not None
    assert application.outcome_reason == REASON and application.next_timer_at is None
    assert not session.scalars(
        select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open")
    ).all()
    assert runtime.outcome(load_workflow(application)) == "dibatalkan"
    assert session.get(Document, bill.id).status == "dibatalkan"  # the unpaid SKRD is no longer owed
    clock = session.get(ServiceClock, application.id)
    assert clock.ended_at is not None
    assert not sla.active_stops(session, application)  # the wait for payment ended with it
    assert document_of(session, application, "izin") is None
    assert "permit_issue_cancelled" in _actions(session, application)

    with pytest.raises(Conflict):  # the payment task was cancelled with the process
        complete_task(session, services, waiting.id, user("bendahara"), {}, [])
    session.rollback()
    with pytest.raises(Conflict):
        permits.cancel_before_issue(session, services, user("kadis"), application.id, REASON, BASIS, HEAD)
    session.rollback()

    receipt = document_of(session, application, "tanda_terima")
    check = verification.check_code(session, services, receipt.verify_code)
    assert [d.kind for d in check.sanctions] == ["pembatalan_penerbitan"]
    bill_page = client.get(f"/verify/{bill.verify_code}").get_data(as_text=True)
    assert "Dibatalkan" in bill_page and decision.number in bill_page
    assert client.get(f"/lacak?nomor={application.reg_number}").status_code in (200, 302)


def test_a_permit_already_issued_is_revoked_or_cancelled_not_its_issue(session, services, user):
    application = finish(session, services, user)
    with pytest.raises(Conflict, match="pencabutan atau pembatalan izin"):
        permits.cancel_before_issue(session, services, user("kadis"), application.id, REASON, BASIS, HEAD)
    session.rollback()
    rejected = finish(
        session,
        services,
        user,
        overrides={
            "hasil_verifikasi": "tidak_memenuhi",
            "alasan_penolakan": "Lokasi berada di kawasan larangan reklame.",
        },
    )
    with pytest.raises(Conflict, match="sudah berakhir"):
        permits.cancel_before_issue(session, services, user("kadis"), rejected.id, REASON, BASIS, HEAD)


def test_sanctions_need_the_head_a_reason_a_legal_basis_and_his_passphrase(session, services, user):
    application = _until_skrd(session, services, user)
    for who in ("fo", "teknis", "pemohon"):
        with pytest.raises(PermissionDenied):
            permits.warn(session, services, user(who), application.id, REASON, BASIS, "Perbaiki berkas.", HEAD)
        with pytest.raises(PermissionDenied):
            permits.cancel_before_issue(session, services, user(who), application.id, REASON, BASIS, HEAD)
    with pytest.raises(ValidationFailed) as caught:
        permits.warn(session, services, user("kadis"), application.id, "singkat", "", " ", HEAD)
    assert set(caught.value.errors) == {"alasan", "dasar_hukum", "kewajiban"}
    with pytest.raises(SigningRefused):
        permits.cancel_before_issue(
            session, services, user("kadis"), application.id, REASON, BASIS, SignatureRequest("bukan-passphrase")
        )
    session.rollback()
    application = session.get(Application, application.id)
    assert application.status == "diproses" and application.closed_at is None
    assert document_of(session, application, "pembatalan_penerbitan") is None
    assert document_of(session, application, "skrd").status == "berlaku"
    assert open_item(session, application).state == "open"
