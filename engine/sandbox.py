"""Restricted execution of the Python that diagrams carry (scripts, conditions, DMN cells).

SpiffWorkflow's default environment runs any Python with full builtins, and restricting
``__builtins__`` alone is escapable through ``().__class__.__base__.__subclasses__()``.
So every piece of code passes an AST gate first (no imports, no dunder or private names or
attributes, no dangerous builtins, no string formatting that walks attributes), and then runs
with an allow-list of builtins. The same gate lints a diagram when it is loaded.
"""
from __future__ import annotations

import ast
import builtins
import datetime as _dt
import decimal
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .errors import ScriptRefused
from .localtime import ZONES, zone_info

_ALLOWED_BUILTIN_NAMES = (
    "abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float", "int",
    "isinstance", "len", "list", "map", "max", "min", "range", "reversed", "round", "set",
    "sorted", "str", "sum", "tuple", "zip", "True", "False", "None",
    "ValueError", "ZeroDivisionError",
)
SAFE_BUILTINS = {name: getattr(builtins, name) for name in _ALLOWED_BUILTIN_NAMES}



def end_of_day(day, zone: str = "WIB") -> str:
    """The last minute of ``day`` in an Indonesian time zone, as the ISO text a timer expects
    (e.g. a payment due date: the timer fires once that whole day has passed)."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day[:10])
    if zone not in ZONES:
        raise ValueError(f"zona waktu tidak dikenal: {zone} (WIB, WITA atau WIT)")
    moment = _dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=zone_info(zone))
    return moment.isoformat()


# Helpers a process author may call besides the builtins above.
HELPERS = {
    "Decimal": decimal.Decimal,
    "date": _dt.date,
    "timedelta": _dt.timedelta,
    "akhir_hari": end_of_day,
}

# Builtins that must never be named, even as a would-be variable: naming them is how escapes start.
_FORBIDDEN_NAMES = {
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "input", "breakpoint", "help", "exit", "quit", "memoryview",
    "object", "type", "super", "classmethod", "staticmethod", "property", "builtins",
    "callable", "id", "issubclass", "bytearray", "chr", "ord", "print",
}
_FORBIDDEN_ATTRIBUTES = {"format", "format_map", "mro", "gi_frame", "f_globals", "f_builtins"}
_FORBIDDEN_NODES = {
    ast.Import: "impor modul tidak diizinkan",
    ast.ImportFrom: "impor modul tidak diizinkan",
    ast.Global: "pernyataan global tidak diizinkan",
    ast.Nonlocal: "pernyataan nonlocal tidak diizinkan",
    ast.ClassDef: "definisi kelas tidak diizinkan",
    ast.AsyncFunctionDef: "fungsi async tidak diizinkan",
    ast.Await: "await tidak diizinkan",
    ast.Yield: "yield tidak diizinkan",
    ast.YieldFrom: "yield tidak diizinkan",
    ast.With: "with tidak diizinkan",
    ast.Delete: "del tidak diizinkan",
}


def check_code(source: str, mode: str = "exec") -> ast.AST:
    """Parse ``source`` and refuse anything outside the sandbox's language.

    Raises ``ScriptRefused`` with an Indonesian message naming the line.
    """
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptRefused(f"kesalahan sintaks pada baris {exc.lineno}: {exc.msg}") from None
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        for kind, reason in _FORBIDDEN_NODES.items():
            if isinstance(node, kind):
                raise ScriptRefused(f"{reason} (baris {line})")
        if isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise ScriptRefused(f"nama '{node.id}' yang diawali garis bawah tidak diizinkan (baris {line})")
            if node.id in _FORBIDDEN_NAMES:
                raise ScriptRefused(f"fungsi '{node.id}' tidak diizinkan (baris {line})")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_") or node.attr in _FORBIDDEN_ATTRIBUTES:
                raise ScriptRefused(f"atribut '{node.attr}' tidak diizinkan (baris {line})")
        elif isinstance(node, (ast.FunctionDef, ast.arg)):
            name = node.name if isinstance(node, ast.FunctionDef) else node.arg
            if name.startswith("_"):
                raise ScriptRefused(f"nama '{name}' yang diawali garis bawah tidak diizinkan (baris {line})")
        elif isinstance(node, ast.keyword) and node.arg and node.arg.startswith("_"):
            raise ScriptRefused(f"argumen '{node.arg}' tidak diizinkan (baris {line})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value:
            raise ScriptRefused(f"teks yang memuat '__' tidak diizinkan (baris {line})")
    return tree


@lru_cache(maxsize=4096)
def _compiled(source: str, mode: str):
    tree = check_code(source, mode)
    return compile(tree, "<string>", mode)


class SandboxEnvironment(TaskDataEnvironment):
    """Evaluates and executes only code that passed ``check_code``, with safe builtins."""

    def __init__(self, helpers: dict | None = None):
        super().__init__({**HELPERS, **(helpers or {})})

    def _globals(self, context, external_context):
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        scope["__builtins__"] = SAFE_BUILTINS
        return scope

    def evaluate(self, expression, context, external_context=None):
        return eval(_compiled(expression, "eval"), self._globals(context, external_context))

    def execute(self, script, context, external_context=None):
        code = _compiled(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        context.update(self.globals)
        context.update(external_context or {})
        context["__builtins__"] = SAFE_BUILTINS
        try:
            exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True


class SandboxScriptEngine(PythonScriptEngine):
    def __init__(self, helpers: dict | None = None):
        super().__init__(environment=SandboxEnvironment(helpers))

    def validate(self, expression):
        # Spiff's DMN engine calls this to decide how to build a comparison; keep SyntaxError semantics.
        ast.parse(expression)


def make_script_engine() -> SandboxScriptEngine:
    return SandboxScriptEngine()
