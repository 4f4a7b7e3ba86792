"""Stage 5, write: rendered files → a staging folder → swapped into place as `output/`.

Input: the rendered files of a build. Output: `output/`. Raises `OutputError` when the output
cannot be replaced: a folder this command did not make, a read-only folder or disk, a full
disk, missing permissions. Its one line names the folder and the reason in plain words.

**The promise: `output/` is always the old site or the new one, never a mix and, where the
system can swap two folders in one step, never missing**, whenever the build fails or is
killed (Ctrl-C, SIGKILL, the OOM killer).

- Nothing is written into `output/`. The new site goes into a staging folder beside it:
  fresh, or for an incremental build hard links of the current output whose changed files
  are replaced (`replace_file`), never written through, so the old site keeps its bytes.
- The staging folder takes the place of `output/` in one step: on Linux `renameat2` with
  `RENAME_EXCHANGE` swaps the two folders atomically (macOS: `renamex_np` `RENAME_SWAP`).
  Where the system cannot (another OS, a file system without it), two renames do it, and
  between them `output/` is missing for a moment; the old site then waits beside it as
  `.output.old-PID`, and the next build puts it back before anything else.
- A killed build leaves its staging folder (and perhaps a `.partial` record) beside the
  output. Every build starts by deleting those, under a lock (`output_lock`: `flock` on the
  folder that holds the output, released by the system however the process dies), so that
  it never deletes the staging folder of a build still running.
- A marker file tells a folder this command made from one it must never delete. The
  build's record (see `record`) is removed just before the swap and saved after it, so a
  record never describes another output than the one beside it.
- The site a rebuild replaced is not deleted but put aside as `.output.explainer-previous`
  (`PreviousSite`): its files are the output's own, hard links, but for the few the rebuild
  changed. The next rebuild renames it into the staging folder and links in those few
  instead of linking every file of the output (0.9 s at 73,751 files), and nothing is left
  to delete after its swap (0.8 s). The record names it, so a folder the record does not
  describe is deleted and the staging folder linked whole.

Durability: no file is flushed to the disk (`fsync`), which would cost a sync per page at
15,000 pages. The promise is about a process that dies, not a machine that loses power:
after a power cut the output may hold empty or cut files, as any program's output may;
build again with `--full` then (the build is deterministic).

The preview (`serve`) writes in place instead, each file replaced whole (`replace_file`),
into a temporary folder of its own that is not published: it is rebuilt whole whenever a
preview starts, and no request sees it mid-build (builds run on the server's thread).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import queue
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from generator.digest import digest
from generator.errors import OutputError
from generator.render.page import RenderedFile

try:
    import fcntl
except ImportError:  # Windows: no lock; run one build per output at a time there
    fcntl = None  # type: ignore[assignment]

MARKER = ".explainer-output"
MARKER_TEXT = b"This folder is replaced whole by `explainer build`.\n"
STAGING = "staging-"
OLD = "old-"
PREVIOUS = "explainer-previous"


@dataclass(frozen=True)
class PreviousSite:
    """The site the output replaced, put aside beside it to stage the next rebuild from.

    Each of its files is the output's (the same file, hard-linked) but those in `newer` (the
    output's are newer, or only the output has them) and `gone` (only it has them)."""

    folder: tuple[int, int]
    """The folder's inode and modification time when it was put aside: another folder, or
    one whose entries were added or removed since, is not this one."""
    newer: frozenset[str]
    gone: frozenset[str]


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock for a whole build, once what a killed build left is put right.

    The lock is on the folder that holds the output (or its nearest existing ancestor), so
    it needs no file of its own; a second build of the same output waits for the first.
    """
    output = output.absolute()
    folder = output.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    if fcntl is None:
        _recover(output)
        yield
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise _output_error(output, exc) from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _recover(output)
        yield
    finally:
        os.close(handle)


def _recover(output: Path) -> None:
    """Bring back the old site if a swap was cut between its renames; delete leftovers."""
    prefix = f".{output.name}."
    try:
        names = sorted(n for n in os.listdir(output.parent) if n.startswith(prefix))
    except OSError:
        return  # no folder yet, or one we cannot list: staged_output says why
    leftovers = [
        output.parent / name
        for name in names
        if name[len(prefix) :].startswith((STAGING, OLD)) or name.endswith(".partial")
    ]
    if not os.path.lexists(output):
        for path in leftovers:
            if path.name.startswith(prefix + OLD) and (path / MARKER).is_file():
                try:
                    os.rename(path, output)
                except OSError as exc:
                    raise _output_error(output, exc) from exc
                leftovers.remove(path)
                break
    for path in leftovers:
        _remove(path)


def beside_output(output_dir: Path, name: str) -> Path:
    """A file or folder of the builds into `output_dir`, beside it and never published with
    it: `.<output>.<name>`, which `staged_output` leaves alone."""
    output_dir = output_dir.absolute()
    return output_dir.parent / f".{output_dir.name}.{name}"


@contextlib.contextmanager
def staged_output(
    output: Path,
    seed: bool = False,
    before_swap: Callable[[], None] | None = None,
    previous: PreviousSite | None = None,
) -> Iterator[Path]:
    """Yield a staging folder; swap it in for `output` only if the block succeeds.

    With `seed`, the staging folder starts as hard links to the current output's files, for
    a build that changes only some of them: files are then replaced, never written through
    (see `replace_file`), so the current output keeps its bytes until the swap. It is made
    of the `previous` site when that is still beside the output, and the site it replaces
    is put aside in its turn (see `previous_site_folder`).
    `before_swap` runs when the staging folder is complete, just before the swap. An
    `OSError` about the output or the staging folder becomes an `OutputError`.
    """
    output = output.absolute()
    staging = beside_output(output, f"{STAGING}{os.getpid()}")
    try:
        _check_replaceable(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        _remove(staging)
        if seed:
            if not _stage_from_previous(output, staging, previous):
                _link_tree(output, staging)
            (staging / MARKER).unlink(missing_ok=True)
        else:
            _discard(output)
            staging.mkdir()
        yield staging
        _write(staging / MARKER, MARKER_TEXT)
        if before_swap is not None:
            before_swap()
        _swap(staging, output, previous_site_folder(output) if seed else None)
    except OSError as exc:
        _remove(staging)
        if _concerns(exc, output):
            raise _output_error(output, exc) from exc
        raise
    except BaseException:
        _remove(staging)
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
    try:
        descriptor = os.open(path, _OPEN_TO_WRITE, 0o666)
        try:
            _write_all(descriptor, [content] if isinstance(content, bytes) else content)
        finally:
            os.close(descriptor)
    except OSError as exc:
        if exc.filename is None:  # a write, unlike an open, does not say which file
            exc.filename = os.fspath(path)
        raise


_OPEN_TO_WRITE = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)
"""What `open(path, "wb")` asks of the system (O_BINARY on Windows only)."""
_IOV_MAX = 1024


def _write_all(descriptor: int, parts: Sequence[bytes]) -> None:
    """Write every piece, in one `writev` call for up to 1,024 of them where there is one.

    The interpreter's lock is then let go once per file, not once per piece: a writing
    thread waits up to 5 ms to take it back from a thread that renders, so that a data.json
    of 81 pieces (20 MB) written piece by piece beside a busy renderer took 430 ms; in one
    call, 28 ms.
    """
    if not hasattr(os, "writev"):
        for part in parts:
            view = memoryview(part)
            while view:
                view = view[os.write(descriptor, view) :]
        return
    pending = [memoryview(part) for part in parts if part]
    while pending:
        written = os.writev(descriptor, pending[:_IOV_MAX])
        done = 0
        while done < len(pending) and written >= len(pending[done]):
            written -= len(pending[done])
            done += 1
        del pending[:done]
        if written:
            pending[0] = pending[0][written:]


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
    if not os.path.lexists(output):
        return
    if not output.is_dir():
        raise OutputError(f"{output} exists and is not a folder")
    if not os.access(output, os.W_OK):
        raise OutputError(
            f"cannot write {output}: it is read-only — make it writable or choose another "
            f"--output; {output} is unchanged"
        )
    if os.path.ismount(output):
        raise OutputError(
            f"cannot replace {output}: it is a mount point — mount the folder above it, "
            "or pass a folder inside it as --output"
        )
    if (output / MARKER).is_file() or not any(output.iterdir()):
        return
    raise OutputError(
        f"{output} holds files that `explainer build` did not write; "
        "choose another --output or empty it first"
    )


def _link_tree(source: Path, target: Path) -> None:
    """Make `target` a copy of the folder `source` whose files are hard links to its files."""
    os.mkdir(target)
    folders = [(os.fspath(source), os.fspath(target))]
    while folders:
        here, there = folders.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                to = os.path.join(there, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    os.mkdir(to)
                    folders.append((entry.path, to))
                elif entry.is_symlink():
                    os.symlink(os.readlink(entry.path), to)
                else:
                    os.link(entry.path, to)


def _stage_from_previous(output: Path, staging: Path, previous: PreviousSite | None) -> bool:
    """Make `staging` a copy of `output` out of the site put aside beside it, if `previous`
    still describes that folder: rename it, then link in the files the output has newer and
    remove those it no longer has. False, with the folder gone, when it cannot be used."""
    put_aside = previous_site_folder(output)
    if previous is None or folder_id(put_aside) != previous.folder:
        _discard(output)
        return False
    try:
        os.rename(put_aside, staging)
        for relative in previous.newer:
            target = os.path.join(staging, relative)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
            try:
                os.link(os.path.join(output, relative), target)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(os.path.join(output, relative), target)
        remove_files(staging, previous.gone)
    except OSError:
        _remove(staging)
        return False
    return True


def _discard(output: Path) -> None:
    """Delete the site put aside: renamed first, so that a build killed while deleting it
    leaves a leftover the next build deletes (`_recover`), not a site put aside with files
    missing."""
    put_aside = previous_site_folder(output)
    leftover = beside_output(output, f"{STAGING}{os.getpid()}.previous")
    try:
        os.rename(put_aside, leftover)
    except FileNotFoundError:
        return
    except OSError:
        leftover = put_aside
    _remove(leftover)


def folder_id(folder: Path) -> tuple[int, int] | None:
    """A folder's inode and modification time, or None if it is not a folder."""
    try:
        found = os.lstat(folder)
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns) if stat.S_ISDIR(found.st_mode) else None


