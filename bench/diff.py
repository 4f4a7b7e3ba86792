"""What `explainer diff` costs: the change list after editing one quote.

    python -m bench.diff [--sizes real,10000] [--runs 3] [--workdir /dev/shm] [--keep]

For each size (`real` is the repository's `content/`, a number N a synthetic case of N
quotes from bench/synthetic.py) it commits the content to a new git repository, edits one
quote's text in the working tree, and times `explainer diff` (HEAD against the working tree)
as a subprocess, the median of --runs after one warm-up, with its CPU time and peak RSS. Then,
in this process, once, where the time goes: reading each version (load, validate, check,
plan, fingerprints), the item comparison, and the pages (choosing which a change can reach,
rendering them after and, those whose reads changed, before).

The target of issue #23: under 3 s at 10,000 quotes. Reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.measure import Run, run_once
from bench.synthetic import CASE_SLUG, QUOTE_EDIT_ID, edit_quote, generate

REPO = Path(__file__).resolve().parent.parent
TARGET_N = 10_000
TARGET_SECONDS = 3.0
REAL_QUOTE = "francis-hybrid"
"""The quote edited in the real case."""


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def prepare(size: str, folder: Path) -> Path:
    """A repository of `size`'s content, committed, with one quote edited since."""
    content = folder / "content"
    if size == "real":
        shutil.copytree(REPO / "content", content)
        quotes, quote_id = content / "cases/microsoft-ireland/quotes.yaml", REAL_QUOTE
    else:
        generate(int(size), content)
        quotes, quote_id = content / "cases" / CASE_SLUG / "quotes.yaml", QUOTE_EDIT_ID.format(1)
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "x")
    if size == "real":
        text = quotes.read_text(encoding="utf-8")
        anchor = f"- id: {quote_id}\n  text: >-\n    "
        quotes.write_text(text.replace(anchor, anchor + "edited ", 1), encoding="utf-8")
    else:
        edit_quote(quotes, quote_id, "edited")
    return folder


def time_command(folder: Path, runs: int) -> list[Run]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator", "diff"]
    log = folder.parent / f"{folder.name}.log"
    run_once(command, folder, env, log)  # warm-up: the page cache, the compiled bytecode
    return [run_once(command, folder, env, log) for _ in range(runs)]


@contextmanager
def _lap(laps: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    laps[name] = time.perf_counter() - started


def breakdown(folder: Path) -> dict[str, float]:
    """Where one `explainer diff` spends its time, phase by phase, in this process."""
    sys.path.insert(0, str(REPO))
    from generator.commands.diff.items import item_changes
    from generator.commands.diff.pages import page_changes
    from generator.commands.diff.sides import revision_sides
    from generator.commands.diff.versions import read_version

    laps: dict[str, float] = {}
    previous = Path.cwd()
    os.chdir(folder)
    try:
        with revision_sides(Path("content"), "HEAD", None, None) as (before, after):
            with _lap(laps, "read before"):
                old = read_version(before)
            with _lap(laps, "read after"):
                new = read_version(after)
            assert old.content and new.content and old.raw and new.raw
            with _lap(laps, "items"):
                item_changes(old.content, old.raw, new.content, new.raw)
            with _lap(laps, "pages"):
                pages = page_changes(old, new)
    finally:
        os.chdir(previous)
    laps["pages that change"] = pages.count
    return laps


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.diff", description=__doc__)
    parser.add_argument("--sizes", default="real,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/dev/shm"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    workdir = args.workdir if args.workdir.is_dir() else Path(tempfile.gettempdir())
    scratch = Path(tempfile.mkdtemp(prefix="bench-diff-", dir=workdir))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    measured: dict[str, float] = {}
    try:
        for size in args.sizes.split(","):
            folder = prepare(size, scratch / size)
            runs = time_command(folder, args.runs)
            wall = statistics.median(r.wall for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            rss = max(r.max_rss_kib for r in runs) / 1024
            measured[size] = wall
            spread = f"{min(r.wall for r in runs):.2f}–{max(r.wall for r in runs):.2f}"
            print(
                f"{size}: explainer diff after one quote edit: {wall:.2f} s median "
                f"({spread}, {len(runs)} runs), CPU {cpu:.2f} s, peak RSS {rss:.0f} MiB"
            )
            laps = breakdown(folder)
            print(
                "  "
                + ", ".join(f"{k} {v:.2f} s" for k, v in laps.items() if k != "pages that change")
                + f"; {laps['pages that change']:.0f} pages change"
            )
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    if str(TARGET_N) in measured:
        wall = measured[str(TARGET_N)]
        met = "met" if wall < TARGET_SECONDS else "not met"
        print(
            f"target: diff at {TARGET_N:,} quotes under {TARGET_SECONDS:.0f} s: {wall:.2f} s, {met}"
        )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
