"""Mutation testing: small changes to a module that its tests should notice, one at a time.

    python -m tests.mutation                         # dates, errors, markdown and validate
    python -m tests.mutation generator/render/markdown.py   # one module
    python -m tests.mutation generator/dates.py --lines 57-60 --show

Not part of the test suite (pytest collects only `test_*.py`). It copies the repository into a
temporary folder and changes the copy only, so the working tree, and anything importing it
meanwhile, never sees a mutant. Each mutant is one change of the module's syntax tree: a
comparison, boolean or arithmetic operator swapped; a condition negated; `not`, a unary minus
or a conversion (`set(x)`, `sorted(x)`, `str(x)`, ...) dropped; a constant changed (a number
plus one, `True` and `False` swapped, text wrapped in `XX`); a `return` made to return None;
`break` and `continue` swapped; or one statement of a function removed. Docstrings,
annotations and imports are left alone.

A first run of the module's tests (`TESTS`), unchanged, records which lines of the module each
test runs. Each mutant then runs, quickest first and stopping at the first failure, the tests
that reached the lines it changed (all of them when those lines run on import); if they all
pass, it runs every test once more, since a test can meet a mutant through what another left
in a cache. Tests run in processes forked from one that has already imported the libraries.
A mutant is killed when a test fails, errors or runs out of time. The score is the share
killed; survivors are listed as `file:line: change`, with "no test reaches it" when no test
ran that line.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

BAD_INPUTS = "tests/test_bad_inputs.py::test_bad_input_is_refused_with_located_words"
"""The bad inputs run in the test process (not through a subprocess, which no trace reaches)."""
TESTS: dict[str, list[str]] = {
    "generator/dates.py": [
        "tests/unit/test_dates.py",
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
    "generator/errors.py": [
        "tests/unit/test_errors.py",
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        "tests/test_check_formats.py",
        BAD_INPUTS,
    ],
    "generator/render/markdown.py": ["tests/unit/test_markdown.py"],
    "generator/validate/content.py": [
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
    "generator/validate/fields.py": [
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
    "generator/validate/ids.py": [
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
    "generator/validate/items.py": [
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
    "generator/validate/pydantic_errors.py": [
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
    "generator/validate/yaml_numbers.py": [
        "tests/errors/test_validation_errors.py",
        "tests/unit/test_validate.py",
        BAD_INPUTS,
    ],
}
"""The fast tests that speak for each module: unit and error tests, no browser, no subprocess."""

COPIED_IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
    "*.egg-info",
    "test-artifacts",
    ".output*",
    "output",
    "node_modules",
    ".node",
)
PYTEST_ARGS = ["-q", "-x", "-n", "0", "-p", "no:cacheprovider", "--no-header", "--assert=plain"]


# Mutants ---------------------------------------------------------------------------------------

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BINARY_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.BitXor: ast.BitOr,
}
_UNWRAPPED = {"set", "frozenset", "sorted", "list", "tuple", "str", "int", "float"}
"""Conversions a mutant drops, keeping their argument: `sorted(set(errors))` → `sorted(errors)`."""
_REMOVABLE = (
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Raise,
    ast.If,
    ast.For,
    ast.While,
    ast.With,
    ast.Try,
)


@dataclass
class Mutant:
    """One change to a module: where, what, and how to make it in a copy of the tree."""

    index: int
    """Position of the changed node in `_nodes` order, to find it again in a copy."""
    line: int
    end_line: int
    statement_line: int
    """First line of the innermost statement holding the change, which a test must reach."""
    on_import: bool
    """The change is in code that runs when the module is imported (not in a function)."""
    description: str
    apply: Callable[[ast.AST, ast.AST, str, int | None], None]
    """(node, parent, field, index in field) -> None, changing the copy in place."""


@dataclass
class _Place:
    node: ast.AST
    parent: ast.AST
    field: str
    index: int | None
    statement: ast.stmt
    in_function: bool
    skipped: bool


def _nodes(tree: ast.Module) -> Iterator[_Place]:
    """Every node with its parent, in a fixed order, marking those no mutant may change."""

    def emit(
        child: ast.AST,
        parent: ast.AST,
        name: str,
        index: int | None,
        statement: ast.stmt,
        in_function: bool,
        skipped: bool,
    ) -> Iterator[_Place]:
        skipped = skipped or name in {"annotation", "returns"} or _is_docstring(child)
        if isinstance(child, ast.Import | ast.ImportFrom | ast.Global | ast.Nonlocal):
            skipped = True
        if isinstance(child, ast.stmt):
            statement = child
        yield _Place(child, parent, name, index, statement, in_function, skipped)
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            # decorators and defaults run on import; annotations are never changed
            for position, decorator in enumerate(child.decorator_list):
                yield from emit(
                    decorator, child, "decorator_list", position, child, in_function, skipped
                )
            for position, default in enumerate(child.args.defaults):
                yield from emit(
                    default, child.args, "defaults", position, child, in_function, skipped
                )
            for position, body in enumerate(child.body):
                yield from emit(body, child, "body", position, child, True, skipped)
            return
        yield from children(child, statement, in_function, skipped)

    def children(
        node: ast.AST, statement: ast.stmt, in_function: bool, skipped: bool
    ) -> Iterator[_Place]:
        for name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for position, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        yield from emit(
                            child, node, name, position, statement, in_function, skipped
                        )
            elif isinstance(value, ast.AST):
                yield from emit(value, node, name, None, statement, in_function, skipped)

    yield from children(tree, ast.Pass(lineno=1), False, False)


def _is_docstring(node: ast.AST) -> bool:
    """A string standing alone as a statement: a docstring, or the comment of an attribute."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _replace(
    new: Callable[[ast.AST], ast.AST],
) -> Callable[[ast.AST, ast.AST, str, int | None], None]:
    """A change that puts `new(node)` where the node was."""

    def apply(node: ast.AST, parent: ast.AST, name: str, index: int | None) -> None:
        replacement = ast.copy_location(new(node), node)
        if index is None:
            setattr(parent, name, replacement)
        else:
            getattr(parent, name)[index] = replacement

    return apply


