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

The same check refuses a diagram at load time; the rewritten code is what runs.
"""
from __future__ import annotations

import ast
import builtins
import datetime as _dt
import decimal
import re
import time
import warnings
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine.core.errors import ScriptRefused
from engine.core.localtime import ZONES, zone_info

# Types, which may also stand as values (``isinstance(x, int)``, ``sorted(xs, key=str)``)...
_TYPE_NAMES = ("bool", "dict", "float", "int", "list", "set", "str", "tuple", "ValueError", "ZeroDivisionError")
# ...and functions, which may only be called: passed as a value, C code would call them unmeasured.
_FUNCTION_NAMES = ("abs", "all", "any", "divmod", "enumerate", "isinstance", "len", "max", "min", "range",
                   "reversed", "round", "sorted", "sum", "zip")
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

_STATEMENTS = (ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.Break,
               ast.Continue, ast.Pass)
_EXPRESSIONS = (ast.Name, ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.BinOp, ast.UnaryOp,
                ast.BoolOp, ast.Compare, ast.IfExp, ast.Call, ast.keyword, ast.Attribute, ast.Subscript,
                ast.Slice, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
                ast.JoinedStr, ast.FormattedValue, ast.Load, ast.Store)
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.BitAnd, ast.BitOr,
              ast.BitXor, ast.UAdd, ast.USub, ast.Not, ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
              ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot)
ALLOWED_NODES = frozenset(_STATEMENTS + _EXPRESSIONS + _OPERATORS)

# What a refused node is called in the message.
_NODE_NAMES = {
    ast.Import: "impor modul", ast.ImportFrom: "impor modul", ast.While: "perulangan while (gunakan for)",
    ast.Lambda: "lambda", ast.FunctionDef: "definisi fungsi", ast.AsyncFunctionDef: "definisi fungsi",
    ast.ClassDef: "definisi kelas", ast.Match: "pernyataan match", ast.Try: "try/except",
    ast.Raise: "raise", ast.With: "with", ast.Global: "global", ast.Nonlocal: "nonlocal",
    ast.Delete: "del", ast.Assert: "assert", ast.Yield: "yield", ast.YieldFrom: "yield",
    ast.Await: "await", ast.NamedExpr: "operator :=", ast.Starred: "argumen berbintang (*)",
    ast.LShift: "operator <<", ast.RShift: "operator >>", ast.MatMult: "operator @", ast.Invert: "operator ~",
    ast.AnnAssign: "anotasi tipe", ast.Return: "return",
}

# Attributes a script may read: what dates, text, lists, dicts and Decimal offer for data work.
ALLOWED_ATTRIBUTES = frozenset({
    "year", "month", "day", "hour", "minute", "second", "days", "seconds", "isoformat", "weekday",
    "isoweekday", "date",
    "get", "items", "keys", "values",
    "append", "extend", "count", "index",
    "lower", "upper", "strip", "lstrip", "rstrip", "split", "join", "startswith", "endswith", "title",
    "capitalize", "isdigit", "isalpha", "isalnum", "isspace",
    "quantize",
})
# Builtins that reach the interpreter: never named, even as a would-be variable.
_FORBIDDEN_NAMES = frozenset({
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "input", "breakpoint", "help", "exit", "quit", "memoryview",
    "object", "type", "super", "classmethod", "staticmethod", "property", "builtins",
    "callable", "id", "issubclass", "bytearray", "chr", "ord", "print", "format", "iter", "next",
})
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


def _line(node) -> str:
    return str(getattr(node, "lineno", "?"))


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


_FORMAT_WIDTH = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_format_spec(spec: ast.AST | None, line: str) -> None:
    if spec is None:
        return
    parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
    if not all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
        raise ScriptRefused(f"format f-string harus tetap, bukan hasil ekspresi (baris {line})")
    text = "".join(p.value for p in parts)
    if any(int(n) > LIMITS["width"] for n in _FORMAT_WIDTH.findall(text)):
        raise ScriptRefused(f"lebar format f-string terlalu besar (baris {line})")


def _check_node(node: ast.AST) -> None:
    line = _line(node)
    if type(node) not in ALLOWED_NODES:
        what = _NODE_NAMES.get(type(node), type(node).__name__)
        raise ScriptRefused(f"{what} tidak diizinkan dalam skrip proses (baris {line})")
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ScriptRefused(f"nama '{node.id}' yang diawali garis bawah tidak diizinkan (baris {line})")
        if node.id in _FORBIDDEN_NAMES:
            raise ScriptRefused(f"fungsi '{node.id}' tidak diizinkan (baris {line})")
        if isinstance(node.ctx, ast.Store) and node.id in _RESERVED:
            raise ScriptRefused(f"'{node.id}' adalah fungsi bawaan; pakai nama lain untuk data (baris {line})")
    elif isinstance(node, ast.Attribute) and node.attr not in ALLOWED_ATTRIBUTES:
        raise ScriptRefused(f"atribut '{node.attr}' tidak diizinkan (baris {line})")
    elif isinstance(node, ast.keyword) and (node.arg is None or node.arg.startswith("_")):
        raise ScriptRefused(f"argumen '{node.arg or '**'}' tidak diizinkan (baris {line})")
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, str) and "__" in node.value:
            raise ScriptRefused(f"teks yang memuat '__' tidak diizinkan (baris {line})")
        if isinstance(node.value, (str, bytes)) and len(node.value) > LIMITS["size"]:
            raise ScriptRefused(f"teks terlalu panjang (baris {line})")
    elif isinstance(node, ast.FormattedValue):
        _check_format_spec(node.format_spec, line)
    elif isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, (ast.Name, ast.Subscript, ast.Tuple, ast.List)):
                raise ScriptRefused(f"hanya variabel atau elemen yang dapat diisi (baris {line})")


def check_code(source: str, mode: str = "exec") -> ast.AST:
    """Parse ``source`` and refuse anything outside the language. Raises ``ScriptRefused`` with an
    Indonesian message naming the line; never anything else, whatever the text."""
    if not isinstance(source, str):
        raise ScriptRefused("kode harus berupa teks")
    if len(source) > LIMITS["source"]:
        raise ScriptRefused(f"kode terlalu panjang ({len(source)} karakter; paling banyak {LIMITS['source']})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptRefused(f"kesalahan sintaks pada baris {exc.lineno}: {exc.msg}") from None
    except (MemoryError, RecursionError, ValueError):
        raise ScriptRefused("kode terlalu dalam bersarang atau tidak dapat dibaca") from None
    if _depth(tree) > LIMITS["depth"]:
        raise ScriptRefused(f"ekspresi terlalu dalam bersarang (lebih dari {LIMITS['depth']} tingkat)")
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        _check_node(node)
        if isinstance(node, ast.Name) and node.id in _CALL_ONLY and id(node) not in called:
            raise ScriptRefused(f"fungsi '{node.id}' hanya boleh dipanggil, tidak dipakai sebagai nilai "
                                f"(baris {_line(node)})")
    return tree


# --- bounding the cost: the checked tree is rewritten to measure before it runs ---------------------

class _Budget:
    """One evaluation's allowance of time and work."""

    __slots__ = ("deadline", "left")

    def __init__(self):
        self.deadline = time.monotonic() + LIMITS["seconds"]
        self.left = LIMITS["work"]

    def spend(self, amount: int = 1) -> bool:
        self.left -= amount
        if self.left < 0:
            raise ScriptRefused("skrip melampaui batas kerja yang diizinkan (perulangan atau data terlalu besar)")
        if time.monotonic() > self.deadline:
            raise ScriptRefused(f"skrip melampaui batas waktu {LIMITS['seconds']:g} detik")
        return True

    def size(self, length: int, what: str) -> None:
        if length > LIMITS["size"]:
            raise ScriptRefused(f"{what} terlalu besar ({length} elemen; paling banyak {LIMITS['size']})")
        self.spend(length)

    # BinOp guard: measured before the operation allocates anything.
    def binop(self, op: str, left, right):
        if op == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(left.bit_length(), 1) * right > LIMITS["bits"]:
                raise ScriptRefused("hasil pangkat terlalu besar")
            return left ** right
        if op == "*":
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > LIMITS["bits"]:
                    raise ScriptRefused("hasil perkalian terlalu besar")
            elif isinstance(left, (str, bytes, list, tuple)) and isinstance(right, int):
                self.size(len(left) * max(right, 0), "hasil perkalian teks atau daftar")
            elif isinstance(right, (str, bytes, list, tuple)) and isinstance(left, int):
                self.size(len(right) * max(left, 0), "hasil perkalian teks atau daftar")
            return left * right
        if op == "+":
            if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
                self.size(len(left) + len(right), "hasil penggabungan")
            return left + right
        if op == "%":
            self.shown(right)
            if isinstance(left, str):
                for width, precision in _PERCENT_SPEC.findall(left):
                    for n in (width, precision):
                        if n == "*" or (n and int(n) > LIMITS["width"]):
                            raise ScriptRefused("lebar format % terlalu besar")
            return left % right
        return _PLAIN[op](left, right)

    def shown(self, value):
        """A value about to be turned into text (f-string, ``%``): its whole size is paid first."""
        if isinstance(value, _CONTAINERS):
            self.spend(weight(value, self.left + 1))
        return value

    def call(self, func, *args, **kwargs):
        self.spend()
        for value in (*args, *kwargs.values()):
            if isinstance(value, range):  # iterated in C by the callee
                self.size(len(value), "rentang range()")
            elif isinstance(value, _CONTAINERS):  # walked in C by the callee (str, sorted, sum...)
                self.spend(weight(value, self.left + 1))
            elif func in (int, round) and isinstance(value, decimal.Decimal) and value.is_finite() \
                    and value.adjusted() > LIMITS["bits"] // 4:
                raise ScriptRefused("bilangan terlalu besar untuk diubah menjadi bilangan bulat")
        if func is range:
            try:
                length = len(range(*args))
            except OverflowError:
                length = LIMITS["size"] + 1
            self.size(length, "rentang range()")
        elif func is sum and len(args) > 1 and not isinstance(args[1], (int, float, decimal.Decimal)):
            raise ScriptRefused("sum() hanya untuk menjumlahkan angka")
        elif func is str.join or _bound(func, str, "join"):
            separator, items = (args[0], list(args[1])) if func is str.join else (func.__self__, list(args[0]))
            self.size(sum(len(i) for i in items if isinstance(i, str)) + len(separator) * len(items),
                      "hasil join")
            return separator.join(items)
        elif _bound(func, list, "extend"):
            items = list(args[0])
            self.size(len(func.__self__) + len(items), "daftar")
            return func(items)
        return func(*args, **kwargs)


