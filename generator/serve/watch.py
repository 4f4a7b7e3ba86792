"""What the preview watches: the files of the content and template trees, by size and time."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")
IGNORED_NAMES = {"4913", ".DS_Store"}
"""Editors' swap, backup and probe files (Vim writes `4913` to test a folder)."""

Snapshot = dict[str, tuple[int, int]]


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Record size and modification time of every watched file under `roots`."""
    found: Snapshot = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES):
                    continue
                if name in IGNORED_NAMES:
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """List files added, removed or modified between two snapshots."""
    return sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )


def describe_changes(paths: list[str]) -> str:
    """Name a burst of changes in a few words: "2 changes (a.yaml, b.yaml)"."""
    if not paths:
        return "rebuilt"
    names = ", ".join(Path(p).name for p in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    noun = "change" if len(paths) == 1 else "changes"
    return f"{len(paths)} {noun} ({names}{more})"
