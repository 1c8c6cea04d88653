"""What an install reads: the lock files pin the whole tree at the versions pyproject.toml asks for,
and the application's imports are all declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# Import names that differ from their distribution's name.
DISTRIBUTION_OF = {
    "yaml": "pyyaml",
    "PIL": "pillow",
    "dateutil": "python-dateutil",
    "jwt": "pyjwt",
    "pythonjsonlogger": "python-json-logger",
    "pyhanko_certvalidator": "pyhanko-certvalidator",
    "flask_sqlalchemy": "flask-sqlalchemy",
    "flask_login": "flask-login",
    "flask_migrate": "flask-migrate",
    "flask_wtf": "flask-wtf",
    "flask_limiter": "flask-limiter",
    "flask_talisman": "flask-talisman",
    "flask_compress": "flask-compress",
    "argon2": "argon2-cffi",
    "psycopg": "psycopg",
    "SpiffWorkflow": "spiffworkflow",
    "fpdf": "fpdf2",
    "pyhanko": "pyhanko",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~! ]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _pins(requirements: list[str]) -> dict[str, str]:
    return {_name(r): r.split("==", 1)[1] for r in requirements}


def _locked(name: str) -> dict[str, str]:
    lines = (ROOT / "requirements" / name).read_text().splitlines()
    return dict(
        _name(line) and (_name(line), line.split("==", 1)[1].strip())
        for line in lines
        if line and not line.startswith((" ", "#", "-"))
    )


def test_every_dependency_is_pinned_and_the_locks_hold_the_same_versions():
    runtime = _pins(PROJECT["dependencies"])
    tests = _pins(PROJECT["optional-dependencies"]["test"])
    assert all("==" in r for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])
    run_lock, test_lock = _locked("run.txt"), _locked("test.txt")
    assert {name: run_lock.get(name) for name in runtime} == runtime
    assert {name: test_lock.get(name) for name in runtime | tests} == runtime | tests
    # The runtime lock carries nothing only the tests need (a server is not given Playwright).
    assert not set(tests) & set(run_lock)


def test_every_third_party_module_the_application_imports_is_declared():
    declared = set(_pins(PROJECT["dependencies"]))
    ours = {"engine", "webapp", "signing", "simulators"}
    missing = set()
    for top in ("engine", "webapp", "signing"):
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module]
                    if isinstance(node, ast.ImportFrom) and node.level == 0
                    else []
                )
                for name in names:
                    root = name.split(".")[0]
                    if root in ours or root in sys.stdlib_module_names or root == "__future__":
                        continue
                    distribution = DISTRIBUTION_OF.get(root, root).lower().replace("_", "-")
                    if distribution not in declared:
                        missing.add(f"{root} ({path.relative_to(ROOT)})")
    assert sorted(missing) == []
