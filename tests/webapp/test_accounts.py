"""Logins under attack: wrong passwords are limited whether the account exists or not, and the
answer is the same; logging out ends the session everywhere, a copied cookie too; a token expires."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from engine.core.clock import utcnow
from engine.core.models import AuditEvent


def _wrong_logins(client, email, times=30):
    return [client.post("/masuk", data={"email": email, "password": "salah-sekali"}).status_code for _ in range(times)]


def test_thirty_wrong_web_logins_end_in_429_after_at_most_ten_known_or_unknown(app):
    for email in ("fo@demo.test", "tidak-ada@demo.test"):
        codes = _wrong_logins(app.test_client(), email)
        assert set(codes[:10]) == {401} and set(codes[10:]) == {429}, (email, codes)
    page = app.test_client().post("/masuk", data={"email": "fo@demo.test", "password": "salah"})
    assert "Akun ini dikunci sementara" in page.get_data(as_text=True)


def test_an_account_locks_whatever_address_the_attempts_come_from_and_the_admin_unlocks_it(app, login):
    for n in range(10):
        app.test_client().post(
            "/masuk",
            data={"email": "bendahara@demo.test", "password": "salah-sekali"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"},
        )
    elsewhere = app.test_client()
    right = {"email": "bendahara@demo.test", "password": "demo12345"}
    locked = elsewhere.post("/masuk", data=right, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert locked.status_code == 429 and "dikunci sementara" in locked.get_data(as_text=True)
    assert elsewhere.post("/api/v1/tokens", json=right).status_code == 429  # the API shares the lock
    with app.app_context():
        from webapp.extensions import db as database

        locked_rows = database.session.scalars(select(AuditEvent).where(AuditEvent.action == "account_locked")).all()
        assert {r.summary["email"] for r in locked_rows} == {"bendahara@demo.test"} and len(locked_rows) == 2
    admin = login("admin", app.test_client())
    from engine.accounts.models import User
    from webapp.extensions import db

    with app.app_context():
        account_id = db.session.scalar(select(User.id).where(User.email == "bendahara@demo.test"))
    assert admin.post(f"/admin/pengguna/{account_id}/buka-kunci").status_code == 302
    assert elsewhere.post("/masuk", data=right).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account_unlocked")) is not None


def test_known_and_unknown_emails_get_the_same_answer(app):
    known = app.test_client().post("/masuk", data={"email": "fo@demo.test", "password": "salah-123"})
    unknown = app.test_client().post("/masuk", data={"email": "siapa@demo.test", "password": "salah-123"})
    assert known.status_code == unknown.status_code == 401

    def page(response, email):  # the form's one-time token differs on every page, as it should
        return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True).replace(email, "X"))

    assert page(known, "fo@demo.test") == page(unknown, "siapa@demo.test")


def test_thirty_wrong_api_logins_end_in_429_after_at_most_ten(app):
    client = app.test_client()
    codes = [
        client.post("/api/v1/tokens", json={"email": "fo@demo.test", "password": "x"}).status_code for _ in range(30)
    ]
    assert set(codes[:10]) == {401} and set(codes[10:]) == {429}
    assert "dikunci sementara" in client.post("/api/v1/tokens", json={"email": "fo@demo.test"}).get_json()["error"]


def test_successful_logins_are_not_limited(app, login):
    for _ in range(15):
        login("fo", app.test_client())


def test_after_logout_a_copied_session_cookie_opens_nothing(app, login):
    officer = login("fo", app.test_client())
    assert officer.get("/petugas/").status_code == 200
    copy = app.test_client()
    cookie = officer.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    assert copy.get("/petugas/").status_code == 200  # the same session, before logout
    officer.post("/keluar")
    after = copy.get("/petugas/")
    assert after.status_code == 302 and "/masuk" in after.headers["Location"]
    assert login("fo", app.test_client()).get("/petugas/").status_code == 200  # a new login works


def test_an_api_token_expires_after_thirty_days(app):
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"email": "fo@demo.test", "password": "demo12345"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=31)):
        assert client.get("/api/v1/tasks", headers=headers).status_code == 401


def test_the_audit_viewer_shows_logins_refusals_and_downloads_and_checks_the_chain(app, login, session, services, user):
    from engine.core import audit
    from engine.documents.documents import documents_of
    from tests.timeline import at, step, submit

    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    app.test_client().post("/masuk", data={"email": "fo@demo.test", "password": "keliru-123"})
    officer = login("fo", app.test_client())
    officer.get("/admin/pengguna")  # not an admin: refused
    document = documents_of(session, application)[0]
    assert officer.get(f"/petugas/dokumen/{document.id}").status_code == 200
    admin = login("admin", app.test_client())
    page = admin.get("/admin/audit").get_data(as_text=True)
    for label in ("Gagal masuk", "Masuk", "Akses ditolak", "Dokumen diunduh"):
        assert label in page, label
    only = admin.get("/admin/audit", query_string={"aksi": "permission_denied"}).get_data(as_text=True)
    assert "/admin/pengguna" in only and '"dokumen":' not in only
    audit.seal(session)
    session.commit()
    checked = admin.get("/admin/audit", query_string={"periksa": "1"}).get_data(as_text=True)
    assert "Rantai utuh" in checked
    csv_text = admin.get("/admin/audit.csv", query_string={"aksi": "login_failed"}).get_data(as_text=True)
    assert "fo@demo.test" in csv_text and "keliru" not in csv_text  # the password tried is never kept


def _token(client, email, password="demo12345"):
    return client.post("/api/v1/tokens", json={"email": email, "password": password}).get_json()["token"]


def test_a_password_change_ends_other_sessions_and_tokens_and_keeps_this_one(app, login, session, user):
    from werkzeug.security import generate_password_hash

    officer = login("teknis", app.test_client())
    other = login("teknis", app.test_client())
    token = _token(app.test_client(), "teknis@demo.test")
    refused = officer.post("/akun/kata-sandi", data={"current": "keliru", "new": "a", "confirm": "b"})
    assert refused.status_code == 422 and "Kata sandi sekarang salah" in refused.get_data(as_text=True)
    try:
        changed = officer.post(
            "/akun/kata-sandi", data={"current": "demo12345", "new": "Baru-Sekali-2026", "confirm": "Baru-Sekali-2026"}
        )
        assert changed.status_code == 302
        assert officer.get("/petugas/").status_code == 200  # this browser goes on
        assert other.get("/petugas/").status_code == 302  # the other one has ended
        assert app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        assert (
            app.test_client().post("/masuk", data={"email": "teknis@demo.test", "password": "demo12345"}).status_code
            == 401
        )
    finally:  # the demo account outlives this test
        account = user("teknis")
        account.password_hash = generate_password_hash("demo12345")
        session.commit()


def test_the_admin_deactivates_changes_roles_and_resets_with_sessions_ended(app, login, session, user):
    from werkzeug.security import generate_password_hash

    officer = login("bendahara", app.test_client())
    admin = login("admin", app.test_client())
    account = user("bendahara")
    try:
        assert admin.post(f"/admin/pengguna/{account.id}/nonaktif").status_code == 302
        assert officer.get("/petugas/").status_code == 302
        assert (
            app.test_client().post("/masuk", data={"email": "bendahara@demo.test", "password": "demo12345"}).status_code
            == 401
        )
        admin.post(f"/admin/pengguna/{account.id}/aktif")
        page = admin.post(f"/admin/pengguna/{account.id}/atur-ulang", follow_redirects=True).get_data(as_text=True)
        temporary = page.split("Kata sandi sementara untuk bendahara@demo.test: ")[1].split(" ")[0]
        fresh = app.test_client()
        assert fresh.post("/masuk", data={"email": "bendahara@demo.test", "password": temporary}).status_code == 302
        admin.post(f"/admin/pengguna/{account.id}/peran", data={"roles": ["bendahara", "pengawas"]})
        session.expire_all()
        assert user("bendahara").role_names == {"bendahara", "pengawas"}
        assert fresh.get("/petugas/").status_code == 302  # the new authority needs a new login
        own = user("admin")
        refused = admin.post(f"/admin/pengguna/{own.id}/nonaktif", follow_redirects=True).get_data(as_text=True)
        assert "Akun sendiri tidak dapat dinonaktifkan" in refused
        actions = [e.action for e in session.scalars(select(AuditEvent))]
        for action in ("user_deactivated", "user_activated", "password_reset", "user_roles_changed"):
            assert action in actions, action
    finally:
        account = user("bendahara")
        account.password_hash = generate_password_hash("demo12345")
        account.active = True
        from engine.accounts.models import UserRole

        account.roles = [UserRole(role="bendahara")]
        session.commit()


def test_security_headers_and_cookies_and_https_when_configured(app, login):
    page = app.test_client().get("/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in page.headers  # plain HTTP in development
    from webapp import create_app

    keep = ("SQLALCHEMY_DATABASE_URI", "FILES_DIR", "PKI_DIR", "SECRET_KEY")
    secure = create_app(
        {
            **{k: app.config[k] for k in keep},
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "PREFERRED_URL_SCHEME": "https",
        }
    )
    client = secure.test_client()
    assert client.get("/", base_url="http://localhost").status_code in (301, 302)
    answer = client.post(
        "/masuk", base_url="https://localhost", data={"email": "fo@demo.test", "password": "demo12345"}
    )
    assert "max-age" in answer.headers["Strict-Transport-Security"]
    assert "Secure" in answer.headers["Set-Cookie"] and "HttpOnly" in answer.headers["Set-Cookie"]


def test_passwords_are_argon2id_and_an_old_hash_is_upgraded_at_login(app, session, user):
    from werkzeug.security import generate_password_hash

    from engine.accounts import passwords

    assert user("pengawas").password_hash.startswith("$argon2id$")
    account = user("pengawas")
    account.password_hash = generate_password_hash("demo12345")  # as an older installation stored it
    session.commit()
    assert (
        app.test_client().post("/masuk", data={"email": "pengawas@demo.test", "password": "demo12345"}).status_code
        == 302
    )
    session.expire_all()
    assert user("pengawas").password_hash.startswith("$argon2id$")
    assert passwords.password_problem("12345678") and passwords.password_problem("password")
    assert passwords.password_problem("budisantoso1", "Budi Santoso", "budi@contoh.test")
    assert passwords.password_problem("Kunang-kunang Senja 47") is None


def test_a_weak_password_is_refused_at_registration_with_a_clear_message(app):
    page = app.test_client().post(
        "/daftar",
        data={
            "name": "Budi Coba",
            "nik": "3171010101809999",
            "email": "budi.coba@contoh.test",
            "phone": "081200000009",
            "birth_date": "1990-01-01",
            "birth_place": "Jakarta",
            "password": "rahasia123",
        },
    )
    assert page.status_code == 422 and "terlalu mudah ditebak" in page.get_data(as_text=True)


def test_tokens_are_listed_and_a_revoked_one_gets_401(app, login):
    client = app.test_client()
    token = _token(client, "fo@demo.test")
    officer = login("fo", app.test_client())
    page = officer.get("/akun/token").get_data(as_text=True)
    assert "Aktif" in page and token not in page  # the raw value is never shown again
    token_id = re.search(r'name="token" value="(\d+)"', page).group(1)
    other = login("teknis", app.test_client())
    other.post("/akun/token", data={"token": token_id})  # not theirs: nothing happens
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    officer.post("/akun/token", data={"token": token_id})
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "Dicabut" in officer.get("/akun/token").get_data(as_text=True)


@pytest.mark.parametrize(
    "who", ["pemohon", "fo", "teknis", "bendahara", "kadis", "pengawas", "dinkes", "proses", "admin"]
)
def test_every_demo_account_lands_on_a_page_it_may_open(app, who):
    client = app.test_client()
    answer = client.post("/masuk", data={"email": f"{who}@demo.test", "password": "demo12345"})
    assert answer.status_code == 302
    landing = client.get(answer.headers["Location"])
    assert landing.status_code == 200, (who, answer.headers["Location"])


def test_an_anonymous_apply_explains_and_returns_to_the_form_after_login(app):
    client = app.test_client()
    asked = client.get("/pemohon/ajukan/izin-reklame")
    assert asked.status_code == 302 and "/masuk" in asked.headers["Location"]
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "setelah masuk Anda kembali ke halaman ini" in page
    answer = client.post(asked.headers["Location"], data={"email": "pemohon@demo.test", "password": "demo12345"})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/pemohon/ajukan/izin-reklame")


def test_an_anonymous_apply_returns_to_the_form_after_registering_and_activating(app, outbox):
    import re

    client = app.test_client()
    asked = client.get("/pemohon/ajukan/izin-reklame")
    login_page = client.get(asked.headers["Location"]).get_data(as_text=True)
    register = re.search(r'href="(/daftar\?next=[^"]+)"', login_page).group(1).replace("&amp;", "&")
    client.post(
        register,
        data={
            "name": "Dewi Lestari",
            "nik": "3171016006920005",
            "email": "dewi@contoh.test",
            "phone": "081355550005",
            "birth_date": "1992-06-20",
            "birth_place": "Jakarta",
            "password": "Sate-Padang-Pedas-19",
        },
    )
    link = re.search(r"(/daftar/aktifkan/\S+)", outbox()[-1].get_content()).group(1)
    landed = client.get(link)
    assert landed.status_code == 302 and landed.headers["Location"].startswith("/pemohon/ajukan/izin-reklame")
