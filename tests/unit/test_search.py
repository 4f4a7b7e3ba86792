"""Search indexing: Pagefind over a small built site, the bundle it leaves, and its errors."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build.search_index import BUNDLE, UNUSED_FILES, SearchIndexError, search_bundle
from tests.conftest import write_tree


def _require_pagefind() -> None:
    """Skip when Pagefind is not installed, but fail under CI=true: CI never silently skips."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        program = None
    else:
        program = get_executable()
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Pagefind is not installed; CI=true, so the search tests must run")
        pytest.skip("Pagefind is not installed (pip install 'pagefind[bin]')")


def _page(body: str) -> str:
    head = '<!doctype html>\n<html lang="en"><head><title>t</title></head>'
    return f"{head}<body>{body}</body></html>\n"


def _item(kind: str, body: str, case: str = "Email warrant") -> str:
    """An item page as the templates mark one: its text, its kind and its case."""
    return _page(
        f'<p class="back"><a href="../">All</a></p><main><div data-pagefind-body '
        f'data-pagefind-meta="case[data-case], kind:{kind}" data-case="{case}">'
        f"{body}</div></main>"
    )


SITE = {
    "index.html": _page("<h1>All cases</h1><ul><li>Ruling by Loretta A. Preska</li></ul>"),
    "email/rulings/contempt/index.html": _item(
        "Ruling",
        "<h1>Contempt order</h1><dl><dt>Judge</dt><dd>Loretta A. Preska</dd></dl>"
        "<section data-pagefind-ignore><h2>Share</h2><p>Copy this address</p></section>",
    ),
    "email/quotes/control/index.html": _item(
        "Quote",
        "<h1>Quote by Loretta A. Preska</h1><blockquote><p>It is a question of control, "
        "not of location.</p></blockquote>",
    ),
    "email/sources/index.html": _item(
        "Source",
        '<h1>Sources</h1><ol><li><h2 id="hearing">Transcript of the hearing</h2>'
        "<p>Southern District of New York</p><p data-pagefind-ignore>Cited by: the quote</p></li>"
        '<li><h2 id="brief">Brief for the appellant</h2><p>Second Circuit</p></li></ol>',
    ),
    "trade/timeline/hearing/index.html": _item(
        "Event", "<h1>The hearing</h1><p>Judge Preska heard the parties.</p>", "Trade dispute"
    ),
    "trade/parties/preska/index.html": _item(
        "Party",
        "<h1>Loretta A. Preska</h1><p>Chief Judge.</p>"
        '<figure class="quote-card" data-pagefind-ignore="all"><blockquote><p>Sovereign '
        'waters</p></blockquote><figcaption data-pagefind-filter="speaker">Preska'
        "</figcaption></figure>",
        "Trade dispute",
    ),
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _bundle(site: Path, **options: Any) -> tuple[int, dict[str, bytes]]:
    """Index `site`; return the pages covered and the bundle's files (gone after indexing)."""
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    with search_bundle(site, pages, language="en", **options) as result:
        return result.pages, _tree(result.bundle)


def _fragments(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    """Each indexed page's record, by address: gzip-compressed JSON after a fixed prefix."""
    records = {}
    for name, data in files.items():
        if name.startswith("fragment/"):
            record = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
            records[record["url"]] = record
    return records


def test_marked_pages_are_indexed_with_their_kind_and_case(tmp_path: Path) -> None:
    _require_pagefind()
    site = write_tree(tmp_path / "site", SITE)

    pages, files = _bundle(site)

    assert pages == 5
    assert "pagefind.js" in files
    assert "wasm.en.pagefind" in files
    assert any(name.startswith("index/en_") and name.endswith(".pf_index") for name in files)
    records = _fragments(files)
    assert sorted(records) == [
        "/email/quotes/control/",
        "/email/rulings/contempt/",
        "/email/sources/",
        "/trade/parties/preska/",
        "/trade/timeline/hearing/",
    ]
    ruling = records["/email/rulings/contempt/"]
    assert ruling["meta"] == {"title": "Contempt order", "case": "Email warrant", "kind": "Ruling"}
    assert "Loretta A. Preska" in ruling["content"]
    assert "Copy this address" not in ruling["content"]
    sources = records["/email/sources/"]
    assert [(a["element"], a["id"], a["text"]) for a in sources["anchors"]] == [
        ("h2", "hearing", "Transcript of the hearing"),
        ("h2", "brief", "Brief for the appellant"),
    ]
    assert "Cited by" not in sources["content"]
    party = records["/trade/parties/preska/"]  # what render.indexed leaves out of its digest
    assert "Chief Judge" in party["content"]
    assert "Sovereign" not in party["content"] and party["filters"] == {}


def test_addresses_keep_index_html_for_a_site_read_from_disk(tmp_path: Path) -> None:
    _require_pagefind()
    site = write_tree(tmp_path / "site", SITE)

    _, files = _bundle(site, keep_index_url=True)

    assert "/email/quotes/control/index.html" in _fragments(files)


def test_unused_interfaces_are_not_in_the_bundle_and_nothing_is_left_behind(
    tmp_path: Path,
) -> None:
    _require_pagefind()
    site = write_tree(tmp_path / "site", SITE)
    before = _tree(tmp_path)

    _, files = _bundle(site)

    assert "pagefind.js" in files
    assert [name for name in UNUSED_FILES if name in files] == []
    assert _tree(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


@pytest.fixture
def creation_ordered(tmp_path: Path) -> Iterator[Path]:
    """A folder on tmpfs when there is one: it lists files in the order they were made, as a
    disk's file system (ext4 lists them by a hash of the name) does not, so only there would
    Pagefind see the same pages in a different order."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(dir=shm, prefix="test-search-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def test_the_same_pages_written_in_another_order_give_the_same_bytes(
    creation_ordered: Path,
) -> None:
    _require_pagefind()
    first = write_tree(creation_ordered / "first", SITE)
    reversed_site = write_tree(creation_ordered / "second", dict(reversed(list(SITE.items()))))
    stale = reversed_site / BUNDLE / "fragment" / "en_stale.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an old bundle's file is not indexed")

    _, files = _bundle(first)

    assert len(files) > 5
    assert _bundle(reversed_site)[1] == files


def test_a_changed_page_changes_the_index(tmp_path: Path) -> None:
    _require_pagefind()
    site = write_tree(tmp_path / "site", SITE)
    _, before = _bundle(site)
    changed = site / "email/quotes/control/index.html"
    changed.write_text(_item("Quote", "<h1>Quote by the court</h1><p>Contempt.</p>"))

    _, after = _bundle(site)

    entry = "pagefind-entry.json"
    assert after[entry] != before[entry]
    assert "/email/quotes/control/" in _fragments(after)


def test_a_missing_program_is_a_search_index_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pagefind.service")
    site = write_tree(tmp_path / "site", SITE)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))

    with pytest.raises(SearchIndexError) as caught:
        _bundle(site)

    assert str(caught.value) == (
        f"cannot run Pagefind ({tmp_path / 'no-such-pagefind'}): no such file or directory"
    )


def test_a_missing_package_is_a_search_index_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_tree(tmp_path / "site", SITE)
    monkeypatch.setitem(sys.modules, "pagefind.service", None)

    with pytest.raises(SearchIndexError, match=r"^search needs Pagefind, which is not installed"):
        _bundle(site)


def test_a_failed_index_reports_pagefind_s_reason_on_one_line(tmp_path: Path) -> None:
    _require_pagefind()
    site = write_tree(tmp_path / "site", {"robots.txt": "User-agent: *\n"})

    with pytest.raises(SearchIndexError) as caught:
        _bundle(site)

    assert str(caught.value) == (
        f"Pagefind could not index {site}: Pagefind was not able to build an index."
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
