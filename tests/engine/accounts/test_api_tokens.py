"""API tokens: only a hash is stored, valid for thirty days, revoked one by one or all at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.accounts import api_tokens
from engine.accounts.models import ApiToken
from engine.core.errors import NotFound
from tests.timeline import at


def test_a_token_opens_its_account_and_only_its_hash_is_stored(session, account):
    owner = account()
    raw = api_tokens.issue_token(session, owner, "skrip uji", now=at(1, 9))
    session.commit()
    stored = session.scalars(select(ApiToken.token_hash).where(ApiToken.user_id == owner.id)).all()
    assert stored == [api_tokens.secret_hash(raw)] and raw not in stored
    assert api_tokens.user_for_token(session, raw, now=at(1, 10)).id == owner.id
    assert api_tokens.user_for_token(session, raw + "x", now=at(1, 10)) is None
    assert api_tokens.user_for_token(session, "", now=at(1, 10)) is None


def test_a_token_expires_after_thirty_days(session, account):
    owner = account()
    raw = api_tokens.issue_token(session, owner, now=at(1, 9))
    session.commit()
    token = api_tokens.tokens_of(session, owner)[0]
    assert api_tokens.token_expires(token) == at(1, 9) + api_tokens.TOKEN_LIFETIME
    assert api_tokens.user_for_token(session, raw, now=at(1, 9) + timedelta(days=30, seconds=-1)) is not None
    assert api_tokens.user_for_token(session, raw, now=at(1, 9) + timedelta(days=30)) is None


def test_a_revoked_token_opens_nothing_and_another_users_token_cannot_be_revoked(session, account, user):
    owner = account()
    raw = api_tokens.issue_token(session, owner, now=at(1, 9))
    session.commit()
    token = api_tokens.tokens_of(session, owner)[0]
    with pytest.raises(NotFound):
        api_tokens.revoke_token(session, user("fo"), token.id, now=at(1, 10))
    api_tokens.revoke_token(session, owner, token.id, now=at(1, 10))
    session.commit()
    assert api_tokens.user_for_token(session, raw, now=at(1, 11)) is None


def test_revoking_all_ends_every_token_of_the_account(session, account):
    owner = account()
    raws = [api_tokens.issue_token(session, owner, now=at(1, 9)) for _ in range(3)]
    session.commit()
    assert api_tokens.revoke_all_tokens(session, owner) == 3
    session.commit()
    assert all(api_tokens.user_for_token(session, raw, now=at(1, 10)) is None for raw in raws)
