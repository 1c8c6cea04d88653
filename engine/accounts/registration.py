"""An applicant's self-registration, confirmed by a link sent to the email, and the identity check
with the population registry once it is opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.identity import birth_date_from, check_identity
from engine.accounts.models import User
from engine.accounts.passwords import hash_password
from engine.accounts.users import check_account, create_account
from engine.connectors.calls import Asker
from engine.connectors.registry import Connectors
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT

ACTIVATION_LIFETIME = timedelta(days=3)
_ACTIVATION_SALT = "aktivasi-akun"


def register_applicant(
    session: Session,
    secret: str,
    link_for,
    *,
    name: str,
    nik: str,
    email: str,
    phone: str,
    password: str,
    birth_date: str = "",
    birth_place: str = "",
    now: datetime | None = None,
) -> User | None:
    """Self-registration of an applicant (Pemohon), confirmed by a link sent to the email.

    The answer never tells whether an email or NIK is already registered: for a taken email the
    owner is told by email instead (or, if never activated, gets the link again); for a taken NIK
    the address given is told. Returns the new, not yet active account, or None.
    Errors: ValidationFailed with per-field messages (format and strength only).
    """
    from engine.core.mail import Mail, queue

    now = now or utcnow()
    email, nik = email.strip(), nik.strip()
    errors = check_account(
        session, name=name, email=email, password=password, nik=nik, phone=phone, nik_required=True, report_taken=False
    )
    if not phone.strip():
        errors.setdefault("phone", Phrase("Nomor telepon wajib diisi."))
    born = birth_date_from(birth_date, errors, now)
    if not birth_place.strip():
        errors.setdefault("birth_place", Phrase("Tempat lahir wajib diisi (sesuai KTP)."))
    if errors:
        raise ValidationFailed(Phrase("Pendaftaran belum dapat diproses."), errors)
    owner = session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    user = None
    if owner is not None and owner.email_confirmed_at is None and owner.active:
        message = _activation_mail(owner, link_for(_activation_token(secret, owner, now)))
    elif owner is not None:
        message = Mail(
            to=owner.email,
            subject="Percobaan pendaftaran dengan email Anda",
            body=f"Yth. {owner.name},\n\nSeseorang (mungkin Anda) mencoba mendaftar akun PTSP-el baru "
            "dengan email ini, padahal email ini sudah memiliki akun. Bila itu Anda, silakan masuk; "
            'bila lupa kata sandi, gunakan tautan "Lupa kata sandi?" di halaman Masuk.\n\n'
            "Bila bukan Anda, abaikan email ini.\n",
        )
    elif session.scalar(select(User.id).where(User.nik == nik)):
        message = Mail(
            to=email,
            subject="Pendaftaran PTSP-el belum dapat diproses",
            body=f"Yth. {name.strip()},\n\nNIK yang Anda isi sudah terdaftar pada akun lain. Bila NIK itu "
            "milik Anda, masuk dengan akun lama (atau pulihkan kata sandinya), atau datang ke loket "
            "pelayanan dengan KTP asli.\n",
        )
    else:
        user = create_account(
            session, name=name, email=email, password=password, roles=[APPLICANT], nik=nik, phone=phone, now=now
        )
        user.email_confirmed_at = None
        user.birth_date, user.birth_place = born, birth_place.strip()[:100]
        message = _activation_mail(user, link_for(_activation_token(secret, user, now)))
    if user is None:
        hash_password(password)  # the work a new account costs, so every answer takes as long
    queue(session, message, now)
    if user is not None:
        record(session, "user_registered", actor=user, now=now, summary={"user": user.email})
    return user


def _activation_token(secret: str, user: User, now: datetime) -> str:
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(secret, salt=_ACTIVATION_SALT).dumps([user.id, int(now.timestamp())])


def _activation_mail(user: User, link: str):
    from engine.core.mail import Mail

    return Mail(
        to=user.email,
        subject="Aktifkan akun PTSP-el Anda",
        body=f"Yth. {user.name},\n\nTerima kasih telah mendaftar sebagai Pemohon. Buka tautan berikut untuk "
        f"mengaktifkan akun Anda:\n\n{link}\n\nTautan berlaku tiga hari. Bila Anda tidak mendaftar, "
        "abaikan email ini.\n",
    )


def confirm_email(
    session: Session, secret: str, token: str, now: datetime | None = None, connectors: Connectors | None = None
) -> User:
    """Activate a self-registered account from its emailed link (opening it twice is harmless), and
    check its identity with the population registry (``identity.check_identity``; a registry that
    does not answer leaves it for the scheduler).
    Errors: ValidationFailed (forged link, unknown or deactivated account, link older than 3 days)."""
    from itsdangerous import BadSignature, URLSafeSerializer

    now = now or utcnow()
    bad = Phrase(
        "Tautan aktivasi tidak berlaku atau sudah lewat tiga hari. Daftar lagi dengan email yang sama "
        "untuk menerima tautan baru."
    )
    try:
        user_id, issued = URLSafeSerializer(secret, salt=_ACTIVATION_SALT).loads(token or "")
        issued_at = datetime.fromtimestamp(int(issued), UTC)
    except (BadSignature, ValueError, TypeError, OverflowError, OSError):
        raise ValidationFailed(bad, {"tautan": bad}) from None
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        raise ValidationFailed(bad, {"tautan": bad})
    if user.email_confirmed_at is None:
        if issued_at + ACTIVATION_LIFETIME <= now:
            raise ValidationFailed(bad, {"tautan": bad})
        user.email_confirmed_at = now
        record(session, "email_confirmed", actor=user, now=now)
        check_identity(session, connectors, user, Asker("registrasi akun", actor_id=user.id), now)
        session.flush()
    return user
