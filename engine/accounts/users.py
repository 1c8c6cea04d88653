"""Accounts: staff accounts and their roles and scope, sign-in and sessions, and the administrator's
verbs on an account. Self-registration, passwords, API tokens and reset links have modules of their
own."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from engine.accounts.api_tokens import revoke_all_tokens
from engine.accounts.models import AuthorityScope, PasswordReset, User, UserRole
from engine.accounts.passwords import (
    MIN_PASSWORD,
    hash_password,
    needs_rehash,
    no_account_hash,
    password_matches,
    password_problem,
)
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.localtime import LANGUAGES, Phrase
from engine.core.numbers import is_whole_number
from engine.core.roles import ADMIN, ALL_ROLES, APPLICANT
from engine.workflow.models import PermitType

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NIK_PATTERN = re.compile(r"[0-9]{16}")
_PHONE = re.compile(r"^(\+62|0)[0-9]{8,13}$")


def check_account(
    session: Session,
    *,
    name: str,
    email: str,
    password: str,
    nik: str | None,
    phone: str | None,
    nik_required: bool,
    strength: bool = True,
    report_taken: bool = True,
) -> dict[str, str]:
    errors = {}
    if len(name.strip()) < 3:
        errors["name"] = Phrase("Nama minimal 3 karakter.")
    if not EMAIL_PATTERN.match(email):
        errors["email"] = Phrase("Alamat email tidak valid.")
    elif report_taken and session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        errors["email"] = Phrase("Email ini sudah terdaftar.")
    if nik_required or nik:
        if not NIK_PATTERN.fullmatch(nik or ""):
            errors["nik"] = Phrase("NIK harus 16 digit angka.")
        elif report_taken and session.scalar(select(User.id).where(User.nik == nik)):
            errors["nik"] = Phrase("NIK ini sudah terdaftar.")
    if phone and not _PHONE.match(phone.replace(" ", "").replace("-", "")):
        errors["phone"] = Phrase("Nomor telepon tidak valid (contoh: 081234567890).")
    problem = (
        password_problem(password, name, email)
        if strength
        else (f"Kata sandi minimal {MIN_PASSWORD} karakter." if len(password) < MIN_PASSWORD else None)
    )
    if problem:
        errors["password"] = problem
    return errors


def create_account(
    session, *, name, email, password, roles, nik=None, phone=None, nip=None, position=None, rank=None, now=None
) -> User:
    user = User(
        name=name.strip(),
        email=email.strip().lower(),
        nik=nik or None,
        nip=nip or None,
        position=(position or "").strip() or None,
        rank=(rank or "").strip() or None,
        phone=(phone or "").replace(" ", "").replace("-", "") or None,
        password_hash=hash_password(password),
        active=True,
        created_at=now or utcnow(),
        email_confirmed_at=now or utcnow(),
    )
    user.roles = [UserRole(role=r) for r in sorted(set(roles))]
    session.add(user)
    session.flush()
    return user


def create_user(
    session: Session,
    actor: User | None,
    *,
    name: str,
    email: str,
    password: str,
    roles: list[str],
    nik: str | None = None,
    nip: str | None = None,
    phone: str | None = None,
    position: str | None = None,
    rank: str | None = None,
    now: datetime | None = None,
    strength: bool = True,
    scope: AccountScope | None = None,
) -> User:
    """An administrator creates an account with roles and, for officers, supervisors and other
    agencies, the permit types it reads (``scope``; none until given). ``actor`` None is the CLI /
    seed; only the demo seed passes ``strength=False`` (its published demo password)."""
    if actor is not None and not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya administrator yang dapat membuat akun."))
    email = email.strip()
    errors = check_account(
        session,
        name=name,
        email=email,
        password=password,
        nik=nik,
        phone=phone,
        nik_required=APPLICANT in roles,
        strength=strength,
    )
    unknown = [r for r in roles if r not in ALL_ROLES]
    if not roles or unknown:
        errors["roles"] = Phrase("Pilih paling sedikit satu peran yang dikenal.")
    if errors:
        raise ValidationFailed(Phrase("Akun belum dapat dibuat."), errors)
    user = create_account(
        session,
        name=name,
        email=email,
        password=password,
        roles=roles,
        nik=nik,
        nip=nip,
        phone=phone,
        position=position,
        rank=rank,
        now=now,
    )
    summary = {"user": user.email, "roles": sorted(roles)}
    if scope is not None:
        _apply_scope(session, user, scope)
        summary["cakupan"] = describe_scope(session, user)
    record(session, "user_created", actor=actor, now=now, summary=summary)
    return user


@dataclass(frozen=True)
class AccountScope:
    """What an account may read: every permit type, or the listed permit types and units; for
    another agency, the permit types whose personal documents it is granted."""

    all_permit_types: bool = False
    permit_type_ids: frozenset[int] = frozenset()
    units: frozenset[str] = frozenset()
    personal_permit_type_ids: frozenset[int] = frozenset()


def _apply_scope(session: Session, user: User, scope: AccountScope) -> None:
    known = set(session.scalars(select(PermitType.id)))
    unknown = (scope.permit_type_ids | scope.personal_permit_type_ids) - known
    if unknown:
        raise ValidationFailed(
            Phrase("Cakupan belum diubah."), {"cakupan": Phrase("Jenis izin yang dipilih tidak dikenal.")}
        )
    units = {u.strip()[:100] for u in scope.units if u and u.strip()}
    user.all_permit_types = bool(scope.all_permit_types)
    user.scopes = [
        AuthorityScope(permit_type_id=t, personal_documents=t in scope.personal_permit_type_ids)
        for t in sorted(scope.permit_type_ids | scope.personal_permit_type_ids)
    ] + [AuthorityScope(unit=u) for u in sorted(units)]
    session.flush()


def scope_of_account(user: User) -> AccountScope:
    """The account's scope as the users page edits it."""
    return AccountScope(
        all_permit_types=bool(user.all_permit_types),
        permit_type_ids=frozenset(s.permit_type_id for s in user.scopes if s.permit_type_id),
        units=frozenset(s.unit for s in user.scopes if s.unit),
        personal_permit_type_ids=frozenset(
            s.permit_type_id for s in user.scopes if s.permit_type_id and s.personal_documents
        ),
    )


