"""Restricted execution of the Python that diagrams carry (scripts, conditions, timers, DMN cells).

Diagrams travel between agencies, so their code is untrusted. SpiffWorkflow's default environment
runs any Python with full builtins, and a deny-list of dangerous nodes misses whatever it forgets
(a ``match`` class pattern reads any attribute). So the language is an allow-list:

* **Syntax**: expressions, assignments, ``if``, ``for`` and comprehensions over data, calls, and
  f-strings; every other node (``while``, ``lambda``, ``def``, ``class``, ``match``, ``try``,
  ``with``, ``import``, ``yield``...) is refused, naming the line.
* **Names**: no leading underscore, none of the builtins that reach the interpreter, and a script
  may not rebind a builtin or helper.
* **Attributes**: only the listed ones (dates, text, lists, dicts, Decimal); everything else,
  dunders and frames included, is refused.
* **Cost**: the checked tree is rewritten so that ``**``, ``*``, ``+``, ``%`` on text, ``range``,
  ``join`` and ``extend`` are measured before they run, and every loop step counts; an evaluation
  that would pass the size or work bound, or runs longer than its time bound, stops with a clear
  refusal and the worker goes on serving.
* **Isolation**: each evaluation gets fresh builtins, helpers and budget; nothing a script assigns
  outlives its task data.

The same check refuses a diagram at load time; the rewritten code is what runs (``script_engine``).
"""

from __future__ import annotations

import ast
import builtins
import datetime as _dt
import decimal
import re
import warnings

from engine.core.errors import ScriptRefused
from engine.core.localtime import ZONES, Phrase, zone_info

# Types, which may also stand as values (``isinstance(x, int)``, ``sorted(xs, key=str)``)...
_TYPE_NAMES = ("bool", "dict", "float", "int", "list", "set", "str", "tuple", "ValueError", "ZeroDivisionError")
# ...and functions, which may only be called: passed as a value, C code would call them unmeasured.
_FUNCTION_NAMES = (
    "abs",
    "all",
    "any",
    "divmod",
    "enumerate",
    "isinstance",
    "len",
    "max",
    "min",
    "range",
    "reversed",
    "round",
    "sorted",
    "sum",
    "zip",
)
SAFE_BUILTINS = {name: getattr(builtins, name) for name in _TYPE_NAMES + _FUNCTION_NAMES}
SAFE_BUILTINS.update({"True": True, "False": False, "None": None})


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

# --- the language --------------------------------------------------------------------------------

_STATEMENTS = (
    ast.Module,
    ast.Expression,
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.If,
    ast.For,
    ast.Break,
    ast.Continue,
    ast.Pass,
)
_EXPRESSIONS = (
    ast.Name,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.comprehension,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Load,
    ast.Store,
)
_OPERATORS = (
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.BitAnd,
    ast.BitOr,
    ast.BitXor,
    ast.UAdd,
    ast.USub,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
)
ALLOWED_NODES = frozenset(_STATEMENTS + _EXPRESSIONS + _OPERATORS)

# What a refused node is called in the message.
_NODE_NAMES = {
    ast.Import: Phrase("impor modul"),
    ast.ImportFrom: Phrase("impor modul"),
    ast.While: Phrase("perulangan while (gunakan for)"),
    ast.Lambda: "lambda",
    ast.FunctionDef: Phrase("definisi fungsi"),
    ast.AsyncFunctionDef: Phrase("definisi fungsi"),
    ast.ClassDef: Phrase("definisi kelas"),
    ast.Match: Phrase("pernyataan match"),
    ast.Try: "try/except",
    ast.Raise: "raise",
    ast.With: "with",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.Delete: "del",
    ast.Assert: "assert",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Await: "await",
    ast.NamedExpr: "operator :=",
    ast.Starred: Phrase("argumen berbintang (*)"),
    ast.LShift: "operator <<",
    ast.RShift: "operator >>",
    ast.MatMult: "operator @",
    ast.Invert: "operator ~",
    ast.AnnAssign: Phrase("anotasi tipe"),
    ast.Return: "return",
}

# Attributes a script may read: what dates, text, lists, dicts and Decimal offer for data work.
ALLOWED_ATTRIBUTES = frozenset(
    {
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "days",
        "seconds",
        "isoformat",
        "weekday",
        "isoweekday",
        "date",
        "get",
        "items",
        "keys",
        "values",
        "append",
        "extend",
        "count",
        "index",
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "split",
        "join",
        "startswith",
        "endswith",
        "title",
        "capitalize",
        "isdigit",
        "isalpha",
        "isalnum",
        "isspace",
        "quantize",
    }
)
# Builtins that reach the interpreter: never named, even as a would-be variable.
_FORBIDDEN_NAMES = frozenset(
    {
        "open",
        "eval",
        "exec",
        "compile",
        "getattr",
        "setattr",
        "delattr",
        "hasattr",
        "globals",
        "locals",
        "vars",
        "dir",
        "input",
        "breakpoint",
        "help",
        "exit",
        "quit",
        "memoryview",
        "object",
        "type",
        "super",
        "classmethod",
        "staticmethod",
        "property",
        "builtins",
        "callable",
        "id",
        "issubclass",
        "bytearray",
        "chr",
        "ord",
        "print",
        "format",
        "iter",
        "next",
    }
)
_RESERVED = frozenset(SAFE_BUILTINS) | frozenset(HELPERS)
_CALL_ONLY = frozenset(_FUNCTION_NAMES) | {"akhir_hari"}

