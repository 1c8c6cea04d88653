"""Deliveries go out after commit, once each however many schedulers run, and wait longer after each
failure; a gateway's refusal ends the tries at once and says why."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.clock import utcnow
from engine.notifications import notices
from engine.notifications.delivery import MAX_ATTEMPTS, backoff, deliver_pending, gateways_of
from engine.notifications.models import Notification, NotificationDelivery
from tests.factories import submit


def _all_channels(session, user):
    notices.set_preference(
        session, user("pemohon"), email=True, sms=True, whatsapp=True, attach_pdf=True, language="id"
    )
    session.commit()


def test_the_wait_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 12)] == [1, 2, 4, 8, 60, 60, 60]


def test_three_schedulers_at_once_send_each_delivery_once(session, services, user, messaging, engine):
    _all_channels(session, user)
    for _ in range(3):
        submit(session, services, user)
    sent = []

    def run():
        with Session(engine) as own:
            sent.append(deliver_pending(own, gateways_of(own, services)))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(sent) == 9
    assert all(m.sends == 1 for m in messaging.state.messages) and len(messaging.state.messages) == 9


def test_a_mail_server_that_stays_away_is_given_up_on_after_ten_tries(session, services, user, messaging):
    application = submit(session, services, user)
    messaging.sink.stop()
    moment = utcnow()
    for _ in range(MAX_ATTEMPTS + 2):
        deliver_pending(session, gateways_of(session, services), moment)
        moment += timedelta(hours=1, minutes=1)
    [mail] = session.scalars(
        select(NotificationDelivery)
        .join(Notification)
        .where(Notification.application_id == application.id, NotificationDelivery.channel == "email")
    )
    assert (mail.status, mail.attempts) == ("gagal", MAX_ATTEMPTS)
    assert mail.last_error.startswith("Server email tidak dapat dihubungi")


def test_a_gateway_that_refuses_a_message_gives_up_at_once_and_says_why(session, services, user, messaging):
    _all_channels(session, user)
    messaging.connectors.sms.headers["Authorization"] = "salah"
    application = submit(session, services, user)
    deliver_pending(session, gateways_of(session, services))
    [sms] = session.scalars(
        select(NotificationDelivery)
        .join(Notification)
        .where(Notification.application_id == application.id, NotificationDelivery.channel == "sms")
    )
    assert sms.status == "gagal" and "menolak" in sms.last_error and sms.attempts == 1
    assert application.status == "diproses"  # the file is not held up


def test_a_slow_gateway_is_tried_again_later(session, services, user, messaging):
    _all_channels(session, user)
    messaging.mode("whatsapp", "mati")
    application = submit(session, services, user)
    deliver_pending(session, gateways_of(session, services))
    [wa] = session.scalars(
        select(NotificationDelivery)
        .join(Notification)
        .where(Notification.application_id == application.id, NotificationDelivery.channel == "whatsapp")
    )
    assert (wa.status, wa.attempts) == ("menunggu", 1)
    messaging.mode("whatsapp", "normal")
    assert deliver_pending(session, gateways_of(session, services), utcnow() + timedelta(minutes=2)) == 1
    session.refresh(wa)
    assert wa.status == "terkirim"
