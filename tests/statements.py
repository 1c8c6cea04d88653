"""Counting the SQL statements a piece of code sends, to pin that a page or a verb costs the same
few statements whatever the size of the tables."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def counted(engine):
    """Collects the statements sent on ``engine`` inside the block (``COMMIT`` is not one)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