def describe_scope(session: Session, user: User) -> str:
    """The account's authority in words, for the users page and the audit trail."""
    if user.all_permit_types:
        text = "Semua jenis izin"
    else:
        names = dict(session.execute(select(PermitType.id, PermitType.name)).all())
        parts = [
            names.get(s.permit_type_id, "?") + (" (dengan dokumen pribadi)" if s.personal_documents else "")
            for s in user.scopes
            if s.permit_type_id
        ]
        parts += [f"Bidang {s.unit}" for s in user.scopes if s.unit]
        text = ", ".join(parts) or "Belum ada jenis izin"
    return text


def set_scope(session: Session, actor: User, user: User, scope: AccountScope, now: datetime | None = None) -> User:
    """The admin sets which permit types (or units) an account reads and works; audited with the
    before and after. It applies from the account's next request."""
    _require_admin(actor)
    before = describe_scope(session, user)
    _apply_scope(session, user, scope)
    after = describe_scope(session, user)
    if after != before:
        record(
            session,
            "user_scope_changed",
            actor=actor,
            now=now,
            summary={"user": user.email, "sebelum": before, "sesudah": after},
        )
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    matches = password_matches(user.password_hash if user is not None else no_account_hash(), password or "")
    if user is None or not user.active or not matches or user.email_confirmed_at is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)  # saved with the login's own audit row
    return user


def record_login(
    session: Session, user: User | None, email: str, address: str | None, channel: str, now: datetime | None = None
) -> None:
    """Audit a login attempt: who (or which email was tried), from where, and whether it worked."""
    summary = {"email": (email or "").strip().lower()[:200], "alamat": (address or "")[:64], "saluran": channel}
    record(session, "login" if user is not None else "login_failed", actor=user, now=now, summary=summary)


def end_sessions(session: Session, user: User, now: datetime | None = None) -> None:
    """End every session of ``user`` (logout ends them everywhere, a copied cookie too)."""
    user.session_version = (user.session_version or 1) + 1
    record(session, "sessions_ended", actor=user, now=now)
    session.flush()


# Every request needs the account with its roles and scopes: one statement, not three.
_AUTHORITY = (joinedload(User.roles), joinedload(User.scopes))


def user_for_session(session: Session, session_id: str) -> User | None:
    """The user of a session id (``<id>.<version>``), if the account is active and the session current."""
    user_id, _, version = (session_id or "").partition(".")
    if not is_whole_number(user_id) or not is_whole_number(version):
        return None
    user = session.get(User, int(user_id), options=_AUTHORITY)
    if user is None or not user.active or (user.session_version or 1) != int(version):
        return None
    return user


