"""The rules a media item keeps beyond its model, and its file in the case's media/ folder.

A picture has alt text unless it is decorative, and a decorative one has none; `permission`
needs a `licence_note` saying whose and on what terms. `file` names a file inside the case's
media folder (no `..`, no absolute path, no link leading out), of a kind the site takes both by
its name and by its first bytes; only documents have `title`, `pages` and `excerpts`, a document
has a `title`, and no excerpt is on a page after the last. Only a person has a `portrait`. A
picture is named in `image` or `portrait`, a document in `documents`, never the other way.

Every check here is cheap: names and the first bytes the loader read. Decoding pictures and
opening documents is the build's, which reports what these checks cannot see (a truncated
picture, a PDF that will not open).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from generator.errors import ContentError, did_you_mean, shorten
from generator.load.content import MediaFolder, RawItem
from generator.models import DOCUMENT_TYPES, MEDIA_TYPES, Media, Party

_KIND_NAMES = {
    "image/jpeg": "a JPEG picture",
    "image/png": "a PNG picture",
    "image/webp": "a WebP picture",
    "image/svg+xml": "an SVG picture",
    "application/pdf": "a PDF document",
}


def check_media(
    items: list[tuple[Media, RawItem]], folder: MediaFolder | None, errors: list[ContentError]
) -> None:
    """Report the mistakes of each valid media item of a case whose media folder is `folder`."""
    for media, item in items:
        _check_alt(media, item, errors)
        if media.licence == "permission" and not media.licence_note:
            errors.append(
                ContentError(
                    item.locate(("licence",)),
                    "`licence: permission` needs a `licence_note`",
                    "say in `licence_note` who gave permission and on what terms",
                )
            )
        media_type = _check_file(media, item, folder, errors)
        _check_pages(media, item, media_type, errors)


def check_portraits(items: list[tuple[Party, RawItem]], errors: list[ContentError]) -> None:
    """Report a `portrait` on a party that is not a person."""
    for party, item in items:
        if party.portrait is not None and party.kind != "person":
            errors.append(
                ContentError(
                    item.locate(("portrait",)),
                    f"only a person has a `portrait`, but `{party.id}` is of kind `{party.kind}`",
                    "name its picture in `image` instead",
                )
            )


def check_media_uses(
    users: Iterable[tuple[Any, RawItem]],
    media: list[tuple[Media, RawItem]],
    errors: list[ContentError],
) -> None:
    """Report a document named where a picture is shown (`image`, `portrait`), and a picture
    named in `documents`; `users` are the validated items (and case.yaml) that may name media."""
    documents = {m.id for m, _ in media if media_type_of(m.file) in DOCUMENT_TYPES}
    pictures = {m.id for m, _ in media if m.id not in documents}
    for model, item in users:
        for field in ("image", "portrait"):
            ident = getattr(model, field, None)
            if ident in documents:
                errors.append(
                    ContentError(
                        item.locate((field,)),
                        f"`{field}` names a picture, but `{ident}` is a document (a PDF)",
                        f"name it in `documents` instead, and a picture in `{field}`",
                    )
                )
        for index, ident in enumerate(getattr(model, "documents", ())):
            if ident in pictures:
                errors.append(
                    ContentError(
                        item.locate(("documents", index)),
                        f"`documents` names documents (PDFs), but `{ident}` is a picture",
                        "name it in `image` instead",
                    )
                )


def media_type_of(name: str) -> str | None:
    """The media type a file name says, by its ending (`.JPG` as `.jpg`), or None."""
    suffix = PurePosixPath(name).suffix.lower()
    return next((kind for kind, suffixes in MEDIA_TYPES.items() if suffix in suffixes), None)


def sniffed_type(head: bytes) -> str | None:
    """The media type the first bytes of a file show, or None for none the site takes."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"  # readers accept the header a little after the start
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<") and "<svg" in text:
        return "image/svg+xml"
    return None


def _check_alt(media: Media, item: RawItem, errors: list[ContentError]) -> None:
    if media_type_of(media.file) in DOCUMENT_TYPES:
        # A document is not shown as a picture: its `title` names it, and each excerpt's
        # page is described as "Page N of <title>".
        for field in ("alt", "decorative"):
            if _has(item, field):
                errors.append(
                    ContentError(
                        item.locate((field,)),
                        f"a document has no `{field}`: its `title` names it, and the page of "
                        "each excerpt is described by its number and the title",
                        f"delete `{field}`",
                    )
                )
        return
    if media.decorative and media.alt:
        errors.append(
            ContentError(
                item.locate(("alt",)),
                "a decorative picture has no `alt`",
                "delete `alt`, or delete `decorative: true` if readers need to know what it shows",
            )
        )
    elif not media.decorative and not media.alt:
        where = item.locate(("alt",)) if _has(item, "alt") else item.locate(("id",))
        errors.append(
            ContentError(
                where,
                f"media item `{media.id}` has no `alt`",
                "say in `alt` what the picture shows, for readers who cannot see it; only a "
                "picture that adds nothing may go without, with `decorative: true`",
            )
        )