def previous_site_folder(output: Path) -> Path:
    """Where the site a rebuild replaced waits for the next rebuild (`PreviousSite`)."""
    return beside_output(output, PREVIOUS)


def _swap(staging: Path, output: Path, put_aside: Path | None) -> None:
    """Put `staging` in the place of `output`: in one step where the system can. The old
    site is put aside as `put_aside`, or deleted."""
    if not os.path.lexists(output):
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        _set_aside(staging, put_aside)  # which now holds the old site
        return
    old = beside_output(output, f"{OLD}{os.getpid()}")
    os.rename(output, old)  # from here until the next rename, output/ is missing
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    _set_aside(old, put_aside)


def _set_aside(old_site: Path, put_aside: Path | None) -> None:
    if put_aside is not None:
        with contextlib.suppress(OSError):
            os.rename(old_site, put_aside)
            return
    _remove(old_site)


def _exchange(source: Path, target: Path) -> bool:
    """Swap two folders atomically; False where the system or the file system cannot."""
    function = _exchange_function()
    if function is None:
        return False
    if function(os.fsencode(source), os.fsencode(target)) == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM}:
        return False
    raise OSError(code, os.strerror(code), os.fspath(source), None, os.fspath(target))


@functools.cache
def _exchange_function() -> Callable[[bytes, bytes], int] | None:
    """The C library's atomic swap of two paths, if it has one."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            renameat2 = libc.renameat2
            renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
            renameat2.argtypes += [ctypes.c_uint]
            renameat2.restype = ctypes.c_int
            at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
            return lambda a, b: int(renameat2(at_cwd, a, at_cwd, b, exchange))
        if sys.platform == "darwin":
            renamex_np = libc.renamex_np
            renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
            renamex_np.restype = ctypes.c_int
            return lambda a, b: int(renamex_np(a, b, 2))  # RENAME_SWAP
    except (OSError, AttributeError, TypeError):
        pass
    return None


def _remove(path: Path) -> None:
    """Delete a leftover folder or file, as far as possible."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


