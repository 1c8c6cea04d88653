"""Officers' signing certificates: enrol (issued by the agency CA), import (PKCS#12 from a licensed
CA), revoke (the CA's CRL is republished at once), and the credential a signature uses.

The PKCS#12 is stored as it is, protected by the officer's passphrase; the passphrase itself is
never stored or logged. A certificate belongs to one user: no other account can sign with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import NotFound, PermissionDenied, SigningRefused
from engine.core.localtime import Phrase
from engine.core.models import AuditEvent
from engine.core.roles import ADMIN, STAFF_ROLES
from engine.core.services import SignerCredential
from engine.documents.models import SignerCertificate

if TYPE_CHECKING:  # accounts sit above this domain; the type is only named
    from engine.accounts.models import User


def _require_staff(user: User) -> None:
    if not (user.role_names & set(STAFF_ROLES)):
        raise PermissionDenied(Phrase("Sertifikat penandatangan hanya untuk petugas."))


def active_certificate(session: Session, user: User, now: datetime | None = None) -> SignerCertificate | None:
    now = now or utcnow()
    certificate = session.scalar(
        select(SignerCertificate)
        .where(SignerCertificate.user_id == user.id, SignerCertificate.status == "aktif")
        .order_by(SignerCertificate.id.desc())
    )
    if certificate is None or aware(certificate.not_after) <= now:
        return None
    return certificate


def certificates_of(session: Session, user: User | None = None) -> list[SignerCertificate]:
    query = select(SignerCertificate).order_by(SignerCertificate.id.desc())
    if user is not None:
        query = query.where(SignerCertificate.user_id == user.id)
    return list(session.scalars(query))


def certificate_by_serial(session: Session, serial: str | None) -> SignerCertificate | None:
    if not serial:
        return None
    return session.scalar(select(SignerCertificate).where(SignerCertificate.serial == serial.lower()))


def _store(session: Session, user: User, issued, source: str, now: datetime) -> SignerCertificate:
    if certificate_by_serial(session, issued.serial) is not None:
        raise SigningRefused(Phrase("Sertifikat ini sudah tercatat."), reason="duplicate")
    for old in session.scalars(
        select(SignerCertificate).where(SignerCertificate.user_id == user.id, SignerCertificate.status == "aktif")
    ):
        old.status = "diganti"
    certificate = SignerCertificate(
        user_id=user.id,
        serial=issued.serial.lower(),
        subject=issued.subject,
        issuer=issued.issuer,
        source=source,
        p12=issued.p12,
        cert_der=issued.cert_der,
        not_before=issued.not_before,
        not_after=issued.not_after,
        status="aktif",
        created_at=now,
    )
    session.add(certificate)
    session.flush()
    return certificate


def enroll(
    session: Session, services, user: User, passphrase: str, confirm: str, now: datetime | None = None
) -> SignerCertificate:
    """Issue ``user`` a new signing certificate from the agency CA, protected by ``passphrase``.

    Effects: the certificate row (earlier active ones become ``diganti``), audit ``certificate_issued``.
    Errors: PermissionDenied (not an officer), SigningRefused (passphrase too short or not confirmed).
    """
    now = now or utcnow()
    _require_staff(user)
    _require_no_hold(user)
    if passphrase != confirm:
        raise SigningRefused(Phrase("Konfirmasi passphrase tidak sama."), reason="confirm")
    issued = services.documents.issue_certificate(name=user.name, nik=user.nik, passphrase=passphrase)
    certificate = _store(session, user, issued, "agency", now)
    record(
        session,
        "certificate_issued",
        actor=user,
        now=now,
        summary={"serial": certificate.serial, "berlaku_sampai": certificate.not_after.date().isoformat()},
    )
    return certificate


def import_p12(
    session: Session, services, user: User, p12: bytes, passphrase: str, now: datetime | None = None
) -> SignerCertificate:
    """Record a PKCS#12 issued by a licensed CA (e.g. BSrE) as ``user``'s signing certificate.

    Errors: PermissionDenied, SigningRefused (wrong passphrase, not a PKCS#12, expired).
    """
    now = now or utcnow()
    _require_staff(user)
    _require_no_hold(user)
    issued = services.documents.read_p12(p12, passphrase)
    if aware(issued.not_after) <= now:
        raise SigningRefused(Phrase("Sertifikat dalam berkas ini sudah kedaluwarsa."), reason="expired")
    certificate = _store(session, user, issued, "import", now)
    record(
        session,
        "certificate_imported",
        actor=user,
        now=now,
        summary={"serial": certificate.serial, "penerbit": certificate.issuer[:120]},
    )
    return certificate


def revoke(
    session: Session, services, actor: User, certificate_id: int, reason: str, now: datetime | None = None
) -> SignerCertificate:
    """An administrator revokes a signing certificate; the CA's CRL is republished at once.

    Errors: PermissionDenied (not an admin), NotFound, SigningRefused (no reason given).
    """
    now = now or utcnow()
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang dapat mencabut sertifikat."))
    certificate = session.get(SignerCertificate, certificate_id)
    if certificate is None:
        raise NotFound(Phrase("Sertifikat tidak ditemukan."))
    if not (reason or "").strip():
        raise SigningRefused(Phrase("Tuliskan alasan pencabutan sertifikat."), reason="no_reason")
    if certificate.status != "dicabut":
        for same_key in _same_key(session, certificate):
            if same_key.status != "dicabut":
                same_key.status, same_key.revoked_at = "dicabut", now
                same_key.revocation_reason = reason.strip()[:1000]
        certificate.user.certificate_hold_at = now
        session.flush()
        record(
            session,
            "certificate_revoked",
            actor=actor,
            now=now,
            summary={"serial": certificate.serial, "pemilik": certificate.user.name, "alasan": reason[:200]},
        )
        publish_crl(session, services)
    return certificate


def _same_key(session: Session, certificate: SignerCertificate) -> list[SignerCertificate]:
    """The certificate and those that certify the same key (linked by ``recertifies_id``)."""
    found = {certificate.id: certificate}
    frontier = [certificate]
    while frontier:
        current = frontier.pop()
        linked = list(session.scalars(select(SignerCertificate).where(SignerCertificate.recertifies_id == current.id)))
        if current.recertifies_id:
            linked.append(session.get(SignerCertificate, current.recertifies_id))
        for other in linked:
            if other is not None and other.id not in found:
                found[other.id] = other
                frontier.append(other)
    return list(found.values())


def recertify_if_moved(
    session: Session, services, certificate: SignerCertificate | None, user: User, passphrase: str, now: datetime
) -> SignerCertificate | None:
    """At signing, while the passphrase is at hand: a certificate of the agency CA that names an
    address the CA no longer publishes at (``PUBLIC_BASE_URL`` changed) is replaced by one for the
    same key naming the current address. Documents signed before keep the earlier certificate,
    which stays valid. Errors: SigningRefused (wrong passphrase)."""
    if certificate is None or certificate.source != "agency" or services.documents.provider_name != "lokal":
        return certificate  # a remote provider signs with keys held elsewhere
    issued = services.documents.recertify(certificate.p12, passphrase)
    if issued is None:
        return certificate
    renewed = _store(session, user, issued, "agency", now)
    renewed.recertifies_id = certificate.id
    session.flush()
    record(
        session,
        "certificate_recertified",
        actor=user,
        now=now,
        summary={
            "serial": renewed.serial,
            "menggantikan": certificate.serial,
            "berlaku_sampai": renewed.not_after.date().isoformat(),
        },
    )
    return renewed


def _require_no_hold(user: User) -> None:
    if user.certificate_hold_at is not None:
        raise SigningRefused(
            Phrase(
                "Sertifikat Anda telah dicabut Administrator. Sertifikat baru memerlukan persetujuan "
                "Administrator terlebih dahulu; hubungi Administrator."
            ),
            reason="awaiting_approval",
        )


def approve_new_certificate(session: Session, actor: User, user: User, now: datetime | None = None) -> None:
    """An administrator lets an officer whose certificate was revoked activate or import a new one."""
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang dapat menyetujui sertifikat baru."))
    if user.certificate_hold_at is not None:
        user.certificate_hold_at = None
        record(session, "certificate_renewal_approved", actor=actor, now=now or utcnow(), summary={"user": user.email})
        session.flush()


def publish_crl(session: Session, services) -> None:
    """Republish the agency CA's CRL with every certificate it issued that is revoked."""
    revoked = session.execute(
        select(SignerCertificate.serial, SignerCertificate.revoked_at).where(
            SignerCertificate.status == "dicabut", SignerCertificate.source == "agency"
        )
    ).all()
    services.documents.publish_crl([(serial, aware(at)) for serial, at in revoked])


def credential_for(session: Session, services, user: User, now: datetime, passphrase: str | None = None):
    """The signer's certificate row (if keys are held here) and the credential for the provider;
    with the ``passphrase``, a certificate naming an old address is certified anew first.

    Errors: SigningRefused when keys are held here and the officer has no usable certificate.
    """
    certificate = active_certificate(session, user, now)
    if passphrase is not None:
        certificate = recertify_if_moved(session, services, certificate, user, passphrase, now)
    if certificate is None and services.documents.provider_name == "lokal":
        latest = session.scalar(
            select(SignerCertificate).where(SignerCertificate.user_id == user.id).order_by(SignerCertificate.id.desc())
        )
        if latest is not None and latest.status == "dicabut":
            raise SigningRefused(
                Phrase(
                    "Sertifikat elektronik Anda telah dicabut. Hubungi Administrator untuk penerbitan sertifikat baru."
                ),
                reason="revoked",
            )
        raise SigningRefused(
            Phrase(
                "Anda belum memiliki sertifikat elektronik aktif. Aktifkan sertifikat di menu "
                "Sertifikat Saya terlebih dahulu."
            ),
            reason="no_certificate",
        )
    return certificate, SignerCredential(
        nik=user.nik, name=user.name, p12=certificate.p12 if certificate is not None else None
    )


# Wrong passphrases tolerated per officer in a quarter of an hour before signing pauses for them:
# a passphrase is the only thing between a stolen session and the head's signature.
PASSPHRASE_ATTEMPTS = 5
PASSPHRASE_WINDOW = timedelta(minutes=15)


def require_passphrase_attempts_left(session: Session, user: User) -> None:
    """Refuse to try another passphrase after too many wrong ones (counted from the audit trail,
    so every web worker and the API see the same count). Errors: SigningRefused."""
    wrong = _wrong_passphrases(session, user)
    if wrong >= PASSPHRASE_ATTEMPTS:
        raise SigningRefused(
            Phrase(
                "Passphrase salah %(wrong)s kali dalam 15 menit terakhir. Penandatanganan dihentikan sementara untuk akun ini; coba lagi nanti atau hubungi Administrator.",
                wrong=wrong,
            ),
            reason="too_many_attempts",
        )


def _wrong_passphrases(session: Session, user: User) -> int:
    """Wrong passphrases in the last 15 minutes, since an administrator's unlock if later."""
    since = utcnow() - PASSPHRASE_WINDOW  # real time: guessing happens now, whatever a verb is told
    unlocked = session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.action == "signing_unlocked", AuditEvent.summary["user"].as_string() == user.email
        )
    )
    if unlocked is not None and aware(unlocked) > since:
        since = aware(unlocked)
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "signing_refused",
                AuditEvent.actor_id == user.id,
                AuditEvent.at > since,
                AuditEvent.summary["alasan"].as_string() == "wrong_passphrase",
            )
        )
        or 0
    )


