"""PDF documents: checked before they are published, and their excerpted pages drawn.

A document is opened with pdfium (through pypdfium2, the library made for rendering PDF
pages), which tells how many pages it has and whether it can be opened at all. Nothing an
editor publishes may run script: a document with JavaScript, whether pdfium lists it (the
document's named scripts) or an action names it (`/OpenAction`, `/AA`, a link's `/A`, found in
the file's bytes and in its compressed object streams), is refused, and so is one with an action
that starts a program (`/Launch`). An excerpt's page is drawn
at `PAGE_WIDTH` pixels wide and goes through `process_image`, so that it gets the same files as
any picture (WebP and a fallback at a few widths, no metadata) and the same bytes every build.

pypdfium2 is imported when a document is first opened: a site without documents never pays for
it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from generator.render.images import ProcessedImage, process_image

RENDERING_VERSION = 1
"""Changes whenever a page is drawn differently, so that pages kept by an older build are
drawn again."""
PAGE_WIDTH = 1600
"""Pixels; an excerpt's page is drawn this wide, then scaled down like any picture."""
MAX_STREAM_BYTES = 64 * 1024 * 1024
"""Decompressed bytes of the file's streams searched for script, at most; a document whose
streams inflate beyond this is refused rather than searched in part."""

_SCRIPT = re.compile(rb"/S\s*/(?:JavaScript|Launch)(?![A-Za-z0-9_.#-])|/JS\s*[(<\[0-9]")
"""An action that runs script (`<< /S /JavaScript /JS (...) >>`) or starts a program
(`/S /Launch`): every action states its type in `/S`, and a script is the value of `/JS`. These
bytes are too long to occur by chance in a picture's data."""
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
"""A character of a name written as `#` and its hex code (`/JavaScr#69pt`), which readers
decode: names are searched decoded."""
_STREAM = re.compile(rb"stream\r?\n")
_END_MARKER = b"%%EOF"
_PASSWORD_ERROR = 4
"""pdfium's FPDF_ERR_PASSWORD."""


class PdfError(ValueError):
    """Why a document cannot be published, and what the editor can do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[PdfError], tuple[str, str]]:
        return PdfError, (self.message, self.hint)


@dataclass(frozen=True)
class ProcessedDocument:
    """What a document gives the site: its page count and the pictures of the pages asked."""

    pages: int
    drawn: dict[int, ProcessedImage]
    """By page number (1 is the first); a page asked that the document lacks is not here."""


def rendering_setup() -> str:
    """What the drawn pages depend on besides the file: this module's version, the width and
    the version of pdfium; a key of kept pages covers it."""
    import pypdfium2

    return f"{RENDERING_VERSION} {PAGE_WIDTH} {pypdfium2.version.PDFIUM_INFO}"


def process_pdf(data: bytes, pages: tuple[int, ...] = ()) -> ProcessedDocument:
    """Open the document `data`, check that it can be published, and draw each of `pages`
    (numbers from 1) that it has; the caller compares the count with what the editor said.
    Raise `PdfError` if it cannot be opened or carries script."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    if _END_MARKER not in data[-1024:]:
        raise PdfError(
            "the file ends before its end marker (`%%EOF`): it is truncated or not a whole PDF",
            "copy or download the document again, whole",
        )
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
            raise PdfError(
                "the document is protected by a password",
                "publish a copy without a password (print it to a new PDF, or remove the "
                "password in the program that made it)",
            ) from None
        raise PdfError(
            "the document cannot be opened: it is damaged or not a PDF",
            "export or download the document again",
        ) from None
    try:
        if pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0 or _names_script(data):
            raise PdfError(
                "the document carries JavaScript or an action that starts a program, and nothing "
                "the site publishes may run script",
                "remove the script: print the document to a new PDF, or save it without its "
                "scripts and form actions",
            )
        count = len(document)
        drawn: dict[int, ProcessedImage] = {}
        for number in sorted(set(pages)):
            if 1 <= number <= count:
                drawn[number] = process_image(_draw(document, number))
        return ProcessedDocument(count, drawn)
    finally:
        document.close()


def _draw(document: object, number: int) -> bytes:
    """Page `number` of `document` drawn `PAGE_WIDTH` wide on white, as a PNG."""
    import io

    import pypdfium2

    assert isinstance(document, pypdfium2.PdfDocument)
    page = document[number - 1]
    try:
        width, _ = page.get_size()
        bitmap = page.render(scale=PAGE_WIDTH / width if width > 0 else 1, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
    finally:
        page.close()
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _has_script(data: bytes) -> bool:
    return _SCRIPT.search(_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)) is not None


def _names_script(data: bytes) -> bool:
    """Whether the file names a script action in its bytes or in any stream that inflates
    (object streams hide the dictionaries of the actions in compressed streams)."""
    if _has_script(data):
        return True
    budget = MAX_STREAM_BYTES
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(view[match.end() :], budget)
        except zlib.error:
            continue  # not a Flate stream (an image, or another filter): no dictionaries
        if _has_script(inflated):
            return True
        budget -= len(inflated)
        if budget <= 0:
            raise PdfError(
                "the document's compressed parts are too large to check for script",
                "publish a smaller copy of the document, or only the pages you excerpt",
            )
    return False
