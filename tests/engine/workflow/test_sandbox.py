"""The sandbox is an allow-list language: escape attempts are refused at load time and again at
run time (when code is handed to the environment past any loader), every evaluation has its own
builtins, and cost is bounded before it is paid."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core.errors import ScriptRefused
from engine.workflow.sandbox import ALLOWED_ATTRIBUTES, check_code
from engine.workflow.script_engine import SandboxEnvironment, evaluate_alone
from tests.engine.workflow.escapes import ESCAPES


@pytest.mark.parametrize("payload", ESCAPES)
def test_an_escape_is_refused_when_the_diagram_is_checked(payload):
    with pytest.raises(ScriptRefused):
        check_code(payload, "exec")


def test_a_timer_bomb_is_refused_when_the_diagram_is_checked_without_running_it():
    with pytest.raises(ScriptRefused, match="pangkat"):
        evaluate_alone("9**9**8")


def test_refusal_names_the_line():
    with pytest.raises(ScriptRefused, match="baris 2"):
        check_code("a = 1\nimport os", "exec")


def test_ordinary_scripts_conditions_and_helpers_run():
    environment = SandboxEnvironment()
    context = {"luas_m2": 12, "tarif": 1500, "nama": [" Budi ", "siti"]}
    environment.execute(
        "total = int(Decimal(tarif) * luas_m2)\n"
        "hari = (date(2026, 1, 2) - date(2026, 1, 1)).days\n"
        "semua = ', '.join(n.strip().title() for n in nama)\n"
        "label = f'Rp {total:>10}'\n"
        "genap = [i for i in range(10) if i % 2 == 0]\n"
        "jumlah = 0\n"
        "for i in genap:\n"
        "    jumlah += i\n",
        context,
    )
    assert context["total"] == 18000 and context["hari"] == 1 and context["semua"] == "Budi, Siti"
    assert context["genap"] == [0, 2, 4, 6, 8] and context["jumlah"] == 20 and context["label"].endswith("18000")
    assert environment.evaluate("total > 10000 and len([1, 2]) == 2 and isinstance(total, int)", context) is True
    assert evaluate_alone('akhir_hari("2026-11-10", "WIB")') == "2026-11-10T23:59:59+07:00"


# --- generated programs --------------------------------------------------------------------------


class Canary:
    """Task data that records every attribute the diagram's code asks of it (the environment's own
    bookkeeping, outside that code, is not counted)."""

    asked: list[str] = []

    def __getattribute__(self, name):
        if sys._getframe(1).f_code.co_filename == "<skrip proses>":
            Canary.asked.append(name)
        return object.__getattribute__(self, name)


_ATOMS = st.sampled_from(
    [
        "x",
        "canary",
        "1",
        "10**6",
        "'teks'",
        "[1, 2]",
        "{'a': 1}",
        "range(3)",
        "date(2026, 1, 1)",
        "Decimal('1.5')",
        "True",
        "None",
        "len",
        "round",
        "str",
        "__builtins__",
        "__import__",
        "type",
        "vars",
        "getattr",
        "e",
        "g",
    ]
)
_ATTRS = st.sampled_from(
    sorted(ALLOWED_ATTRIBUTES)
    + [
        "__class__",
        "__globals__",
        "__subclasses__",
        "__dict__",
        "gi_frame",
        "f_back",
        "tb_frame",
        "f_locals",
        "format",
        "mro",
        "__init__",
        "__reduce_ex__",
        "_x",
    ]
)


@st.composite
def _expressions(draw, depth=3):
    if depth == 0:
        return draw(_ATOMS)
    inner = _expressions(depth=depth - 1)
    form = draw(st.integers(0, 9))
    a, b = draw(inner), draw(inner)
    return [
        f"{a}.{draw(_ATTRS)}",
        f"{a}({b})",
        f"({a} + {b})",
        f"({a} * {b})",
        f"({a} ** {b})",
        f"[{a} for v in {b}]",
        f"(lambda q: {a})({b})",
        f"f'{{{a}}}'",
        f"{a}[{b}]",
        f"({a} if {b} else {a})",
    ][form]


@st.composite
def _programs(draw):
    expression = draw(_expressions())
    shape = draw(st.integers(0, 6))
    return [
        f"y = {expression}",
        f"for v in {expression}:\n    y = v",
        f"match x:\n    case str({draw(_ATTRS)}=c):\n        y = c",
        f"try:\n    y = {expression}\nexcept Exception as e:\n    y = e",
        f"@{expression}\ndef h():\n    pass",
        f"g = (v for v in {expression})\ny = g",
        f"y = {expression}\nz = y",
    ][shape]


_PLAIN = (int, float, str, bool, type(None), list, tuple, dict, set, range)


def _plain(value, depth=0) -> bool:
    import datetime
    import decimal

    if isinstance(value, (datetime.date, datetime.timedelta, decimal.Decimal)):
        return True
    if not isinstance(value, _PLAIN) or depth > 20:
        return False
    if isinstance(value, dict):
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return all(_plain(v, depth + 1) for v in value)
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_programs())
def test_no_generated_program_reaches_beyond_task_data(program):
    Canary.asked.clear()
    context = {"x": "teks", "canary": Canary()}
    try:
        SandboxEnvironment().execute(program, context)
    except ScriptRefused:
        pass
    except (TypeError, ValueError, ArithmeticError, IndexError, KeyError, NameError, AttributeError):
        pass  # an ordinary mistake in the generated program, inside the sandbox
    assert all(name in ALLOWED_ATTRIBUTES for name in Canary.asked), Canary.asked
    leftover = {k: v for k, v in context.items() if k != "canary"}
    assert all(_plain(v) for v in leftover.values()), leftover
