"""Measuring builds run as subprocesses: one build (`run_once`), or the rebuilds of a watch
mode in one long-lived process (`watch`, `preview`).

Every figure of a process comes from os.wait4 on its pid (CPU time, peak RSS of the largest
process) and from sampling /proc for the summed PSS of its process tree.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import re
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    """User + system seconds of the build process and the children it waited for."""
    max_rss_kib: int
    """Peak resident set size of the largest process of the build, KiB."""
    tree_pss_kib: int = 0
    """Peak proportional set size of the build's whole process tree, KiB, sampled every
    0.1 s from /proc (less often for large processes, whose sample takes longer: at most 5%
    of a core; 0 where /proc has no smaps_rollup); counts forked workers' own pages."""


class BuildFailed(Exception):
    pass


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for parent in pids:
        try:
            for task in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{task}/children") as children:
                    pids.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return pids


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class _TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants until told to stop."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            started = time.perf_counter()
            self.peak = max(self.peak, sum(_pss_kib(p) for p in _tree(self.pid)))
            # Reading smaps_rollup walks the process's page tables: every 0.1 s of a 2 GiB
            # process took a third of a core from the build it measures. Keep it under 5%.
            self.done.wait(max(0.1, 20 * (time.perf_counter() - started)))


def run_once(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Run:
    """Run one build; its own resource usage comes from os.wait4 on its pid."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise BuildFailed(f"{' '.join(command)} exited with {process.returncode}:\n{tail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, sampler.peak)


# --- rebuilds after an edit ---------------------------------------------------------------


@dataclass
class Rebuilds:
    """One kind of rebuild after a quote edit, for one tool: every edit's figures."""

    key: str
    """"cli" (the build command again), "full" (`explainer build --full`) or "watch" (a
    long-lived process): the ratios compare kinds with the same key."""
    label: str
    seconds: list[float] = field(default_factory=list)
    """Per edit: the wall time of the build command; in a watch mode, the rebuild time the
    tool reports itself (our builder's `build()` and the edited quote's page rendered if the
    build left it, as for the reloaded browser; Hugo's "Total in", Eleventy's "Wrote")."""
    every_page: list[float] = field(default_factory=list)
    """Our preview: per edit, the seconds until every page the build left was rendered."""
    deferred: list[int] = field(default_factory=list)
    """Our preview: per edit, the pages the build left to render when asked for."""
    cpu: list[float] = field(default_factory=list)
    rss_kib: int = 0
    """Peak RSS of the largest process: over all runs, or of the long-lived process."""
    pss_kib: int = 0
    rendered: list[int] = field(default_factory=list)
    written: list[int] = field(default_factory=list)
    incremental: list[bool] = field(default_factory=list)
    first: float | None = None
    """Watch modes: seconds of the first, full build of the long-lived process."""
    lag: list[float] = field(default_factory=list)
    """Watch modes with a log: seconds from the save to the log's rebuild line."""
    extra: int = 0
    """Rebuilds a watch mode started without an edit of ours (a save seen twice)."""
    failed: str | None = None

    def add(self, run: Run) -> None:
        self.seconds.append(run.wall)
        self.cpu.append(run.cpu)
        self.rss_kib = max(self.rss_kib, run.max_rss_kib)
        self.pss_kib = max(self.pss_kib, run.tree_pss_kib)


def preview(command: list[str], cwd: Path, env: dict[str, str], log: Path, into: Rebuilds) -> None:
    """Run bench/rebuild_driver.py and collect the JSON line it prints per `build()`."""
    run = run_once(command, cwd, env, log)
    records = [
        json.loads(line)
        for line in log.read_text(encoding="utf-8").splitlines()
        if line.startswith("{")
    ]
    if not records:
        raise BuildFailed(f"{' '.join(command)} printed no build")
    first, *edits = records
    into.first = first["seconds"]
    for record in edits:
        into.seconds.append(record["seconds"])
        into.every_page.append(record.get("seconds_all", record["seconds"]))
        into.deferred.append(record.get("deferred", 0))
        into.rendered.append(record["rendered"])
        into.written.append(record["written"])
        into.incremental.append(record["incremental"])
    into.rss_kib, into.pss_kib = run.max_rss_kib, run.tree_pss_kib


@dataclass(frozen=True)
class WatchMode:
    """A tool's watch mode and the lines of its log that time it.

    Each pattern has a group `time` (in `unit` seconds) and may have `files` (files written).
    """

    command: list[str]
    cwd: Path
    env: dict[str, str]
    first: re.Pattern[str]
    """The line that ends the first, full build."""
    ready: re.Pattern[str]
    """The line that says it now watches (may be the same as `first`)."""
    rebuilt: re.Pattern[str]
    """The line that ends a rebuild."""
    unit: float


class _Lines(threading.Thread):
    """Copies a process's output into the log and hands each line over through a queue."""

    def __init__(self, stream: IO[str], log: IO[str]) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.log = log
        self.lines: queue.Queue[str | None] = queue.Queue()

    def run(self) -> None:
        for line in self.stream:
            self.log.write(line)
            self.log.flush()
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                raise BuildFailed(f"the process ended before a line matching {pattern.pattern!r}")
            if match := pattern.search(line):
                return match
        raise BuildFailed(f"no line matching {pattern.pattern!r} within {timeout:.0f} s")

    def count_for(self, pattern: re.Pattern[str], seconds: float) -> int:
        """Lines matching `pattern` among those that arrive within `seconds`."""
        deadline = time.monotonic() + seconds
        found = 0
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                break
            found += line is not None and pattern.search(line) is not None
        return found


def watch(
    mode: WatchMode,
    edit: Callable[[int], str],
    shows: Callable[[str], bool],
    edits: int,
    log: Path,
    into: Rebuilds,
    progress: Callable[[str], None],
    timeout: float = 900,
) -> None:
    """Start the watch mode, wait for its first build, then `edits` times: `edit` a quote
    (returning the tag it wrote), wait for the rebuild line, and check the page `shows` it.

    Between edits it waits a second for stray rebuilds (a save seen as two changes) and counts
    them, so that the next edit is not timed by the end of an earlier rebuild.
    """
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            mode.command,
            cwd=mode.cwd,
            env=mode.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        lines = _Lines(process.stdout, out)
        lines.start()
        sampler = _TreeSampler(process.pid)
        sampler.start()
        try:
            into.first = float(lines.wait_for(mode.first, timeout)["time"]) * mode.unit
            if mode.ready is not mode.first:
                lines.wait_for(mode.ready, timeout)
            for number in range(1, edits + 1):
                lines.count_for(mode.rebuilt, 1.0)
                started = time.perf_counter()
                tag = edit(number)
                match = lines.wait_for(mode.rebuilt, timeout)
                into.lag.append(time.perf_counter() - started)
                into.seconds.append(float(match["time"]) * mode.unit)
                if "files" in match.groupdict():
                    into.written.append(int(match["files"]))
                if not _eventually(functools.partial(shows, tag), 10.0):
                    raise BuildFailed(f"the rebuild did not show the edited quote ({tag})")
                progress(f"{into.label}: edit {number}/{edits} {into.seconds[-1] * 1000:.0f} ms")
            into.extra = lines.count_for(mode.rebuilt, 1.0)
        finally:
            sampler.done.set()
            usage = _stop(process.pid)
            sampler.join()
            lines.join(timeout=10)
    into.rss_kib, into.pss_kib = (usage.ru_maxrss if usage else 0), sampler.peak


def _eventually(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _stop(pid: int) -> resource.struct_rusage | None:
    """Stop the process group `watch` started (SIGTERM, then SIGKILL); its rusage."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 60.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            done, _, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return usage
            time.sleep(0.05)
    return None