_REASONS = {
    errno.ENOSPC: ("the disk is full", "free some space, then build again"),
    errno.EDQUOT: ("your disk quota is used up", "free some space, then build again"),
    errno.EROFS: ("the disk is read-only", "make it writable or choose another --output"),
    errno.EIO: ("the disk reported an input/output error", "check the disk, then build again"),
    errno.EBUSY: ("it is in use, or it is a mount point", "pass a folder inside it as --output"),
}
_WRITE_ERRORS = {*_REASONS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EMLINK}


def _concerns(exc: OSError, output: Path) -> bool:
    """Whether an error of the write stage is about the output (not a template, say)."""
    names = [n for n in (exc.filename, exc.filename2) if isinstance(n, (str, bytes, os.PathLike))]
    if not names:
        return exc.errno in _WRITE_ERRORS
    for name in names:
        path = Path(os.path.abspath(os.fsdecode(name)))
        if path == output.parent or output.parent in path.parents:
            first = path.relative_to(output.parent).parts[:1]
            if not first or first[0] == output.name or first[0].startswith(f".{output.name}."):
                return True
    return False


def _output_error(output: Path, exc: OSError) -> OutputError:
    """The one line an editor reads for an error that stopped the output being written."""
    if exc.errno in {errno.EACCES, errno.EPERM}:
        name = exc.filename
        path = Path(os.path.abspath(os.fsdecode(name))) if name is not None else output
        folder = output.parent if path.parent == output.parent else output
        reason = f"permission denied in {folder}"
        fix = "make it writable or choose another --output"
    else:
        reason, fix = _REASONS.get(
            exc.errno or 0, ((exc.strerror or str(exc)).lower(), "fix that, then build again")
        )
    unchanged = f"; {output} is unchanged" if os.path.lexists(output) else ""
    return OutputError(f"cannot write {output}: {reason} — {fix}{unchanged}")


