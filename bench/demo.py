"""A migrated, seeded app for benchmarks, with files kept under a scratch folder."""
from __future__ import annotations

from pathlib import Path


def demo_app(instance: Path):
    """Return (SQLAlchemy engine, services) for an app whose database is migrated and seeded."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.cli import seed_demo
    from webapp.extensions import db

    app = create_app({"FILES_DIR": str(instance / "files"), "PKI_DIR": str(instance / "pki"), "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        engine = db.engine
    return engine, app.extensions["ptsp_services"]
