"""Forgotten passwords: a signed link by email, good for one use within an hour; the page answers
the same for unknown emails; a new password ends every other session and token."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from engine.accounts import passwords, users
from engine.accounts.models import User
from engine.core.clock import utcnow
from engine.core.models import AuditEvent

NEW = "Kopi-Tubruk-Palembang-77"


def _link(message) -> str:
    body = message.get_content()
    return re.search(r"http://127\.0\.0\.1:5000(/pulihkan/\S+)", body).group(1)


def _restore(session, email="bendahara@demo.test"):
    account = session.scalar(select(User).where(User.email == email))
    account.password_hash = passwords.hash_password("demo12345")
    session.commit()


def test_a_reset_link_is_emailed_used_once_and_ends_other_sessions(app, login, outbox, session):
    other_browser = login("bendahara", app.test_client())
    client = app.test_client()
    page = client.post("/lupa-kata-sandi", data={"email": "Bendahara@demo.test"})
    assert page.status_code == 200 and "Bila email tersebut terdaftar" in page.get_data(as_text=True)
    [message] = outbox()
    assert message["To"] == "bendahara@demo.test" and "berlaku satu jam" in message.get_content()
    link = _link(message)
    try:
        assert client.get(link).status_code == 200
        weak = client.post(link, data={"new": "rahasia123", "confirm": "rahasia123"})
        assert weak.status_code == 422 and "mudah ditebak" in weak.get_data(as_text=True)
        done = client.post(link, data={"new": NEW, "confirm": NEW})
        assert done.status_code == 302 and "/masuk" in done.headers["Location"]
        again = client.get(link)
        assert again.status_code == 410 and "tidak berlaku" in again.get_data(as_text=True)
        assert client.post(link, data={"new": NEW + "x", "confirm": NEW + "x"}).status_code == 410
        moved = other_browser.get("/petugas/")
        assert moved.status_code == 302 and "/masuk" in moved.headers["Location"]
        assert (
            app.test_client().post("/masuk", data={"email": "bendahara@demo.test", "password": NEW}).status_code == 302
        )
        actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("password_reset%"))))
        assert actions == {"password_reset_requested", "password_reset_completed"}
    finally:
        _restore(session)


def test_an_unknown_email_gets_the_same_page_and_no_mail(app, outbox):
    known = app.test_client().post("/lupa-kata-sandi", data={"email": "fo@demo.test"})
    unknown = app.test_client().post("/lupa-kata-sandi", data={"email": "siapa-saja@demo.test"})

    def text(response):
        return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))

    assert known.status_code == unknown.status_code == 200 and text(known) == text(unknown)
    assert [m["To"] for m in outbox()] == ["fo@demo.test"]


def test_a_link_expires_after_an_hour(app, outbox, session):
    app.test_client().post("/lupa-kata-sandi", data={"email": "bendahara@demo.test"})
    link = _link(outbox()[0])
    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        response = app.test_client().post(link, data={"new": NEW, "confirm": NEW})
    assert response.status_code == 410
    assert users.authenticate(session, "bendahara@demo.test", "demo12345") is not None


def test_a_forged_or_cut_link_is_refused(app, outbox):
    app.test_client().post("/lupa-kata-sandi", data={"email": "bendahara@demo.test"})
    link = _link(outbox()[0])
    for bad in (link[:-3] + "abc", "/pulihkan/WzEsICJ4Il0", link + "x"):
        assert app.test_client().get(bad).status_code == 410, bad


def test_changing_the_password_another_way_voids_links_sent_earlier(app, session, outbox, user):
    app.test_client().post("/lupa-kata-sandi", data={"email": "bendahara@demo.test"})
    link = _link(outbox()[0])
    admin = user("admin")
    users.reset_password(session, admin, user("bendahara"))
    session.commit()
    try:
        assert app.test_client().get(link).status_code == 410
    finally:
        _restore(session)


def test_reset_requests_are_limited_per_email(app, outbox):
    codes = [app.test_client().post("/lupa-kata-sandi", data={"email": "fo@demo.test"}).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    assert len(outbox()) == 5


def test_the_smtp_sender_delivers_to_a_real_smtp_server():
    import socket

    from aiosmtpd.controller import Controller

    from engine.core.mail import Mail, MailFailed, SmtpSender

    received = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        SmtpSender("127.0.0.1", port, sender="PTSP-el <noreply@dinas.test>", starttls=False).send(
            Mail("warga@contoh.test", "Uji", "Halo, ini uji pengiriman.")
        )
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["warga@contoh.test"] and b"Halo, ini uji pengiriman." in envelope.content
    try:
        SmtpSender("127.0.0.1", port, starttls=False, timeout=2).send(Mail("a@b.test", "x", "y"))
    except MailFailed as exc:
        assert "Connection" in str(exc) or "refused" in str(exc).lower()
    else:
        raise AssertionError("a stopped server must fail the send")
