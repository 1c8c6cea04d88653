"""The documentation site's promises: every requirement is traced to a test that exists, and every
picture the manual shows is one the browser tests take (``make docs`` builds the site from them)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# How many numbered requirements each group has (R1.1–R1.5, …).
REQUIREMENTS = {1: 5, 2: 13, 3: 6, 4: 6, 5: 4, 6: 3, 7: 4, 8: 10}


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in (DOCS / "traceability.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and re.fullmatch(r"R\d+\.\d+", cells[0]):
            assert cells[0] not in rows, f"{cells[0]} twice"
            rows[cells[0]] = cells
    return rows


def _defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_requirement_is_traced_to_a_test_that_exists():
    rows = _rows()
    assert set(rows) == {f"R{group}.{n}" for group, count in REQUIREMENTS.items() for n in range(1, count + 1)}
    missing = []
    for number, cells in rows.items():
        assert len(cells) == 5 and all(cells), number
        reference = re.fullmatch(r"`(tests/[\w/]+\.py)::(test_\w+)`", cells[3])
        assert reference, f"{number}: {cells[3]}"
        path, name = ROOT / reference.group(1), reference.group(2)
        if not path.exists() or name not in _defined_tests(path):
            missing.append(f"{number}: {cells[3]}")
        assert re.fullmatch(r"\[[^\]]+\]\([\w/.-]+\.md\)", cells[4]), f"{number}: {cells[4]}"
    assert missing == []


def test_every_picture_of_the_manual_is_taken_by_the_browser_tests_and_every_role_has_one():
    taker = (ROOT / "tests" / "browser" / "test_manual_screens.py").read_text()
    literals = {
        node.value
        for node in ast.walk(ast.parse(taker))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    taken = literals | {re.sub(r"^manual-(.*)\.png$", r"\1", text) for text in literals}
    shown = {}
    for page in sorted((DOCS / "manual").glob("*.md")):
        shown[page.name] = re.findall(r"!\[[^\]]+\]\(\.\./gambar/manual-([\w-]+)\.png\)", page.read_text())
    assert {name for names in shown.values() for name in names} - taken == set()
    assert [page for page, names in shown.items() if not names and page != "index.md"] == []