def _set(
    attribute: str, value: Callable[[Any], Any]
) -> Callable[[ast.AST, ast.AST, str, int | None], None]:
    def apply(node: ast.AST, parent: ast.AST, name: str, index: int | None) -> None:
        setattr(node, attribute, value(node))

    return apply


def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _changes(
    place: _Place,
) -> Iterator[tuple[str, Callable[[ast.AST, ast.AST, str, int | None], None]]]:
    """The (description, change) pairs of one node."""
    node = place.node
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap is None:
                continue

            def ops(found: Any, position: int = position, swap: type[ast.cmpop] = swap) -> Any:
                changed = list(found.ops)
                changed[position] = swap()
                return changed

            mutated = copy.deepcopy(node)
            mutated.ops = ops(node)
            yield f"`{_short(node)}` → `{_short(mutated)}`", _set("ops", ops)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        mutated = copy.deepcopy(node)
        mutated.op = other()
        yield f"`{_short(node)}` → `{_short(mutated)}`", _set("op", lambda _, o=other: o())
    elif isinstance(node, ast.BinOp | ast.AugAssign):
        swap_to = _BINARY_SWAPS.get(type(node.op))
        if swap_to is not None and not (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
        ):
            mutated = copy.deepcopy(node)
            mutated.op = swap_to()
            yield f"`{_short(node)}` → `{_short(mutated)}`", _set("op", lambda _, o=swap_to: o())
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _UNWRAPPED
        and len(node.args) == 1
        and not isinstance(node.args[0], ast.Starred)
    ):
        yield f"`{_short(node)}` → `{_short(node.args[0])}`", _replace(lambda n: n.args[0])  # type: ignore[attr-defined]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        yield f"`{_short(node)}` → `{_short(node.operand)}`", _replace(lambda n: n.operand)  # type: ignore[attr-defined]
    elif isinstance(node, ast.Constant) and not isinstance(place.parent, ast.JoinedStr):
        value = node.value
        new: Any
        if isinstance(value, bool):
            new = not value
        elif isinstance(value, int | float):
            new = value + 1
        elif isinstance(value, str):
            new = f"XX{value}XX"
        else:
            return
        yield f"`{_short(node)}` → `{new!r}`", _set("value", lambda _, v=new: v)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):  # a part of an f-string
        new = f"XX{node.value}XX"
        yield f"f-string part `{node.value[:40]}` → `{new[:44]}`", _set("value", lambda _, v=new: v)
    if isinstance(node, ast.If | ast.While | ast.IfExp):
        yield (
            f"`{_short(node.test)}` → `not ({_short(node.test)})`",
            _set("test", lambda n: ast.UnaryOp(ast.Not(), n.test)),
        )
    if isinstance(node, ast.comprehension):
        for position, condition in enumerate(node.ifs):

            def negated(found: Any, position: int = position) -> Any:
                changed = list(found.ifs)
                changed[position] = ast.UnaryOp(ast.Not(), changed[position])
                return changed

            yield f"`if {_short(condition)}` → `if not ({_short(condition)})`", _set("ifs", negated)
    if not place.in_function or not isinstance(node, ast.stmt):
        return
    if isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield f"`{_short(node)}` → `return None`", _set("value", lambda _: ast.Constant(None))
    elif isinstance(node, ast.Break):
        yield "`break` → `continue`", _replace(lambda _: ast.Continue())
    elif isinstance(node, ast.Continue):
        yield "`continue` → `break`", _replace(lambda _: ast.Break())
    elif isinstance(node, _REMOVABLE) and place.field in {"body", "orelse", "finalbody"}:
        yield f"remove `{_short(node)}`", _replace(lambda _: ast.Pass())