_CONTAINERS = (list, tuple, dict, set, frozenset)


def weight(value, cap: int) -> int:
    """Elements and characters in ``value``, counted through nested containers (a shared part
    as often as it appears, as printing or saving it would); stops counting past ``cap``."""
    total, stack = 0, [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item) + 1
        elif isinstance(item, dict):
            total += 1
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, _CONTAINERS):
            total += 1
            stack.extend(item)
        else:
            total += 1
    return total


def _bound(func, owner: type, name: str) -> bool:
    return isinstance(getattr(func, "__self__", None), owner) and getattr(func, "__name__", None) == name


_PLAIN = {"**": lambda a, b: a ** b}
_MEASURED = {ast.Pow: "**", ast.Mult: "*", ast.Add: "+", ast.Mod: "%"}
# Names only the rewritten tree uses: user code can never name them (no leading underscore).
_GUARD = "_sandbox_budget"


class _Measure(ast.NodeTransformer):
    def _guard(self, method: str, args: list, keywords=()) -> ast.Call:
        func = ast.Attribute(value=ast.Name(id=_GUARD, ctx=ast.Load()), attr=method, ctx=ast.Load())
        return ast.Call(func=func, args=args, keywords=list(keywords))

    def visit_BinOp(self, node):
        self.generic_visit(node)
        op = _MEASURED.get(type(node.op))
        if op is None:
            return node
        return ast.copy_location(self._guard("binop", [ast.Constant(op), node.left, node.right]), node)

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        op = _MEASURED.get(type(node.op))
        if op is None:
            return node
        load = ast.copy_location(_as_load(node.target), node)
        value = self._guard("binop", [ast.Constant(op), load, node.value])
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def visit_Call(self, node):
        self.generic_visit(node)
        return ast.copy_location(self._guard("call", [node.func, *node.args], node.keywords), node)

    def visit_For(self, node):
        self.generic_visit(node)
        node.body.insert(0, ast.copy_location(ast.Expr(self._guard("spend", [])), node))
        return node

    def visit_FormattedValue(self, node):
        self.generic_visit(node)
        node.value = self._guard("shown", [node.value])
        return node

    def visit_comprehension(self, node):
        self.generic_visit(node)
        node.ifs.insert(0, self._guard("spend", []))
        return node


