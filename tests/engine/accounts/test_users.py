"""Accounts: created by an administrator, self-registered and activated by email, signed in, and
changed by their owner or an administrator, every change audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.accounts import api_tokens, users
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.models import AuditEvent, OutboxMail
from engine.core.roles import HEAD, TECHNICAL
from tests.engine.accounts.conftest import PASSWORD
from tests.timeline import at

SECRET = "rahasia-uji-aktivasi"


def _link(token):
    return f"https://ptsp.test/aktivasi/{token}"


def _queued(session):
    return len(session.scalars(select(OutboxMail.id)).all())


def _actions(session, user_id):
    return list(
        session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user_id).order_by(AuditEvent.id))
    )


def test_only_an_administrator_creates_accounts_and_bad_fields_are_named(session, user):
    with pytest.raises(PermissionDenied):
        users.create_user(session, user("fo"), name="X", email="x@dinas.test", password=PASSWORD, roles=[TECHNICAL])
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(session, user("admin"), name="", email="bukan-email", password="pendek", roles=["raja"])
    assert {"name", "email", "password", "roles"} <= set(refused.value.errors)
    with pytest.raises(ValidationFailed) as taken:
        users.create_user(session, user("admin"), name="Y", email="FO@demo.test", password=PASSWORD, roles=[TECHNICAL])
    assert "email" in taken.value.errors


def test_a_created_account_signs_in_with_its_password_only(session, account):
    made = account(email="Petugas.Baru@dinas.test")
    assert users.authenticate(session, "  petugas.baru@DINAS.test ", PASSWORD).id == made.id
    assert users.authenticate(session, "petugas.baru@dinas.test", PASSWORD.lower()) is None
    assert users.authenticate(session, "tidak.ada@dinas.test", PASSWORD) is None
    assert "user_created" in [e.action for e in session.scalars(select(AuditEvent))]


def test_an_older_hash_is_replaced_by_argon2_at_sign_in(session, account):
    made = account()
    made.password_hash = generate_password_hash(PASSWORD)
    session.commit()
    assert users.authenticate(session, made.email, PASSWORD) is not None
    assert made.password_hash.startswith("$argon2id$")


def test_changing_the_password_ends_other_sessions_and_tokens(session, account):
    made = account()
    before = made.session_version or 1
    raw = api_tokens.issue_token(session, made, now=at(3, 9))
    with pytest.raises(ValidationFailed) as refused:
        users.change_password(session, made, "salah", "x", "y", now=at(3, 10))
    assert set(refused.value.errors) == {"current", "new", "confirm"}
    users.change_password(session, made, PASSWORD, "Bebek-Biru-Berenang-88?", "Bebek-Biru-Berenang-88?", now=at(3, 10))
    session.commit()
    assert (made.session_version or 1) == before + 1
    assert users.user_for_session(session, f"{made.id}.{before}") is None
    assert users.user_for_session(session, f"{made.id}.{before + 1}").id == made.id
    assert api_tokens.user_for_token(session, raw, now=at(3, 11)) is None
    assert users.authenticate(session, made.email, "Bebek-Biru-Berenang-88?") is not None
    assert {"password_changed", "sessions_ended"} <= set(_actions(session, made.id))


def test_the_administrator_deactivates_and_changes_roles_and_no_one_else_may(session, account, user):
    made = account()
    with pytest.raises(PermissionDenied):
        users.set_account_active(session, user("kadis"), made, False)
    users.set_account_active(session, user("admin"), made, False, now=at(4, 9))
    session.commit()
    assert users.authenticate(session, made.email, PASSWORD) is None
    assert users.user_for_session(session, f"{made.id}.{made.session_version or 1}") is None
    users.set_roles(session, user("admin"), made, [HEAD], now=at(4, 10))
    session.commit()
    assert made.role_names == {HEAD}
    with pytest.raises(ValidationFailed):
        users.set_roles(session, user("admin"), made, [], now=at(4, 11))


def test_a_reset_by_the_administrator_gives_a_temporary_password_that_works(session, account, user):
    made = account()
    temporary = users.reset_password(session, user("admin"), made, now=at(5, 9))
    session.commit()
    assert temporary and users.authenticate(session, made.email, temporary).id == made.id
    assert users.authenticate(session, made.email, PASSWORD) is None


def test_a_session_id_that_is_not_ours_opens_nothing(session):
    for forged in ("", "abc", "1", "1.x", "999999.1", "-1.1"):
        assert users.user_for_session(session, forged) is None
