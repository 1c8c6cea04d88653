"""INSERT … ON CONFLICT for the database the session is on (PostgreSQL or SQLite): one
statement where a read-then-write would let two writers collide."""

from __future__ import annotations

from sqlalchemy.orm import Session


def insert_for(session: Session):
    """The dialect's ``insert``, whose statements have ``on_conflict_do_update``."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert
