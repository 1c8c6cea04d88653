"""The suite's own database: it empties the tables it runs on, so it must never reach production's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pytest(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_database_whose_name_does_not_say_test_is_refused_before_anything_runs(tmp_path):
    for url in ("postgresql://postgres@127.0.0.1:5432/ptsp", f"sqlite:///{tmp_path / 'ptsp.db'}"):
        run = _pytest(tmp_path, "tests/test_layout.py", TEST_DATABASE_URL=url)
        assert run.returncode == 4, run.stdout + run.stderr
        assert "runs only on a database whose name contains 'test'" in run.stdout + run.stderr
    assert not (tmp_path / "ptsp.db").exists()


def test_the_production_variable_is_ignored_and_a_named_test_database_is_used(tmp_path):
    production, chosen = tmp_path / "ptsp.db", tmp_path / "ptsp_test.db"
    run = _pytest(
        tmp_path,
        "tests/webapp/test_pages.py",
        "-k",
        "public_pages_show_permit_guides",
        DATABASE_URL=f"sqlite:///{production}",
        TEST_DATABASE_URL=f"sqlite:///{chosen}",
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert not production.exists()
    assert chosen.exists()
