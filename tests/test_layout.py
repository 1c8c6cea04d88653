"""The layout the architecture promises (docs/architecture.md): small modules, and the tests of each
engine module where a newcomer looks for them."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def _excused(package: Path) -> set[str]:
    """The modules a package's docstring names as having no test module of their own."""
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
    said = re.search(r"Without a test module of its own:(.*?)(?:\n\n|$)", doc, re.S)
    return set(re.findall(r"``(\w+)``", said.group(1))) if said else set()


def test_no_python_file_of_the_application_is_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for top in ("engine", "webapp", "signing")
        for p in (ROOT / top).rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_engine_module_has_its_tests_at_the_mirrored_path_or_says_why_not():
    missing = []
    for module in sorted((ROOT / "engine").rglob("*.py")):
        if module.name == "__init__.py" or module.stem in _excused(module.parent):
            continue
        mirrored = ROOT / "tests" / module.parent.relative_to(ROOT) / f"test_{module.name}"
        if not mirrored.exists():
            missing.append(str(mirrored.relative_to(ROOT)))
    assert missing == []


def test_the_excuses_name_modules_that_exist():
    for package in (p.parent for p in (ROOT / "engine").rglob("__init__.py")):
        assert {name for name in _excused(package) if not (package / f"{name}.py").exists()} == set(), package


def test_every_engine_package_has_its_place_in_the_layers_the_contracts_check():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    domains = next(c for c in contracts if c.get("containers") == ["engine"])
    placed = {name.strip() for layer in domains["layers"] for name in re.split(r"[|:]", layer)}
    packages = {p.parent.name for p in (ROOT / "engine").glob("*/__init__.py")}
    assert packages | {"schema"} == placed
