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


THUMBNAIL = 64
"""The side, in CSS pixels (4rem), of the square a list's thumbnail fits in."""

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
        structured = image_object(item, licence.deed, made)
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
            creator=item.creator,
            copyright_notice=item.copyright_notice,
            thumb_width=_within(made.width, made.height),
            thumb_height=_within(made.height, made.width),
        )
    return views


def image_object(item: Media, deed: str | None, made: ImageFiles) -> dict[str, object]:
    """The schema.org `ImageObject` properties of a picture known before a page names it
    (the page adds `contentUrl`, absolute): its licence's deed, credit, creator, copyright
    notice, where its licence can be had, and its size."""
    structured: dict[str, object] = {"@type": "ImageObject", "creditText": item.credit}
    if deed is not None:
        structured["license"] = deed
    if item.creator is not None:
        # `creator` names a person (the photographer, the illustrator); an organization
        # that made a picture is its `credit`, which `creditText` carries.
        structured["creator"] = {"@type": "Person", "name": item.creator}
    if item.copyright_notice is not None:
        structured["copyrightNotice"] = item.copyright_notice
    if item.source is not None:
        structured["acquireLicensePage"] = item.source
    if made.width is not None and made.height is not None:
        structured["width"] = made.width
        structured["height"] = made.height
    return structured


def _within(side: int | None, other: int | None) -> int | None:
    """`side` of a picture scaled to fit `THUMBNAIL` square, at least 1; None unknown."""
    if side is None or other is None:
        return None
    return max(1, round(THUMBNAIL * side / max(side, other)))
