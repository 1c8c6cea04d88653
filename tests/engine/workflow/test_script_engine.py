"""Checked code as it runs: measured, within its budget, on fresh builtins, leaving nothing but task data."""
from __future__ import annotations

import pytest

from engine.core.errors import ScriptRefused
from engine.workflow.script_engine import SandboxEnvironment

ESCAPES = [
    "__import__('os').system('id')",
    "open('/etc/passwd').read()",
    "().__class__.__base__.__subclasses__()",
    "import os",
    "from os import path",
    "getattr(x, 'secret')",
    "'{0.__class__}'.format(x)",
    "'{0.upper}'.format_map(x)",
    "eval('1+1')",
    "exec('a = 1')",
    "compile('1', 'x', 'eval')",
    "[c for c in ().__class__.__mro__]",
    "type(x)",
    "vars()",
    "x._private",
    "globals()['y']",
    "__builtins__",
    "f.__globals__",
    # A match class pattern names attributes as plain strings: the deny-list gate missed them.
    "match x:\n    case str(__class__=c):\n        y = c",
    "match x:\n    case {'a': b}:\n        y = b",
    # Traceback and frame walks.
    "try:\n    1/0\nexcept Exception as e:\n    y = e.__traceback__.tb_frame.f_globals",
    "try:\n    1/0\nexcept ZeroDivisionError as e:\n    y = e.args",
    "g = (i for i in [1])\ny = g.gi_frame.f_back",
    "y = (i for i in [1]).gi_code",
    "y = x.tb_frame",
    "y = x.f_locals",
    # Functions, classes and other ways to get code objects.
    "(lambda: 0)()",
    "def f():\n    pass",
    "class A:\n    pass",
    "@staticmethod\ndef f():\n    pass",
    "with x:\n    pass",
    "while True:\n    pass",
    "raise ValueError('x')",
    "del x",
    "global x",
    "y = (z := 1)",
    "yield 1",
    "round = lambda a: 0",
    "round = 0",
    "f'{x.__class__}'",
    "f'{x!r:{y}}'",
    "print(1)",
    "iter([1])",
    "x = [*y]",
    "f(**y)",
    "y = range",
    "y = sorted(x, key=len)",
]


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
    with pytest.raises(Exception):
        environment.execute("y = round(2.6)", first)
    assert environment.evaluate("round(2.6)", {}) == 3
    assert SandboxEnvironment().evaluate("round(2.6)", {}) == 3


def test_nothing_but_task_data_is_left_behind():
    context = {"a": 2}
    SandboxEnvironment().execute("b = a * 2\nc = [a, b]", context)
    assert context == {"a": 2, "b": 4, "c": [2, 4]}