def _as_load(target: ast.AST) -> ast.AST:
    if isinstance(target, ast.Name):
        return ast.Name(id=target.id, ctx=ast.Load())
    if isinstance(target, ast.Subscript):
        return ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load())
    raise ScriptRefused("operator gabungan hanya untuk variabel atau elemen")


@lru_cache(maxsize=4096)
def compiled(source: str, mode: str):
    """The checked and measured code of ``source`` (cached: diagrams repeat the same code)."""
    tree = _Measure().visit(check_code(source, mode))
    ast.fix_missing_locations(tree)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # the author's mistake surfaces when it runs
            return compile(tree, "<skrip proses>", mode)
    except (MemoryError, RecursionError, SyntaxError, ValueError):
        raise ScriptRefused("kode tidak dapat dikompilasi") from None


def fresh_globals() -> dict:
    """What one evaluation sees besides its data: its own copy of the builtins and helpers, and
    its own budget."""
    return {"__builtins__": dict(SAFE_BUILTINS), **HELPERS, _GUARD: _Budget()}


def constant_bombs(tree: ast.AST) -> str | None:
    """Why a part of the code made of constants alone (``'x' * 10**10``, ``9**9**8``) would be
    refused when it runs, found when the diagram is checked; None when none would."""
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and all(isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator,
                                                                ast.unaryop)) for n in ast.walk(node)):
            try:
                evaluate_alone(ast.unparse(node))
            except ScriptRefused as exc:
                return f"{exc.message} (baris {_line(node)})"
            except Exception:  # an ordinary error (1/0) is the author's, reported when it runs
                continue
    return None


