"""Documents (PDFs), end to end: named by events and rulings, opened and checked by the build,
each excerpt shown as its page drawn, its words as text and a link to that page of the PDF,
published unchanged, and kept between builds."""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageDraw

from generator.build.site import SiteBuilder, build_site
from generator.errors import ContentErrors
from generator.render.pdf import PdfError, process_pdf
from tests.conftest import CliResult, minimal_site, write_tree

EVENT_PAGE = "demo/timeline/hearing/index.html"
RULING_PAGE = "demo/rulings/opinion/index.html"
MEDIA = """\
- id: opinion
  file: opinion.pdf
  title: Opinion of the court
  credit: A court
  licence: public-domain
  pages: 3
  excerpts:
    - page: 2
      quote: a hybrid, part search warrant and part subpoena
      sources: [report]
- id: brief
  file: brief.pdf
  title: The brief
  credit: A law firm
  licence: CC-BY-4.0
- id: photo
  file: photo.png
  alt: An empty courtroom
  credit: A newsroom
  licence: CC0-1.0
"""
EVENT = """\
- id: hearing
  date: 2014-04-25
  title: The hearing
  kind: hearing
  body: The court heard both sides.
  sources: [report]
  documents: [opinion, brief]
"""
PARTIES = """\
- id: a-court
  name: A court
  kind: court
  role: Decides
  side: court
"""
RULING = """\
- id: opinion
  title: The opinion
  court: a-court
  stage: district
  date: 2014-04-25
  outcome: Motion denied
  holding: The warrant stands.
  sources: [report]
  documents: [opinion]
"""


