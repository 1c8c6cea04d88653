"""The second factor: an authenticator-app code after the password, each code once; required of the
Kepala Dinas and admins when the agency turns it on; an admin turns it off for a lost phone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from engine.accounts import users
from engine.accounts.models import User
from engine.core.clock import utcnow
from engine.core.models import AuditEvent
from engine.core.roles import FRONT_OFFICE, HEAD

PASSWORD = "Dua-Langkah-Uji-2026!"


@pytest.fixture
def head(session):
    """A Kepala Dinas made for one test (the demo head keeps no second factor)."""
    tag = uuid.uuid4().hex[:8]
    account = users.create_user(
        session,
        None,
        name=f"Kepala Uji {tag}",
        email=f"kepala-{tag}@dinas.test",
        password=PASSWORD,
        roles=[HEAD],
        scope=users.AccountScope(all_permit_types=True),
    )
    session.commit()
    return account


def _code(secret, offset=0):
    return pyotp.TOTP(secret).at(utcnow(), counter_offset=offset)


def _password_step(app, email):
    client = app.test_client()
    response = client.post("/masuk", data={"email": email, "password": PASSWORD})
    return client, response


def _enrol(app, session, account):
    client, _ = _password_step(app, account.email)
    assert client.post("/akun/dua-langkah", data={"aksi": "mulai"}).status_code == 302
    page = client.get("/akun/dua-langkah").get_data(as_text=True)
    session.expire_all()
    secret = session.get(User, account.id).totp_secret
    assert secret in page and "data:image/png;base64," in page
    wrong = client.post("/akun/dua-langkah", data={"aksi": "konfirmasi", "kode": "000000"})
    assert wrong.status_code == 422
    assert client.post("/akun/dua-langkah", data={"aksi": "konfirmasi", "kode": _code(secret)}).status_code == 302
    return secret


def test_after_enrolment_a_login_needs_the_password_then_a_fresh_code(app, session, head):
    with time_machine.travel(utcnow(), tick=False):  # one 30-second step throughout, so the replay is one
        _login_with_code(app, session, head)


def _login_with_code(app, session, head):
    secret = _enrol(app, session, head)
    client, first = _password_step(app, head.email)
    assert first.status_code == 302 and first.headers["Location"].endswith("/masuk/kode")
    assert "/masuk" in client.get("/petugas/").headers["Location"]  # not logged in yet
    assert client.post("/masuk/kode", data={"kode": "123456"}).status_code == 401
    replay = client.post("/masuk/kode", data={"kode": _code(secret)})  # the code that confirmed enrolment
    assert replay.status_code == 401
    done = client.post("/masuk/kode", data={"kode": _code(secret, 1)})
    assert done.status_code == 302 and client.get("/petugas/").status_code == 200
    actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == head.id)))
    assert {"totp_enabled", "totp_failed", "login"} <= set(actions)


def test_the_code_step_expires_and_wrong_codes_are_limited(app, session, head):
    secret = _enrol(app, session, head)
    client, _ = _password_step(app, head.email)
    with time_machine.travel(utcnow() + timedelta(minutes=6)):
        late = client.post("/masuk/kode", data={"kode": _code(secret)})
    assert late.status_code == 302 and late.headers["Location"].endswith("/masuk")
    client, _ = _password_step(app, head.email)
    codes = [client.post("/masuk/kode", data={"kode": "111111"}).status_code for _ in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]


def test_an_api_token_needs_the_code_too(app, session, head):
    secret = _enrol(app, session, head)
    client = app.test_client()
    without = client.post("/api/v1/tokens", json={"email": head.email, "password": PASSWORD})
    assert without.status_code == 401 and "code" in without.get_json()["error"]
    with_code = client.post(
        "/api/v1/tokens", json={"email": head.email, "password": PASSWORD, "code": _code(secret, 1)}
    )
    assert with_code.status_code == 201


def test_when_the_agency_requires_it_heads_enrol_before_anything_else(app, session, head):
    officer = users.create_user(
        session,
        None,
        name="Petugas Uji",
        email=f"fo-{uuid.uuid4().hex[:6]}@dinas.test",
        password=PASSWORD,
        roles=[FRONT_OFFICE],
        scope=users.AccountScope(all_permit_types=True),
    )
    session.commit()
    app.config["REQUIRE_TOTP"] = "1"
    try:
        client, _ = _password_step(app, head.email)
        blocked = client.get("/petugas/")
        assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/akun/dua-langkah")
        assert "mewajibkan" in client.get("/akun/dua-langkah").get_data(as_text=True)
        token = app.test_client().post("/api/v1/tokens", json={"email": head.email, "password": PASSWORD})
        assert token.status_code == 403
        front, _ = _password_step(app, officer.email)
        assert front.get("/petugas/").status_code == 200  # the front office is not obliged
        secret = _enrol(app, session, head)
        client, _ = _password_step(app, head.email)
        client.post("/masuk/kode", data={"kode": _code(secret, 1)})
        assert client.get("/petugas/").status_code == 200
        refused = client.post("/akun/dua-langkah", data={"aksi": "matikan", "kode": _code(secret, 1)})
        assert refused.status_code == 403  # required: the owner cannot turn it off
    finally:
        app.config["REQUIRE_TOTP"] = False


def test_an_admin_turns_it_off_for_a_lost_phone(app, session, head, login):
    _enrol(app, session, head)
    admin = login("admin", app.test_client())
    assert admin.post(f"/admin/pengguna/{head.id}/dua-langkah-hapus").status_code == 302
    client, response = _password_step(app, head.email)
    assert response.status_code == 302 and client.get("/petugas/").status_code == 200
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "totp_disabled").order_by(AuditEvent.id.desc())
    )
    assert event.summary["user"] == head.email
