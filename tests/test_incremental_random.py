"""Random sequences of edits through each way of building: every build gives the bytes of a
clean build of the same content, and writes only the files whose bytes changed.

Apart from tests/test_incremental.py, whose helpers it uses, so that the two longest groups
of builds run side by side when the suite runs over several cores.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.build.site import state_path
from generator.plan import paging, search_parts
from tests.incremental_edits import ALL_EDITS, TEMPLATE_EDITS
from tests.test_incremental import build_and_check, build_builder, copy_site, serve_builder


@pytest.mark.parametrize(
    ("mode", "seed", "per_page"),
    [
        ("serve", 11, paging.PER_PAGE),
        ("one builder", 13, paging.PER_PAGE),
        ("builder per build", 16, 4),
        ("serve over 2 processes", 17, 4),
    ],
)
def test_random_edits_give_the_bytes_of_a_clean_build(
    tmp_path: Path, mode: str, seed: int, per_page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With pages of 4, the real case's timeline and quotes span several pages, and edits
    move events and quotes between them. Over 2 processes, the preview renders a share of
    each build's pages itself and a forked worker the rest, as on a large site. The search
    index is made too, and must be the clean build's as well.

    A builder per build starts each time from the state `explainer build` left on disk, as
    the command does, over 2 processes (which fingerprint the contexts, then render), with
    the search index in parts of a few pages; one of its builds finds the state file cut
    short, and a later one a stale state file (an earlier build's): each then builds every
    page, and still gives the clean build's bytes."""
    site = copy_site(tmp_path, search=True)
    monkeypatch.setattr(paging, "PER_PAGE", per_page)
    rng = random.Random(seed)
    make = serve_builder if mode.startswith("serve") else build_builder
    builder = make(site)
    if mode == "serve over 2 processes":
        builder.workers = 2
    if mode == "builder per build":
        monkeypatch.setattr(search_parts, "PART_PAGES", 60)
    history = [f"{mode}, seed {seed}, {per_page} per page"]
    build_and_check(builder, site, history)
    state = state_path(site.output)
    stale = state.read_bytes() if state.exists() else b""
    for step in range(5):
        names = rng.choices(sorted(ALL_EDITS), k=rng.choice([1, 1, 2, 3]))
        history.append(" + ".join(ALL_EDITS[name](rng, site) for name in names))
        state_kept = True
        if mode == "builder per build":
            if step == 1:
                state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
                history.append("the state file cut short")
            elif step == 3:
                state.write_bytes(stale)
                history.append("a stale state file")
            state_kept = step not in (1, 3)
            builder = build_builder(site)
            builder.workers = 2
        # A template edit changes what every page is made with, and may start over.
        content_only = all(name not in TEMPLATE_EDITS for name in names)
        check_writes = (content_only and state_kept) or mode.startswith("serve")
        result = build_and_check(builder, site, history, rewrites_only_changes=check_writes)
        if content_only:
            assert result.incremental == state_kept, f"after {history}"
