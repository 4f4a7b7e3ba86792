"""Writing files on a thread of their own: every write done, and errors not lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.write import BackgroundWrites, replace_file


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
