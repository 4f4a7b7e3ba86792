"""Site search: pages of a built site → a Pagefind search bundle, for `<site>/pagefind/`.

Pagefind (the `pagefind` package, whose `pagefind-bin` companion ships the program) reads the
staged site's HTML and writes an index in small chunks, `pagefind.js` and a WebAssembly module
that the search page loads from the site's own origin. The build runs it on the staging folder
before the swap, so a failed index leaves the published site as it was, and copies into the
site only the bundle's files whose bytes changed. The same pages give the same bundle, in
whatever order they were written. A large site's index is made in parts
(`plan.search_parts`), one run each; a part after the first is the index alone, searched
with the first part's code.

Raises `SearchIndexError`, with a one-line message, when Pagefind is missing or fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SearchIndexError

BUNDLE = "pagefind"
"""The bundle's folder inside the site, and so its address: `/pagefind/pagefind.js`."""

UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces, which the search page does not use (it has its own
script on Pagefind's search API): not published, some 400 KB less."""

INDEX_FILES = ("pagefind-entry.json", "*.pf_meta", "index/*", "fragment/*", "filter/*")
"""The files of a part of the index after the first: the index without the code, which the
search page loads once, from the first part."""


LEFT_OUT = (
    ".back",
    ".share",
    ".embed-code",
    ".pager",
    ".cites",
    ".cited-by",
    ".contents",
    "[aria-labelledby=_same-speaker]",
    "[aria-labelledby=_quotes]",
    "[aria-labelledby=_events]",
    "[aria-labelledby=_rulings]",
)
"""Parts of the indexed pages that are not what the page is about: navigation, share and
embed boxes, citation marks ("[1]" in every excerpt), lists of other items (a party page
would otherwise match every search for its quotes)."""


@dataclass(frozen=True)
class SearchIndexResult:
    """What indexing made: the bundle's folder and how many pages it covers."""

    bundle: Path
    pages: int


@contextmanager
def search_bundle(
    site_dir: Path,
    pages: Sequence[str],
    *,
    language: str,
    keep_index_url: bool = False,
    with_code: bool = True,
) -> Iterator[SearchIndexResult]:
    """Index `pages` (paths of HTML files in `site_dir`, sorted); yield the bundle, in a
    folder removed afterwards.

    Pagefind numbers pages in the order it finds their files, which is the order the folder
    lists them, not a sorted one: the same site written in another order (by a parallel or
    an incremental build) would get another index. So it indexes a mirror beside the site,
    made of links to the pages created in sorted order, and the bundle depends only on
    the pages. `language` (the site's `<html lang>`) picks Pagefind's word stemming for every
    page; "" (a site of several languages) leaves Pagefind to make an index per page
    language, by each page's `<html lang>`, which the search page of that language loads;
    `keep_index_url` keeps `index.html` in result addresses, for a site read from disk.
    Without `with_code` the bundle is the index alone (`INDEX_FILES`), a part after the
    first.
    """
    program = _pagefind_program()
    mirror = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.search-", dir=site_dir.parent))
    try:
        _mirror_pages(site_dir, pages, mirror)
        command = [str(program), "--site", ".", "--output-subdir", BUNDLE]
        if language:
            command += ["--force-language", language]
        command.append("--quiet")
        for selector in LEFT_OUT:
            command += ["--exclude-selectors", selector]
        if keep_index_url:
            command.append("--keep-index-url")
        _run(command, mirror, site_dir)
        bundle = mirror / BUNDLE
        for name in UNUSED_FILES:
            (bundle / name).unlink(missing_ok=True)
        if not with_code:
            _keep_index_only(bundle)
        _sort_languages(bundle)
        yield SearchIndexResult(bundle=bundle, pages=_page_count(bundle))
    finally:
        shutil.rmtree(mirror, ignore_errors=True)


def _mirror_pages(site_dir: Path, pages: Sequence[str], mirror: Path) -> None:
    """Link `pages` of `site_dir` into `mirror`, in their order; copy where the file system
    has no links."""
    made: set[Path] = set()
    for relative in pages:
        target = mirror / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(site_dir / relative, target)
        except OSError:
            shutil.copyfile(site_dir / relative, target)


def _keep_index_only(bundle: Path) -> None:
    """Remove from `bundle` every file but the index's own (`INDEX_FILES`)."""
    kept = {path for pattern in INDEX_FILES for path in bundle.glob(pattern)}
    for path in sorted(bundle.rglob("*"), reverse=True):
        if path.is_file() and path not in kept:
            path.unlink()


def _run(command: list[str], cwd: Path, site_dir: Path) -> None:
    try:
        finished = subprocess.run(
            command,
            cwd=cwd,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise SearchIndexError(f"cannot run Pagefind ({command[0]}): {reason}") from None
    if finished.returncode != 0:
        raise SearchIndexError(
            f"Pagefind could not index {site_dir}: {_reason(finished.stderr, finished.stdout)}"
        )


def _pagefind_program() -> Path:
    """The Pagefind program: `PAGEFIND_BINARY_PATH`, else the one `pagefind-bin` installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(
            "search needs Pagefind, which is not installed — run `pip install 'pagefind[bin]'`"
        ) from None
    program = get_executable()
    if program is None:
        raise SearchIndexError(
            "search needs the Pagefind program, which is not installed — "
            "run `pip install 'pagefind[bin]'`"
        )
    return program


def _environment() -> dict[str, str]:
    """This process's environment without `PAGEFIND_*` settings, which would change the index."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}


def _reason(stderr: str, stdout: str) -> str:
    """The line of Pagefind's output that says what went wrong."""
    lines = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith("Error:"):
            return line.removeprefix("Error:").strip()
        if " panicked at " in line and index + 1 < len(lines):
            return lines[index + 1]
    return lines[-1] if lines else "it stopped without saying why"


def _sort_languages(bundle: Path) -> None:
    """List the entry file's languages in sorted order: Pagefind lists the indexes of a site
    of several languages in an order of its own, which differs from run to run."""
    path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # `_page_count` reports it
    if not isinstance(languages, dict) or len(languages) < 2:
        return  # one index: written as Pagefind wrote it
    entry["languages"] = dict(sorted(languages.items()))
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


def _page_count(bundle: Path) -> int:
    """How many pages the bundle covers, from its entry file."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchIndexError(f"Pagefind wrote no usable index in {bundle}: {exc}") from None