def evaluate_alone(source: str):
    """Evaluate an expression that needs no task data (a timer checked when a diagram is loaded),
    under the same bounds as at run time."""
    return eval(compiled(source, "eval"), fresh_globals())  # noqa: S307 - checked and measured code


# --- the environment SpiffWorkflow calls ------------------------------------------------------------

class SandboxEnvironment(TaskDataEnvironment):
    """Evaluates and executes only checked, measured code, each time with fresh builtins."""

    def __init__(self, helpers: dict | None = None):
        super().__init__({**HELPERS, **(helpers or {})})

    def _globals(self, context, external_context):
        scope = {**fresh_globals(), **self.globals}
        scope.update(external_context or {})
        scope.update({k: v for k, v in context.items() if not k.startswith("_")})
        return scope

    def evaluate(self, expression, context, external_context=None):
        return eval(compiled(expression, "eval"), self._globals(context, external_context))  # noqa: S307

    def execute(self, script, context, external_context=None):
        code = compiled(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        own = fresh_globals()
        context.update(self.globals)
        context.update(external_context or {})
        context.update(own)
        try:
            exec(code, context)  # noqa: S102 - checked and measured code
        finally:
            for key in own:
                context.pop(key, None)
            self._remove_globals_and_functions_from_context(context, external_context)
        if weight(list(context.values()), LIMITS["data"]) > LIMITS["data"]:
            raise ScriptRefused("data yang dihasilkan skrip terlalu besar untuk disimpan")
        return True


class SandboxScriptEngine(PythonScriptEngine):
    def __init__(self, helpers: dict | None = None):
        super().__init__(environment=SandboxEnvironment(helpers))

    def validate(self, expression):
        # Spiff's DMN engine calls this to decide how to build a comparison; it expects SyntaxError.
        try:
            ast.parse(expression)
        except (MemoryError, RecursionError, ValueError) as exc:
            raise SyntaxError(str(exc)) from None


def make_script_engine() -> SandboxScriptEngine:
    return SandboxScriptEngine()
