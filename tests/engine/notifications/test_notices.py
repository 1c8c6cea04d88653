"""Who hears of an event, on which channel, in which language, and what counts as read."""

from __future__ import annotations

from sqlalchemy import select

from engine.notifications import notices
from engine.notifications.models import Notification
from tests.factories import submit


def _notices(session, application) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.application_id == application.id)))


def test_without_a_choice_email_and_whatsapp_go_out_when_the_person_gave_a_number(session, user):
    applicant = user("pemohon")
    preference = notices.preference_of(session, applicant)
    assert notices.addresses(applicant, preference) == {"email": "pemohon@demo.test", "whatsapp": "6281234567890"}
    notice = notices.notify(session, applicant, "diterima", "k1", {"nomor": "REK-1"}, reachable=frozenset({"email"}))
    assert [d.channel for d in notice.deliveries] == ["email"]  # no WhatsApp gateway here: not queued
    assert notices.notify(session, applicant, "diterima", "k1", {"nomor": "REK-1"}) is None  # once per event
    session.rollback()


def test_a_person_without_phone_or_with_email_off_gets_the_in_app_notice_only(session, services, user):
    applicant = user("pemohon")
    notices.set_preference(session, applicant, email=False, sms=True, whatsapp=True, attach_pdf=False, language="en")
    phone, applicant.phone = applicant.phone, None
    session.commit()
    try:
        application = submit(session, services, user)
        [notice] = _notices(session, application)
        assert notice.deliveries == [] and notice.title.startswith("We have received application")
        assert notices.unread_count(session, applicant) == 1
        notices.mark_read(session, applicant)
        assert notices.unread_count(session, applicant) == 0
    finally:
        applicant.phone = phone
        session.commit()


def test_the_system_accounts_and_nobody_are_not_told(session, user):
    bank = user("pemohon")
    assert notices.notify(session, None, "diterima", "k2", {}) is None
    email, bank.email = bank.email, "uji-akun@sistem.invalid"
    try:
        assert "email" not in notices.addresses(bank, notices.preference_of(session, bank))
    finally:
        bank.email = email
    session.rollback()
