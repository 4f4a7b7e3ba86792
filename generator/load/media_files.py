"""The files of a case's media/ folder: what they are called, how large they are, how each
begins and the digest of all it holds, read without following a link out of the folder.

`media.yaml` (or one `.yaml` file per item in media/) describes the media; media/ holds their
files: JPEG, PNG, WebP and SVG pictures and PDF documents, in subfolders if the editor likes.
Any other kind of file there is a mistake, reported at the file. The first `HEAD_BYTES` of
each file let `validate` tell a PNG from a PDF by its first bytes as well as by its name; the
digest of the whole file tells the preview that a picture was replaced, even by one of the
same size that begins the same, and names its processed files in the build. A file is read
again only when its size, times or inode changed (as `record` does for templates), so a
preview's rebuild reads none of a thousand unchanged pictures; decoding pictures and opening
documents is left to the build.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from generator.digest import DIGEST_SIZE
from generator.errors import ContentError, Location
from generator.load.cache import Signature, file_signature
from generator.models import MEDIA_TYPES

MEDIA_FOLDER = "media"
"""The folder of a case that holds its media files (and may hold their `.yaml` entries)."""
HEAD_BYTES = 512
"""How much of each media file is read: enough to find an SVG's `<svg` after an XML
declaration and a comment or two."""
ACCEPTED_SUFFIXES = tuple(suffix for suffixes in MEDIA_TYPES.values() for suffix in suffixes)
_ENTRY_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class MediaFile:
    """One file of a media folder, as `validate` needs to check an item's `file`."""

    path: str
    """Its path inside the media folder, with `/` between folders (`maps/dublin.svg`)."""
    size: int
    head: bytes
    """Its first `HEAD_BYTES` bytes; empty for a link leading out and for what is not a file."""
    regular: bool
    """Whether it is a plain file (or a link to one inside the folder)."""
    leads_to: str | None = None
    """Where it links to, when it is a link leading out of the media folder."""
    digest: bytes = b""
    """`generator.digest.digest` of all its bytes; empty when `head` is."""


@dataclass(frozen=True)
class MediaFolder:
    """A case's media folder and the files in it."""

    folder: str
    files: dict[str, MediaFile]
    """Each file by its `path`, in sorted order."""


def read_media_folder(folder: Path, errors: list[ContentError]) -> MediaFolder | None:
    """List the media files under `folder`, reporting files of a kind the site does not take.

    Returns None for a folder that is a link leading out of its case (the loader reports it).
    Links to folders are not followed, and folders are walked without recursion.
    """
    real = os.path.realpath(folder)
    case_real = os.path.realpath(folder.parent)
    if not real.startswith(case_real.rstrip(os.sep) + os.sep):
        return None
    files: dict[str, MediaFile] = {}
    pending = [""]
    while pending:
        relative = pending.pop()
        here = folder / relative if relative else folder
        try:
            with os.scandir(here) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            errors.append(
                ContentError(Location(str(here)), f"cannot read this folder ({exc.strerror})")
            )
            continue
        for entry in listed:
            name = f"{relative}/{entry.name}" if relative else entry.name
            if entry.name.startswith((".", "_")):
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                pending.append(name)
            elif entry.name.endswith(_ENTRY_SUFFIXES):
                continue  # an item's entry, read by the loader
            elif not entry.name.lower().endswith(ACCEPTED_SUFFIXES):
                errors.append(_not_accepted(entry.path, entry.name))
            else:
                files[name] = _media_file(entry.path, name, real, errors)
    return MediaFolder(str(folder), dict(sorted(files.items())))


def _not_accepted(path: str, name: str) -> ContentError:
    return ContentError(
        Location(path),
        f"`{name}` is not a kind of file the media folder takes",
        "media/ holds JPEG, PNG, WebP and SVG pictures, PDF documents and the .yaml files "
        "that describe them: convert the file, or move it out of media/",
    )


def _media_file(path: str, name: str, folder_real: str, errors: list[ContentError]) -> MediaFile:
    """Look at one media file without following a link out of the media folder."""
    if os.path.islink(path):
        real = os.path.realpath(path)
        if not real.startswith(folder_real.rstrip(os.sep) + os.sep):
            return MediaFile(name, 0, b"", regular=False, leads_to=os.readlink(path))
    try:
        status = os.stat(path)
    except OSError:
        return MediaFile(name, 0, b"", regular=False)  # a link leading nowhere
    if not stat.S_ISREG(status.st_mode):
        return MediaFile(name, 0, b"", regular=False)
    signature = file_signature(status, time.time_ns())
    known = _read_before.get(path)
    if signature is not None and known is not None and known[0] == signature:
        return MediaFile(name, status.st_size, known[1], regular=True, digest=known[2])
    try:
        head, whole = _head_and_digest(path)
    except OSError as exc:
        errors.append(ContentError(Location(path), f"cannot read this file ({exc.strerror})"))
        return MediaFile(name, status.st_size, b"", regular=False)
    if signature is not None:
        _read_before[path] = (signature, head, whole)
    return MediaFile(name, status.st_size, head, regular=True, digest=whole)


_read_before: dict[str, tuple[Signature, bytes, bytes]] = {}
"""Each media file's head and digest while its size, times and inode stay the same."""
_CHUNK = 1 << 20


def _head_and_digest(path: str) -> tuple[bytes, bytes]:
    """The first `HEAD_BYTES` of the file at `path`, and the digest of all of it, read once."""
    hasher = hashlib.sha256()
    with open(path, "rb") as opened:
        head = opened.read(HEAD_BYTES)
        hasher.update(head)
        while chunk := opened.read(_CHUNK):
            hasher.update(chunk)
    return head, hasher.digest()[:DIGEST_SIZE]
