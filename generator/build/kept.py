"""What a build was made of, kept on disk beside the output for the next `explainer build`.

The preview keeps its last build in memory: the loaded files, the validated items, the
plan, the encoded `data.json` items, the processed pictures, the converted Markdown; an
edit of wording is then applied to the plan (`patch`) instead of loading, validating and
planning everything again.
`explainer build` keeps the same in a file once it builds again over its own output (a
rebuild), so that the next rebuild can start from it; a build from nothing (a clean
checkout, CI, `--full`) leaves none and pays nothing for it.

The file goes with one build record: the record holds the digest of the file's bytes, so a
file cut short, changed, or left by another build is refused, as is one written by another
version of the generator (the record's setup differs) or for another content folder. A
refused file only costs planning again.
"""

from __future__ import annotations

import mmap
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from generator.build.image_store import ProcessedMedia
from generator.build.patch import Built
from generator.build.workers import in_forked_child
from generator.digest import DIGEST_SIZE, digest
from generator.load.content import LoadCache
from generator.render.data_files import CaseData
from generator.render.markdown import ConvertedMarkdown
from generator.write import beside_output


@dataclass
class KeptBuild:
    """What the next build over the same output needs to start from this one."""

    content_dir: str
    """The content folder it was loaded from, absolute."""
    built: Built
    load_cache: LoadCache
    case_data: CaseData
    media: ProcessedMedia
    markdown: ConvertedMarkdown
    """The HTML of the site's Markdown texts that builds have converted: the event bodies
    of a timeline page that an edit renders again (0.9 s at 10,000 quotes, else)."""


def kept_path(output_dir: Path) -> Path:
    """Where `explainer build` keeps what its last build was made of: beside the output,
    never published with it."""
    return beside_output(output_dir, "explainer-kept")


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _write_partial(kept: KeptBuild, path: Path) -> bytes:
    """Write `kept` beside `path`, to be renamed into place; return the bytes' digest."""
    data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    _partial(path).write_bytes(data)
    return digest(data)


class KeptWriter:
    """Writes a kept build from a forked copy of this process while this one makes the
    search index, swaps the new site in and saves the record (1.7 s of pickling at 10,000
    quotes, overlapped). The file goes into place only when the build has succeeded
    (`finish`): a failed build leaves the kept build its record names. Where processes
    cannot fork, `finish` writes it."""

    def __init__(self, kept: KeptBuild, path: Path) -> None:
        self._kept: KeptBuild | None = kept
        self._path = path
        self._child: tuple[int, int] | None = None
        """The writing process's id and the pipe it sends the digest through."""
        if hasattr(os, "fork"):
            read_end, write_end = os.pipe()

            def write_and_send() -> int:
                os.close(read_end)
                os.write(write_end, _write_partial(kept, path))
                return 0

            pid = in_forked_child(write_and_send)
            os.close(write_end)
            self._kept, self._child = None, (pid, read_end)

    def finish(self) -> bytes | None:
        """Put the file in place once written; return its digest, or None if it could not
        be written."""
        try:
            written = self._written()
            if written is not None:
                os.replace(_partial(self._path), self._path)
            return written
        except OSError:
            return None

    def abandon(self) -> None:
        """Remove what was written, for a build that failed."""
        self._kept = None
        self._written()
        _partial(self._path).unlink(missing_ok=True)

    def _written(self) -> bytes | None:
        """The digest of the partial file, once written; None if it was not."""
        if self._child is None:
            kept, self._kept = self._kept, None
            return None if kept is None else _write_partial(kept, self._path)
        pid, read_end = self._child
        self._child = None
        with os.fdopen(read_end, "rb") as pipe:
            answer = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or len(answer) != DIGEST_SIZE:
            return None
        return answer


def read_kept(path: Path, expected: bytes, content_dir: Path) -> KeptBuild | None:
    """The build kept at `path` if its bytes have the digest `expected` and it was loaded
    from `content_dir`; else None.

    The file is mapped rather than read into memory: reading copied its 150 MB at 10,000
    quotes (0.1 s) before they were hashed and unpickled. It is only ever replaced whole
    (renamed over), never written in place, so the mapping cannot change under the reader.
    """
    try:
        with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if digest(data) != expected:
                return None
            try:
                kept = pickle.loads(data)
            except Exception:  # the digest matched, so this is a generator that cannot read it
                return None
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    if not isinstance(kept, KeptBuild) or kept.content_dir != str(content_dir.absolute()):
        return None
    return kept


def forget_kept(path: Path) -> None:
    path.unlink(missing_ok=True)
