"""Starting the app is cheap: the signing stack (pyHanko, the agency's keys) is built when a
document is first signed or checked, except on the very first start, which makes the keys; the
PDF library of the supervisor's reports loads with the first report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from webapp import create_app
app = create_app()
print("at start:", "pyhanko" in sys.modules, "fpdf" in sys.modules)
with app.app_context():
    from webapp.services import services
    print("provider:", services().documents.provider_name)
print("after use:", "pyhanko" in sys.modules)
"""


def _start(tmp_path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "FILES_DIR": str(tmp_path / "f"),
        "PKI_DIR": str(tmp_path / "pki"),
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "uji",
    }
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_first_start_makes_the_agency_keys_and_later_starts_defer_the_signing_stack(tmp_path):
    first = _start(tmp_path)
    assert "at start: True" in first  # the keys were made before any worker could fork
    assert (tmp_path / "pki" / "ca.pem").exists()
    ca = (tmp_path / "pki" / "ca.pem").read_bytes()
    later = _start(tmp_path)
    assert "at start: False False" in later and "provider: lokal" in later and "after use: True" in later
    assert (tmp_path / "pki" / "ca.pem").read_bytes() == ca  # the same CA, not a new one
