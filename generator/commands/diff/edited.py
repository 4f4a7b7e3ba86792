"""The second side of a review, read as an edit of the first.

Its files are read from a copy of the first side's load cache, so only the items whose
bytes differ are parsed again. When the change is an edit of wording alone (`build.patch`:
a quote's text, an event's body), it is validated item by item and made to the first side's
plan instead of planning again, as the preview makes it, but only once the pages it can
touch have been rendered as they were (`pages`). Any other change is validated and planned
whole, as `read_version` does.
"""

from __future__ import annotations

from generator.build.image_store import ImageStore
from generator.build.patch import Built, find_patch
from generator.commands.diff.sides import Side
from generator.commands.diff.versions import (
    Version,
    checked_version,
    errors_version,
    plan_version,
    theme_digests,
)
from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.plan.context import case_views
from generator.validate.content import validate_content


def read_edited(before: Version, side: Side, images: ImageStore | None = None) -> Version:
    """Read `side`, planned, starting from what reading `before` found. `before`'s plan is
    changed in place when `pages.page_changes` applies the edit (`Version.patch`)."""
    cache = (
        None
        if before.load_cache is None
        else before.load_cache.moved(before.side.content_dir, side.content_dir)
    )
    try:
        raw = load_content(side.content_dir, cache)
        found = None
        if before.plan is not None and theme_digests(side.templates_dir) == before.templates:
            found = find_patch(_built(before), raw)
        content = validate_content(raw) if found is None else found.content
    except ContentErrors as exc:
        return errors_version(side, exc)
    version = checked_version(side, raw, content)
    version.load_cache = cache
    if found is None:
        plan_version(version, content, images or ImageStore(None))
        return version
    assert before.pages is not None
    version.plan, version.pages, version.patch = before.plan, dict(before.pages), found
    version.views, version.holders = dict(before.views), before.holders
    version.media, version.templates, version.urls = before.media, before.templates, before.urls
    return version


def _built(version: Version) -> Built:
    assert version.raw is not None and version.content is not None and version.plan is not None
    plan = version.plan
    return Built(
        version.raw,
        version.content,
        plan,
        {view.view_key: view for case in plan.cases for view in case_views(case)},
        {page.path: page for page in plan.pages},
    )
