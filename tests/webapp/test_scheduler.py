"""The scheduler's nightly job: an archive of the whole installation under instance/backups."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import tarfile
from datetime import UTC, datetime

from webapp.scheduler import analyze_once, backup_once


def test_nightly_backup_holds_the_users(app, session, user, tmp_path):
    user("admin")  # seeded accounts exist before the copy is taken
    target = backup_once(app, now=datetime(2026, 11, 23, 18, 30, tzinfo=UTC))
    assert target is not None and target.parent.name == "backups"
    assert "20261124-0130" in target.name  # named in the agency's time: 01:30 WIB is 18:30 UTC the day before
    with tarfile.open(target) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        tar.extract(manifest["database"], tmp_path, filter="data")
    snapshot = tmp_path / manifest["database"]
    if snapshot.suffix == ".sqlite":
        with sqlite3.connect(snapshot) as copy:
            emails = {row[0] for row in copy.execute("SELECT email FROM users")}
    else:
        listing = subprocess.run(
            ["pg_restore", "--data-only", "--table=users", "-f", "-", str(snapshot)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        emails = {field for line in listing.splitlines() for field in line.split("\t") if "@" in field}
    assert any(e.startswith("admin@") for e in emails)
    target.unlink()


def test_the_database_file_and_its_backups_are_private(app):
    target = backup_once(app, now=datetime(2026, 11, 23, 18, 31, tzinfo=UTC))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        from pathlib import Path

        assert stat.S_IMODE(Path(url[len("sqlite:///") :]).stat().st_mode) == 0o600
    target.unlink()


def test_the_nightly_analyze_gives_sqlite_its_planner_statistics(app, engine):
    from sqlalchemy import text

    ran = analyze_once(app)
    assert ran == (engine.dialect.name == "sqlite")
    if ran:
        with engine.connect() as connection:
            tables = {row[0] for row in connection.execute(text("SELECT tbl FROM sqlite_stat1"))}
        assert {"users", "permit_types"} <= tables
