"""API tokens for the task API: issued to an account (only their hash is stored), valid for thirty
days unless revoked, and revoked all at once when the account's password changes or it is closed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.accounts.models import ApiToken, User
from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import NotFound
from engine.core.localtime import Phrase

TOKEN_LIFETIME = timedelta(days=30)


def secret_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User, label: str = "api", now: datetime | None = None) -> str:
    """A new API token; only its hash is stored, the raw value is shown once."""
    raw = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=secret_hash(raw), label=label[:100], created_at=now or utcnow()))
    record(session, "api_token_issued", actor=user, now=now, summary={"label": label[:100]})
    session.flush()
    return raw


def user_for_token(session: Session, raw: str, now: datetime | None = None) -> User | None:
    """The user of a bearer token, if it is neither revoked nor past its lifetime (30 days)."""
    token = (
        session.execute(
            select(ApiToken)
            .where(ApiToken.token_hash == secret_hash(raw or ""), ApiToken.revoked.is_(False))
            .options(
                joinedload(ApiToken.user).joinedload(User.roles), joinedload(ApiToken.user).joinedload(User.scopes)
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if token is None or not token.user.active:
        return None
    if aware(token.created_at) + TOKEN_LIFETIME <= (now or utcnow()):
        return None
    return token.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The account's API tokens, newest first (the raw values are never kept)."""
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )


def token_expires(token: ApiToken) -> datetime:
    return aware(token.created_at) + TOKEN_LIFETIME


def revoke_token(session: Session, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """The owner revokes one of their tokens. Errors: NotFound (not theirs or unknown)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(Phrase("Token tidak ditemukan."))
    if not token.revoked:
        token.revoked = True
        record(session, "api_token_revoked", actor=user, now=now, summary={"label": token.label})
    session.flush()
    return token


def revoke_all_tokens(session: Session, user: User) -> int:
    from sqlalchemy import update

    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False)).values(revoked=True)
    )
    return result.rowcount or 0
