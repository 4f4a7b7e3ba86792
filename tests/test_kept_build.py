"""The build `explainer build` keeps on disk (`build.kept`): a rebuild keeps what it was made
of, the next rebuild applies an edit of wording to it as the preview does, and every build,
from a kept file or a refused one, gives the bytes of a clean build.

Apart from tests/test_incremental.py, whose helpers it uses, so that it runs beside it when
the suite runs over several cores.
"""

from __future__ import annotations

import pickle
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import record as build_record
from generator.build import site as build_site_module
from generator.build.kept import kept_path, read_kept
from generator.build.record import output_files, read_record, save_record
from generator.build.site import BuildResult, state_path
from generator.digest import digest
from generator.render import markdown
from tests.incremental_edits import CONTENT_EDITS, Site
from tests.test_incremental import Run, build_and_check, build_builder, cli_build, copy_site

PATCHABLE = ("quote context", "event body", "party summary")
"""Edits of wording, which a kept build takes without planning again."""


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return copy_site(tmp_path)


def _rebuild(site: Site, history: list[str], edit: str, seed: int) -> BuildResult:
    history.append(CONTENT_EDITS[edit](random.Random(seed), site))
    return build_and_check(build_builder(site), site, history)


def _patched(result: BuildResult) -> bool:
    return "patch" in result.stages


def _kept_site(site: Site) -> list[str]:
    """Build from nothing, then rebuild after an edit, which keeps the build."""
    history = ["built"]
    first = build_and_check(build_builder(site), site, history)
    assert not kept_path(site.output).exists()  # a build from nothing keeps none
    assert "keep the build" in first.stages
    second = _rebuild(site, history, "quote context", 1)
    assert second.incremental and not _patched(second)
    assert kept_path(site.output).is_file()
    return history


def test_a_rebuild_keeps_the_build_and_the_next_ones_apply_edits_of_wording_to_it(
    site: Site,
) -> None:
    history = _kept_site(site)
    record = read_record(state_path(site.output))
    assert record is not None and record.kept == digest(kept_path(site.output).read_bytes())

    for seed, edit in enumerate(PATCHABLE, start=2):
        result = _rebuild(site, history, edit, seed)
        assert result.incremental and _patched(result), f"after {history}"
        assert 0 < result.rendered < 30, f"after {history}"

    result = _rebuild(site, history, "quote date", 9)  # not wording: planned again
    assert result.incremental and not _patched(result)
    result = _rebuild(site, history, "event body", 10)  # from the build kept by that one
    assert _patched(result)


