"""The status check by SMS: ``CEK <nomor>`` answered once per inbound message, about the file and
never about the person."""

from __future__ import annotations

from engine.casework import status_sms
from tests.factories import submit


def test_the_answer_names_status_and_stage_and_is_queued_for_the_asking_phone(session, services, user, messaging):
    application = submit(session, services, user)
    reply = status_sms.answer(session, services, "IN-1", "0811 2233 4455", f"  cek   {application.reg_number}  ")
    [sms] = reply.deliveries
    assert (sms.channel, sms.address) == ("sms", "6281122334455")
    assert application.reg_number in sms.text and "Sedang diproses" in sms.text and "Budi" not in sms.text
    assert status_sms.answer(session, services, "IN-1", "081122334455", "CEK x") is None  # same message again
    session.rollback()


def test_an_unknown_number_or_another_text_gets_the_usage(session, services, messaging):
    unknown = status_sms.answer(session, services, "IN-2", "081122334455", "CEK REK-2000-000001")
    assert "tidak ditemukan" in unknown.deliveries[0].text
    other = status_sms.answer(session, services, "IN-3", "081122334455", "tolong cek izin saya")
    assert "Format: CEK <nomor registrasi>" in other.deliveries[0].text
    assert status_sms.answer(session, services, "IN-4", "12", "CEK REK-2000-000001") is None  # not a mobile
    session.rollback()


def test_without_an_sms_gateway_nothing_is_answered(session, services):
    assert status_sms.answer(session, services, "IN-5", "081122334455", "CEK REK-2000-000001") is None
