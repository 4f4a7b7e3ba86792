"""Writing: files on a thread of their own, the staged swap, what a killed build left,
and errors in editors' words."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import write as write_module
from generator.write import (
    MARKER,
    MARKER_TEXT,
    BackgroundWrites,
    OutputError,
    PreviousSite,
    folder_id,
    output_lock,
    previous_site_folder,
    replace_file,
    staged_output,
    write_file,
)


def test_every_file_is_written_when_the_block_ends(tmp_path: Path) -> None:
    with BackgroundWrites(backlog=2) as writes:
        for number in range(50):
            writes.submit(
                replace_file, tmp_path / f"{number}.txt", (b"page ", str(number).encode())
            )
    assert sorted(p.read_text() for p in tmp_path.iterdir()) == sorted(
        f"page {n}" for n in range(50)
    )


def test_a_failed_write_is_raised_when_the_block_ends(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where a folder should be")
    with pytest.raises(NotADirectoryError), BackgroundWrites() as writes:
        writes.submit(replace_file, tmp_path / "file" / "index.html", b"x")


def test_an_error_in_the_block_is_not_hidden_by_the_writes(tmp_path: Path) -> None:
    with pytest.raises(KeyError), BackgroundWrites() as writes:
        writes.submit(replace_file, tmp_path / "a.html", b"a")
        raise KeyError("rendering failed")
    assert (tmp_path / "a.html").read_bytes() == b"a"


# --- the swap, the leftovers of a killed build, and errors in editors' words ---------------


def _site(folder: Path, text: str) -> Path:
    (folder / "page").mkdir(parents=True)
    (folder / "page" / "index.html").write_text(text)
    (folder / MARKER).write_bytes(MARKER_TEXT)
    return folder


PIECES = [bytes([n]) * size for n, size in enumerate([0, 5, 70_000, 1, 0, 3_000, 9], 1)]


@pytest.mark.parametrize("limit", [1, 7, 4096, 70_004, 10**9])
def test_a_file_in_pieces_is_written_whole_however_little_each_call_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """`writev` may write less than it is given (a signal, a pipe); the rest follows."""
    real = os.writev
    calls = []

    def short(descriptor: int, buffers: list[memoryview]) -> int:
        calls.append(len(buffers))
        taken, left = [], limit
        for buffer in buffers:
            taken.append(buffer[:left])
            left -= len(taken[-1])
            if not left:
                break
        return real(descriptor, taken)

    monkeypatch.setattr(os, "writev", short)
    replace_file(tmp_path / "page.html", PIECES)
    assert (tmp_path / "page.html").read_bytes() == b"".join(PIECES)
    total = sum(map(len, PIECES))
    assert len(calls) == -(-total // limit)  # each call took all it was allowed


def test_a_file_in_pieces_is_written_whole_without_writev(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "writev")
    write_file(tmp_path / "a" / "page.html", PIECES, set())
    assert (tmp_path / "a" / "page.html").read_bytes() == b"".join(PIECES)


def test_a_file_of_many_pieces_takes_one_call_per_1024(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.writev
    calls = []
    monkeypatch.setattr(
        os, "writev", lambda fd, buffers: calls.append(len(buffers)) or real(fd, buffers)
    )
    pieces = [b"%d," % n for n in range(2500)]
    replace_file(tmp_path / "data.json", pieces)
    assert (tmp_path / "data.json").read_bytes() == b"".join(pieces)
    assert calls == [1024, 1024, 452]


@pytest.mark.parametrize("fails", [False, True], ids=["ends", "raises"])
def test_threads_switch_often_while_files_are_written_and_as_before_after(
    tmp_path: Path, fails: bool
) -> None:
    before = sys.getswitchinterval()
    with contextlib.suppress(KeyError), BackgroundWrites() as writes:
        assert sys.getswitchinterval() == BackgroundWrites.SWITCH_SECONDS < before
        writes.submit(replace_file, tmp_path / "a.html", b"a")
        if fails:
            raise KeyError("an error while rendering")
    assert sys.getswitchinterval() == before
    assert (tmp_path / "a.html").read_bytes() == b"a"


def test_staged_output_replaces_the_old_site_whole_and_puts_it_aside(tmp_path: Path) -> None:
    output = _site(tmp_path / "output", "old")
    (output / "same.html").write_text("same")
    with staged_output(output, seed=True) as stage:
        replace_file(stage / "page" / "index.html", b"new")
        replace_file(stage / "added.html", b"added")
    assert (output / "page" / "index.html").read_text() == "new"
    assert (output / "added.html").read_text() == "added"
    previous = previous_site_folder(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == [previous.name, "output"]
    assert (previous / "page" / "index.html").read_text() == "old"
    assert not (previous / "added.html").exists()
    assert (previous / "same.html").samefile(output / "same.html")


def test_a_build_from_nothing_deletes_the_site_put_aside(tmp_path: Path) -> None:
    output = _site(tmp_path / "output", "old")
    _site(previous_site_folder(output), "older")
    with staged_output(output) as stage:
        write_file(stage / "page" / "index.html", b"new", set())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def _put_aside_as(output: Path, newer: set[str], gone: set[str]) -> PreviousSite:
    folder = folder_id(previous_site_folder(output))
    assert folder is not None
    return PreviousSite(folder, frozenset(newer), frozenset(gone))


def _rebuild_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, between: Callable[[Path], None]
) -> tuple[Path, list[str]]:
    """A site rebuilt once (which puts the old site aside), `between` done, then rebuilt
    from the site put aside: return the output and the files the second rebuild linked."""
    output = _site(tmp_path / "output", "v1")
    for name in ("same", "gone-next", "changed-next"):
        (output / f"{name}.html").write_text(name)
    (output / "deep" / "er").mkdir(parents=True)
    (output / "deep" / "er" / "gone-first.html").write_text("gone first")
    with staged_output(output, seed=True) as stage:
        replace_file(stage / "page" / "index.html", b"v2")
        replace_file(stage / "new" / "added-first.html", b"added first")
        write_module.remove_files(stage, ["deep/er/gone-first.html"])
    previous = _put_aside_as(
        output,
        {"page/index.html", "new/added-first.html", MARKER},
        {"deep/er/gone-first.html"},
    )
    between(output)
    linked: list[str] = []
    real = os.link
    monkeypatch.setattr(os, "link", lambda a, b: linked.append(str(a)) or real(a, b))
    with staged_output(output, seed=True, previous=previous) as stage:
        replace_file(stage / "changed-next.html", b"changed")
        replace_file(stage / "added-next.html", b"added next")
        write_module.remove_files(stage, ["gone-next.html"])
    return output, linked


def test_a_rebuild_stages_from_the_site_put_aside_linking_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, linked = _rebuild_twice(tmp_path, monkeypatch, lambda output: None)
    assert sorted({Path(path).relative_to(output).as_posix() for path in linked}) == [
        MARKER,
        "new/added-first.html",
        "page/index.html",
    ]
    assert _files(output) == {
        MARKER: MARKER_TEXT,
        "page/index.html": b"v2",
        "same.html": b"same",
        "changed-next.html": b"changed",
        "new/added-first.html": b"added first",
        "added-next.html": b"added next",
    }
    assert sorted(p.name for p in output.iterdir() if p.is_dir()) == ["new", "page"]
    previous = previous_site_folder(output)
    assert _files(previous)["changed-next.html"] == b"changed-next"  # the site it replaced
    assert "added-next.html" not in _files(previous)


def test_a_site_put_aside_that_changed_since_is_not_staged_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_a_file(output: Path) -> None:
        (previous_site_folder(output) / "stray.html").write_text("not the builder's")

    output, linked = _rebuild_twice(tmp_path, monkeypatch, add_a_file)
    assert len(linked) > 3  # every file of the output, linked into a fresh folder
    assert "stray.html" not in _files(output)
    assert _files(output)["changed-next.html"] == b"changed"


def test_failed_block_leaves_the_old_site_and_no_staging(tmp_path: Path) -> None:
    output = _site(tmp_path / "output", "old")
    with pytest.raises(KeyError), staged_output(output, seed=True) as stage:
        replace_file(stage / "page" / "index.html", b"new")
        raise KeyError("render failed")
    assert (output / "page" / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_swap_exchanges_the_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = _site(tmp_path / "a", "a"), _site(tmp_path / "b", "b")
    assert write_module._exchange(first, second) is True
    assert (first / "page" / "index.html").read_text() == "b"
    assert (second / "page" / "index.html").read_text() == "a"


def test_swap_without_exchange_uses_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_module, "_exchange", lambda source, target: False)
    output = _site(tmp_path / "output", "old")
    with staged_output(output) as stage:
        write_file(stage / "page" / "index.html", b"new", set())
    assert (output / "page" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_lock_puts_back_the_old_site_a_cut_swap_left_aside(tmp_path: Path) -> None:
    _site(tmp_path / ".output.old-4242", "old")  # killed between the two renames
    _site(tmp_path / ".output.staging-4242", "new")
    with output_lock(tmp_path / "output"):
        assert (tmp_path / "output" / "page" / "index.html").read_text() == "old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_lock_deletes_what_killed_builds_left_and_nothing_else(tmp_path: Path) -> None:
    _site(tmp_path / "output", "current")
    for name in (".output.staging-1", ".output.old-2", ".output.staging-3/deep/er"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / ".output.explainer-state.partial").write_bytes(b"half a record")
    kept = [".output.explainer-state", ".other.staging-1", "notes.txt"]
    for name in kept:
        (tmp_path / name).write_text("keep me")
    with output_lock(tmp_path / "output"):
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "output"])
    assert (tmp_path / "output" / "page" / "index.html").read_text() == "current"


def test_second_build_of_an_output_waits_for_the_first(tmp_path: Path) -> None:
    entered = threading.Event()

    def second() -> None:
        with output_lock(tmp_path / "output"):
            entered.set()

    with output_lock(tmp_path / "output"):
        waiting = threading.Thread(target=second)
        waiting.start()
        assert not entered.wait(0.2)
    assert entered.wait(5)
    waiting.join()


@pytest.mark.parametrize(
    ("code", "failing", "expected"),
    [
        (
            errno.ENOSPC,
            "output/page/index.html",
            "cannot write {out}: the disk is full — free some space, then build again; "
            "{out} is unchanged",
        ),
        (
            errno.EROFS,
            ".output.staging-7",
            "cannot write {out}: the disk is read-only — make it writable or choose another "
            "--output; {out} is unchanged",
        ),
        (
            errno.EACCES,
            ".output.staging-7",
            "cannot write {out}: permission denied in {parent} — make it writable or choose "
            "another --output; {out} is unchanged",
        ),
    ],
)
def test_write_error_is_one_line_in_editors_words(
    tmp_path: Path, code: int, failing: str, expected: str
) -> None:
    output = _site(tmp_path / "output", "old")
    with pytest.raises(OutputError) as raised, staged_output(output):
        name = str(tmp_path / failing).replace("output/", ".output.staging-7/")
        raise OSError(code, os.strerror(code), name)
    assert str(raised.value) == expected.format(out=output, parent=tmp_path)
    assert (output / "page" / "index.html").read_text() == "old"


def test_write_error_without_a_file_name_is_the_outputs(tmp_path: Path) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with (
        pytest.raises(OutputError, match="the disk is full") as raised,
        staged_output(tmp_path / "output"),
    ):
        raise full
    assert "unchanged" not in str(raised.value)  # there was no output to keep


def test_error_reading_a_template_is_not_an_output_error(tmp_path: Path) -> None:
    template = tmp_path / "templates" / "static" / "style.css"
    with pytest.raises(PermissionError), staged_output(tmp_path / "output"):
        raise PermissionError(errno.EACCES, "Permission denied", str(template))


def test_read_only_output_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _site(tmp_path / "output", "old")
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(OutputError) as raised, staged_output(output):
        pytest.fail("the block must not run")
    assert str(raised.value) == (
        f"cannot write {output}: it is read-only — make it writable or choose another "
        f"--output; {output} is unchanged"
    )


def test_mount_point_is_refused_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _site(tmp_path / "output", "old")
    monkeypatch.setattr(os.path, "ismount", lambda path: True)
    expected = "it is a mount point — mount the folder above it"
    with pytest.raises(OutputError, match=expected), staged_output(output):
        pytest.fail("the block must not run")
