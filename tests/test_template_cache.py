"""Compiled templates kept between builds (`build.template_cache`): a build in a new process
loads what an earlier one compiled, a changed template is compiled again, and the folder is
this generator's alone. Each build here is `explainer build` in a process of its own, as an
editor runs it, with the cache in a folder of the test's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import template_cache
from generator.write import MARKER
from tests.conftest import REAL_CONTENT, REPO

TEMPLATES = REPO / "templates"


def _build(output: Path, cache: str, *options: str) -> str:
    environment = {**os.environ, template_cache.CACHE_VARIABLE: cache}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(REAL_CONTENT)]
        + ["--output", str(output), "--full", *options],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _compiled(cache: Path) -> dict[str, float]:
    """Each kept template's file and its modification time."""
    return {path.name: path.stat().st_mtime for path in cache.rglob("*.cache")}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MARKER
    }


def test_a_new_process_builds_the_same_site_from_the_kept_templates(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(tmp_path / "first", str(cache))
    kept = _compiled(cache)
    assert len(kept) > 20
    assert [folder.name.startswith("templates-") for folder in cache.iterdir()] == [True]

    _build(tmp_path / "second", str(cache))
    _build(tmp_path / "uncached", "")

    assert _compiled(cache) == kept  # loaded, not compiled and written again
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert _files(tmp_path / "uncached") == _files(tmp_path / "first")


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    theme = tmp_path / "templates"
    theme.mkdir()
    _build(tmp_path / "first", str(cache), "--templates", str(theme))
    shutil.copyfile(TEMPLATES / "404.html", theme / "404.html")
    page = (theme / "404.html").read_text(encoding="utf-8")
    moved = page.replace("{% block content %}", "{% block content %}<p>Moved.</p>", 1)
    (theme / "404.html").write_text(moved, encoding="utf-8")

    _build(tmp_path / "second", str(cache), "--templates", str(theme))

    assert "<p>Moved.</p>" in (tmp_path / "second" / "404.html").read_text(encoding="utf-8")
    assert "<p>Moved.</p>" not in (tmp_path / "first" / "404.html").read_text(encoding="utf-8")


def test_the_folder_is_named_by_the_generator_s_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(template_cache.CACHE_VARIABLE, str(tmp_path))
    named = []
    for code in ({"a.py": b"1"}, {"a.py": b"2"}, {"a.py": b"1"}):
        monkeypatch.setattr(template_cache, "generator_digests", lambda code=code: code)
        template_cache.compiled_templates_folder.cache_clear()
        named.append(template_cache.compiled_templates_folder())
    template_cache.compiled_templates_folder.cache_clear()
    assert named[0] is not None and named[0].parent == tmp_path and named[0].is_dir()
    assert named[0] != named[1] and named[0] == named[2]


def test_an_empty_setting_turns_the_cache_off_and_an_unwritable_one_costs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(template_cache.CACHE_VARIABLE, "")
    template_cache.compiled_templates_folder.cache_clear()
    assert template_cache.compiled_templates_folder() is None
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(template_cache.CACHE_VARIABLE, str(blocked))
    template_cache.compiled_templates_folder.cache_clear()
    assert template_cache.compiled_templates_folder() is None
    template_cache.compiled_templates_folder.cache_clear()
