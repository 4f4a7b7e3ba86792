"""Same content, same bytes: a build depends on nothing but its content and templates.

The real content (in English and German) and a synthetic site of about 200 items in English
and French (`bench.synthetic`, part translated) are each built
by `python -m generator build` in separate processes that differ in everything a build must
not depend on: the hash seed (`PYTHONHASHSEED` 0, 1, 12345 and random, so set and dict orders
differ), the working folder (the content named relatively from the repository, or absolutely
from elsewhere), the output folder's path, the time zone (UTC, UTC+14, UTC-3:30, UTC+5:45) and
the locale (UTF-8, and plain C with UTF-8 mode off, where Python's default encoding is ASCII).
Every output file must be byte for byte the same in all of them.

Nothing in the output depends on the day of the build either: no page carries a build date
(the feed's `<updated>` is its newest entry's, from the cases' `updates`, or a fixed date when
there is none), and the only check that reads today's date, the warning for dates in the
future, belongs to `explainer check`, which writes no site. The test cannot move the clock, so
that part is a reading of the code, kept true by `test_build_reads_no_clock`.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.synthetic import generate
from tests.conftest import REAL_CONTENT, REPO, SITE_YAML, write_tree

SYNTHETIC_SIZE = 120
"""120 quotes, 60 events, 12 parties, 6 sources, 3 polls, 2 rulings: 203 items."""


@dataclass(frozen=True)
class Variant:
    name: str
    env: dict[str, str]
    elsewhere: bool
    """Run from a scratch folder, naming the content by its absolute path."""


VARIANTS = (
    Variant(
        "hash seed 0, UTC, UTF-8, from the repository",
        {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        elsewhere=False,
    ),
    Variant(
        "hash seed 1, UTC+14, C locale without UTF-8 mode (ASCII), from elsewhere",
        {"PYTHONHASHSEED": "1", "TZ": "Pacific/Kiritimati", "LC_ALL": "C", "PYTHONUTF8": "0"},
        elsewhere=True,
    ),
    Variant(
        "hash seed 12345, UTC-3:30, a locale that is not installed, from elsewhere",
        {"PYTHONHASHSEED": "12345", "TZ": "America/St_Johns", "LANG": "tr_TR.UTF-8"},
        elsewhere=True,
    ),
    Variant(
        "random hash seed, UTC+5:45, POSIX locale, from the repository",
        {"PYTHONHASHSEED": "random", "TZ": "Asia/Kathmandu", "LC_ALL": "POSIX"},
        elsewhere=False,
    ),
)


def _environment(extra: dict[str, str]) -> dict[str, str]:
    """A clean environment (no inherited locale, seed or zone) with `extra` on top."""
    keep = {"PATH", "HOME", "TMPDIR", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PYTHONPATH"] = str(REPO)  # the generator under test, whatever the working folder
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return {**env, **extra}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(content: Path, output: Path, variant: Variant, scratch: Path) -> dict[str, bytes]:
    if variant.elsewhere:
        cwd, named = scratch, str(content.absolute())
    else:
        cwd, named = REPO, os.path.relpath(content, REPO)
    scratch.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", named, "--output", str(output)],
        cwd=cwd,
        env=_environment(variant.env),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{variant.name}: {done.stderr.decode(errors='replace')}"
    return snapshot(output)


def _differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """Every file that differs, with the first lines of a unified diff of each."""
    found = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual or name not in expected:
            found.append(f"{name}: only in {'the first' if name in expected else 'this'} build")
        elif expected[name] != actual[name]:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                actual[name].decode("utf-8", "replace").splitlines(),
                lineterm="",
            )
            found.append(f"{name}:\n" + "\n".join(list(diff)[2:14]))
    return found


@pytest.fixture(scope="module")
def synthetic_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("synthetic") / "content"
    generate(SYNTHETIC_SIZE, content, seed=7, languages=("fr",))
    return content


@pytest.mark.parametrize("which", ["real content", "synthetic site"])
def test_build_is_byte_identical_across_seeds_folders_zones_and_locales(
    which: str, synthetic_content: Path, tmp_path: Path
) -> None:
    content = REAL_CONTENT if which == "real content" else synthetic_content
    # Two builds at a time: the machines this runs on have two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(
                _build, content, tmp_path / f"run{i}" / "out", variant, tmp_path / f"cwd{i}"
            )
            for i, variant in enumerate(VARIANTS)
        ]
        builds = [future.result() for future in futures]
    first = builds[0]
    assert len(first) > 100  # a site, not an empty folder
    for variant, build in zip(VARIANTS[1:], builds[1:], strict=True):
        differences = _differences(first, build)
        assert differences == [], f"{variant.name} differs from {VARIANTS[0].name}"


def test_differences_name_each_differing_file() -> None:
    """The comparison can fail: one changed byte is reported with its file."""
    first = {"a/index.html": b"<p>one</p>\n", "b.txt": b"same"}
    changed = {"a/index.html": b"<p>two</p>\n", "b.txt": b"same", "c.txt": b"new"}
    found = _differences(first, changed)
    assert [line.split(":")[0] for line in found] == ["a/index.html", "c.txt"]
    assert "+<p>two</p>" in found[0]


CLOCK = re.compile(r"\b(?:datetime\.now|date\.today|time\.time|time\.localtime|utcnow|strftime)\(")


def test_build_reads_no_clock() -> None:
    """Only `check` (today's date, for future dates), `diff --suggest-update` (a draft dated
    today) and timing code read the clock.

    `time.perf_counter()`/`time_ns()` measure durations and file ages for the build record,
    which never reach the output; anything else reading the date would make builds depend on
    the day they run.
    """
    readers = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "generator").rglob("*.py")
        if CLOCK.search(path.read_text(encoding="utf-8"))
    }
    assert readers <= {
        "generator/commands/check.py",
        "generator/commands/diff/update_draft.py",
        "generator/serve/preview.py",
    }


def test_check_reports_errors_under_an_ascii_locale(tmp_path: Path) -> None:
    """A content error is reported, not a traceback, where the terminal's encoding is ASCII
    (C locale with Python's UTF-8 mode off, as on some CI runners and minimal containers)."""
    content = write_tree(
        tmp_path / "content",
        {
            "site.yaml": SITE_YAML,
            "cases/demo/case.yaml": "title: A case\nsummary: S\nstatus: ongoin\n",
        },
    )
    for command, where in (
        (["check"], "case.yaml:3:9: "),
        (["check", "--format", "github"], "case.yaml,line=3,col=9,"),
        (["build"], "case.yaml:3:9: "),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "generator", *command, "--content", str(content)],
            cwd=tmp_path,
            env=_environment({"LC_ALL": "C", "PYTHONUTF8": "0"}),
            capture_output=True,
            timeout=60,
        )
        shown = (done.stdout + done.stderr).decode("ascii", "replace")
        assert done.returncode == 1, shown
        assert "Traceback" not in shown, shown
        assert where in shown, shown
