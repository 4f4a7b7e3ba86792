"""A new case from commented templates: every file of a case, one placeholder item in each.

The placeholders are valid together, so the new case builds at once, and every value says
"replace". A comment above each field says what it is, what it takes and whether it is
required. Optional fields are commented out, written so that deleting the `# ` in front of
their lines makes them YAML again; the tests rely on that to check every template against
the content model.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from importlib import resources
from pathlib import Path

from generator.errors import ScaffoldError
from generator.models import SLUG_PATTERN
from generator.validate.content import RESERVED_CASE_SLUGS

__all__ = ["ScaffoldError", "is_placeholder", "new_case"]

_SLUG = re.compile(SLUG_PATTERN)
_CONTENT_HINT = "`--content` names the content folder, the one that holds site.yaml"
PLACEHOLDER_STARTS = ("Replace with", "New case: replace")
PLACEHOLDER_ID = "replace-me"


def is_placeholder(value: str) -> bool:
    """Whether a value is one of the scaffold's examples, left in place."""
    return value.startswith(PLACEHOLDER_STARTS) or PLACEHOLDER_ID in value


SKELETON_FOLDER = "scaffold_case"
"""The folder beside this module, shipped as package data, that holds a new case's files."""

CASE_FILES = (
    "case.yaml",
    "parties.yaml",
    "rulings.yaml",
    "events.yaml",
    "periods.yaml",
    "quotes.yaml",
    "polls.yaml",
    "sources.yaml",
    "glossary.yaml",
    "media.yaml",
)
"""The files of a new case, in the order they are written."""


def _read_skeletons() -> dict[str, str]:
    folder = resources.files("generator.commands").joinpath(SKELETON_FOLDER)
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in CASE_FILES}


TEMPLATES: dict[str, str] = _read_skeletons()
"""File name → the text of a new case's file."""


def new_case(content_dir: Path, slug: str) -> list[Path]:
    """Create `content_dir/cases/<slug>/` with every file of a case; return the files, sorted.

    Nothing that exists is ever written over: the checks come before any file is written,
    and a write that fails half-way removes what it had written.
    """
    _check_slug(slug)
    _check_content_dir(content_dir)
    case_dir = content_dir / "cases" / slug
    if _exists(case_dir):
        raise ScaffoldError(_exists_message(slug))
    return sorted(_write_case(case_dir, slug))


def _check_slug(slug: str) -> None:
    shape = "use lowercase letters, digits and single hyphens, e.g. `microsoft-ireland`"
    if not slug:
        raise ScaffoldError(f"a new case needs a slug — {shape}")
    if not _SLUG.fullmatch(slug):
        raise ScaffoldError(f"`{slug}` is not a valid case slug — {shape}")
    if slug in RESERVED_CASE_SLUGS:
        raise ScaffoldError(
            f"`{slug}` cannot be a case slug: the site uses that address — choose another slug"
        )


def _check_content_dir(content_dir: Path) -> None:
    if not content_dir.is_dir():
        missing = "is not a folder" if _exists(content_dir) else "does not exist"
        raise ScaffoldError(f"content folder {content_dir} {missing} — {_CONTENT_HINT}")
    if not any((content_dir / name).is_file() for name in ("site.yaml", "site.yml")):
        raise ScaffoldError(
            f"{content_dir} has no site.yaml, so it is not a content folder — {_CONTENT_HINT}"
        )


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _exists_message(slug: str) -> str:
    return f"cases/{slug} already exists — choose another slug or edit that case"


def _write_case(case_dir: Path, slug: str) -> list[Path]:
    """Write every file into a folder made for them, or leave nothing behind."""
    made_cases = made_case = False
    written: list[Path] = []
    try:
        made_cases = _make_folder(case_dir.parent)
        case_dir.mkdir()
        made_case = True
        for name, text in TEMPLATES.items():
            path = case_dir / name
            with path.open("x", encoding="utf-8", newline="\n") as file:
                written.append(path)
                file.write(text)
    except BaseException as exc:
        _undo(case_dir if made_case else None, case_dir.parent if made_cases else None)
        if isinstance(exc, FileExistsError) and not made_case:
            raise ScaffoldError(_exists_message(slug)) from None
        if isinstance(exc, OSError):
            where = exc.filename or f"cases/{slug}"
            raise ScaffoldError(
                f"could not write {where}: {exc.strerror or exc} — nothing of the new case was kept"
            ) from exc
        raise
    return written


def _make_folder(folder: Path) -> bool:
    """Make `folder` unless it exists; return whether this call made it."""
    try:
        folder.mkdir()
    except FileExistsError:
        return False
    return True


def _undo(case_dir: Path | None, cases_dir: Path | None) -> None:
    """Remove the folders this call made: the case folder whole, the cases folder if empty."""
    if case_dir is not None:
        shutil.rmtree(case_dir, ignore_errors=True)
    if cases_dir is not None:
        with contextlib.suppress(OSError):
            cases_dir.rmdir()