def signing_locked(session: Session, user: User) -> bool:
    return _wrong_passphrases(session, user) >= PASSPHRASE_ATTEMPTS


def unlock_signing(session: Session, actor: User, user: User, now: datetime | None = None) -> None:
    """An administrator lifts the pause after wrong passphrases (audited)."""
    if not actor.has_role(ADMIN):
        raise PermissionDenied(Phrase("Hanya Administrator yang dapat membuka kunci penandatanganan."))
    record(session, "signing_unlocked", actor=actor, now=now or utcnow(), summary={"user": user.email})
    session.flush()


def record_refused_signing(
    session: Session, actor: User, exc: SigningRefused, application=None, now: datetime | None = None
) -> None:
    """Audit a refused signature (and, at the fifth wrong passphrase, that signing is locked).
    Call after rolling back the failed step, then commit."""
    record(
        session,
        "signing_refused",
        actor=actor,
        application=application,
        now=now or utcnow(),
        summary={"alasan": exc.reason, "pesan": exc.message[:200]},
    )
    if exc.reason == "wrong_passphrase":
        session.flush()
        if _wrong_passphrases(session, actor) == PASSPHRASE_ATTEMPTS:
            record(
                session,
                "signing_locked",
                actor=actor,
                application=application,
                now=now or utcnow(),
                summary={"user": actor.email, "percobaan": PASSPHRASE_ATTEMPTS},
            )
