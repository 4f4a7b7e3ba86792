"""The overview of an ongoing case shows the latest ruling's `next_step`, a field the
preview patches in place: after such an edit the overview is rendered again, exactly."""

from __future__ import annotations

from pathlib import Path

from tests.incremental_edits import CASE, ids, set_field, yaml_string
from tests.test_incremental import build_and_check, copy_site, serve_builder


def test_rewording_the_latest_rulings_next_step_reaches_an_ongoing_overview(
    tmp_path: Path,
) -> None:
    site = copy_site(tmp_path)
    set_field(site.case / "case.yaml", None, "status", "ongoing")
    builder = serve_builder(site)
    build_and_check(builder, site, ["the real case, ongoing"])
    rulings = site.collection("rulings")
    latest = ids(rulings)[-1]
    set_field(rulings, latest, "next_step", yaml_string("A rehearing is expected in May."))

    result = build_and_check(builder, site, [f"reworded the next step of {latest}"])

    assert "patch" in result.stages and "plan" not in result.stages
    overview = (site.output / CASE / "index.html").read_text(encoding="utf-8")
    assert "Since the latest ruling" in overview
    assert "A rehearing is expected in May." in overview
