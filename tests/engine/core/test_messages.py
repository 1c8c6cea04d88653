"""What the engine says to a person is a Phrase, so a page can say it in the reader's language:
a refusal's message, each field's message in its errors, and what a field error dictionary holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from engine.core.localtime import Phrase

ENGINE = Path(__file__).resolve().parents[3] / "engine"
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


def unmarked_messages(source: str) -> list[int]:
    """Lines where a refusal or an errors dictionary is given plain text instead of a Phrase."""
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
    return sorted(lines)


def test_the_checker_finds_plain_text():
    source = (
        'raise Conflict("Sudah diambil.")\n'
        'raise ValidationFailed(Phrase("Tidak lengkap."), {"nama": f"Isi {x}."})\n'
        'errors["tanggal"] = "Isi tanggal."\n'
        'errors["jam"] = Phrase("Isi jam.")\n'
        'raise NotFound(Phrase("Tidak ada."))\n'
    )
    assert unmarked_messages(source) == [1, 2, 3]


@pytest.mark.parametrize("path", sorted(ENGINE.rglob("*.py")), ids=lambda p: str(p.relative_to(ENGINE)))
def test_every_engine_message_is_a_phrase(path):
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
