"""In a real browser: a sanitized SVG, opened directly from the site's origin, runs nothing and
asks for nothing.

Every payload of the planted file names a relative `sentinel/` address, so the server's log shows
which copy of the file asked for it.

The same planted file is opened first as it was written, to show that its payloads do run in
this browser (so that their silence afterwards means something), then sanitized.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.render.svg import sanitize_svg
from tests.browser.conftest import served

if TYPE_CHECKING:
    from tests.browser.conftest import ContextFactory

pytestmark = pytest.mark.browser

PLANTED = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="200" height="100" onload="window.__onload = true; fetch('sentinel/onload')">
  <title>Planted</title>
  <style>@import url(sentinel/import.css); rect { fill: #234 }</style>
  <script>window.__pwned = true; fetch('sentinel/script');</script>
  <rect width="200" height="100" style="stroke: red; fill: url(sentinel/fill)"/>
  <image href="sentinel/image.png" width="10" height="10"/>
  <use xlink:href="sentinel/sprite.svg#icon"/>
  <foreignObject width="100" height="50">
    <div xmlns="http://www.w3.org/1999/xhtml"><img src="sentinel/html-img"
      onerror="window.__html = true"/></div>
  </foreignObject>
  <a href="javascript:window.__pwned = true"><text x="10" y="50">Click</text></a>
</svg>
"""

LOADED_SENTINEL = (
    "performance.getEntriesByType('resource').some(e => e.name.includes('/sentinel/'))"
)
"""Whether the open document has asked for any `sentinel/` address."""


@pytest.fixture(scope="module")
def svg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    folder: Path = tmp_path_factory.mktemp("svg")
    (folder / "planted").mkdir()
    (folder / "planted" / "drawing.svg").write_text(PLANTED, encoding="utf-8")
    (folder / "sanitized").mkdir()
    (folder / "sanitized" / "drawing.svg").write_bytes(sanitize_svg(PLANTED.encode()))
    with served(folder, prefix="/") as site:
        yield site.origin, site.hits


def test_sanitized_svg_opened_directly_runs_nothing(
    context_for: ContextFactory, svg_server: tuple[str, list[str]]
) -> None:
    origin, hits = svg_server
    page = context_for(1280).new_page()
    try:
        page.goto(f"{origin}/planted/drawing.svg", wait_until="load")
        page.wait_for_function("window.__pwned === true && window.__onload === true")
        page.wait_for_function("window.__html === true")  # the HTML inside ran too
        page.wait_for_function(LOADED_SENTINEL)

        page.goto(f"{origin}/sanitized/drawing.svg", wait_until="load")
        page.click("text=Click")
        ran = page.evaluate("[window.__pwned, window.__onload, window.__html]")
        assert ran == [None, None, None]
        assert page.evaluate(LOADED_SENTINEL) is False
        assert page.evaluate("document.documentElement.localName") == "svg"
        assert page.evaluate("getComputedStyle(document.querySelector('rect')).fill") == (
            "rgb(34, 51, 68)"
        )
        assert "/sanitized/drawing.svg" in hits
        assert [hit for hit in hits if hit.startswith("/sanitized/sentinel")] == []
    finally:
        page.close()
