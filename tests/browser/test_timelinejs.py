"""A real client of `explainer export --format timelinejs-json`: TimelineJS itself.

TimelineJS 3.9.11, from the npm registry (`npm pack`, fetched once into a cache folder keyed
by its version), loads the export of the real case from a local server in Chromium: it must
show one slide per event, in order, with no console error and no request leaving the
machine (its web fonts, which it would load from Google, are turned off).
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

from generator.commands.spreadsheet.exporter import export_case
from tests.browser.conftest import ContextFactory, need, open_page, served
from tests.conftest import REAL_CONTENT

pytestmark = pytest.mark.browser

VERSION = "3.9.11"
PACKAGE = f"@knight-lab/timelinejs@{VERSION}"
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "explainer-tests")
    / f"timelinejs-{VERSION}"
)

CASE = "microsoft-ireland"
"""Exported straight from the content: the test needs no built site."""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TimelineJS</title>
<link rel="stylesheet" href="tl/css/timeline.css">
<style>#timeline { width: 100%; height: 640px; }</style>
</head>
<body>
<div id="timeline"></div>
<script src="tl/js/timeline.js"></script>
<script>
fetch("timeline.json").then(response => response.json()).then(data => {
  const timeline = new TL.Timeline("timeline", data, {
    script_path: new URL("tl/js/", location.href).href,
    font: null,
    language: "en",
  });
  timeline.on("loaded", () => { window.timelineLoaded = true; });
});
</script>
</body>
</html>
"""


def _timelinejs() -> Path:
    """TimelineJS's `dist` folder, fetched with `npm pack` on first use."""
    dist = CACHE / "dist"
    if (dist / "js" / "timeline.js").is_file():
        return dist
    npm = shutil.which("npm")
    need(npm is not None, "npm (to fetch TimelineJS)")
    assert npm is not None
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE.parent) as work:
        packed = subprocess.run(
            [npm, "pack", PACKAGE, "--pack-destination", work, "--silent"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        need(packed.returncode == 0, f"{PACKAGE} from the npm registry ({packed.stderr.strip()})")
        (tarball,) = Path(work).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("package/dist/")]
            archive.extractall(work, members=members, filter="data")
        unpacked = Path(work) / "unpacked"
        unpacked.mkdir()
        (Path(work) / "package" / "dist").rename(unpacked / "dist")
        try:
            unpacked.rename(CACHE)  # atomic: a parallel worker may have been first
        except OSError:
            assert (dist / "js" / "timeline.js").is_file()
    return dist


def test_timelinejs_shows_one_slide_per_event_of_the_export(
    context_for: ContextFactory, tmp_path: Path
) -> None:
    dist = _timelinejs()
    exported = export_case(REAL_CONTENT, "events", CASE, "timelinejs-json")
    assert isinstance(exported, str)
    events = json.loads(exported)["events"]
    assert events, "the case has no events"
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "timeline.json").write_text(exported, encoding="utf-8")
    shutil.copytree(dist, tmp_path / "tl")
    media = REAL_CONTENT / "cases" / CASE / "media"
    if media.is_dir():
        shutil.copytree(media, tmp_path / "media")

    with served(tmp_path, prefix="/") as site:
        page, traffic = open_page(context_for(1280), site, "")
        try:
            page.wait_for_function("window.timelineLoaded === true", timeout=20_000)
            headlines = page.locator(
                ".tl-slide:not(.tl-slide-titleslide) .tl-headline"
            ).all_text_contents()
        finally:
            page.close()

    assert [" ".join(h.split()) for h in headlines] == [
        html.unescape(e["text"]["headline"]) for e in events
    ]
    assert traffic.foreign() == []
    assert traffic.page_console_errors() == []
    assert traffic.failed == []
