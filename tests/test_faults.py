"""Fault injection: a killed build, a full disk or a read-only disk never leave a broken site.

The promise (issue #7): `output/` is always either the old site or the new one, never a mix
and never missing, whatever moment `explainer build` is killed at; the next build puts right
whatever a killed one left beside the output and gives exactly a clean build's bytes, even
when the record it left is stale or half-written. A full or read-only disk stops the build
with one line naming the folder and the reason, and the old site stays as it was.

How the kills are made:

- **At random moments.** A warm `explainer` process (the generator already imported, so that
  the delay measures the build and not Python starting) gets its command, and is sent
  SIGKILL after a delay drawn from a seeded generator, spread evenly over the build's
  measured duration. Three ways to build are each killed `KILLS[...]` times: the first
  build (no output yet), a rebuild that starts from the record, and a `--full` rebuild.
  Every third kill lets forked workers render, to check that none outlives the build.
- **At chosen moments.** The warm process wraps one function of the generator (or of `os`)
  so that its n-th call kills the process: before the swap, between the two renames of the
  fallback swap, after the swap but before the record is saved, half-way through saving the
  record, while hard-linking the old site, while writing pages.

After each kill, `output/` must equal a clean build of the old content or of the new
content, file for file and byte for byte. The next build (of the new content or, at random,
back to the old, which catches a stale record being trusted) must equal a clean build, and
leave nothing but `output/` and its record beside it. Full and read-only disks are injected
in-process (every platform), and made for real with a small tmpfs when the tests run as
root and may mount (as in CI); folders without write permission are made for real with
chmod, as root (as in CI) by builds without root's power to ignore permissions.

Per run: 24 kills at random moments, 10 at chosen moments, 2 damaged records, 9 disk faults
injected in-process, 2 on a real tmpfs when root may mount, and 2 with chmod.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import edit_quote, generate
from generator import cli
from generator import write as write_module
from generator.build import site as build_module
from generator.build import workers as workers_module
from generator.build.kept import kept_path
from generator.build.record import read_record
from generator.build.site import state_path
from generator.digest import digest
from generator.write import folder_id, previous_site_folder
from tests.conftest import REPO, minimal_site, need_root_override_dropped, without_root_override
from tests.test_incremental import assert_previous_site_described

KILLS = {"first build": 6, "rebuild": 10, "full rebuild": 8}
"""Random kill moments per way of building."""
SIZE = 30
"""Synthetic quotes per version: about 110 files, a build of a few tenths of a second."""

Manifest = dict[str, bytes | None]
"""Every file (its bytes) and folder (None, its path ending in `/`) under an output folder."""

RUNNER = r"""
import importlib, json, os, signal, sys, tempfile, time, traceback
from pathlib import Path
import generator.build.record, generator.build.site, generator.build.workers
import generator.cli, generator.write

