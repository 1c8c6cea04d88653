"""Running the code the sandbox checked: the tree rewritten to measure each costly step before it runs,
one budget of time and work per evaluation, and the environment SpiffWorkflow calls. The language
itself, and the reasons for it, are in ``sandbox``."""

from __future__ import annotations

import ast
import decimal
import time
import warnings
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine.core.errors import ScriptRefused
from engine.core.localtime import Phrase
from engine.workflow.sandbox import HELPERS, LIMITS, PERCENT_SPEC, SAFE_BUILTINS, check_code, line_of


class _Budget:
    """One evaluation's allowance of time and work."""

    __slots__ = ("deadline", "left")

    def __init__(self):
        self.deadline = time.monotonic() + LIMITS["seconds"]
        self.left = LIMITS["work"]

    def spend(self, amount: int = 1) -> bool:
        self.left -= amount
        if self.left < 0:
            raise ScriptRefused(
                Phrase("skrip melampaui batas kerja yang diizinkan (perulangan atau data terlalu besar)")
            )
        if time.monotonic() > self.deadline:
            raise ScriptRefused(Phrase("skrip melampaui batas waktu %(seconds)g detik", seconds=LIMITS["seconds"]))
        return True

    def size(self, length: int, what: str) -> None:
        if length > LIMITS["size"]:
            raise ScriptRefused(
                Phrase(
                    "%(what)s terlalu besar (%(length)s elemen; paling banyak %(limit)s)",
                    what=what,
                    length=length,
                    limit=LIMITS["size"],
                )
            )
        self.spend(length)

    # BinOp guard: measured before the operation allocates anything.
    def binop(self, op: str, left, right):
        if op == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(left.bit_length(), 1) * right > LIMITS["bits"]:
                raise ScriptRefused(Phrase("hasil pangkat terlalu besar"))
            return left**right
        if op == "*":
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > LIMITS["bits"]:
                    raise ScriptRefused(Phrase("hasil perkalian terlalu besar"))
            elif isinstance(left, (str, bytes, list, tuple)) and isinstance(right, int):
                self.size(len(left) * max(right, 0), Phrase("hasil perkalian teks atau daftar"))
            elif isinstance(right, (str, bytes, list, tuple)) and isinstance(left, int):
                self.size(len(right) * max(left, 0), Phrase("hasil perkalian teks atau daftar"))
            return left * right
        if op == "+":
            if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
                self.size(len(left) + len(right), Phrase("hasil penggabungan"))
            return left + right
        if op == "%":
            self.shown(right)
            if isinstance(left, str):
                for width, precision in PERCENT_SPEC.findall(left):
                    for n in (width, precision):
                        if n == "*" or (n and int(n) > LIMITS["width"]):
                            raise ScriptRefused(Phrase("lebar format % terlalu besar"))
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
            elif (
                func in (int, round)
                and isinstance(value, decimal.Decimal)
                and value.is_finite()
                and value.adjusted() > LIMITS["bits"] // 4
            ):
                raise ScriptRefused(Phrase("bilangan terlalu besar untuk diubah menjadi bilangan bulat"))
        if func is range:
            try:
                length = len(range(*args))
            except OverflowError:
                length = LIMITS["size"] + 1
            self.size(length, "rentang range()")
        elif func is sum and len(args) > 1 and not isinstance(args[1], (int, float, decimal.Decimal)):
            raise ScriptRefused(Phrase("sum() hanya untuk menjumlahkan angka"))
        elif func is str.join or _bound(func, str, "join"):
            separator, items = (args[0], list(args[1])) if func is str.join else (func.__self__, list(args[0]))
            self.size(
                sum(len(i) for i in items if isinstance(i, str)) + len(separator) * len(items), Phrase("hasil join")
            )
            return separator.join(items)
        elif _bound(func, list, "extend"):
            items = list(args[0])
            self.size(len(func.__self__) + len(items), Phrase("daftar"))
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


_PLAIN = {"**": lambda a, b: a**b}
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
    raise ScriptRefused(Phrase("operator gabungan hanya untuk variabel atau elemen"))


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
        raise ScriptRefused(Phrase("kode tidak dapat dikompilasi")) from None


def fresh_globals() -> dict:
    """What one evaluation sees besides its data: its own copy of the builtins and helpers, and
    its own budget."""
    return {"__builtins__": dict(SAFE_BUILTINS), **HELPERS, _GUARD: _Budget()}


def constant_bombs(tree: ast.AST) -> str | None:
    """Why a part of the code made of constants alone (``'x' * 10**10``, ``9**9**8``) would be
    refused when it runs, found when the diagram is checked; None when none would."""
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and all(
            isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator, ast.unaryop)) for n in ast.walk(node)
        ):
            try:
                evaluate_alone(ast.unparse(node))
            except ScriptRefused as exc:
                return f"{exc.message} (baris {line_of(node)})"
            except Exception:  # noqa: BLE001, S112 - an ordinary error (1/0) is the author's, reported when it runs
                continue
    return None


def evaluate_alone(source: str):
    """Evaluate an expression that needs no task data (a timer checked when a diagram is loaded),
    under the same bounds as at run time."""
    return eval(compiled(source, "eval"), fresh_globals())


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
        return eval(compiled(expression, "eval"), self._globals(context, external_context))

    def execute(self, script, context, external_context=None):
        code = compiled(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        own = fresh_globals()
        context.update(self.globals)
        context.update(external_context or {})
        context.update(own)
        try:
            exec(code, context)
        finally:
            for key in own:
                context.pop(key, None)
            self._remove_globals_and_functions_from_context(context, external_context)
        if weight(list(context.values()), LIMITS["data"]) > LIMITS["data"]:
            raise ScriptRefused(Phrase("data yang dihasilkan skrip terlalu besar untuk disimpan"))
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