def _check_file(
    media: Media, item: RawItem, folder: MediaFolder | None, errors: list[ContentError]
) -> str | None:
    """Check `file`; return its media type when it is a file the site takes."""
    where = item.locate(("file",))
    name = media.file
    path = PurePosixPath(name)
    if "\\" in name:
        errors.append(
            ContentError(
                where,
                f"`{shorten(name)}` separates folders with `\\`",
                "write `/` between folders, e.g. `maps/dublin.png`",
            )
        )
        return None
    if path.is_absolute() or ".." in path.parts or name.startswith("~"):
        errors.append(
            ContentError(
                where,
                f"`{shorten(name)}` is not inside the case's media folder",
                "put the file in media/ and write its path from there, e.g. `map.png`",
            )
        )
        return None
    relative = path.as_posix()
    media_type = media_type_of(relative)
    if media_type is None:
        errors.append(
            ContentError(
                where,
                f"`{shorten(name)}` is not a kind of file the site takes",
                "use a JPEG, PNG, WebP or SVG picture or a PDF document",
            )
        )
        return None
    found = folder.files.get(relative) if folder is not None else None
    if found is None:
        present = list(folder.files) if folder is not None else []
        hint = did_you_mean(relative, present) or (
            "put the file in the case's media/ folder, or fix the path"
            if present
            else "the case has no media/ folder: make one beside case.yaml and put the file in it"
        )
        errors.append(ContentError(where, f"media file `{shorten(name)}` not found", hint))
        return None
    if found.leads_to is not None:
        errors.append(
            ContentError(
                where,
                f"`{shorten(name)}` is a link to `{shorten(found.leads_to)}`, outside the media "
                "folder",
                "put the file itself in media/ instead of a link",
            )
        )
        return None
    if not found.regular:
        errors.append(
            ContentError(
                where,
                f"`{shorten(name)}` is not a file that can be read",
                "put the picture or document itself in media/",
            )
        )
        return None
    sniffed = sniffed_type(found.head)
    if sniffed != media_type:
        actual = _KIND_NAMES[sniffed] if sniffed else "no kind of file the site takes"
        errors.append(
            ContentError(
                where,
                f"`{shorten(name)}` is named as {_KIND_NAMES[media_type]}, but its first bytes "
                f"are those of {actual}",
                "export it again in the kind its name says, or rename it"
                if sniffed
                else "export it again as a JPEG, PNG, WebP or SVG picture or a PDF document",
            )
        )
        return None
    return media_type


def _check_pages(
    media: Media, item: RawItem, media_type: str | None, errors: list[ContentError]
) -> None:
    """Pages and excerpts belong to documents, and no excerpt is after the last page."""
    is_document = media_type_of(media.file) in DOCUMENT_TYPES
    if is_document and media.title is None:
        errors.append(
            ContentError(
                item.locate(("id",)),
                f"document `{media.id}` has no `title`",
                "add `title`: the document's name as readers should see it, such as the title "
                "on its first page",
            )
        )
    for field in ("title", "pages", "excerpts"):
        if not is_document and _has(item, field):
            errors.append(
                ContentError(
                    item.locate((field,)),
                    f"only a document (a PDF) has `{field}`, and `{shorten(media.file)}` is a "
                    "picture",
                    f"delete `{field}`",
                )
            )
    if not is_document or not media.excerpts:
        return
    if media.pages is None:
        errors.append(
            ContentError(
                item.locate(("excerpts",)),
                f"a document with `excerpts` needs `pages`: how many pages `{media.id}` has",
                "add `pages`, the number of the document's last page",
            )
        )
        return
    for index, excerpt in enumerate(media.excerpts):
        if excerpt.page > media.pages:
            errors.append(
                ContentError(
                    item.locate(("excerpts", index, "page")),
                    f"this excerpt is on page {excerpt.page}, but `{media.id}` has "
                    f"{media.pages} page{'s' * (media.pages != 1)}",
                    "fix the page, or `pages` if the document is longer",
                )
            )


def _has(item: RawItem, field: str) -> bool:
    return isinstance(item.data, dict) and field in item.data