def mutants(source: str) -> list[Mutant]:
    """Every mutant of a module's source."""
    tree = ast.parse(source)
    found = []
    for index, place in enumerate(_nodes(tree)):
        if place.skipped:
            continue
        for description, apply in _changes(place):
            node = place.node
            line = getattr(node, "lineno", place.statement.lineno)
            end_line = getattr(node, "end_lineno", None) or line
            found.append(
                Mutant(
                    index,
                    line,
                    end_line,
                    place.statement.lineno,
                    not place.in_function,
                    description,
                    apply,
                )
            )
    return found


def mutated_source(source: str, mutant: Mutant) -> str:
    """The module's source with one mutant applied, written out again from the tree."""
    tree = ast.parse(source)
    for index, place in enumerate(_nodes(tree)):
        if index == mutant.index:
            mutant.apply(place.node, place.parent, place.field, place.index)
            break
    return ast.unparse(ast.fix_missing_locations(tree))


# Running ---------------------------------------------------------------------------------------


OUTSIDE_TESTS = "<outside tests>"
"""Where lines run on import, during collection or between tests are recorded."""


@dataclass
class Coverage:
    """Which lines of the module each test ran, how long each took, and what ran outside tests."""

    tests: dict[str, set[int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def everything(self) -> list[str]:
        """Every test, quickest first: a mutant is killed by the first that fails."""
        return sorted((t for t in self.tests if t != OUTSIDE_TESTS), key=self.seconds.__getitem__)

    def tests_reaching(self, mutant: Mutant) -> list[str]:
        """The tests that ran the mutant's lines; all of them for code that ran outside tests.

        Code run outside tests (on import) can leave what every test uses, such as a
        converter made once; so can a cache a test fills, which is why a mutant that survives
        these tests is run against all of them again.
        """
        lines = set(range(mutant.line, mutant.end_line + 1)) | {mutant.statement_line}
        if mutant.on_import or lines & self.tests.get(OUTSIDE_TESTS, set()):
            return self.everything()
        return [test for test in self.everything() if self.tests[test] & lines]


class _LineRecorder:
    """A pytest plugin recording the lines of one file that each test runs, and how long for."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.current = OUTSIDE_TESTS
        self.tests: dict[str, set[int]] = {OUTSIDE_TESTS: set()}
        self.seconds: dict[str, float] = {}

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != self.filename:
            return None
        self.tests[self.current].add(frame.f_lineno)
        return self._line

    def _line(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            self.tests[self.current].add(frame.f_lineno)
        return self._line

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        self.current = item.nodeid
        self.tests.setdefault(item.nodeid, set())
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            self.seconds[item.nodeid] = time.perf_counter() - started
            self.current = OUTSIDE_TESTS


class Sandbox:
    """A copy of the repository in which one module at a time is changed."""

    def __init__(self, source: Path, root: Path) -> None:
        shutil.copytree(source, root, ignore=COPIED_IGNORED, symlinks=True)
        self.root = root

    def write(self, module: str, text: str) -> None:
        path = self.root / module
        path.write_text(text, encoding="utf-8")
        for cached in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
            cached.unlink()


def _prepare_parent(sandbox: Path, test_files: set[str]) -> None:
    """Import what the tests import, then forget the sandbox's own modules.

    Forked children then import the libraries for free (pytest would even rewrite the asserts
    of Hypothesis, a plugin, on each import), and the project afresh from the files.
    """
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ["PYTHONPATH"] = str(sandbox)
    sys.path.insert(0, str(sandbox))
    os.chdir(sandbox)
    _forget_project()
    importlib.import_module("tests.conftest")
    for test_file in sorted(test_files):
        importlib.import_module(test_file.removesuffix(".py").replace("/", "."))
    _forget_project()


def _forget_project() -> None:
    for name in list(sys.modules):
        if name in {"tests", "generator"} or name.startswith(("tests.", "generator.")):
            del sys.modules[name]


def _run_in_child(sandbox: Path, args: list[str], recorder: _LineRecorder | None = None) -> int:
    """Fork a child that runs pytest on `args` in the sandbox; return its pid.

    With a `recorder`, the child traces the module from before the tests are collected, and
    leaves what it recorded in `sandbox/.coverage.json`.
    """
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setpgid(0, 0)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.chdir(sandbox)
        if recorder is not None:
            sys.settrace(recorder.trace)
        code = int(pytest.main([*PYTEST_ARGS, *args], plugins=[recorder] if recorder else []))
        sys.settrace(None)
        if recorder is not None:
            found = {
                "tests": {test: sorted(lines) for test, lines in recorder.tests.items()},
                "seconds": recorder.seconds,
            }
            (sandbox / COVERAGE_FILE).write_text(json.dumps(found))
    finally:
        os._exit(code)


COVERAGE_FILE = ".coverage.json"


def _wait(pid: int, timeout: float) -> int | None:
    """The exit status of a child, or None after killing it when it took longer than `timeout`."""
    descriptor = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([descriptor], [], [], timeout)
    finally:
        os.close(descriptor)
    if not ready:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return None
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _fails(sandbox: Path, tests: list[str], timeout: float) -> bool:
    """Whether a test fails or errors (pytest's exit 1 to 4), or they take over `timeout`.

    Exit 5 (no test collected) cannot happen: the tests are those the unchanged module ran.
    """
    return _wait(_run_in_child(sandbox, tests), timeout) not in {0, 5}


@dataclass
class Result:
    module: str
    total: int = 0
    killed: int = 0
    survivors: list[tuple[Mutant, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return self.killed / self.total if self.total else 1.0


def run_module(
    sandbox: Sandbox,
    module: str,
    tests: list[str],
    lines: tuple[int, int] | None,
    show: bool,
    progress: Callable[[str], None],
) -> Result:
    started = time.monotonic()
    path = sandbox.root / module
    source = path.read_text(encoding="utf-8")
    result = Result(module)
    begun = time.monotonic()
    code = _wait(_run_in_child(sandbox.root, tests, _LineRecorder(str(path))), 1800)
    report = sandbox.root / COVERAGE_FILE
    if code != 0 or not report.exists():
        raise SystemExit(
            f"{module}: the tests fail without any mutant (exit {code}): fix that first"
        )
    found_coverage = json.loads(report.read_text())
    report.unlink()
    coverage = Coverage(
        {test: set(ran) for test, ran in found_coverage["tests"].items()},
        found_coverage["seconds"],
    )
    timeout = max(60.0, 5 * (time.monotonic() - begun))
    sandbox.write(module, ast.unparse(ast.parse(source)))
    code = _wait(_run_in_child(sandbox.root, tests), timeout)
    if code != 0:
        sandbox.write(module, source)
        raise SystemExit(f"{module}: the tests fail on the module written out again unchanged")
    found = mutants(source)
    if lines is not None:
        found = [m for m in found if lines[0] <= m.line <= lines[1]]
    try:
        everything = coverage.everything()
        for number, mutant in enumerate(found, 1):
            result.total += 1
            begun = time.monotonic()
            chosen = coverage.tests_reaching(mutant)
            sandbox.write(module, mutated_source(source, mutant))
            killed = bool(chosen) and _fails(sandbox.root, chosen, timeout)
            if not killed and len(chosen) < len(everything):
                # tests that did not reach these lines may meet what another left in a cache
                killed = _fails(sandbox.root, everything, timeout)
            if killed:
                result.killed += 1
            else:
                result.survivors.append((mutant, "survived" if chosen else "no test reaches it"))
            if show:
                verdict = "killed" if killed else "SURVIVED"
                progress(
                    f"[{number}/{len(found)}] {module}:{mutant.line}: {mutant.description}: "
                    f"{verdict} ({len(chosen)} tests, {time.monotonic() - begun:.1f} s)"
                )
    finally:
        sandbox.write(module, source)
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.mutation", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "modules", nargs="*", default=list(TESTS), help="modules, as generator/x.py"
    )
    parser.add_argument(
        "--source", type=Path, default=REPO, help="repository to copy (default: this one)"
    )
    parser.add_argument("--tests", nargs="+", help="pytest arguments instead of the module's own")
    parser.add_argument("--lines", help="only mutants starting on these lines, e.g. 40-55")
    parser.add_argument("--show", action="store_true", help="print each mutant as it runs")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--keep", action="store_true", help="keep the copy of the repository")
    options = parser.parse_args(argv)
    lines = None
    if options.lines:
        first, _, last = options.lines.partition("-")
        lines = (int(first), int(last or first))
    if options.list:
        for module in options.modules:
            for mutant in mutants((options.source / module).read_text(encoding="utf-8")):
                print(f"{module}:{mutant.line}: {mutant.description}")
        return 0
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # clean up
    folder = Path(tempfile.mkdtemp(prefix="mutation-"))
    sandbox = Sandbox(options.source.resolve(), folder / "repo")
    try:
        test_files = {
            arg.partition("::")[0]
            for module in options.modules
            for arg in options.tests or TESTS.get(module, [])
            if arg.partition("::")[0].endswith(".py")
        }
        _prepare_parent(sandbox.root, test_files)
        results = []
        for module in options.modules:
            tests = options.tests or TESTS.get(module)
            if not tests:
                parser.error(f"no tests known for {module}: give them with --tests")
            result = run_module(
                sandbox, module, tests, lines, options.show, lambda line: print(line, flush=True)
            )
            results.append(result)
            print(
                f"{module}: {result.killed}/{result.total} killed ({result.score:.0%}) "
                f"in {result.seconds:.0f} s",
                flush=True,
            )
            for mutant, why in result.survivors:
                print(f"  {module}:{mutant.line}: {mutant.description} [{why}]", flush=True)
    finally:
        if options.keep:
            print(f"copy kept in {sandbox.root}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
