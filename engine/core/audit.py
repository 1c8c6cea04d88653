"""The audit trail: one typed row per state change, written in the change's own transaction, and
chained afterwards so that an edited or deleted row shows.

Rows are written by many transactions at once, so they are not linked when written (two writers
would both link to the same last row); the scheduler's sweep seals them, one sealer at a time, in
the order it finds them: each gets the next place in the chain, the previous row's hash and a
SHA-256 over its own content and that hash. ``verify`` walks the chain. A row is unsealed for at
most a sweep (a minute); the last place sealed is also kept apart, so a row cut from the end shows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.core.clock import aware, utcnow
from engine.core.models import AuditEvent, Counter

_MAX_TEXT = 200


def summarize(data: dict) -> dict:
    """A compact, JSON-safe digest of form data: long texts cut, files reduced to their hash."""
    out = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict) and "sha256" in value:
            out[key] = {"berkas": value.get("nama"), "sha256": value["sha256"][:16]}
        elif isinstance(value, list):
            out[key] = [summarize({"v": v})["v"] for v in value[:10]]
        elif isinstance(value, (date, datetime)):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, str) and len(value) > _MAX_TEXT:
            out[key] = value[:_MAX_TEXT] + "…"
        elif value is None or isinstance(value, (str, int, float, bool)):
            out[key] = value
        else:
            out[key] = str(value)[:_MAX_TEXT]
    return out


def record(
    session: Session,
    action: str,
    *,
    actor=None,
    application=None,
    work_item=None,
    summary: dict | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=getattr(actor, "id", None),
        application_id=getattr(application, "id", None),
        work_item_id=getattr(work_item, "id", None),
        task_title=getattr(work_item, "title", None),
        action=action,
        summary=summary or {},
    )
    session.add(event)
    return event


def record_many(session: Session, action: str, rows: list[dict], now: datetime) -> None:
    """Audit rows written by the scheduler in bulk (one statement), each a dict with
    ``application_id`` and optionally ``work_item_id``, ``task_title`` and ``summary``."""
    if rows:
        session.execute(
            insert(AuditEvent), [{"at": now, "action": action, "actor_id": None, "summary": {}, **row} for row in rows]
        )


# --- the hash chain --------------------------------------------------------------------------------

_SEALED = "audit:sealed"  # the counter holding the last place sealed
_GENESIS = "0" * 64


def _content(event: AuditEvent) -> bytes:
    at = aware(event.at)
    fields = [
        event.id,
        event.seq,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        event.application_id,
        event.work_item_id,
        event.task_title,
        event.action,
        event.summary,
    ]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + _content(event)).hexdigest()


def _take_sealer_lock(session: Session) -> int:
    """The last place sealed, with the row lock that makes this the only sealer until commit."""
    result = session.execute(update(Counter).where(Counter.key == _SEALED).values(value=Counter.value))
    if result.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(Counter(key=_SEALED, value=0))
        except IntegrityError:  # another sealer created it a moment ago
            session.execute(update(Counter).where(Counter.key == _SEALED).values(value=Counter.value))
    return session.scalar(select(Counter.value).where(Counter.key == _SEALED)) or 0


def seal(session: Session, limit: int = 20_000) -> int:
    """Chain the rows not yet sealed; returns how many. The caller commits."""
    last = _take_sealer_lock(session)
    prev = session.scalar(select(AuditEvent.row_hash).where(AuditEvent.seq == last)) if last else _GENESIS
    rows = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.seq.is_(None))
            .order_by(AuditEvent.id)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
    )
    for event in rows:
        last += 1
        event.seq, event.prev_hash = last, prev or _GENESIS
        event.row_hash = prev = link_hash(event.prev_hash, event)
    if rows:
        session.execute(update(Counter).where(Counter.key == _SEALED).values(value=last))
        session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    sealed: int
    unsealed: int
    head: str | None
    problem: str | None  # the first broken link, naming the row
    row_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(session: Session) -> ChainReport:
    """Walk the chain from its first place: every place present once, every row's hash matching its
    content and its predecessor's hash, the last place the one recorded apart."""
    expected_last = session.scalar(select(Counter.value).where(Counter.key == _SEALED)) or 0
    unsealed = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq.is_(None)))
    prev, place, head = _GENESIS, 0, None
    rows = session.execute(
        select(AuditEvent).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    ).scalars()
    for event in rows:
        place += 1
        if event.seq != place:
            return ChainReport(
                place - 1,
                unsealed,
                head,
                f"tempat {place} dalam rantai hilang (baris sebelum id {event.id} dihapus)",
                event.id,
            )
        if event.prev_hash != prev or event.row_hash != link_hash(prev, event):
            return ChainReport(place - 1, unsealed, head, f"baris id {event.id} diubah setelah dicatat", event.id)
        prev = head = event.row_hash
    if place != expected_last:
        return ChainReport(
            place,
            unsealed,
            head,
            f"rantai berakhir di tempat {place}, padahal {expected_last} tempat telah disegel (baris terakhir dihapus)",
        )
    return ChainReport(place, unsealed, head, None)


# --- reading the trail -------------------------------------------------------------------------------
