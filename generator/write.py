"""Stage 5, write: rendered files → a staging folder → swapped into place as `output/`.

Nothing is written into `output/` directly: the site goes into a staging folder beside it
(fresh, or hard links of the current output for an incremental build, whose changed files
are replaced, never written through), which then replaces the old output with two renames.
A failed build therefore leaves the previous `output/` exactly as it was. A marker file
tells a folder this command made from one it must never delete. The preview writes in
place instead, each file replaced whole (`replace_file`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

MARKER = ".explainer-output"


class OutputError(Exception):
    """The output folder cannot be replaced (not ours, or not writable)."""


@contextlib.contextmanager
def staged_output(output: Path, seed: bool = False) -> Iterator[Path]:
    """Yield a staging folder; swap it in for `output` only if the block succeeds.

    With `seed`, the staging folder starts as hard links to the current output's files, for
    a build that changes only some of them: files are then replaced, never written through
    (see `replace_file`), so the current output keeps its bytes until the swap.
    """
    output = output.absolute()
    _check_replaceable(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        if seed:
            shutil.copytree(output, staging, copy_function=os.link, symlinks=True)
            (staging / MARKER).unlink(missing_ok=True)
        else:
            staging.mkdir()
        yield staging
        (staging / MARKER).write_text("This folder is replaced whole by `explainer build`.\n")
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_file(path: Path, content: bytes | Sequence[bytes]) -> None:
    """Write a file whole beside its place, then rename it there.

    A reader never sees half a file, and a hard link to the old file keeps the old bytes.
    `content` may come in pieces, written one after the other.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        _write(partial, content)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(partial, content)
    os.replace(partial, path)


def _write(path: Path, content: bytes | Sequence[bytes]) -> None:
    with open(path, "wb") as file:
        if isinstance(content, bytes):
            file.write(content)
        else:
            file.writelines(content)


def remove_files(folder: Path, paths: Iterable[str]) -> int:
    """Delete these files under `folder`, and the folders they leave empty; return the count."""
    count = 0
    parents: set[Path] = set()
    for relative in paths:
        path = folder / relative
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            count += 1
        parents.add(path.parent)
    for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return count


def write_file(target: Path, content: bytes | Sequence[bytes], made: set[Path]) -> None:
    """Write a file into a fresh folder, making its parent folder once (`made` remembers)."""
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    _write(target, content)


def same_bytes(path: Path, content: bytes) -> bool:
    """Whether the file at `path` holds exactly `content` (False when it cannot be read)."""
    try:
        return path.read_bytes() == content
    except OSError:
        return False


def _check_replaceable(output: Path) -> None:
    if not output.exists():
        return
    if not output.is_dir():
        raise OutputError(f"{output} exists and is not a folder")
    if (output / MARKER).is_file() or not any(output.iterdir()):
        return
    raise OutputError(
        f"{output} holds files that `explainer build` did not write; "
        "choose another --output or empty it first"
    )


def _swap(staging: Path, output: Path) -> None:
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


class BackgroundWrites:
    """Files written on a thread of their own while the caller goes on rendering.

    Writing a file releases the interpreter's lock, so the next page renders meanwhile. At
    most `backlog` writes wait, which bounds the memory their bytes hold. Leaving the `with`
    block waits for the last write, and raises the first error a write met.
    """

    def __init__(self, backlog: int = 16) -> None:
        self._jobs: queue.Queue[tuple[Callable[..., None], tuple[Any, ...]] | None]
        self._jobs = queue.Queue(backlog)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="explainer-writes", daemon=True)

    def __enter__(self) -> BackgroundWrites:
        self._thread.start()
        return self

    def submit(self, write: Callable[..., None], *args: Any) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put((write, args))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._jobs.put(None)
        self._thread.join()
        if error is None and self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None:
                try:
                    job[0](*job[1])
                except BaseException as exc:  # handed to the caller by __exit__
                    self._error = exc
