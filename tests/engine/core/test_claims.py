"""An outbox row is taken by one scheduler only; a claim left by one that stopped is taken over."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from engine.core.claims import claim_each
from engine.core.clock import utcnow
from engine.core.models import OutboxMail


def _mails(session, n):
    rows = [OutboxMail(recipient=f"w{i}@contoh.test", subject="s", body="b", created_at=utcnow()) for i in range(n)]
    session.add_all(rows)
    session.commit()
    return [r.id for r in rows]


def test_a_row_claimed_by_one_is_skipped_by_the_other(session, engine):
    ids = _mails(session, 3)
    now = utcnow()
    with Session(engine) as other:
        first = claim_each(session, OutboxMail, ids, OutboxMail.sent_at.is_(None), now, timedelta(minutes=10))
        taken = next(first)
        assert taken.id == ids[0]
        rest = [
            r.id for r in claim_each(other, OutboxMail, ids, OutboxMail.sent_at.is_(None), now, timedelta(minutes=10))
        ]
        assert rest == ids[1:]  # the first is held; the other scheduler takes the rest
        assert list(first) == []  # and this one finds them gone


def test_a_stale_claim_is_taken_over(session):
    [row_id] = _mails(session, 1)
    then = utcnow() - timedelta(minutes=11)
    assert [
        r.id
        for r in claim_each(session, OutboxMail, [row_id], OutboxMail.sent_at.is_(None), then, timedelta(minutes=10))
    ] == [row_id]
    later = [
        r.id
        for r in claim_each(
            session, OutboxMail, [row_id], OutboxMail.sent_at.is_(None), utcnow(), timedelta(minutes=10)
        )
    ]
    assert later == [row_id]
    assert [
        r.id
        for r in claim_each(
            session, OutboxMail, [row_id], OutboxMail.sent_at.is_(None), utcnow(), timedelta(minutes=10)
        )
    ] == []  # a fresh claim is respected
