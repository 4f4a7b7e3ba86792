"""What the optional features cost a build: share cards, embeds and search.

    python -m bench.features [--sizes real,10000] [--runs 3] [--workdir /dev/shm] [--keep]

For each size (`real` is the repository's `content/`, a number N a synthetic case of N
quotes from bench/synthetic.py) it copies the content once per variant, with `site.yaml`'s
`share_cards`, `embeds` and `search` set for that variant, and times `explainer build
--full` as a subprocess, the median of --runs after one warm-up:

- none: all three off, the site the main benchmark compares with Hugo and Eleventy;
- cards, cold: share cards on, their cache (beside the output) deleted before each run,
  so every card is drawn;
- cards, cached: share cards on, the cache the warm-up filled kept: what a build costs
  when no card changed;
- embeds: embed pages and their oEmbed files on;
- search: the Pagefind index made as part of the build;
- all: the three on, cards cached.

Each line gives the median wall time (min–max), the difference from `none`, the files
written, and for cards the cost per card (difference / cards drawn).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Run, run_once
from bench.synthetic import generate

REPO = Path(__file__).resolve().parent.parent
FEATURES = ("share_cards", "embeds", "search")


@dataclass(frozen=True)
class Variant:
    name: str
    on: frozenset[str]
    cold_cards: bool = False
    """Delete the card cache before every run, not only before the warm-up."""


VARIANTS = (
    Variant("none", frozenset()),
    Variant("cards, cold", frozenset({"share_cards"}), cold_cards=True),
    Variant("cards, cached", frozenset({"share_cards"})),
    Variant("embeds", frozenset({"embeds"})),
    Variant("search", frozenset({"search"})),
    Variant("all", frozenset(FEATURES)),
)


def with_features(site_yaml: str, on: frozenset[str]) -> str:
    """`site.yaml` with each feature's key set to whether it is `on`, other lines kept."""
    pattern = re.compile(rf"^({'|'.join(FEATURES)})\s*:.*\n?", re.MULTILINE)
    kept = pattern.sub("", site_yaml).rstrip("\n")
    settings = [f"{name}: {'true' if name in on else 'false'}" for name in FEATURES]
    return "\n".join([kept, *settings]) + "\n"


def _content_for(size: str, workdir: Path) -> Path:
    if size == "real":
        return REPO / "content"
    folder = workdir / f"content-{size}"
    generate(int(size), folder)
    return folder


def _cards_drawn(output: Path) -> int:
    return sum(1 for _ in output.rglob("card.png"))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def measure_variant(
    content: Path, variant: Variant, scratch: Path, runs: int
) -> tuple[list[Run], int, int]:
    """Time `runs` full builds of `content` with the variant's features; return the runs,
    the files in the output and the cards in it."""
    from generator.build.kept import kept_path
    from generator.build.record import cards_path, state_path
    from generator.write import previous_site_folder

    site = scratch / "content"
    shutil.copytree(content, site)
    site_yaml = site / "site.yaml"
    site_yaml.write_text(with_features(site_yaml.read_text(encoding="utf-8"), variant.on))
    output = scratch / "output"
    command = [sys.executable, "-m", "generator", "build", "--full"]
    command += ["--content", str(site), "--output", str(output)]
    log = scratch / "build.log"
    kept: list[Run] = []
    for number in range(runs + 1):
        _remove(output)
        _remove(state_path(output))
        _remove(kept_path(output))
        _remove(previous_site_folder(output))
        if number == 0 or variant.cold_cards:
            _remove(cards_path(output))
        run = run_once(command, REPO, dict(os.environ), log)
        if number:
            kept.append(run)
    files = sum(1 for path in output.rglob("*") if path.is_file())
    return kept, files, _cards_drawn(output)


def _seconds(runs: Sequence[Run]) -> str:
    walls = [run.wall for run in runs]
    return f"{statistics.median(walls):7.2f} s ({min(walls):.2f}–{max(walls):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.features", description=__doc__)
    parser.add_argument("--sizes", default="real,10000", help="`real` and/or quote counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/dev/shm"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-features-", dir=args.workdir))
    try:
        for size in args.sizes.split(","):
            content = _content_for(size.strip(), workdir)
            label = "the real case" if size == "real" else f"N = {int(size):,}"
            print(f"\n{label}: explainer build --full, median of {args.runs} after a warm-up")
            baseline: float | None = None
            for variant in VARIANTS:
                scratch = workdir / f"{size}-{variant.name.replace(', ', '-')}"
                runs, files, cards = measure_variant(content, variant, scratch, args.runs)
                median = statistics.median(run.wall for run in runs)
                if baseline is None:
                    baseline = median
                extra = median - baseline
                line = f"  {variant.name:<14} {_seconds(runs)}  {extra:+7.2f} s  {files:,} files"
                if variant.on == {"share_cards"} and cards:
                    line += f", {cards:,} cards: {extra / cards * 1000:+.2f} ms per card"
                print(line, flush=True)
                if not args.keep:
                    shutil.rmtree(scratch)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