class BackgroundWrites:
    """Files written on a thread of their own while the caller goes on rendering.

    Writing a file releases the interpreter's lock, so the next page renders meanwhile. At
    most `backlog` writes wait, which bounds the memory their bytes hold. Leaving the `with`
    block waits for the last write, and raises the first error a write met.

    Meanwhile the interpreter hands its lock to a waiting thread after `SWITCH_SECONDS`
    rather than its usual 5 ms: each system call of a write lets the lock go, and the
    writes thread would otherwise wait that long to take it back each time while a page
    renders. (At 10,000 quotes, the preview's rebuild after a quote edit: a median of
    77 ms over 6 runs instead of 95.)
    """

    SWITCH_SECONDS = 0.0005

    def __init__(self, backlog: int = 16) -> None:
        self._jobs: queue.Queue[tuple[Callable[..., None], tuple[Any, ...]] | None]
        self._jobs = queue.Queue(backlog)
        self._error: BaseException | None = None
        self._switch = sys.getswitchinterval()
        self._thread = threading.Thread(target=self._run, name="explainer-writes", daemon=True)

    def __enter__(self) -> BackgroundWrites:
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch, self.SWITCH_SECONDS))
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
        try:
            self._jobs.put(None)
            self._thread.join()
        finally:
            sys.setswitchinterval(self._switch)
        if error is None and self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None:
                try:
                    job[0](*job[1])
                except BaseException as exc:  # handed to the caller by __exit__
                    self._error = exc


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """What became of one rendered file: its digest, whether its bytes were written."""

    path: str
    reads: tuple[str, ...]
    digest: bytes
    written: bool
    indexed: bytes | None
    """What the search index reads of it, when that is not all of it (`RenderedFile.indexed`)."""


class Made(Protocol):
    """What writing needs of the last build's record of a file (`build.record.PageRecord`)."""

    digest: bytes


def write_pages(
    files: Iterable[RenderedFile], folder: Path, before: Mapping[str, Made], in_place: bool
) -> list[WrittenFile]:
    """Write each rendered file into `folder` as it comes, unless it has the bytes it had.

    `before` are the records of the files the last build made, which `folder` holds (or a
    staging copy of them); a file not among them that the folder already holds with these
    bytes is left alone too when writing `in_place`. Files are replaced whole, or, into a
    fresh folder, created; the writes run on a thread of their own while the next file
    renders (`BackgroundWrites`).
    """
    made: set[Path] = set()
    written: list[WrittenFile] = []
    with BackgroundWrites() as writes:
        for file in files:
            file_digest = file.digest or digest(file.content)
            previous = before.get(file.path)
            target = folder / file.path
            unchanged = previous is not None and previous.digest == file_digest
            if not unchanged and in_place and previous is None:
                unchanged = same_bytes(target, file.content)
            written.append(
                WrittenFile(file.path, file.reads, file_digest, not unchanged, file.indexed)
            )
            if unchanged:
                continue
            if in_place or before:
                writes.submit(replace_file, target, file.parts)
            else:
                writes.submit(write_file, target, file.parts, made)
    return written