# Bounds of one evaluation (configurable through ``set_limits``).
LIMITS = {
    "seconds": 1.0,  # time from the start of an evaluation
    "work": 2_000_000,  # loop steps plus elements made, passed to calls or shown by measured operations
    "size": 200_000,  # the longest text, list or range one operation may make
    "data": 1_000_000,  # elements and characters of the task data a script leaves behind
    "bits": 100_000,  # the largest integer (about 30,000 digits)
    "width": 1000,  # the widest padding a format may ask for
    "source": 20_000,  # characters of one piece of code
    "depth": 60,  # nesting of the syntax tree
}


def set_limits(**values) -> None:
    LIMITS.update(values)


def line_of(node) -> str:
    return str(getattr(node, "lineno", "?"))


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


_FORMAT_WIDTH = re.compile(r"\d+")
PERCENT_SPEC = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_format_spec(spec: ast.AST | None, line: str) -> None:
    if spec is None:
        return
    parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
    if not all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
        raise ScriptRefused(Phrase("format f-string harus tetap, bukan hasil ekspresi (baris %(line)s)", line=line))
    text = "".join(p.value for p in parts)
    if any(int(n) > LIMITS["width"] for n in _FORMAT_WIDTH.findall(text)):
        raise ScriptRefused(Phrase("lebar format f-string terlalu besar (baris %(line)s)", line=line))


def _check_node(node: ast.AST) -> None:
    line = line_of(node)
    if type(node) not in ALLOWED_NODES:
        what = _NODE_NAMES.get(type(node), type(node).__name__)
        raise ScriptRefused(
            Phrase("%(what)s tidak diizinkan dalam skrip proses (baris %(line)s)", what=what, line=line)
        )
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ScriptRefused(
                Phrase("nama '%(id)s' yang diawali garis bawah tidak diizinkan (baris %(line)s)", id=node.id, line=line)
            )
        if node.id in _FORBIDDEN_NAMES:
            raise ScriptRefused(Phrase("fungsi '%(id)s' tidak diizinkan (baris %(line)s)", id=node.id, line=line))
        if isinstance(node.ctx, ast.Store) and node.id in _RESERVED:
            raise ScriptRefused(
                Phrase(
                    "'%(id)s' adalah fungsi bawaan; pakai nama lain untuk data (baris %(line)s)", id=node.id, line=line
                )
            )
    elif isinstance(node, ast.Attribute) and node.attr not in ALLOWED_ATTRIBUTES:
        raise ScriptRefused(Phrase("atribut '%(attr)s' tidak diizinkan (baris %(line)s)", attr=node.attr, line=line))
    elif isinstance(node, ast.keyword) and (node.arg is None or node.arg.startswith("_")):
        raise ScriptRefused(
            Phrase("argumen '%(value)s' tidak diizinkan (baris %(line)s)", value=node.arg or "**", line=line)
        )
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, str) and "__" in node.value:
            raise ScriptRefused(Phrase("teks yang memuat '__' tidak diizinkan (baris %(line)s)", line=line))
        if isinstance(node.value, (str, bytes)) and len(node.value) > LIMITS["size"]:
            raise ScriptRefused(Phrase("teks terlalu panjang (baris %(line)s)", line=line))
    elif isinstance(node, ast.FormattedValue):
        _check_format_spec(node.format_spec, line)
    elif isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, (ast.Name, ast.Subscript, ast.Tuple, ast.List)):
                raise ScriptRefused(Phrase("hanya variabel atau elemen yang dapat diisi (baris %(line)s)", line=line))


def check_code(source: str, mode: str = "exec") -> ast.AST:
    """Parse ``source`` and refuse anything outside the language. Raises ``ScriptRefused`` with an
    Indonesian message naming the line; never anything else, whatever the text."""
    if not isinstance(source, str):
        raise ScriptRefused(Phrase("kode harus berupa teks"))
    if len(source) > LIMITS["source"]:
        raise ScriptRefused(
            Phrase(
                "kode terlalu panjang (%(count)s karakter; paling banyak %(limit)s)",
                count=len(source),
                limit=LIMITS["source"],
            )
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptRefused(
            Phrase("kesalahan sintaks pada baris %(lineno)s: %(msg)s", lineno=exc.lineno, msg=exc.msg)
        ) from None
    except (MemoryError, RecursionError, ValueError):
        raise ScriptRefused(Phrase("kode terlalu dalam bersarang atau tidak dapat dibaca")) from None
    if _depth(tree) > LIMITS["depth"]:
        raise ScriptRefused(
            Phrase("ekspresi terlalu dalam bersarang (lebih dari %(limit)s tingkat)", limit=LIMITS["depth"])
        )
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        _check_node(node)
        if isinstance(node, ast.Name) and node.id in _CALL_ONLY and id(node) not in called:
            raise ScriptRefused(
                Phrase(
                    "fungsi '%(id)s' hanya boleh dipanggil, tidak dipakai sebagai nilai (baris %(line)s)",
                    id=node.id,
                    line=line_of(node),
                )
            )
    return tree
