"""Checked code as it runs: measured, within its budget, on fresh builtins, leaving nothing but task data."""

from __future__ import annotations

import pytest

from engine.core.errors import ScriptRefused
from engine.workflow.script_engine import SandboxEnvironment
from tests.engine.workflow.escapes import ESCAPES

BOMBS = [
    "while True: pass",
    "'x' * 10**10",
    "9**9**8",
    "sum(range(10**12))",
    "y = [a for a in range(10**6) for b in range(10**6)]",
    "s = 'ab'\nfor i in range(64):\n    s = s + s",
    "s = [0]\nfor i in range(64):\n    s.extend(s)",
    "s = [0]\nfor i in range(64):\n    s *= 2",
    "y = '-'.join(['x' * 100000] * 100)",
    "y = '%*d' % (10**9, 1)",
    "y = f'{1:>1000000000}'",
    "y = sum([[0] * 100000] * 100, [])",
    "y = len(range(10**100))",
    "y = max(range(10**9))",
    "x = [0] * 10**6\nfor i in range(10**6):\n    y = x == x",
    "y = 10**10**10",
    "y = " + "(" * 5000 + "1" + ")" * 5000,
    "y = " + "[" * 100 + "]" * 100,
    "y = " + "-" * 10000 + "1",
    "y = '" + "a" * 2_000_000 + "'",
    # Nested data: small to write, enormous to print, sort or save.
    "x = [[0] * 10**5] * 10**5",
    "x = [[0] * 10**5] * 10**5\ny = str(x)",
    "x = [[0] * 10**5] * 10**5\ny = f'{x}'",
    "x = [[0] * 10**5] * 10**5\ny = sorted(x)",
    "x = [[0] * 10**5] * 10**5\ny = '%s' % (x,)",
    "x = []\nx.append(x)\ny = len(x)",
    "y = int(Decimal('1e999999'))",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_an_escape_handed_past_the_loader_is_refused_at_run_time(payload):
    context = {"x": "teks", "y": 1}
    with pytest.raises(ScriptRefused):
        SandboxEnvironment().execute(payload, context)
    assert context == {"x": "teks", "y": 1}


@pytest.mark.parametrize("payload", BOMBS)
def test_unbounded_work_ends_with_a_clear_refusal(payload):
    with pytest.raises(ScriptRefused) as refused:
        SandboxEnvironment().execute(payload, {})
    assert refused.value.message  # an Indonesian sentence, never an interpreter error


def test_builtins_outside_the_allow_list_are_absent_at_run_time():
    with pytest.raises(NameError):
        SandboxEnvironment().evaluate("pow(2, 8)", {})


def test_one_script_cannot_change_the_builtins_of_another():
    environment = SandboxEnvironment()
    # Data that shadows a builtin name stays data of its own task; the next evaluation is unaffected.
    with pytest.raises(ScriptRefused):
        environment.execute("round = 0", {})
    first = {"round": "bukan fungsi"}
    with pytest.raises(TypeError):  # the string shadowing round is not callable
        environment.execute("y = round(2.6)", first)
    assert environment.evaluate("round(2.6)", {}) == 3
    assert SandboxEnvironment().evaluate("round(2.6)", {}) == 3


def test_nothing_but_task_data_is_left_behind():
    context = {"a": 2}
    SandboxEnvironment().execute("b = a * 2\nc = [a, b]", context)
    assert context == {"a": 2, "b": 4, "c": [2, 4]}
