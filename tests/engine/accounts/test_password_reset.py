"""A forgotten password reset by an emailed link: once, within the hour, and never for an unknown
address; using it ends every session and token of the account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.accounts import api_tokens, users
from engine.accounts.password_reset import RESET_LIFETIME, complete_password_reset, reset_by_link, send_password_reset
from engine.core.errors import ValidationFailed
from engine.core.models import OutboxMail
from tests.engine.accounts.conftest import PASSWORD
from tests.timeline import at

SECRET = "rahasia-uji-pemulihan"
NEW = "Bebek-Biru-Berenang-88?"


@pytest.fixture
def mailed(session, account):
    """An account and the token of the reset link it was just sent."""
    made = account()
    links = []

    def link_for(token):
        links.append(token)
        return f"https://ptsp.test/pulihkan/{token}"

    assert send_password_reset(session, SECRET, made.email.upper(), link_for, now=at(2, 9))
    session.commit()
    return made, links[0]


def test_the_link_is_emailed_to_the_account_and_opens_its_reset(session, mailed):
    made, token = mailed
    mail = session.scalars(select(OutboxMail)).one()
    assert mail.recipient == made.email and "Pemulihan kata sandi" in mail.subject and token in mail.body
    assert reset_by_link(session, SECRET, token, now=at(2, 9, 30)).user_id == made.id


def test_an_unknown_or_deactivated_address_gets_no_mail(session, account, user):
    assert not send_password_reset(session, SECRET, "tidak.ada@dinas.test", lambda t: t, now=at(2, 9))
    made = account()
    users.set_account_active(session, user("admin"), made, False, now=at(2, 9))
    assert not send_password_reset(session, SECRET, made.email, lambda t: t, now=at(2, 9))
    session.commit()
    assert session.scalars(select(OutboxMail)).all() == []


def test_the_link_sets_a_new_password_once_and_ends_sessions_and_tokens(session, mailed):
    made, token = mailed
    version = made.session_version or 1
    raw = api_tokens.issue_token(session, made, now=at(2, 9))
    complete_password_reset(session, SECRET, token, NEW, NEW, now=at(2, 9, 20))
    session.commit()
    assert users.authenticate(session, made.email, NEW) is not None
    assert users.authenticate(session, made.email, PASSWORD) is None
    assert users.user_for_session(session, f"{made.id}.{version}") is None
    assert api_tokens.user_for_token(session, raw, now=at(2, 9, 30)) is None
    with pytest.raises(ValidationFailed):
        complete_password_reset(
            session, SECRET, token, "Kucing-Hijau-Melompat-99", "Kucing-Hijau-Melompat-99", now=at(2, 9, 40)
        )


def test_the_link_expires_after_an_hour(session, mailed):
    _, token = mailed
    with pytest.raises(ValidationFailed):
        reset_by_link(session, SECRET, token, now=at(2, 9) + RESET_LIFETIME)
    assert reset_by_link(session, SECRET, token, now=at(2, 9) + RESET_LIFETIME - timedelta(seconds=1))


@pytest.mark.parametrize("forge", [lambda t: t[:-2], lambda t: t + "x", lambda t: "", lambda t: "[1, 2]"])
def test_a_forged_or_cut_link_is_refused(session, mailed, forge):
    _, token = mailed
    with pytest.raises(ValidationFailed):
        reset_by_link(session, SECRET, forge(token), now=at(2, 9, 10))


def test_a_weak_or_unconfirmed_new_password_changes_nothing(session, mailed):
    made, token = mailed
    with pytest.raises(ValidationFailed) as refused:
        complete_password_reset(session, SECRET, token, "12345678", "87654321", now=at(2, 9, 10))
    assert set(refused.value.errors) == {"new", "confirm"}
    session.rollback()
    assert users.authenticate(session, made.email, PASSWORD) is not None
    assert reset_by_link(session, SECRET, token, now=at(2, 9, 20))  # still usable


def test_changing_the_password_another_way_voids_the_link(session, mailed):
    made, token = mailed
    users.change_password(session, made, PASSWORD, NEW, NEW, now=at(2, 9, 10))
    session.commit()
    with pytest.raises(ValidationFailed):
        reset_by_link(session, SECRET, token, now=at(2, 9, 20))
