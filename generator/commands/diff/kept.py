"""Versions read from git revisions, kept between reviews in the repository's git folder.

A review reads its base again and again while an editor works (`explainer diff` after each
save compares the same `HEAD`), and a revision never changes. So the version read from one
is kept, pickled, under `.git/explainer-reviews/`, named by a digest of what it was read from
and by: the git trees of its content and templates folders, the folder's name in messages,
the generator's code and the Python that pickled it. A version found there is used only when
all of these are the same, and a file that does not load (cut short, written by another
version, not a pickle) is removed and the revision read again; nothing outside the git folder
can write there that could not already run code from it. The newest `KEEP` are kept.

A kept version's locations name the temporary folder it was first read from (its side keeps
that folder as `content_dir`, under the new side's name and templates), so that they are
named as the editor knows them, as any version's are; that folder itself is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path

from generator.build.kept_files import write_whole
from generator.build.record import generator_digests
from generator.commands.diff.sides import Side
from generator.commands.diff.versions import Version, theme_digests
from generator.digest import digest

FORMAT = 1
KEEP = 4
"""How many versions are kept: a few bases a review in one repository goes back to."""
SUFFIX = ".pickle"

logger = logging.getLogger("generator")


def kept_version(side: Side) -> Version | None:
    """The version read from `side`'s revision by an earlier review, if one is kept."""
    path = _path(side)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as file:
            version = pickle.load(file)
        if not isinstance(version, Version) or version.load_cache is None:
            raise TypeError(type(version).__name__)
    except Exception:  # noqa: BLE001 - anything unreadable is read again from the revision
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # the newest used is the last removed
    version.side = replace(side, content_dir=version.side.content_dir)
    version.templates = theme_digests(side.templates_dir)  # the generator's own may differ
    return version


def keep_version(version: Version) -> None:
    """Keep a version read from a revision without errors, for the next review to start from;
    the oldest beyond `KEEP` are removed. A failure to write only loses that economy."""
    path = _path(version.side)
    if path is None or version.plan is None or version.load_cache is None:
        return
    if not write_whole(path, pickle.dumps(version, pickle.HIGHEST_PROTOCOL)):
        logger.warning("could not keep the version read for the next review in %s", path.parent)
        return
    kept = sorted(path.parent.glob("*" + SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _path(side: Side) -> Path | None:
    if side.trees is None or side.kept_dir is None:
        return None
    made_by = sorted(generator_digests().items())
    key = digest(repr((FORMAT, side.trees, side.shown_dir, sys.version, made_by)).encode())
    return side.kept_dir / (key.hex() + SUFFIX)
