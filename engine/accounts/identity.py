"""The applicant's identity checked with the population registry (Dukcapil): when the account is
activated, when an application is submitted, and again by the scheduler while the registry did not
answer. A registry that is down never stops an applicant: the file goes on, marked "belum
terverifikasi", and the check is repeated later."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.accounts.models import User, UserRole
from engine.connectors.calls import Asker, logged, mask
from engine.connectors.dukcapil import IdentityClaim, IdentityVerdict
from engine.connectors.http import ConnectorRefused, ConnectorUnavailable
from engine.connectors.registry import Connectors
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT

MATCHED, PENDING = "cocok", "belum"
# What the front office and the applicant read for each verdict.
LABELS = {
    "belum": "Belum terverifikasi Dukcapil",
    "cocok": "Terverifikasi Dukcapil",
    "tidak_cocok": "Tidak cocok dengan data Dukcapil",
    "tidak_ditemukan": "NIK tidak ditemukan di Dukcapil",
}
# A check the registry did not answer is tried again after this long (the scheduler's pace).
RETRY_AFTER = timedelta(minutes=10)


def describe(user: User) -> str:
    """The verdict in a sentence: "Terverifikasi Dukcapil pada 03-12-2026 10.15 WIB" needs the
    caller's local time; this gives the label and, for a mismatch, the fields that differ."""
    label = LABELS.get(user.identity_status, LABELS[PENDING])
    if user.identity_status == "tidak_cocok" and user.identity_mismatch:
        return f"{label}: {', '.join(user.identity_mismatch)}"
    return label


def check_identity(
    session: Session, connectors: Connectors | None, user: User, asker: Asker, now: datetime | None = None
) -> str:
    """Ask the registry whether the account's NIK, name and birth data match; returns the status.

    Effects: the user's verdict and its time; the call in the connector log; audit
    ``identity_checked`` (masked NIK, purpose, verdict) when the registry answered. A registry
    not connected, not answering or refusing leaves the status as it was (``identity_tried_at`` set).
    """
    now = now or utcnow()
    if connectors is None or connectors.dukcapil is None or not user.nik:
        return user.identity_status
    claim = IdentityClaim(nik=user.nik, name=user.name, birth_date=user.birth_date, birth_place=user.birth_place)
    user.identity_tried_at = now
    try:
        verdict: IdentityVerdict = logged(
            session,
            "dukcapil",
            "verifikasi_nik",
            asker,
            user.nik,
            lambda: connectors.dukcapil.verify(claim),
            lambda v: v.outcome,
            now,
        )
    except (ConnectorUnavailable, ConnectorRefused):
        return user.identity_status
    user.identity_status, user.identity_mismatch, user.identity_checked_at = verdict.outcome, verdict.mismatched, now
    record(
        session,
        "identity_checked",
        actor=session.get(User, asker.actor_id) if asker.actor_id else None,
        now=now,
        summary={
            "nik": mask(user.nik),
            "tujuan": asker.purpose,
            "hasil": LABELS[verdict.outcome],
            **({"tidak_cocok": verdict.mismatched} if verdict.mismatched else {}),
        },
    )
    return user.identity_status


def birth_date_from(given: str, errors: dict, now: datetime) -> date | None:
    """The birth date typed at registration (ISO), or None with the field's message in ``errors``."""
    try:
        born = date.fromisoformat((given or "").strip())
    except ValueError:
        errors.setdefault("birth_date", Phrase("Tanggal lahir wajib diisi (sesuai KTP)."))
        return None
    if not (now.year - 120 < born.year and born <= now.date()):
        errors.setdefault("birth_date", Phrase("Tanggal lahir tidak masuk akal; periksa lagi."))
    return born


def recheck_pending(
    session: Session, connectors: Connectors | None, now: datetime | None = None, limit: int = 50
) -> tuple[int, int]:
    """The scheduler's pass over applicants the registry has not answered for: (checked, still pending).
    Stops at the first check the registry does not answer, so a service that is down is not hammered."""
    now = now or utcnow()
    if connectors is None or connectors.dukcapil is None:
        return 0, 0
    applicants = select(UserRole.user_id).where(UserRole.role == APPLICANT)
    due = session.scalars(
        select(User)
        .where(
            User.id.in_(applicants),
            User.nik.is_not(None),
            User.identity_status == PENDING,
            User.active,
            or_(User.identity_tried_at.is_(None), User.identity_tried_at <= now - RETRY_AFTER),
        )
        .order_by(User.identity_tried_at.nulls_first(), User.id)
        .limit(limit)
    ).all()
    checked = 0
    for user in due:
        if check_identity(session, connectors, user, Asker("pemeriksaan ulang terjadwal"), now) == PENDING:
            break
        checked += 1
    return checked, len(due) - checked
