"""A second factor for staff: time-based one-time codes (RFC 6238) from an authenticator app.

The agency may require it of the Kepala Dinas and administrators. Codes are checked against the
engine's clock, one step either side for phones a little off, and each code is accepted once.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import ADMIN, HEAD

# Roles the agency's setting obliges to use a second factor.
REQUIRED_FOR = frozenset({HEAD, ADMIN})
ISSUER = "PTSP-el"
_WRONG = Phrase("Kode salah atau sudah kedaluwarsa. Masukkan kode 6 angka yang sedang tampil di aplikasi autentikator.")


def enabled(user: User) -> bool:
    return bool(user.totp_secret and user.totp_confirmed_at)


def required(user: User, agency_requires: bool) -> bool:
    return bool(agency_requires) and bool(user.role_names & REQUIRED_FOR)


def begin(session: Session, user: User) -> str:
    """A fresh secret for the account, not in force until a code from it is confirmed."""
    if enabled(user):
        raise ValidationFailed(
            Phrase("Verifikasi dua langkah sudah aktif."), {"kode": Phrase("Matikan dahulu untuk mengganti.")}
        )
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    session.flush()
    return user.totp_secret


def provisioning_uri(user: User, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    here = totp.timecode(now)
    for offset in (0, -1, 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return here + offset
    return None


def _accept(session: Session, user: User, code: str, now: datetime) -> bool:
    step = _matching_step(user.totp_secret or "", code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        record(session, "totp_failed", actor=user, now=now)
        return False
    user.totp_last_step = step
    return True


def confirm(session: Session, user: User, code: str, now: datetime | None = None) -> None:
    """Put the new secret in force with a code it produced. Errors: ValidationFailed."""
    now = now or utcnow()
    if not user.totp_secret or enabled(user):
        raise ValidationFailed(Phrase("Mulai pendaftaran dahulu."), {"kode": Phrase("Muat ulang halaman ini.")})
    if not _accept(session, user, code, now):
        raise ValidationFailed(Phrase("Verifikasi dua langkah belum aktif."), {"kode": _WRONG})
    user.totp_confirmed_at = now
    record(session, "totp_enabled", actor=user, now=now)
    session.flush()


def check(session: Session, user: User, code: str, now: datetime | None = None) -> None:
    """A login's second step. Errors: ValidationFailed (wrong, expired or replayed code)."""
    now = now or utcnow()
    if not enabled(user) or not _accept(session, user, code, now):
        raise ValidationFailed(Phrase("Kode verifikasi salah."), {"kode": _WRONG})
    session.flush()


def disable(
    session: Session,
    actor: User,
    user: User,
    agency_requires: bool,
    code: str | None = None,
    now: datetime | None = None,
) -> None:
    """Turn the second factor off: the owner with a current code (unless the agency requires it of
    them), or an administrator for someone who lost their phone (they enrol again at next login)."""
    now = now or utcnow()
    if actor.id == user.id:
        if required(user, agency_requires):
            raise PermissionDenied(Phrase("Dinas mewajibkan verifikasi dua langkah untuk peran Anda."))
        if not _accept(session, user, code or "", now):
            raise ValidationFailed(Phrase("Verifikasi dua langkah masih aktif."), {"kode": _WRONG})
    elif not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya administrator yang dapat mematikan verifikasi dua langkah akun lain."))
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.session_version = (user.session_version or 1) + 1
    record(session, "totp_disabled", actor=actor, now=now, summary={"user": user.email})
    session.flush()
