"""Accounts: users, their roles, the permit types they may act on, reset links and API tokens."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, UtcDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    nip: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(20))
    # For officers' signature blocks: jabatan and pangkat/golongan.
    position: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    roles: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Authority: an account reads every permit type, or only those its scopes name.
    all_permit_types: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    scopes: Mapped[list[AuthorityScope]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # TOTP second factor: the shared secret, when it was confirmed, and the last time step used
    # (a code is accepted once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # When the owner opened the activation link (self-registered applicants); staff accounts made
    # by the admin count as confirmed when created.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The language the person chose for the pages ("id" or "en"); None: not chosen, the browser's.
    language: Mapped[str | None] = mapped_column(String(5))
    # Set when an admin revokes one of the officer's certificates: no new one until an admin
    # approves it (a key suspected lost must not be replaced by whoever holds the session).
    certificate_hold_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The applicant's identity as checked with the population registry (``identity``): the birth
    # data the check needs, the last verdict ("belum": not checked yet or the registry did not
    # answer; "cocok"; "tidak_cocok" with the fields that differ; "tidak_ditemukan"), when it was
    # given, and when a check was last tried.
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_place: Mapped[str | None] = mapped_column(String(100))
    identity_status: Mapped[str] = mapped_column(String(20), default="belum", server_default="belum")
    identity_mismatch: Mapped[list] = mapped_column(JSON, default=list)
    identity_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    identity_tried_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    # The session-login protocol (is_active, is_authenticated, is_anonymous, get_id), kept here
    # as plain properties so the model does not depend on the web framework.
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        # The session version travels in the session: raising it (logout, a password change, a
        # deactivation) ends every session opened before, a copied cookie included.
        return f"{self.id}.{self.session_version or 1}"


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class AuthorityScope(Base):
    """One permit type, or every permit type of one unit, an account may read and work; for the
    Instansi Terkait role, whether the applicants' personal documents are granted too."""

    __tablename__ = "authority_scopes"
    __table_args__ = (UniqueConstraint("user_id", "permit_type_id", "unit", name="uq_authority_scopes_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    permit_type_id: Mapped[int | None] = mapped_column(ForeignKey("permit_types.id", ondelete="CASCADE"))
    unit: Mapped[str | None] = mapped_column(String(100))
    personal_documents: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="scopes")


class PasswordReset(Base):
    """A password reset link sent by email: single use, expiring; only the nonce's hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nonce_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()
