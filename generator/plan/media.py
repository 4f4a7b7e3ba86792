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
from generator.strings import DEFAULT_LANGUAGE, plural, ui_strings


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
        structured = image_object(item, licence.deed, made)
        views[item.id] = _picture(
            f"{slug}/media/{item.id}", item, item.alt or "", item.caption, made, structured
        )
    return views


def document_views(
    slug: str,
    media: tuple[Media, ...],
    made: DocumentsMade,
    cite: Callable[[list[str]], list[Citation]],
    language: str = DEFAULT_LANGUAGE,
) -> dict[str, DocumentView]:
    """The view of each of the case's documents the build opened, by media id, their labels
    in `language`'s words."""
    words = ui_strings(language)
    views: dict[str, DocumentView] = {}
    for item in media:
        files = made.get((slug, item.id))
        if files is None:
            continue
        title = item.title or item.id
        count = plural("document.pages", files.pages, language).format(count=files.pages)
        licence = LICENCES[item.licence]
        pictures: dict[int, MediaView] = {}
        excerpts = []
        for excerpt in item.excerpts:
            picture = pictures.get(excerpt.page)
            if picture is None:
                picture = pictures[excerpt.page] = _picture(
                    f"{slug}/media/{item.id}/page-{excerpt.page}",
                    item,
                    words["document.page"].format(page=excerpt.page, title=title),
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
                    label=words["document.page_link"].format(
                        page=excerpt.page, title=title, pages=count
                    ),
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
            label=words["document.link"].format(title=title, pages=count),
            excerpts=excerpts,
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


def _picture(
    key: str,
    item: Media,
    alt: str,
    caption: str | None,
    made: ImageFiles,
    structured: dict[str, object],
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
        creator=item.creator,
        copyright_notice=item.copyright_notice,
        thumb_width=_within(made.width, made.height),
        thumb_height=_within(made.height, made.width),
    )
