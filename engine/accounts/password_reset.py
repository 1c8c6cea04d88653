"""A forgotten password, reset by an emailed link: valid for one hour and once, the same answer
whether or not the address has an account, and every session and token ended when it is used."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.api_tokens import revoke_all_tokens, secret_hash
from engine.accounts.models import PasswordReset, User
from engine.accounts.passwords import hash_password, password_problem
from engine.accounts.users import end_sessions, void_resets
from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import ValidationFailed
from engine.core.localtime import Phrase

RESET_LIFETIME = timedelta(hours=1)
_RESET_SALT = "pemulihan-kata-sandi"
_BAD_LINK = Phrase(
    "Tautan pemulihan ini tidak berlaku: sudah dipakai, sudah lewat satu jam, atau tidak lengkap. "
    "Minta tautan baru dari halaman Lupa Kata Sandi."
)


def _reset_serializer(secret: str):
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(secret, salt=_RESET_SALT)


def issue_token(session: Session, secret: str, user: User, lifetime: timedelta, now: datetime) -> str:
    """A single-use token for a link that lets ``user`` set a password (read by ``reset_by_link``)."""
    nonce = secrets.token_urlsafe(24)
    reset = PasswordReset(user_id=user.id, nonce_hash=secret_hash(nonce), created_at=now, expires_at=now + lifetime)
    session.add(reset)
    session.flush()
    return _reset_serializer(secret).dumps([reset.id, nonce])


def send_password_reset(session: Session, secret: str, email: str, link_for, now: datetime | None = None) -> bool:
    """Queue an email with a single-use link, valid for an hour, to the active account with
    ``email``. Nothing is queued for an unknown or inactive account, and the caller answers the
    same either way (the scheduler sends it, so the answer takes as long). Returns whether a link
    was queued (for tests only, never for the page)."""
    from engine.core.mail import Mail, queue

    now = now or utcnow()
    user = session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()[:255]))
    if user is None or not user.active:
        return False
    link = link_for(issue_token(session, secret, user, RESET_LIFETIME, now))
    body = (
        f"Yth. {user.name},\n\n"
        "Kami menerima permintaan untuk memulihkan kata sandi akun PTSP-el Anda. Buka tautan berikut "
        "untuk membuat kata sandi baru:\n\n"
        f"{link}\n\n"
        "Tautan ini berlaku satu jam dan hanya dapat dipakai sekali. Bila Anda tidak meminta pemulihan, "
        "abaikan email ini: kata sandi Anda tidak berubah.\n"
    )
    queue(session, Mail(to=user.email, subject="Pemulihan kata sandi PTSP-el", body=body), now)
    record(session, "password_reset_requested", actor=user, now=now)
    return True


def reset_by_link(session: Session, secret: str, token: str, now: datetime | None = None) -> PasswordReset:
    """The open reset a link names. Errors: ValidationFailed (forged, unknown, used or expired)."""
    from itsdangerous import BadSignature

    now = now or utcnow()
    try:
        reset_id, nonce = _reset_serializer(secret).loads(token or "")
    except (BadSignature, ValueError, TypeError):
        raise ValidationFailed(_BAD_LINK, {"tautan": _BAD_LINK}) from None
    reset = session.get(PasswordReset, reset_id) if isinstance(reset_id, int) else None
    if (
        reset is None
        or reset.used_at is not None
        or not secrets.compare_digest(reset.nonce_hash, secret_hash(str(nonce)))
        or aware(reset.expires_at) <= now
        or not reset.user.active
    ):
        raise ValidationFailed(_BAD_LINK, {"tautan": _BAD_LINK})
    return reset


def complete_password_reset(
    session: Session, secret: str, token: str, new: str, confirm: str, now: datetime | None = None
) -> User:
    """Set a new password through a reset link; the link is spent, and every session and API token
    of the account ends. Errors: ValidationFailed (bad link, weak or unconfirmed password)."""
    now = now or utcnow()
    reset = reset_by_link(session, secret, token, now)
    user = reset.user
    problem = password_problem(new or "", user.name, user.email)
    errors = {"new": problem} if problem else {}
    if new != confirm:
        errors["confirm"] = Phrase("Ulangi kata sandi baru dengan tepat.")
    if errors:
        raise ValidationFailed(Phrase("Kata sandi belum diganti."), errors)
    user.password_hash = hash_password(new)
    void_resets(session, user, now)
    revoke_all_tokens(session, user)
    record(session, "password_reset_completed", actor=user, now=now)
    end_sessions(session, user, now)
    return user
