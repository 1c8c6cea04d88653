"""Accounts for people served at the counter (R2.13): the front office finds the person by NIK or
opens an account for them without a password; the person later claims it with a link (a month's
validity), choosing their email and password."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.identity import birth_date_from
from engine.accounts.models import User
from engine.accounts.password_reset import issue_token, reset_by_link
from engine.accounts.passwords import hash_password, password_problem
from engine.accounts.users import EMAIL_PATTERN, NIK_PATTERN, create_account, end_sessions, void_resets
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT, FRONT_OFFICE

CLAIM_LIFETIME = timedelta(days=30)
_PLACEHOLDER = "@sistem.invalid"


def unclaimed(user: User) -> bool:
    """An account opened at the counter that its owner has not taken over yet."""
    return user.email.startswith("loket-") and user.email.endswith(_PLACEHOLDER)


def applicant(session: Session, user_id: int) -> User:
    """An applicant's account, for the counter. Errors: NotFound."""
    user = session.get(User, user_id)
    if user is None or not user.has_role(APPLICANT):
        raise NotFound(Phrase("Akun Pemohon tidak ditemukan."))
    return user


def walk_in(
    session: Session,
    officer: User,
    *,
    nik: str,
    name: str,
    birth_date: str,
    birth_place: str,
    phone: str = "",
    email: str = "",
    now: datetime | None = None,
) -> tuple[User, bool]:
    """The person at the counter: their account by NIK, or a new applicant account (no password;
    an email only if they gave one). Returns (account, created).

    Effects: audit ``applicant_registered_at_counter`` for a new account.
    Errors: PermissionDenied (not front office), ValidationFailed."""
    now = now or utcnow()
    if not officer.has_role(FRONT_OFFICE):
        raise PermissionDenied(Phrase("Hanya Front Office yang melayani Pemohon di loket."))
    nik, email = (nik or "").strip(), (email or "").strip().lower()
    if not NIK_PATTERN.fullmatch(nik):
        raise ValidationFailed(
            Phrase("Data Pemohon belum lengkap."), {"nik": Phrase("NIK harus 16 digit angka (lihat KTP).")}
        )
    found = session.scalar(select(User).where(User.nik == nik))
    if found is not None:
        if not found.has_role(APPLICANT):
            raise ValidationFailed(
                Phrase("NIK ini milik akun petugas."), {"nik": Phrase("NIK ini terdaftar sebagai akun petugas.")}
            )
        return found, False
    errors = {}
    if len((name or "").strip()) < 3:
        errors["name"] = Phrase("Nama sesuai KTP, minimal 3 karakter.")
    born = birth_date_from(birth_date, errors, now)
    if not (birth_place or "").strip():
        errors["birth_place"] = Phrase("Tempat lahir wajib diisi (sesuai KTP).")
    if email and not EMAIL_PATTERN.match(email):
        errors["email"] = Phrase("Alamat email tidak valid.")
    elif email and session.scalar(select(User.id).where(func.lower(User.email) == email)):
        errors["email"] = Phrase("Email ini sudah dipakai akun lain; kosongkan bila Pemohon tidak punya email lain.")
    if errors:
        raise ValidationFailed(Phrase("Data Pemohon belum lengkap."), errors)
    user = create_account(
        session,
        name=name,
        email=email or f"loket-{nik}{_PLACEHOLDER}",
        password=secrets.token_urlsafe(32),
        roles=[APPLICANT],
        nik=nik,
        phone=phone,
        now=now,
    )
    user.birth_date, user.birth_place = born, birth_place.strip()[:100]
    user.email_confirmed_at = None  # confirmed when its owner claims it
    record(
        session,
        "applicant_registered_at_counter",
        actor=officer,
        now=now,
        summary={"pemohon": user.id, "email": bool(email), "telepon": bool(phone)},
    )
    return user, True


def claim_link(session: Session, secret: str, user: User, link_for, now: datetime | None = None) -> str:
    """A single-use link, valid for a month, with which the person takes over the account."""
    return link_for(issue_token(session, secret, user, CLAIM_LIFETIME, now or utcnow()))


def claim(
    session: Session, secret: str, token: str, email: str, password: str, confirm: str, now: datetime | None = None
) -> User:
    """The person takes over the account opened for them: their email (kept if they gave one at the
    counter) and a password of their own; the link is spent. Audit ``account_claimed``.
    Errors: ValidationFailed (bad link, email, weak or unconfirmed password)."""
    now = now or utcnow()
    reset = reset_by_link(session, secret, token, now)
    user = reset.user
    email = (email or "").strip().lower() or user.email
    errors = {}
    if unclaimed(user) and email == user.email:
        errors["email"] = Phrase("Isi alamat email Anda: dipakai untuk masuk dan menerima pemberitahuan.")
    elif not EMAIL_PATTERN.match(email):
        errors["email"] = Phrase("Alamat email tidak valid.")
    elif email != user.email and session.scalar(select(User.id).where(func.lower(User.email) == email)):
        errors["email"] = Phrase("Email ini sudah dipakai akun lain.")
    problem = password_problem(password or "", user.name, email)
    if problem:
        errors["new"] = problem
    if password != confirm:
        errors["confirm"] = Phrase("Ulangi kata sandi dengan tepat.")
    if errors:
        raise ValidationFailed(Phrase("Akun belum dapat diambil alih."), errors)
    user.email, user.password_hash, user.email_confirmed_at = email, hash_password(password), now
    void_resets(session, user, now)
    end_sessions(session, user, now)
    record(session, "account_claimed", actor=user, now=now, summary={"email": email})
    return user
