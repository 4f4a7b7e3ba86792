"""The updates log: a correction shows on the case page, in the feed and in dateModified."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.build.site import build_site
from tests.conftest import REAL_CONTENT, real_case_last_update

CASE = "microsoft-ireland"
CORRECTION = """\
  - date: 2026-11-20
    kind: correction
    text: An earlier version gave the wrong date for the Second Circuit's ruling.
"""


def test_a_correction_reaches_the_page_the_feed_and_the_structured_data(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    case_yaml = content / "cases" / CASE / "case.yaml"
    text = case_yaml.read_text(encoding="utf-8")
    assert "\nupdates:\n" in text
    case_yaml.write_text(text.replace("\nupdates:\n", "\nupdates:\n" + CORRECTION), "utf-8")
    build_site(content, tmp_path / "out")

    overview = (tmp_path / "out" / CASE / "index.html").read_text(encoding="utf-8")
    updates = overview[overview.index('id="_updates"') :]
    assert "<strong>Correction</strong>" in updates
    assert "gave the wrong date for the Second Circuit" in updates
    assert updates.index("First published.") < updates.index("gave the wrong date")  # newest first

    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', overview)
    ]
    newest = real_case_last_update(CASE).isoformat()
    assert any(item.get("dateModified") == newest for item in data)

    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.parse(tmp_path / "out" / "feed.xml").getroot().findall(f"{atom}entry")
    titles = [entry.findtext(f"{atom}title") for entry in entries]
    # The added correction is the oldest entry of the log, so the feed lists it last.
    assert (titles[-1] or "").split(":")[0] == "Correction"
    correction = entries[-1]
    assert correction.findtext(f"{atom}updated") == "2026-11-20T00:00:00Z"
    assert "wrong date" in (correction.findtext(f"{atom}summary") or "")