def change_password(
    session: Session, user: User, current: str, new: str, confirm: str, now: datetime | None = None
) -> None:
    """The user changes their own password; every other session and every API token ends.

    Errors: ValidationFailed (current password wrong, new one too short or not confirmed).
    """
    errors = {}
    if not password_matches(user.password_hash, current or ""):
        errors["current"] = Phrase("Kata sandi sekarang salah.")
    problem = password_problem(new or "", user.name, user.email)
    if problem:
        errors["new"] = problem
    elif new == current:
        errors["new"] = Phrase("Kata sandi baru harus berbeda dari yang sekarang.")
    if new != confirm:
        errors["confirm"] = Phrase("Ulangi kata sandi baru dengan tepat.")
    if errors:
        raise ValidationFailed(Phrase("Kata sandi belum diganti."), errors)
    user.password_hash = hash_password(new)
    revoke_all_tokens(session, user)
    void_resets(session, user, now)
    record(session, "password_changed", actor=user, now=now)
    end_sessions(session, user, now)


def _require_admin(actor: User) -> None:
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya administrator yang dapat mengelola akun."))


def set_account_active(session: Session, actor: User, user: User, active: bool, now: datetime | None = None) -> User:
    """Deactivate an account (its sessions and tokens end at once) or activate it again."""
    _require_admin(actor)
    if user.id == actor.id and not active:
        raise ValidationFailed(
            Phrase("Akun sendiri tidak dapat dinonaktifkan."), {"active": Phrase("Minta administrator lain.")}
        )
    if bool(user.active) != active:
        user.active = active
        if not active:
            revoke_all_tokens(session, user)
            void_resets(session, user, now)
            user.session_version = (user.session_version or 1) + 1
        record(
            session,
            "user_activated" if active else "user_deactivated",
            actor=actor,
            now=now,
            summary={"user": user.email},
        )
    session.flush()
    return user


def set_roles(session: Session, actor: User, user: User, roles: list[str], now: datetime | None = None) -> User:
    """Replace an account's roles; its sessions end so the new authority applies at once."""
    _require_admin(actor)
    roles = sorted(set(roles))
    if not roles or any(r not in ALL_ROLES for r in roles):
        raise ValidationFailed(
            Phrase("Peran belum diubah."), {"roles": Phrase("Pilih paling sedikit satu peran yang dikenal.")}
        )
    if user.id == actor.id and ADMIN not in roles:
        raise ValidationFailed(
            Phrase("Peran belum diubah."), {"roles": Phrase("Peran administrator Anda sendiri tidak dapat dilepas.")}
        )
    before = sorted(user.role_names)
    if before != roles:
        user.roles = [UserRole(role=r) for r in roles]
        user.session_version = (user.session_version or 1) + 1
        record(
            session,
            "user_roles_changed",
            actor=actor,
            now=now,
            summary={"user": user.email, "sebelum": before, "sesudah": roles},
        )
    session.flush()
    return user


def record_unlock(session: Session, actor: User, user: User, now: datetime | None = None) -> None:
    """The admin unlocked an account that refused logins after too many wrong attempts."""
    _require_admin(actor)
    record(session, "account_unlocked", actor=actor, now=now, summary={"user": user.email})


def reset_password(session: Session, actor: User, user: User, now: datetime | None = None) -> str:
    """The admin sets a new one-time password for the account (to hand over in person); its
    sessions and tokens end. Returns the password, shown once, never stored."""
    _require_admin(actor)
    temporary = secrets.token_urlsafe(9)
    user.password_hash = hash_password(temporary)
    revoke_all_tokens(session, user)
    void_resets(session, user, now)
    user.session_version = (user.session_version or 1) + 1
    record(session, "password_reset", actor=actor, now=now, summary={"user": user.email})
    session.flush()
    return temporary


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


# --- what a password change elsewhere voids ----------------------------------------------------------


def void_resets(session: Session, user: User, now: datetime | None = None) -> None:
    """Links sent earlier stop working once the password is changed another way."""
    from sqlalchemy import update

    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now or utcnow())
    )


def choose_language(session: Session, user: User, language: str, now: datetime | None = None) -> None:
    """The person's language for the pages, kept for their next visit. Audit ``language_chosen``
    when it changes. Errors: ValidationFailed for a language the agency does not publish in."""
    if language not in LANGUAGES:
        raise ValidationFailed(
            Phrase("Bahasa tidak tersedia."),
            {"lang": Phrase("Pilih salah satu: %(languages)s.", languages=", ".join(LANGUAGES))},
        )
    if user.language != language:
        user.language = language
        record(session, "language_chosen", actor=user, summary={"bahasa": language}, now=now or utcnow())
