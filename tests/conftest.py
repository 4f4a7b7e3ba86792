"""Shared fixtures: small content trees written inline, the command line run in-process, and
the share cards a build draws."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.cli import main

if TYPE_CHECKING:
    from generator.cards import CardText

REPO = Path(__file__).resolve().parent.parent
REAL_CONTENT = REPO / "content"

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
    from generator.build import build_site

    output = tmp_path_factory.mktemp("built") / "output"
    build_site(REAL_CONTENT, output)
    return output


@pytest.fixture
def drawn_cards(monkeypatch: pytest.MonkeyPatch) -> list[CardText]:
    """The share cards drawn from here on, in order."""
    from generator import card_cache
    from generator.cards import draw_card

    drawn: list[CardText] = []

    def counting(text: CardText) -> bytes:
        drawn.append(text)
        return draw_card(text)

    monkeypatch.setattr(card_cache, "draw_card", counting)
    return drawn
