"""The views of a case's pictures, from its media items and the files the build made of them.

Plan neither reads nor decodes files: the build processes each picture first
(`build.image_store`) and hands plan an `ImageFiles` per media item, with the URLs of the
files it will write and the picture's size. An item that no page shows needs none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.models import LICENCES, Media
from generator.plan.context import ImageVariant, MediaView


@dataclass(frozen=True)
class ImageFiles:
    """What the build made of one picture: its files' URLs (site-root-relative) and size."""

    width: int | None
    height: int | None
    modern: tuple[ImageVariant, ...]
    """WebP files, narrowest first; none for an SVG."""
    fallback: tuple[ImageVariant, ...]
    """JPEG or PNG files, or the sanitized SVG, narrowest first."""
    fallback_type: str


MediaFiles = Mapping[tuple[str, str], ImageFiles]
"""The files of each picture processed, by case slug and media id."""


def media_views(slug: str, media: tuple[Media, ...], files: MediaFiles) -> dict[str, MediaView]:
    """The view of each of the case's pictures the build processed, by media id."""
    views: dict[str, MediaView] = {}
    for item in media:
        made = files.get((slug, item.id))
        if made is None:
            continue
        licence = LICENCES[item.licence]
        structured = {"@type": "ImageObject", "creditText": item.credit}
        if licence.deed is not None:
            structured["license"] = licence.deed
        if item.source is not None:
            structured["acquireLicensePage"] = item.source
        views[item.id] = MediaView(
            key=f"{slug}/media/{item.id}",
            id=item.id,
            alt=item.alt or "",
            caption=item.caption,
            credit=item.credit,
            licence=item.licence,
            licence_name=licence.name,
            licence_url=licence.deed,
            licence_note=item.licence_note,
            source=item.source,
            date=item.date,
            width=made.width,
            height=made.height,
            modern=list(made.modern),
            fallback=list(made.fallback),
            fallback_type=made.fallback_type,
            src=made.fallback[-1].url,
            structured=structured,
        )
    return views
