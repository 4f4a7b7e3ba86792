"""Shared fixtures: small content trees written inline, the command line run in-process, and
the share cards a build draws; and the rule that under `CI=true` no test skips but for a
reason listed in `CI_ALLOWED_SKIPS`."""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import gc
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import pytest
import yaml

from generator.cli import main

if TYPE_CHECKING:
    from generator.plan.card_text import CardText
    from generator.plan.site import SitePlan
    from generator.validate.content import SiteContent

REPO = Path(__file__).resolve().parent.parent
REAL_CONTENT = REPO / "content"


def real_case_last_update(case: str) -> datetime.date:
    """The newest date of a real case's updates log, so that tests follow the log as
    editors add to it."""
    data = yaml.safe_load((REAL_CONTENT / "cases" / case / "case.yaml").read_text("utf-8"))
    return max(update["date"] for update in data["updates"])


def plan_as_built(content: SiteContent) -> SitePlan:
    """The plan the build makes of `content`: with its pictures processed and its documents
    opened (kept in memory), so that pages show them as the built site does."""
    from generator.build.document_store import DocumentStore
    from generator.build.image_store import ImageStore
    from generator.plan.site import plan_site

    images = ImageStore(None)
    media = images.process(content)
    DocumentStore(images).process(content, media)
    return plan_site(content, (), media.files, media.documents)


SITE_YAML = """\
title: Test Explainers
base_url: https://example.org/explainers/
description: Explainers used by the tests.
publisher: Test Newsroom
"""

CASE_YAML = """\
title: A test case
summary: What the test case is about.
status: ongoing
sources: [report]
"""

SOURCES_YAML = """\
- id: report
  title: A report
  publisher: The Paper
  url: https://example.org/report
  published: 2014-08-29
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected from the current build (review the diff!)",
    )


# ---------------------------------------------------------------------------------------------
# Under CI=true nothing skips silently.

CI_ALLOWED_SKIPS: tuple[str, ...] = (
    # tests/browser/test_html_validity.py: a site without SVG files has none to validate.
    "the site has no SVG file",
)
"""The only reasons for which a test may skip when `CI=true`, each on purpose; any other
skip fails there. Deliberately not listed, so that CI fails without them: a missing browser,
Java, Pagefind or `explainer` command; root that may not mount a tmpfs (the real full disk)
or drop its capabilities (real permission faults); no fork; `--update-golden`."""


def ci_refuses(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Under `CI=true`, turn a skip for an unlisted reason into a failure, in place.

    Called where the report is made, so in the xdist worker that ran the test: the report it
    sends to the controller is already failed.
    """
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        where, reason = f"{longrepr[0]}:{longrepr[1]}", longrepr[2]
    else:
        where, reason = report.nodeid, str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    if reason in CI_ALLOWED_SKIPS:
        return
    report.outcome = "failed"
    report.longrepr = (
        f"{where}: skipped under CI=true for a reason CI does not accept: {reason}\n"
        "CI accepts only the skips listed in CI_ALLOWED_SKIPS (tests/conftest.py)"
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    ci_refuses(report)
    return report


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    ci_refuses(report)
    return report


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the test run, if the block takes longer than `seconds`.

    A guard against a hang, never a measure of speed: `seconds` is far beyond what the
    block takes on the slowest machine. Main thread only (it uses SIGALRM).
    """

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    except _Expired:
        # A new exception, without the frame the alarm interrupted (which may have no line).
        raise TimeoutError(f"still running after {seconds} s") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class _Expired(BaseException):
    """Raised by `time_limit`'s alarm; a BaseException, so that no `except Exception` in
    the code under test swallows it."""


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2


def without_root_override() -> None:
    """In a child about to run a program, take away root's power to ignore file permissions
    (a `preexec_fn`; nothing to do when this is not root).

    Dropped from the bounding set, the two capabilities are not given to the program it runs.
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def need_root_override_dropped() -> None:
    """Skip unless `without_root_override` works here: it does unless this is root without
    the power to drop capabilities (CAP_SETPCAP)."""
    if os.geteuid() != 0:
        return
    try:
        subprocess.run(
            [sys.executable, "-c", ""],
            preexec_fn=without_root_override,  # noqa: PLW1509 - no thread runs meanwhile
            check=True,
        )
    except subprocess.SubprocessError:  # a container without CAP_SETPCAP
        pytest.skip("running as root, and root's capabilities cannot be dropped here")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path → text, dedented, or bytes) under `root`; return `root`."""
    for relative, body in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def minimal_site(**overrides: str | bytes) -> dict[str, str | bytes]:
    """A valid one-case site; `overrides` maps paths under cases/demo/ (or top level) to text."""
    files: dict[str, str | bytes] = {
        "site.yaml": SITE_YAML,
        "cases/demo/case.yaml": CASE_YAML,
        "cases/demo/sources.yaml": SOURCES_YAML,
    }
    for name, body in overrides.items():
        key = name if name == "site.yaml" or "/" in name else f"cases/demo/{name}"
        files[key] = body
    return files


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `explainer ARGS…` in-process and capture its exit code and output."""

    def run(*args: str) -> CliResult:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def content_tree(tmp_path: Path) -> Callable[..., Path]:
    """Write a content tree under tmp_path/content and return its path."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "content", files)

    return make


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built once per test session; tests must not modify it."""
    from generator.build.site import build_site

    output = tmp_path_factory.mktemp("built") / "output"
    build_site(REAL_CONTENT, output)
    return output


@pytest.fixture
def drawn_cards(monkeypatch: pytest.MonkeyPatch) -> list[CardText]:
    """The share cards drawn from here on, in order."""
    from generator.build import card_store as card_cache
    from generator.render.cards import draw_card

    drawn: list[CardText] = []

    def counting(text: CardText) -> bytes:
        drawn.append(text)
        return draw_card(text)

    monkeypatch.setattr(card_cache, "draw_card", counting)
    return drawn


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    """A preview freezes what its plan is made of for the rest of the process
    (`SiteBuilder._freeze_what_lasts`): every test starts and leaves the collector with
    nothing frozen, so that no test keeps another's objects out of its reach."""
    gc.unfreeze()
    yield
    gc.unfreeze()
