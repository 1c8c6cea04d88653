"""The scheduler's nightly job: a restorable copy of the database under instance/backups."""
from __future__ import annotations

import gzip
import sqlite3
from datetime import datetime, timezone

from webapp.scheduler import backup_once


def test_nightly_backup_holds_the_users(app, session, user):
    user("admin")  # seeded accounts exist before the copy is taken
    target = backup_once(app, now=datetime(2026, 11, 23, 18, 30, tzinfo=timezone.utc))
    assert target is not None and target.parent.name == "backups"
    assert "20261124-0130" in target.name  # named in the agency's time: 01:30 WIB is 18:30 UTC the day before
    if target.suffix == ".db":
        with sqlite3.connect(target) as copy:
            emails = {row[0] for row in copy.execute("SELECT email FROM users")}
    else:
        with gzip.open(target, "rt") as dump:
            text = dump.read()
        assert "CREATE TABLE public.users" in text
        rows = text.split("COPY public.users", 1)[1].split("\n\\.", 1)[0].splitlines()[1:]
        emails = {field for row in rows for field in row.split("\t") if "@" in field}
    assert any(e.startswith("admin@") for e in emails)
    target.unlink()


def test_the_database_file_and_its_backups_are_private(app):
    import stat

    target = backup_once(app, now=datetime(2026, 11, 23, 18, 31, tzinfo=timezone.utc))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        from pathlib import Path

        assert stat.S_IMODE(Path(url[len("sqlite:///"):]).stat().st_mode) == 0o600
    target.unlink()
