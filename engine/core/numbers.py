"""Named counters for registration and document numbers, safe under concurrent use, and what a
whole number typed or sent as text may look like."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.core.models import Counter


def is_whole_number(text: str) -> bool:
    """Only the digits 0-9: ``str.isdigit`` also takes "¹" and other digits that ``int`` refuses."""
    return text.isascii() and text.isdigit()


def next_value(session: Session, key: str) -> int:
    # UPDATE first: it takes the row's write lock on PostgreSQL and the database lock on SQLite,
    # so two transactions can never read the same value.
    result = session.execute(update(Counter).where(Counter.key == key).values(value=Counter.value + 1))
    if result.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(Counter(key=key, value=1))
            return 1
        except IntegrityError:
            session.execute(update(Counter).where(Counter.key == key).values(value=Counter.value + 1))
    return session.scalar(select(Counter.value).where(Counter.key == key))
