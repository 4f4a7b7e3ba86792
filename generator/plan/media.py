"""The views of a case's pictures and documents, from its media items and the files the build
made of them.

Plan neither reads nor decodes files: the build processes each picture first
(`build.image_store`) and hands plan an `ImageFiles` per media item, with the URLs of the
files it will write and the picture's size. An item that no page shows needs none. Of a
document the build hands a `DocumentFiles`: the PDF's URL, its page count and the pictures of
its excerpted pages (`build.document_store`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.models import LICENCES, Media
from generator.plan.context import Citation, DocumentView, ExcerptView, ImageVariant, MediaView


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


@dataclass(frozen=True)
class DocumentFiles:
    """What the build made of one document: the PDF's URL, its pages, its pages drawn."""

    url: str
    pages: int
    drawn: Mapping[int, ImageFiles]
    """The pictures of the pages its excerpts are on, by page number."""


DocumentsMade = Mapping[tuple[str, str], DocumentFiles]
"""The files of each document, by case slug and media id."""


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
        views[item.id] = _picture(
            f"{slug}/media/{item.id}", item, item.alt or "", item.caption, made, structured
        )
    return views


def document_views(
    slug: str,
    media: tuple[Media, ...],
    made: DocumentsMade,
    cite: Callable[[list[str]], list[Citation]],
) -> dict[str, DocumentView]:
    """The view of each of the case's documents the build opened, by media id."""
    views: dict[str, DocumentView] = {}
    for item in media:
        files = made.get((slug, item.id))
        if files is None:
            continue
        title = item.title or item.id
        count = f"{files.pages} page{'s' * (files.pages != 1)}"
        licence = LICENCES[item.licence]
        pictures: dict[int, MediaView] = {}
        excerpts = []
        for excerpt in item.excerpts:
            picture = pictures.get(excerpt.page)
            if picture is None:
                picture = pictures[excerpt.page] = _picture(
                    f"{slug}/media/{item.id}/page-{excerpt.page}",
                    item,
                    f"Page {excerpt.page} of {title}",
                    None,
                    files.drawn[excerpt.page],
                    {},
                )
            excerpts.append(
                ExcerptView(
                    page=excerpt.page,
                    quote=excerpt.quote,
                    sources=cite(excerpt.sources),
                    picture=picture,
                    url=f"{files.url}#page={excerpt.page}",
                    label=f"Page {excerpt.page} of {title} (PDF, {count})",
                )
            )
        views[item.id] = DocumentView(
            key=f"{slug}/media/{item.id}",
            id=item.id,
            title=title,
            caption=item.caption,
            credit=item.credit,
            licence=item.licence,
            licence_name=licence.name,
            licence_url=licence.deed,
            licence_note=item.licence_note,
            source=item.source,
            date=item.date,
            url=files.url,
            pages=files.pages,
            label=f"{title} (PDF, {count})",
            excerpts=excerpts,
        )
    return views


def _picture(
    key: str,
    item: Media,
    alt: str,
    caption: str | None,
    made: ImageFiles,
    structured: dict[str, str],
) -> MediaView:
    licence = LICENCES[item.licence]
    return MediaView(
        key=key,
        id=item.id,
        alt=alt,
        caption=caption,
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
