"""What the code says to a person is a Phrase, so a page can say it in the reader's language: a
refusal's message, each field's message in its errors, and the findings an admin reads. The web
layer and the signer are held to it too: their refusals reach the same pages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from engine.core.localtime import Phrase

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted(path for package in ("engine", "signing", "webapp") for path in (ROOT / package).rglob("*.py"))
REFUSALS = {
    "EngineError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "ValidationFailed",
    "SigningRefused",
    "ScriptRefused",
    "ProcessDefinitionError",
    "ProcessRunError",
    "ConnectorUnavailable",
    "ConnectorRefused",
    "ArchiveDamaged",
}


def _plain_text(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _has_words(node) -> bool:
    """Plain text with words in it (not a separator between messages said already)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    return isinstance(node, ast.JoinedStr) and any(_has_words(part) for part in node.values)


def unmarked_messages(source: str) -> list[int]:
    """Lines where a person is told plain text instead of a Phrase: a refusal, an errors dictionary,
    or a list of findings and problems (what a process admin reads of a diagram)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFUSALS:
            texts = node.args[:1] + [
                value
                for argument in node.args[1:] + [keyword.value for keyword in node.keywords]
                if isinstance(argument, ast.Dict)
                for value in argument.values
            ]
            lines += [text.lineno for text in texts if _plain_text(text)]
        if isinstance(node, ast.Assign) and _plain_text(node.value):
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and "error" in target.value.id:
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "flash" and node.args:
            if _has_words(node.args[0]):
                lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            holder, verb = node.func.value.id, node.func.attr
            if verb == "setdefault" and "error" in holder and len(node.args) == 2 and _plain_text(node.args[1]):
                lines.append(node.lineno)
            if verb == "append" and holder in ("findings", "problems") and node.args:
                message = node.args[0].elts[-1] if isinstance(node.args[0], ast.Tuple) else node.args[0]
                if _plain_text(message):
                    lines.append(node.lineno)
    return sorted(lines)


def test_the_checker_finds_plain_text():
    source = (
        'raise Conflict("Sudah diambil.")\n'
        'raise ValidationFailed(Phrase("Tidak lengkap."), {"nama": f"Isi {x}."})\n'
        'errors["tanggal"] = "Isi tanggal."\n'
        'errors["jam"] = Phrase("Isi jam.")\n'
        'raise NotFound(Phrase("Tidak ada."))\n'
        'errors.setdefault("nik", "Isi NIK.")\n'
        'findings.append((element, f"lajur {lane} tidak dikenal"))\n'
        'problems.append(Phrase("Tidak lengkap."))\n'
        'flash("Disimpan.", "success")\n'
        'flash(f"Nomor {n} disimpan.")\n'
        'flash(f"{say(a)} {b}")\n'
        'flash(_("Disimpan."), "success")\n'
    )
    assert unmarked_messages(source) == [1, 2, 3, 6, 7, 9, 10]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_to_a_person_is_a_phrase(path):
    assert unmarked_messages(path.read_text()) == []


def test_a_composed_message_is_said_with_its_values_in_another_language():
    inner = Phrase(" (baris %(line)s)", line=3)
    phrase = Phrase("Templat tidak dapat dipakai%(where)s: %(error)s.", where=inner, error="x")
    english = {
        "Templat tidak dapat dipakai%(where)s: %(error)s.": "The template cannot be used%(where)s: %(error)s.",
        " (baris %(line)s)": " (line %(line)s)",
    }
    assert phrase == "Templat tidak dapat dipakai (baris 3): x."
    assert phrase.said(english.get) == "The template cannot be used (line 3): x."


def test_a_date_a_phrase_quotes_is_written_the_reader_s_way():
    from datetime import UTC, datetime

    from engine.core.localtime import Written, format_datetime

    moment = datetime(2026, 12, 1, 19, 42, tzinfo=UTC)
    phrase = Phrase("Dicabut pada %(moment)s.", moment=Written(format_datetime, moment, "WIB"))
    assert phrase == "Dicabut pada 2 Desember 2026 02.42 WIB."
    english = phrase.said({"Dicabut pada %(moment)s.": "Revoked on %(moment)s."}.get, "en")
    assert english == "Revoked on 2 December 2026 02:42 WIB."
