"""The sandbox refuses escape attempts at load time and again at run time."""
import pytest

from engine.errors import ScriptRefused
from engine.sandbox import SandboxEnvironment, check_code

PAYLOADS = [
    "__import__('os').system('id')",
    "open('/etc/passwd').read()",
    "().__class__.__base__.__subclasses__()",
    "import os",
    "from os import path",
    "getattr(x, 'secret')",
    "'{0.__class__}'.format(x)",
    "eval('1+1')",
    "[c for c in ().__class__.__mro__]",
    "type(x)",
    "x._private",
    "globals()['y']",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_refused_when_checked(payload):
    with pytest.raises(ScriptRefused):
        check_code(payload, "exec")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_refused_at_run_time(payload):
    environment = SandboxEnvironment()
    with pytest.raises(ScriptRefused):
        environment.execute(payload, {"x": 1})


def test_refusal_names_the_line():
    with pytest.raises(ScriptRefused, match="baris 2"):
        check_code("a = 1\nimport os", "exec")


def test_ordinary_arithmetic_and_helpers_run():
    environment = SandboxEnvironment()
    context = {"luas_m2": 12, "tarif": 1500}
    environment.execute("total = int(Decimal(tarif) * luas_m2)\nhari = (date(2026, 1, 2) - date(2026, 1, 1)).days", context)
    assert context["total"] == 18000 and context["hari"] == 1
    assert environment.evaluate("total > 10000 and len([1, 2]) == 2", context) is True


def test_builtins_outside_the_allow_list_are_absent_at_run_time():
    environment = SandboxEnvironment()
    with pytest.raises(NameError):
        environment.evaluate("pow(2, 8)", {})
