"""A migrated, seeded app for benchmarks, with files kept under a scratch folder."""

from __future__ import annotations

import itertools
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def demo_app(instance: Path):
    """Return (SQLAlchemy engine, services) for an app whose database is migrated and seeded."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.seeding import seed_demo

    app = create_app({"FILES_DIR": str(instance / "files"), "PKI_DIR": str(instance / "pki"), "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        engine = db.engine
    return engine, app.extensions["ptsp_services"]


@contextmanager
def scratch_database(kind: str):
    """The URL of an empty database of ``kind`` ("sqlite" or "postgresql"), dropped afterwards. The
    PostgreSQL server is BENCH_PG_URL's (default postgresql://postgres@127.0.0.1:5432/postgres)."""
    if kind == "sqlite":
        yield f"sqlite:///{Path(tempfile.mkdtemp(prefix='ptsp-bench-')) / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    name = f"ptsp_bench_{os.getpid()}_{next(_SCRATCH)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


_SCRATCH = itertools.count()


def on_each_database(databases: list[str], measure) -> None:
    """Run ``measure(database)`` with DATABASE_URL naming a scratch database of each kind in turn."""
    for database in databases:
        with scratch_database(database) as url:
            os.environ["DATABASE_URL"] = url
            measure(database)
