"""Stage 5, write: rendered files → a staging folder → swapped into place as `output/`.

Nothing is written into `output/` directly: the whole site goes into a fresh staging folder
beside it, which then replaces the old output with two renames. A failed build therefore
leaves the previous `output/` exactly as it was. A marker file tells a folder this command
made from one it must never delete.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.render import RenderedFile

MARKER = ".explainer-output"


class OutputError(Exception):
    """The output folder cannot be replaced (not ours, or not writable)."""


def write_site(
    files: Iterable[RenderedFile], static_dir: Path, copies: Iterable[str], output: Path
) -> int:
    """Write every file into a staging folder and swap it into place; return the file count."""
    with staged_output(output) as staging:
        return write_files(files, staging) + copy_static(static_dir, copies, staging)


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


def replace_file(path: Path, content: bytes) -> None:
    """Write a file whole beside its place, then rename it there.

    A reader never sees half a file, and a hard link to the old file keeps the old bytes.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(content)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content)
    os.replace(partial, path)


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


def write_files(files: Iterable[RenderedFile], folder: Path) -> int:
    """Write each file under `folder`, making folders as needed; return the count."""
    made: set[Path] = {folder}
    count = 0
    for file in files:
        target = folder / file.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(file.content)
        count += 1
    return count


def copy_static(static_dir: Path, copies: Iterable[str], folder: Path) -> int:
    """Copy the theme's static files into `folder/static/`; return the count."""
    count = 0
    for relative in copies:
        target = folder / "static" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static_dir / relative, target)
        count += 1
    return count


@dataclass(frozen=True)
class SyncResult:
    total: int
    written: int
    removed: int


def sync_site(
    files: Iterable[RenderedFile], static_dir: Path, copies: Iterable[str], target: Path
) -> SyncResult:
    """Make `target` hold exactly these files, rewriting only those whose bytes changed.

    For the preview, whose server never reads while this runs. Each changed file is
    replaced whole (written beside it, then renamed), so even a reader outside the
    server never sees half a file.
    """
    target.mkdir(parents=True, exist_ok=True)
    statics = (
        RenderedFile(f"static/{relative}", (static_dir / relative).read_bytes())
        for relative in copies
    )
    wanted: set[str] = set()
    written = 0
    for file in itertools.chain(files, statics):
        relative, content = file.path, file.content
        wanted.add(relative)
        path = target / relative
        try:
            if path.read_bytes() == content:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(content)
        os.replace(partial, path)
        written += 1
    removed = 0
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return SyncResult(len(wanted), written, removed)


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
