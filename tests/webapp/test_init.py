"""A real installation starts from ``flask ptsp init``: the permit types and exactly one
administrator, without the demo accounts that ``make run`` seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_init_on_an_empty_database_creates_exactly_one_admin_and_no_demo_accounts(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'baru.db'}",
        "FILES_DIR": str(tmp_path / "f"),
        "PKI_DIR": str(tmp_path / "pki"),
        "PYTHONPATH": str(ROOT),
        "PTSP_ADMIN_EMAIL": "admin@dinas.go.id",
        "PTSP_ADMIN_NAME": "Admin Dinas",
        "PTSP_ADMIN_PASSWORD": "Sandi-Dinas-2026!",
    }
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run([*flask, "ptsp", "init"], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tanpa akun demo" in done.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "baru.db") as connection:
        emails = [row[0] for row in connection.execute("SELECT email FROM users")]
        types = [row[0] for row in connection.execute("SELECT code FROM permit_types")]
    assert emails == ["admin@dinas.go.id"] and set(types) == {"izin-reklame", "surat-izin-praktik"}
    again = subprocess.run([*flask, "ptsp", "init"], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert again.returncode != 0 and "instalasi baru" in again.stderr
