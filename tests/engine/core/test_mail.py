"""The outbox: mail is queued with the change that asks for it and sent by the scheduler, once,
again after a failure, and taken over from a scheduler that stopped mid-send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from engine.core.mail import Mail, MailFailed, deliver_pending, queue
from engine.core.models import OutboxMail

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


class Flaky:
    def __init__(self, failures=0):
        self.failures, self.sent = failures, []

    def send(self, mail):
        if self.failures:
            self.failures -= 1
            raise MailFailed("SMTPServerDisconnected: server down")
        self.sent.append(mail)


def test_a_queued_mail_is_sent_once_and_its_body_emptied(session):
    queue(session, Mail("warga@contoh.test", "Pemulihan", "tautan rahasia"), NOW)
    session.commit()
    sender = Flaky()
    assert deliver_pending(session, sender, NOW) == 1
    assert deliver_pending(session, sender, NOW + timedelta(minutes=1)) == 0
    assert [m.body for m in sender.sent] == ["tautan rahasia"]
    row = session.scalar(select(OutboxMail))
    assert row.sent_at is not None and row.body == ""


def test_a_failed_send_is_tried_again_at_the_next_sweep_up_to_five_times(session):
    queue(session, Mail("warga@contoh.test", "Aktivasi", "tautan"), NOW)
    session.commit()
    sender = Flaky(failures=1)
    assert deliver_pending(session, sender, NOW) == 0
    row = session.scalar(select(OutboxMail))
    assert row.attempts == 1 and row.claimed_at is None and "server down" in row.last_error
    assert deliver_pending(session, sender, NOW + timedelta(minutes=1)) == 1
    queue(session, Mail("lain@contoh.test", "Aktivasi", "tautan"), NOW)
    session.commit()
    never = Flaky(failures=99)
    for minute in range(8):
        deliver_pending(session, never, NOW + timedelta(minutes=minute))
    stuck = session.scalar(select(OutboxMail).where(OutboxMail.recipient == "lain@contoh.test"))
    assert stuck.attempts == 5 and stuck.sent_at is None


def test_a_claim_left_by_a_stopped_scheduler_is_taken_over_after_ten_minutes(session):
    queue(session, Mail("warga@contoh.test", "Aktivasi", "tautan"), NOW)
    session.commit()
    row = session.scalar(select(OutboxMail))
    row.claimed_at = NOW  # a scheduler claimed it, then died before sending
    session.commit()
    sender = Flaky()
    assert deliver_pending(session, sender, NOW + timedelta(minutes=5)) == 0
    assert deliver_pending(session, sender, NOW + timedelta(minutes=11)) == 1