def kill_at(main, target, when, call, first_arg=None):
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    calls = 0
    def wrapper(*args, **kwargs):
        nonlocal calls
        if first_arg is not None and not (
            args and isinstance(args[0], (str, os.PathLike)) and os.fspath(args[0]) == first_arg
        ):
            return original(*args, **kwargs)
        calls += 1
        if calls == call and when == "before":
            os.kill(main, signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls == call and when == "after":
            os.kill(main, signal.SIGKILL)
        return result
    setattr(module, name, wrapper)

def child(command):
    for fd, name in ((1, "stdout"), (2, "stderr")):
        os.dup2(os.open(command[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
    if command.get("workers"):
        generator.build.workers.PARALLEL_FROM_PAGES = 1
    if command.get("no_exchange"):
        generator.write._exchange = lambda source, target: False
    for spec in command.get("kill", []):
        kill_at(os.getpid(), **spec)
    try:
        code = generator.cli.main(command["argv"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    except BaseException:
        traceback.print_exc()
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

# Warm up once, so that a build's delay measures the build, not the process starting.
with tempfile.TemporaryDirectory() as scratch:
    generator.build.site.build_site(Path(sys.argv[1]), Path(scratch) / "output")
print("ready", flush=True)
for line in sys.stdin:
    command = json.loads(line)
    pid = os.fork()
    if pid == 0:
        child(command)
    started = time.perf_counter()
    deadline = None if command.get("kill_after") is None else started + command["kill_after"]
    status = None
    while deadline is not None:
        ended, found = os.waitpid(pid, os.WNOHANG)
        if ended:
            status = found
            break
        if time.perf_counter() >= deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.001)
    if status is None:
        _, status = os.waitpid(pid, 0)
    seconds = time.perf_counter() - started
    print(json.dumps([os.waitstatus_to_exitcode(status), seconds]), flush=True)
"""


# --- the two versions of the content, and their clean builds -------------------------------


def _versions(scratch: Path) -> dict[str, dict[str, bytes]]:
    """Content A and B: B edits two quotes, drops case `demo` and adds case `other`.

    So a mix of the two shows as extra or missing files as well as changed bytes.
    """
    generate(SIZE, scratch / "A")
    demo = {
        f"cases/{slug}/{name.split('/')[-1]}": body
        for slug in ("demo", "other")
        for name, body in minimal_site().items()
        if name.startswith("cases/demo/")
    }
    (scratch / "B").mkdir()
    shutil.copytree(scratch / "A", scratch / "B", dirs_exist_ok=True)
    write_files(scratch / "A", {k: v for k, v in demo.items() if k.startswith("cases/demo/")})
    write_files(scratch / "B", {k: v for k, v in demo.items() if k.startswith("cases/other/")})
    quotes = scratch / "B/cases/synthetic/quotes.yaml"
    edit_quote(quotes, "quote-00001", "edited")
    edit_quote(quotes, "quote-00007", "edited")
    return {name: read_files(scratch / name) for name in ("A", "B")}


def write_files(root: Path, files: dict[str, str | bytes] | dict[str, bytes]) -> None:
    for relative, body in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))


def read_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def manifest(folder: Path) -> Manifest | None:
    """The output folder's tree, or None if there is no folder."""
    if not folder.is_dir():
        return None
    found: Manifest = {}
    for root, _, files in os.walk(folder):
        relative = Path(root).relative_to(folder).as_posix()
        prefix = "" if relative == "." else relative + "/"
        if prefix:
            found[prefix] = None
        for name in files:
            found[prefix + name] = Path(root, name).read_bytes()
    return found


def compare(actual: Manifest | None, expected: Manifest | None) -> str:
    """How `actual` differs from `expected`, in a few words."""
    if actual is None or expected is None:
        return "absent" if actual is None else "present where none was expected"
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    changed = sorted(k for k in actual.keys() & expected.keys() if actual[k] != expected[k])
    return f"missing {missing[:3]} ({len(missing)}), extra {extra[:3]} ({len(extra)}), " + (
        f"other bytes {changed[:3]} ({len(changed)})"
    )


@dataclass
class Bench:
    """The module's shared scene: content, output, clean builds and warm processes."""

    root: Path
    versions: dict[str, dict[str, bytes]]
    clean: dict[str, Manifest]
    runners: Runners
    now: str | None = None
    """The version `output/` holds with a trustworthy record beside it, if any."""
    durations: dict[str, float] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "site" / "output"

    def use(self, version: str) -> None:
        """Make the content folder hold `version`, as an editor's checkout would."""
        if self.content.exists():
            shutil.rmtree(self.content)
        write_files(self.content, self.versions[version])

    def argv(self, *extra: str) -> list[str]:
        return ["build", "--content", str(self.content), "--output", str(self.output), *extra]

    def build_here(self, version: str, *extra: str) -> str:
        """`explainer build` of `version` in this process; return what it printed."""
        self.use(version)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = cli.main(self.argv(*extra))
        assert code == 0
        self.now = version
        return out.getvalue()

    def reset(self) -> None:
        """No output and no record, as before the very first build."""
        site = self.output.parent
        if site.exists():
            shutil.rmtree(site)
        site.mkdir(parents=True)
        self.now = None

    def assert_settled(self, version: str, history: str) -> None:
        """The output is a clean build of `version`, with only its record beside it, and
        the build it kept if the record names it."""
        actual = manifest(self.output)
        assert actual == self.clean[version], f"{history}: {compare(actual, self.clean[version])}"
        beside = sorted(os.listdir(self.output.parent))
        record = read_record(state_path(self.output))
        assert record is not None, f"{history}: no record"
        kept = kept_path(self.output)
        expected = [".output.explainer-state", "output"]
        if record.kept is not None:
            assert digest(kept.read_bytes()) == record.kept, f"{history}: kept build not named"
            expected.append(kept.name)
        if record.previous_site is not None:
            expected.append(previous_site_folder(self.output).name)
        assert beside == sorted(expected), f"{history}: left {beside}"
        assert_previous_site_described(self.output, history)


class Runners:
    """A warm process that forks one `explainer` process per command, and may kill it.

    It has imported the generator and built a site once, so that a build's delay measures
    the build, not Python starting. The fork is the build: its own process, killed with
    SIGKILL by its parent (so no other process can have taken its id meanwhile).
    """

    def __init__(self, tag: str, warm_up: Path, logs: Path) -> None:
        self.tag, self.logs = tag, logs
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(warm_up), tag],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        assert ready == b"ready\n", self.process.communicate()[1].decode()

    def run(self, command: dict[str, Any], kill_after: float | None = None) -> Finished:
        """Run `command` (`argv`, and how to fault it) in a fork; SIGKILL it after a delay."""
        assert self.process.stdin is not None and self.process.stdout is not None
        out, err = self.logs / "stdout", self.logs / "stderr"
        command = {**command, "stdout": str(out), "stderr": str(err), "kill_after": kill_after}
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, self.process.communicate()[1].decode()
        code, seconds = json.loads(line)
        orphans = self._orphans() if command.get("workers") else []
        return Finished(code, out.read_text(), err.read_text(), seconds, orphans)

    def _orphans(self) -> list[int]:
        """Processes forked by a killed build (its workers) still alive after a moment."""
        if not Path("/proc/self/cmdline").exists():
            return []
        deadline = time.monotonic() + 2.0
        while True:
            found = []
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit() or int(entry.name) == self.process.pid:
                    continue
                with contextlib.suppress(OSError):
                    mine = self.tag.encode() in (entry / "cmdline").read_bytes()
                    if mine and "\nState:\tZ" not in (entry / "status").read_text():
                        found.append(int(entry.name))
            if not found or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def close(self) -> None:
        self.process.kill()
        self.process.communicate()


@dataclass
class Finished:
    code: int
    out: str
    err: str
    seconds: float
    orphans: list[int]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    root = tmp_path_factory.mktemp("faults")
    versions = _versions(root / "versions")
    clean = {}
    for name in versions:
        write_files(root / f"clean-{name}/content", versions[name])
        build_module.build_site(root / f"clean-{name}/content", root / f"clean-{name}/output")
        found = manifest(root / f"clean-{name}/output")
        assert found is not None
        clean[name] = found
    assert clean["A"] != clean["B"]
    write_files(root / "warm-up", versions["A"])
    runners = Runners(f"explainer-faults-{os.getpid()}", root / "warm-up", root)
    scene = Bench(root, versions, clean, runners)
    scene.reset()
    try:
        yield scene
    finally:
        runners.close()


OTHER = {"A": "B", "B": "A"}


# --- 1. killed at random moments -------------------------------------------------------------


@pytest.mark.parametrize("way", list(KILLS))
def test_killed_build_leaves_old_or_new_site(bench: Bench, way: str) -> None:
    rng = random.Random(f"kill {way}")
    extra = ["--full"] if way == "full rebuild" else []
    duration = _measure(bench, way, extra)
    killed = 0
    for number in range(KILLS[way]):
        workers = number % 3 == 2
        delay = rng.uniform(0, duration)
        history = f"{way}, kill {number + 1} after {delay * 1000:.0f} ms" + (
            " (workers)" if workers else ""
        )
        if way == "first build":
            bench.reset()
        elif bench.now is None:
            bench.build_here("A")
        old = bench.now
        new = OTHER[old] if old is not None else rng.choice("AB")
        bench.use(new)
        done = bench.runners.run({"argv": bench.argv(*extra), "workers": workers}, delay)
        killed += done.code == -9
        _assert_old_or_new(bench, old, new, history, done)
        back = rng.choice([new, old or new])
        bench.build_here(back)
        bench.assert_settled(back, f"{history}, then a build of {back}")
    assert killed >= KILLS[way] // 2, f"only {killed} of the builds were killed before they ended"


def _measure(bench: Bench, way: str, extra: list[str]) -> float:
    """How long this way of building takes here, from the command to the process's end: the
    shortest of three builds, so that on a busy machine a slow first build does not put most
    kill moments after the ends of the builds that follow."""
    if way in bench.durations:
        return bench.durations[way]
    seconds = []
    for _ in range(3):
        if way == "first build":
            bench.reset()
        elif bench.now is None:
            bench.build_here("A")
        new = OTHER.get(bench.now or "B", "A")
        bench.use(new)
        done = bench.runners.run({"argv": bench.argv(*extra)})
        assert done.code == 0, done.err
        bench.now = new
        bench.assert_settled(new, f"{way}, not killed")
        seconds.append(done.seconds)
    bench.durations[way] = min(seconds)
    return bench.durations[way]


def _assert_old_or_new(
    bench: Bench, old: str | None, new: str, history: str, done: Finished
) -> None:
    assert done.code in {0, -9}, f"{history}: exit {done.code}\n{done.err}"
    assert "Traceback" not in done.err, f"{history}:\n{done.err}"
    assert done.orphans == [], f"{history}: processes {done.orphans} outlived the killed build"
    actual = manifest(bench.output)
    expected_old = bench.clean[old] if old is not None else None
    if old is None and actual == {}:
        actual = None  # an empty folder is as good as none
    assert actual in (expected_old, bench.clean[new]), (
        f"{history}: output/ is neither the old site ({compare(actual, expected_old)}) "
        f"nor the new ({compare(actual, bench.clean[new])})"
    )


# --- 1. killed at chosen moments -------------------------------------------------------------


@dataclass(frozen=True)
class KillPoint:
    name: str
    kill: dict[str, Any]
    expect: str
    """What output/ holds after the kill: "old", "new", or "missing" (fallback swap only)."""
    first: bool = False
    """Kill the very first build (no output yet) instead of a rebuild."""
    workers: bool = False
    no_exchange: bool = False
    full: bool = False
    put_aside: bool | None = None
    """Whether the rebuild finds the site the last one replaced put aside (None: either)."""


KILL_POINTS = [
    KillPoint(
        "mid write, first build",
        {"target": "generator.write.write_file", "call": 3},
        "old",
        first=True,
    ),
    KillPoint("mid write, rebuild", {"target": "generator.write.replace_file", "call": 3}, "old"),
    KillPoint(
        "mid write, workers",
        {"target": "generator.write.replace_file", "call": 5},
        "old",
        workers=True,
    ),
    KillPoint(
        "mid hard-linking the old site",
        {"target": "os.link", "call": 20},
        "old",
        put_aside=False,
    ),
    KillPoint(
        "mid staging from the site put aside",
        {"target": "os.link", "call": 2, "when": "before"},  # a link may fail, then succeed
        "old",
        put_aside=True,
    ),
    KillPoint(
        "mid deleting the site put aside, full",
        {"target": "os.unlink", "call": 10},
        "old",
        full=True,
        put_aside=True,
    ),
    KillPoint("before the swap", {"target": "generator.write._swap", "when": "before"}, "old"),
    KillPoint(
        "before the swap, full",
        {"target": "generator.write._swap", "when": "before"},
        "old",
        full=True,
    ),
    KillPoint("after the exchange", {"target": "generator.write._exchange"}, "new"),
    KillPoint(
        "between the fallback's renames",
        {"target": "os.rename", "first_arg": "OUTPUT"},
        "missing",
        no_exchange=True,
    ),
    KillPoint(
        "after the swap, before the record",
        {"target": "generator.build.site.save_record", "when": "before"},
        "new",
    ),
    KillPoint("half-way through saving the record", {"target": "pickle.dump"}, "new"),
]


@pytest.mark.parametrize("point", KILL_POINTS, ids=lambda point: point.name)
def test_build_killed_at_a_chosen_moment_recovers(bench: Bench, point: KillPoint) -> None:
    if point.first:
        bench.reset()
    elif bench.now is None:
        bench.build_here("A")
    put_aside = previous_site_folder(bench.output)
    if point.put_aside is False:
        shutil.rmtree(put_aside, ignore_errors=True)
    elif point.put_aside:
        assert bench.now is not None
        bench.build_here(OTHER[bench.now])  # puts aside a site that differs from the output
        named = read_record(state_path(bench.output))
        assert named is not None and named.previous_site is not None
        assert folder_id(put_aside) == named.previous_site.folder
        assert len(named.previous_site.newer) > 2
    old = bench.now
    new = OTHER[old or "B"]
    bench.use(new)
    kill = {"when": "after", "call": 1, **point.kill}
    if kill.get("first_arg") == "OUTPUT":
        kill["first_arg"] = str(bench.output)
    command = {
        "argv": bench.argv(*(["--full"] if point.full else [])),
        "kill": [kill],
        "workers": point.workers,
        "no_exchange": point.no_exchange,
    }
    done = bench.runners.run(command)
    assert done.code == -9, (
        f"{point.name}: the kill point was not reached ({done.code})\n{done.err}"
    )
    assert done.orphans == [], f"{point.name}: processes {done.orphans} outlived the build"
    actual = manifest(bench.output)
    if point.expect == "missing":
        # Only where the system cannot exchange two folders in one step: output/ is gone
        # for a moment, and the next build puts the old site back before anything else,
        # even when it then fails on a mistake in the content.
        assert actual is None
        assert old is not None
        bench.versions["broken"] = {
            **bench.versions[old],
            "cases/synthetic/case.yaml": b"title: T\nsummary: S\nstatus: maybe\n",
        }
        bench.use("broken")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert cli.main(bench.argv()) == 1
        actual = manifest(bench.output)
        assert actual == bench.clean[old], compare(actual, bench.clean[old])
    else:
        version = old if point.expect == "old" else new
        expected = bench.clean[version] if version is not None else None
        if expected is None and actual == {}:
            actual = None
        assert actual == expected, f"{point.name}: {compare(actual, expected)}"
    back = old or new
    printed = bench.build_here(back)
    bench.assert_settled(back, f"{point.name}, then a build of {back}")
    if point.expect == "new" and not point.first:
        assert "full build" in printed, f"{point.name}: a stale record was trusted: {printed}"


def test_half_written_record_is_not_trusted(bench: Bench) -> None:
    if bench.now is None:
        bench.build_here("A")
    old = bench.now
    assert old is not None
    record = state_path(bench.output)
    whole = record.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"\x80garbage"):
        record.write_bytes(damaged)
        printed = bench.build_here(OTHER[old])
        assert "full build" in printed
        bench.assert_settled(OTHER[old], f"record cut to {len(damaged)} bytes")
        old = OTHER[old]


# --- 2. a full or read-only disk -------------------------------------------------------------


def _refuse_writes(monkeypatch: pytest.MonkeyPatch, code: int, after: int) -> None:
    """Make the writing of every file write.py writes after the first `after` fail with `code`,
    as a full disk fails a write once the file is open."""
    written = [0]
    real = write_module._write_all

    def refusing(descriptor: int, parts: Any) -> None:
        written[0] += 1
        if written[0] > after:
            raise OSError(code, os.strerror(code))
        real(descriptor, parts)

    monkeypatch.setattr(write_module, "_write_all", refusing)


def _refuse_mkdir(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    real = os.mkdir

    def refusing_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if ".staging-" in os.fspath(path):
            raise OSError(code, os.strerror(code), os.fspath(path))
        real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refusing_mkdir)


def _fail_exchange(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def failing(source: Path, target: Path) -> bool:
        raise OSError(code, os.strerror(code), os.fspath(target))

    monkeypatch.setattr(write_module, "_exchange", failing)


@dataclass(frozen=True)
class DiskFault:
    name: str
    inject: Callable[[pytest.MonkeyPatch], None]
    reason: str
    """What the one line of error must say."""
    first: bool = False
    workers: bool = False
    keeps_record: bool = True
    """Whether the record survives; if not, it is gone (a full build next), never stale."""


DISK_FAULTS = [
    DiskFault(
        "full disk, first build",
        lambda m: _refuse_writes(m, errno.ENOSPC, 5),
        "the disk is full",
        first=True,
    ),
    DiskFault(
        "full disk, rebuild", lambda m: _refuse_writes(m, errno.ENOSPC, 2), "the disk is full"
    ),
    DiskFault(
        "full disk, workers",
        lambda m: _refuse_writes(m, errno.ENOSPC, 9),
        "the disk is full",
        workers=True,
    ),
    DiskFault("quota, rebuild", lambda m: _refuse_writes(m, errno.EDQUOT, 0), "disk quota"),
    DiskFault(
        "read-only disk, first build",
        lambda m: _refuse_mkdir(m, errno.EROFS),
        "read-only",
        first=True,
    ),
    DiskFault("read-only disk, rebuild", lambda m: _refuse_mkdir(m, errno.EROFS), "read-only"),
    DiskFault(
        "no permission, rebuild", lambda m: _refuse_mkdir(m, errno.EACCES), "permission denied"
    ),
    DiskFault(
        "disk error at the swap",
        lambda m: _fail_exchange(m, errno.EIO),
        "input/output error",
        keeps_record=False,
    ),
]


@pytest.mark.parametrize("fault", DISK_FAULTS, ids=lambda fault: fault.name)
def test_disk_fault_is_one_clear_line_and_keeps_the_old_site(
    bench: Bench,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fault: DiskFault,
) -> None:
    if fault.first:
        bench.reset()
    elif bench.now is None:
        bench.build_here("A")
    old = bench.now
    record = state_path(bench.output)
    record_before = record.read_bytes() if record.exists() else None
    new = OTHER[old or "B"]
    bench.use(new)
    with monkeypatch.context() as patched:
        if fault.workers:
            patched.setattr(workers_module, "PARALLEL_FROM_PAGES", 1)
        fault.inject(patched)
        capsys.readouterr()
        code = cli.main(bench.argv())
        err = capsys.readouterr().err
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "bug" not in err
    assert lines[0].startswith(f"explainer: cannot write {bench.output}: "), lines[0]
    assert fault.reason in lines[0], lines[0]
    actual = manifest(bench.output)
    expected = bench.clean[old] if old is not None else None
    assert actual == expected, compare(actual, expected)
    record_after = record.read_bytes() if record.exists() else None
    assert record_after == (record_before if fault.keeps_record else None)
    named = read_record(record) if record_after is not None else None
    kept = kept_path(bench.output)
    if named is not None and named.kept is not None:  # a rebuild's: its record still names it
        assert digest(kept.read_bytes()) == named.kept
    left = sorted(os.listdir(bench.output.parent))
    previous = previous_site_folder(bench.output)
    if previous.name in left:  # unless the build had staged from it: the one its record names
        assert named is not None and named.previous_site is not None
        assert folder_id(previous) == named.previous_site.folder
        left.remove(previous.name)
    assert left == sorted(
        ([".output.explainer-state"] if record_after is not None else [])
        + ([kept.name] if named is not None and named.kept is not None else [])
        + (["output"] if old is not None else [])
    )
    bench.build_here(new)
    bench.assert_settled(new, "after the fault was gone")


def test_record_that_cannot_be_saved_costs_only_a_full_build(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    if bench.now is None:
        bench.build_here("A")
    old = bench.now
    assert old is not None
    new = OTHER[old]

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "save_record", full_disk)
        printed = bench.build_here(new)
    assert "built" in printed
    assert manifest(bench.output) == bench.clean[new]
    assert "full build" in bench.build_here(old)
    bench.assert_settled(old, "after a build whose record was not saved")


# --- 2. the same on a real small disk, or with permissions -----------------------------------


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[None]:
    """Mount a tmpfs of `size` on `folder`, or skip when this process may not mount."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:  # root without CAP_SYS_ADMIN, as in a default container
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _run_cli(bench: Bench, argv: list[str]) -> tuple[int, str]:
    """`explainer ARGV` in a process of its own; return its exit status and its stderr."""
    done = bench.runners.run({"argv": argv})
    return done.code, done.err


def test_real_full_then_read_only_disk_keeps_the_old_site(bench: Bench, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    pages = sum(-(-len(body or b"") // 4096) for body in bench.clean["A"].values())
    with small_disk(disk, f"{pages * 8 + 64}k"):  # room for two builds of site A
        content, output = tmp_path / "content", disk / "output"
        write_files(content, bench.versions["A"])
        argv = ["build", "--content", str(content), "--output", str(output)]
        code, err = _run_cli(bench, argv)
        assert code == 0, err
        before = manifest(output)
        assert before == bench.clean["A"]
        filler = disk / "filler"
        with contextlib.suppress(OSError), open(filler, "wb", buffering=0) as file:
            while True:
                file.write(b"\0" * 4096)
        shutil.rmtree(content)
        write_files(content, bench.versions["B"])

        code, err = _run_cli(bench, argv)
        assert code == 1 and len(err.splitlines()) == 1, err
        assert "the disk is full" in err and str(output) in err
        assert manifest(output) == before
        assert sorted(os.listdir(disk)) == [".output.explainer-state", "filler", "output"]

        remounted = subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=False)
        assert remounted.returncode == 0
        code, err = _run_cli(bench, argv)
        assert code == 1 and len(err.splitlines()) == 1, err
        assert "read-only" in err and str(output) in err
        assert manifest(output) == before

        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        filler.unlink()
        code, err = _run_cli(bench, argv)
        assert code == 0, err
        assert manifest(output) == bench.clean["B"]


def _run_cli_without_root_override(argv: list[str]) -> tuple[int, str]:
    """`explainer ARGV` in a new process that, even as root, cannot ignore permissions."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=without_root_override,  # noqa: PLW1509 - this test process runs no threads
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    return done.returncode, done.stderr


def test_folder_without_write_permission_is_one_clear_line(bench: Bench, tmp_path: Path) -> None:
    """Run as root too (as in CI): the builds then run without root's power to ignore
    permissions, so that the refusal is real."""
    need_root_override_dropped()
    content, parent = tmp_path / "content", tmp_path / "site"
    output = parent / "output"
    write_files(content, bench.versions["A"])
    argv = ["build", "--content", str(content), "--output", str(output)]
    assert _run_cli_without_root_override(argv)[0] == 0
    before = manifest(output)
    shutil.rmtree(content)
    write_files(content, bench.versions["B"])
    try:
        for folder in (output, parent):
            folder.chmod(0o555)
            code, err = _run_cli_without_root_override(argv)
            assert code == 1 and len(err.splitlines()) == 1, err
            assert "read-only" in err or "permission denied" in err
            assert manifest(output) == before
            folder.chmod(0o755)
    finally:
        output.chmod(0o755)
        parent.chmod(0o755)
    assert _run_cli_without_root_override(argv)[0] == 0
    assert manifest(output) == bench.clean["B"]