def test_edits_of_wording_name_the_kept_build_they_patched_until_they_are_many(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that patched the kept build names that file again rather than writing its
    own, and the next one patches every edit since into it; one that patched more than
    `KEPT_DRIFT` items writes its own."""
    history = _kept_site(site)
    kept = kept_path(site.output)
    written = kept.stat()
    named = read_record(state_path(site.output))
    assert named is not None and named.kept is not None

    for seed, edit in enumerate(PATCHABLE, start=2):
        result = _rebuild(site, history, edit, seed)
        assert _patched(result) and "keep the build" in result.stages, f"after {history}"
        record = read_record(state_path(site.output))
        assert record is not None and record.kept == named.kept, f"after {history}"
        assert kept.stat().st_mtime_ns == written.st_mtime_ns  # not written again

    monkeypatch.setattr(build_site_module, "KEPT_DRIFT", 2)  # the 3 edits since, and 1 more
    result = _rebuild(site, history, "quote context", 9)
    assert _patched(result)
    record = read_record(state_path(site.output))
    assert record is not None and record.kept is not None and record.kept != named.kept
    assert record.kept == digest(kept.read_bytes())
    result = _rebuild(site, history, "event body", 10)  # from the file that one wrote
    assert _patched(result)


def _cut_short(site: Site) -> None:
    kept = kept_path(site.output)
    kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])


def _one_byte_changed(site: Site) -> None:
    kept = kept_path(site.output)
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0x01
    kept.write_bytes(bytes(data))


def _unreadable_but_named(site: Site) -> None:
    """A file the record names by its digest, that this generator cannot read: as one left
    by another version of it would be, if its setup were the same."""
    data = pickle.dumps(("another version's build", 1))
    kept_path(site.output).write_bytes(data)
    state = state_path(site.output)
    record = read_record(state)
    assert record is not None
    record.kept = digest(data)
    save_record(record, state)


def _removed(site: Site) -> None:
    kept_path(site.output).unlink()


def _emptied(site: Site) -> None:
    kept_path(site.output).write_bytes(b"")


SPOILERS: dict[str, Callable[[Site], None]] = {
    "kept build cut short": _cut_short,
    "kept build with a byte changed": _one_byte_changed,
    "kept build this generator cannot read": _unreadable_but_named,
    "kept build removed": _removed,
    "kept build emptied": _emptied,
}


@pytest.mark.parametrize("name", sorted(SPOILERS))
def test_a_damaged_kept_build_is_refused_and_the_build_plans_again_exactly(
    site: Site, name: str
) -> None:
    history = _kept_site(site)
    SPOILERS[name](site)
    history.append(name)

    result = _rebuild(site, history, "event body", 2)

    assert result.incremental and not _patched(result)
    result = _rebuild(site, history, "party summary", 3)  # kept again by the last build
    assert _patched(result)


def test_a_kept_build_of_an_earlier_build_is_refused(site: Site, tmp_path: Path) -> None:
    history = _kept_site(site)
    earlier = tmp_path / "earlier-kept"
    shutil.copyfile(kept_path(site.output), earlier)
    _rebuild(site, history, "quote date", 2)  # not wording: plans, and keeps its own build
    shutil.copyfile(earlier, kept_path(site.output))
    history.append("an earlier build's kept file")

    result = _rebuild(site, history, "event body", 3)

    assert result.incremental and not _patched(result)


def test_a_kept_build_of_another_content_folder_is_refused(site: Site, tmp_path: Path) -> None:
    history = _kept_site(site)
    other = tmp_path / "other-content"
    shutil.copytree(site.content, other)
    site = Site(other, site.templates, site.output, site.clean)
    history.append("the same content in another folder")

    result = _rebuild(site, history, "event body", 2)

    assert result.incremental and not _patched(result)


def test_a_build_by_another_version_of_the_generator_neither_uses_nor_keeps_it(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = _kept_site(site)
    monkeypatch.setattr(build_record, "FORMAT", build_record.FORMAT + 1)
    history.append("another version of the generator")

    result = _rebuild(site, history, "event body", 2)

    assert not result.incremental and not _patched(result)
    assert not kept_path(site.output).exists()


def test_a_full_build_forgets_the_kept_build(run_cli: Run, site: Site) -> None:
    _kept_site(site)

    cli_build(run_cli, site, "--full")

    assert not kept_path(site.output).exists()
    record = read_record(state_path(site.output))
    assert record is not None and record.kept is None


def test_the_command_line_applies_an_edit_of_wording_to_the_kept_build(
    run_cli: Run, site: Site
) -> None:
    cli_build(run_cli, site)
    history = [CONTENT_EDITS["quote context"](random.Random(1), site)]
    assert "patch" not in cli_build(run_cli, site, "--timings")
    history.append(CONTENT_EDITS["event body"](random.Random(2), site))

    printed = cli_build(run_cli, site, "--timings")

    assert "patch" in printed, f"after {history}: {printed}"
    assert "keep the build" in printed
    build_and_check(build_builder(site), site, history)


@pytest.mark.parametrize("edit", ["quote context", "new quote", "removed quote", "event date"])
def test_the_record_lists_the_output_a_rebuild_leaves_without_walking_it(
    site: Site, edit: str
) -> None:
    """A rebuild takes the files it did not change from the last record (`files_after`):
    what it records is what a walk of the output finds, files added and removed included."""
    history = _kept_site(site)
    _rebuild(site, history, edit, 5)

    record = read_record(state_path(site.output))

    assert record is not None
    assert record.files == output_files(site.output), f"after {history}"


@pytest.mark.parametrize("same_converters", [True, False], ids=["same", "another version"])
def test_a_rebuild_in_a_new_process_converts_only_the_markdown_the_edit_changed(
    site: Site, monkeypatch: pytest.MonkeyPatch, same_converters: bool
) -> None:
    """The kept build holds the Markdown the builds converted, so a new process renders the
    pages an edit touches without converting their unchanged texts again; unless Markdown
    or nh3 is another version than the one that converted them."""
    history = _kept_site(site)
    _rebuild(site, history, "quote context", 2)  # renders, and so converts, more pages
    record = read_record(state_path(site.output))
    assert record is not None and record.kept is not None
    kept = read_kept(kept_path(site.output), record.kept, site.content)
    assert kept is not None
    held = kept.markdown.html.keys()
    assert len(held) > 3
    if not same_converters:
        monkeypatch.setattr(markdown, "converters", lambda: ("another", "version"))
    monkeypatch.setattr(markdown, "_converted", {})  # as in a new process
    converted: list[str] = []
    real = markdown._convert
    monkeypatch.setattr(markdown, "_convert", lambda text: converted.append(text) or real(text))

    result = _rebuild(site, history, "event body", 3)

    assert _patched(result) and converted
    again = [text for text in converted if text in held]
    assert (again == []) is same_converters, again
