"""Queue numbers per service counter (R2.12): a ticket taken at the kiosk or online for a time slot,
called by an officer at a desk, shown on the board; waiting times per counter. Numbers restart each
day, in the agency's zone, and are drawn from a counter row so two kiosks never print the same one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import N_, Phrase, local_date
from engine.core.numbers import next_value
from engine.core.roles import ADMIN, FRONT_OFFICE, HEAD
from engine.public_data.models import QueueTicket

# counter → (letter on the ticket, name)
COUNTERS = {
    "konsultasi": ("A", N_("Konsultasi dan informasi")),
    "pengajuan": ("B", N_("Pengajuan berkas")),
    "penyerahan": ("C", N_("Penyerahan izin")),
    "pengaduan": ("D", N_("Pengaduan")),
}
# An online ticket is called from a little before its slot.
EARLY = timedelta(minutes=15)


def label(ticket: QueueTicket) -> str:
    return f"{COUNTERS[ticket.counter][0]}-{ticket.number:03d}"


def take(
    session: Session,
    counter: str,
    zone: str,
    *,
    source: str = "kiosk",
    slot_at: datetime | None = None,
    now: datetime | None = None,
) -> QueueTicket:
    """A new ticket. Errors: ValidationFailed (unknown counter, a slot in the past or beyond a week)."""
    now = now or utcnow()
    if counter not in COUNTERS:
        raise ValidationFailed(Phrase("Pilih layanan."), {"layanan": Phrase("Pilih loket layanan.")})
    if slot_at is not None and not (now - timedelta(minutes=5) <= slot_at <= now + timedelta(days=7)):
        raise ValidationFailed(
            Phrase("Waktu kedatangan tidak dapat dipilih."), {"waktu": Phrase("Pilih waktu dalam tujuh hari ke depan.")}
        )
    day = local_date(slot_at or now, zone)
    ticket = QueueTicket(
        day=day,
        counter=counter,
        number=next_value(session, f"antrean:{day.isoformat()}:{counter}"),
        source=source,
        slot_at=slot_at,
        status="menunggu",
        created_at=now,
    )
    session.add(ticket)
    session.flush()
    return ticket


def _require_officer(actor: User) -> None:
    if not actor.role_names & {FRONT_OFFICE, HEAD, ADMIN}:
        raise PermissionDenied(Phrase("Antrean dipanggil oleh petugas loket."))


def call_next(
    session: Session, actor: User, counter: str, desk: str, zone: str, now: datetime | None = None
) -> QueueTicket:
    """The officer at ``desk`` calls the next waiting ticket of today at ``counter`` (kiosk tickets in
    order; online ones from a little before their slot). Audit ``queue_called``.
    Errors: PermissionDenied, NotFound (nobody waiting), ValidationFailed (no desk)."""
    now = now or utcnow()
    _require_officer(actor)
    if not (desk or "").strip():
        raise ValidationFailed(Phrase("Isi nomor loket Anda."), {"loket": Phrase("Isi nomor loket Anda.")})
    waiting = session.scalars(
        select(QueueTicket)
        .where(
            QueueTicket.day == local_date(now, zone), QueueTicket.counter == counter, QueueTicket.status == "menunggu"
        )
        .order_by(QueueTicket.number)
        .with_for_update(skip_locked=True)
    ).all()
    due = [t for t in waiting if t.slot_at is None or aware(t.slot_at) - EARLY <= now]
    if not due:
        raise NotFound(Phrase("Tidak ada antrean yang menunggu di layanan ini."))
    ticket = due[0]
    ticket.status, ticket.desk, ticket.called_at, ticket.called_by_id = "dipanggil", desk.strip()[:20], now, actor.id
    record(session, "queue_called", actor=actor, now=now, summary={"nomor": label(ticket), "loket": ticket.desk})
    return ticket


def finish(session: Session, actor: User, ticket_id: int, present: bool, now: datetime | None = None) -> QueueTicket:
    _require_officer(actor)
    ticket = session.get(QueueTicket, ticket_id)
    if ticket is None:
        raise NotFound(Phrase("Nomor antrean tidak ditemukan."))
    if ticket.status != "dipanggil":
        raise Conflict(Phrase("Nomor ini belum dipanggil atau sudah selesai."))
    ticket.status = "selesai" if present else "lewat"
    return ticket


def ahead_of(session: Session, ticket: QueueTicket) -> int:
    """How many still wait before this ticket at its counter."""
    return len(
        session.scalars(
            select(QueueTicket.id).where(
                QueueTicket.day == ticket.day,
                QueueTicket.counter == ticket.counter,
                QueueTicket.status == "menunggu",
                QueueTicket.number < ticket.number,
            )
        ).all()
    )


@dataclass(frozen=True)
class BoardLine:
    counter: str
    name: str
    called: list[QueueTicket]  # the last ones called, newest first
    waiting: int


def board(session: Session, zone: str, now: datetime | None = None) -> list[BoardLine]:
    today = local_date(now or utcnow(), zone)
    tickets = session.scalars(select(QueueTicket).where(QueueTicket.day == today)).all()
    lines = []
    for counter, (_, name) in COUNTERS.items():
        mine = [t for t in tickets if t.counter == counter]
        called = sorted((t for t in mine if t.called_at), key=lambda t: t.called_at, reverse=True)[:3]
        lines.append(BoardLine(counter, name, called, sum(t.status == "menunggu" for t in mine)))
    return lines


def waiting_minutes(session: Session, day: date) -> dict[str, float | None]:
    """Mean minutes from taking a kiosk ticket (or the slot) to its call, per counter, on ``day``."""
    out = {}
    tickets = session.scalars(
        select(QueueTicket).where(QueueTicket.day == day, QueueTicket.called_at.is_not(None))
    ).all()
    for counter in COUNTERS:
        waits = [
            (aware(t.called_at) - aware(t.slot_at or t.created_at)).total_seconds() / 60
            for t in tickets
            if t.counter == counter
        ]
        out[counter] = round(sum(max(w, 0) for w in waits) / len(waits), 1) if waits else None
    return out