def pdf(pages: int, shade: int = 0) -> bytes:
    """A PDF of `pages` pages, each a picture with a mark that differs by page and `shade`."""
    images = []
    for number in range(pages):
        image = Image.new("RGB", (300, 400), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((20, 20 + 40 * number, 280, 60 + 40 * number), fill=(shade, 0, 0))
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def minimal_pdf(catalog_extra: bytes = b"", trailer_extra: bytes = b"") -> bytes:
    """A one-page PDF written by hand, with `catalog_extra` in its catalog."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


OPINION, BRIEF = pdf(3), pdf(1)
"""Made once: Pillow writes the time into a PDF, and the tests compare builds of these."""
SCRIPTED = minimal_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ")
ENCRYPTED = minimal_pdf(
    trailer_extra=b"/Encrypt << /Filter /Standard /V 1 /R 2 /P -4 /O <"
    + b"11" * 32
    + b"> /U <"
    + b"22" * 32
    + b"> >> /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] "
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(out, "PNG")
    return out.getvalue()


def site_files(**changes: str | bytes) -> dict[str, str | bytes]:
    files = minimal_site(
        **{
            "media.yaml": MEDIA,
            "events.yaml": EVENT,
            "parties.yaml": PARTIES,
            "rulings.yaml": RULING,
        }
    )
    files["cases/demo/media/opinion.pdf"] = OPINION
    files["cases/demo/media/brief.pdf"] = BRIEF
    files["cases/demo/media/photo.png"] = png()
    for name, value in changes.items():
        files[name if "/" in name else f"cases/demo/{name}"] = value
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".explainer-output"
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("documents")
    content = write_tree(root / "content", site_files())
    build_site(content, root / "out")
    return snapshot(root / "out")


def test_an_excerpt_shows_its_page_its_words_and_a_link_to_the_page(
    built: dict[str, bytes],
) -> None:
    page = built[EVENT_PAGE].decode()
    pdfs = sorted(p for p in built if p.endswith(".pdf"))
    assert [re.sub(r"-[0-9a-f]{12}\.", "-HASH.", p) for p in pdfs] == [
        "demo/media/brief-HASH.pdf",
        "demo/media/opinion-HASH.pdf",
    ]
    opinion = pdfs[1]
    assert built[opinion] == OPINION  # published as it is
    assert '<h2 id="_documents">Documents</h2>' in page
    assert (
        "<blockquote" in page and "<p>a hybrid, part search warrant and part subpoena</p>" in page
    )
    assert (
        f'<a href="../../../{opinion}#page=2">Page 2 of Opinion of the court (PDF, 3 pages)</a>'
        in page
    )
    assert 'alt="Page 2 of Opinion of the court"' in page
    assert 'loading="lazy"' in page
    assert 'Credit: A court. <a href="https://creativecommons.org/publicdomain/mark/1.0/"' in page
    assert 'href="../../../static/media.css"' in page
    # The page drawn is published as a picture, at the widths of any picture.
    drawn = sorted(p for p in built if re.search(r"/opinion-p2-[0-9a-f]{12}-\d+\.", p))
    assert {p.rsplit("-", 1)[1] for p in drawn} == {"480.webp", "960.webp", "1600.webp"} | {
        f"{w}.jpg" for w in (480, 960, 1600)
    }
    for path in drawn:
        assert f"../../../{path}" in page
        image = Image.open(io.BytesIO(built[path]))
        assert not image.info.get("exif") and not image.getexif()
    # A document without excerpts is a link, with its credit and licence.
    brief = pdfs[0]
    assert f'<a href="../../../{brief}">The brief (PDF, 1 page)</a>' in page
    assert "Credit: A law firm." in page


def test_a_ruling_shows_its_documents(built: dict[str, bytes]) -> None:
    page = built[RULING_PAGE].decode()
    assert "Page 2 of Opinion of the court (PDF, 3 pages)" in page
    assert 'href="../../../static/media.css"' in page


def test_two_builds_give_the_same_bytes(tmp_path: Path, built: dict[str, bytes]) -> None:
    content = write_tree(tmp_path / "content", site_files())
    build_site(content, tmp_path / "out")
    assert snapshot(tmp_path / "out") == built


def test_a_caption_edit_opens_nothing_again_and_equals_a_clean_build(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", site_files())
    output = tmp_path / "site/out"
    first = SiteBuilder.for_command_line(content, output)
    first.build()
    assert first.documents.opened == 2
    (content / "cases/demo/media.yaml").write_text(
        MEDIA.replace(
            "title: Opinion of the court", "title: Opinion of the court\n  caption: Its opinion."
        ).replace("part search warrant", "partly a search warrant")
    )
    again = SiteBuilder.for_command_line(content, output)
    result = again.build()
    assert again.documents.opened == 0
    assert result.incremental
    build_site(content, tmp_path / "clean/out")
    rebuilt, clean = snapshot(output), snapshot(tmp_path / "clean/out")
    assert "partly a search warrant" in rebuilt[EVENT_PAGE].decode()
    assert rebuilt == clean


def test_a_swapped_pdf_is_opened_again_and_equals_a_clean_build(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", site_files())
    output = tmp_path / "site/out"
    SiteBuilder.for_command_line(content, output).build()
    before = snapshot(output)
    (content / "cases/demo/media/opinion.pdf").write_bytes(pdf(3, shade=200))
    again = SiteBuilder.for_command_line(content, output)
    result = again.build()
    assert again.documents.opened == 1
    assert result.incremental
    after = snapshot(output)
    old = {p for p in before if "/opinion-" in p}
    assert old and not old & set(after)  # new URLs, the old files gone
    assert after["demo/index.html"] == before["demo/index.html"]
    build_site(content, tmp_path / "clean/out")
    assert after == snapshot(tmp_path / "clean/out")


def test_the_preview_follows_an_excerpt_edit_and_a_pdf_swap(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", site_files())
    output = tmp_path / "preview"
    builder = SiteBuilder.for_preview(content, output)
    builder.build()
    (content / "cases/demo/media.yaml").write_text(MEDIA.replace("page: 2", "page: 3"))
    builder.build()
    (content / "cases/demo/media/brief.pdf").write_bytes(pdf(1, shade=90))
    builder.build()
    build_site(content, tmp_path / "clean/out")
    assert snapshot(output) == snapshot(tmp_path / "clean/out")


BAD_FILES = [
    pytest.param(
        b"%PDF-1.7\nthis is not a PDF at all\n%%EOF\n",
        "the document cannot be opened: it is damaged or not a PDF",
        id="cannot-open",
    ),
    pytest.param(pdf(3)[:-300], "the file ends before its end marker (`%%EOF`)", id="truncated"),
    pytest.param(ENCRYPTED, "the document is protected by a password", id="encrypted"),
    pytest.param(SCRIPTED, "the document carries JavaScript", id="javascript"),
    pytest.param(
        minimal_pdf(b"/OpenAction << /S /JavaScr#69pt /J#53 (app.alert\\(1\\)) >> "),
        "the document carries JavaScript",
        id="javascript-name-escaped",
    ),
    pytest.param(
        minimal_pdf(b"/OpenAction << /JS (app.alert\\(1\\)) >> "),
        "the document carries JavaScript",
        id="script-without-its-type",
    ),
    pytest.param(
        minimal_pdf(b"/OpenAction << /S /Launch /F (calc.exe) >> "),
        "an action that starts a program",
        id="launch",
    ),
    pytest.param(pdf(2), "`pages` says 3, but the document has 2 pages", id="too-few-pages"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_a_pdf_that_cannot_be_published_is_a_located_error_and_the_output_stays(
    tmp_path: Path, run_cli: Callable[..., CliResult], data: bytes, message: str
) -> None:
    content = write_tree(tmp_path / "content", site_files())
    output = tmp_path / "out"
    build_site(content, output)
    before = snapshot(output)
    (content / "cases/demo/media/opinion.pdf").write_bytes(data)
    with pytest.raises(ContentErrors) as raised:
        SiteBuilder.for_command_line(content, output).build()
    (error,) = raised.value.errors
    assert str(error.location) == f"{content / 'cases/demo/media.yaml'}:2:9"
    assert error.message.startswith("`opinion.pdf` cannot be published: ")
    assert message in error.message
    assert snapshot(output) == before
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.code == 1
    assert "media.yaml:2:9: `opinion.pdf` cannot be published: " in result.err
    assert snapshot(output) == before


def test_an_excerpt_beyond_the_files_last_page_is_a_located_error(tmp_path: Path) -> None:
    media = MEDIA.replace("  pages: 3\n", "").replace("excerpts:", "pages: 3\n  excerpts:")
    content = write_tree(tmp_path / "content", site_files(**{"media.yaml": media}))
    (content / "cases/demo/media/opinion.pdf").write_bytes(pdf(1))
    with pytest.raises(ContentErrors) as raised:
        build_site(content, tmp_path / "out")
    (error,) = raised.value.errors
    assert "`pages` says 3, but the document has 1 page" in error.message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        pytest.param(
            {"media.yaml": MEDIA.replace("  title: The brief\n", "")},
            "media.yaml:11:7",
            "document `brief` has no `title` — add `title`: the document's name as readers "
            "should see it, such as the title on its first page",
            id="title-missing",
        ),
        pytest.param(
            {
                "media.yaml": MEDIA.replace(
                    "  alt: An empty courtroom\n", "  alt: An empty courtroom\n  title: A room\n"
                )
            },
            "media.yaml:19:10",
            "only a document (a PDF) has `title`, and `photo.png` is a picture — delete `title`",
            id="title-on-a-picture",
        ),
        pytest.param(
            {"events.yaml": EVENT.replace("  documents: [opinion, brief]\n", "  image: brief\n")},
            "events.yaml:7:10",
            "`image` names a picture, but `brief` is a document (a PDF) — name it in "
            "`documents` instead, and a picture in `image`",
            id="document-in-image",
        ),
        pytest.param(
            {"events.yaml": EVENT.replace("[opinion, brief]", "[opinion, photo]")},
            "events.yaml:7:24",
            "`documents` names documents (PDFs), but `photo` is a picture — name it in `image` "
            "instead",
            id="picture-in-documents",
        ),
        pytest.param(
            {"rulings.yaml": RULING.replace("[opinion]", "[opinoin]")},
            "rulings.yaml:9:15",
            "unknown media item `opinoin` in `documents` — did you mean `opinion`?",
            id="unknown-document",
        ),
    ],
)
def test_a_wrongly_named_document_is_a_located_error(
    tmp_path: Path, changes: dict[str, str], where: str, message: str
) -> None:
    content = write_tree(tmp_path / "content", site_files(**changes))
    with pytest.raises(ContentErrors) as raised:
        build_site(content, tmp_path / "out")
    (error,) = raised.value.errors
    assert str(error).removeprefix(str(content / "cases/demo") + "/") == f"{where}: {message}"
    assert not (tmp_path / "out").exists()


def test_process_pdf_draws_the_pages_asked_the_same_every_time() -> None:
    data = pdf(3)
    one, two = process_pdf(data, (1, 3, 9)), process_pdf(data, (3, 1))
    assert one.pages == 3 and sorted(one.drawn) == [1, 3]
    assert [v.data for v in one.drawn[3].variants] == [v.data for v in two.drawn[3].variants]
    assert one.drawn[1].width == 1600


def test_a_script_hidden_in_a_compressed_object_stream_is_found() -> None:
    document = pypdfium2.PdfDocument.new()
    document.new_page(200, 200)
    out = io.BytesIO()
    document.save(out)
    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    data = out.getvalue().replace(
        b"%%EOF",
        b"9 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + hidden + b"\nendstream\nendobj\n%%EOF",
    )
    with pytest.raises(PdfError, match="JavaScript"):
        process_pdf(data)


def test_data_json_lists_the_documents_and_who_names_them(built: dict[str, bytes]) -> None:
    data = json.loads(built["demo/data.json"])
    opinion = next(p for p in built if re.fullmatch(r"demo/media/opinion-[0-9a-f]{12}\.pdf", p))
    assert data["documents"][0] == {
        "id": "opinion",
        "title": "Opinion of the court",
        "credit": "A court",
        "licence": "public-domain",
        "licence_note": None,
        "source": None,
        "pages": 3,
        "file": opinion,
        "excerpts": [
            {
                "page": 2,
                "quote": "a hybrid, part search warrant and part subpoena",
                "sources": ["report"],
                "url": f"{opinion}#page=2",
            }
        ],
    }
    assert [d["id"] for d in data["documents"]] == ["opinion", "brief"]
    assert data["events"][0]["documents"] == ["opinion", "brief"]
    assert data["rulings"][0]["documents"] == ["opinion"]
