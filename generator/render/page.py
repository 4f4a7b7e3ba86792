"""Stage 4, render: `Page` → `RenderedFile`, functions of the plan and the session alone.

A `RenderSession` is one build's rendering: the environment its templates run in (see
`environment` and `sandbox`), what its pages are checked against (the inputs' fingerprints,
for the build record and the cached fragments), how links are written, and where share
cards come from (a callable the build hands in: render reads and writes no file).
`render_pages` yields the files one by one, for `write` to take as they come.

Every HTML page gets `site`, `root` (relative prefix to the site root), `url`, `canonical`,
`page_title`, `stylesheet`, and `case` (a `CaseView`, or None outside a case), and by page
kind what `plan.page_contexts` types. The glossary's terms are linked in each page's prose
once it has rendered (`terms`). `data.json` and the poll CSVs are serialized in Python
(`data_files`), and share cards drawn (`cards`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import cast

import jinja2

from generator.errors import Location, TemplateError
from generator.plan.card_text import CardText
from generator.plan.context import CaseView
from generator.plan.pages import CASE_DATA, POLL_CSV, SHARE_CARD, Page
from generator.plan.share_cards import card_reads, page_card_text
from generator.render.cards import draw_card
from generator.render.data_files import CaseData, poll_csv
from generator.render.indexed import indexed_digest
from generator.render.sandbox import RecordingEnvironment, TemplatesLoader
from generator.render.terms import PROSE_START, link_terms
from generator.strings import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class RenderedFile:
    path: str
    parts: tuple[bytes, ...]
    """The file's bytes, in the pieces they were made in (a large file is not joined)."""
    reads: tuple[str, ...] = ()
    """Keys of the tracked views the page read (see `build.record`), each once."""
    digest: bytes | None = None
    """A digest of the bytes made from its pieces', when they were assembled from cached ones."""
    indexed: bytes | None = None
    """For a page the search index covers, a digest of what it reads of the page when that is
    not the whole page (see `indexed`)."""

    @property
    def content(self) -> bytes:
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)


_NO_INPUTS: Mapping[str, bytes] = {}
_NO_CLOSURES: Mapping[str, frozenset[str]] = {}


class RenderSession:
    """One build's rendering, in effect while it is entered (`with session:`).

    `inputs` are the fingerprints of everything pages can read, by key, and `closures` the
    keys of the templates each template uses (`fragments.templates_in_use`): a session with
    inputs keeps the fragments of cached macros and the encoded items of `data.json` for the
    next one, and takes them from the last while what they read is unchanged. `changed`
    gives the inputs of an earlier session and the keys that differ from them: when those
    are the last session's inputs, a fragment checked then stays current unless it read one
    of these keys. `file_links` makes links name each page's `index.html`; `card_png` gives a
    share card's bytes (drawn, or kept by the builder); `case_data` is what the builder keeps
    of `data.json` between its builds.
    """

    def __init__(
        self,
        environment: RecordingEnvironment,
        inputs: Mapping[str, bytes] = _NO_INPUTS,
        closures: Mapping[str, frozenset[str]] = _NO_CLOSURES,
        *,
        changed: tuple[Mapping[str, bytes], Collection[str]] | None = None,
        file_links: bool = False,
        card_png: Callable[[CardText], bytes] = draw_card,
        case_data: CaseData | None = None,
    ) -> None:
        self.environment = environment
        self.inputs = inputs
        self.closures = closures
        self.file_links = file_links
        self.card_png = card_png
        self.case_data = case_data if case_data is not None else CaseData()
        self.build = 0
        """This session's number among those that kept fragments in the environment."""
        self.changed: frozenset[str] | None = None
        if inputs:
            environment.builds += 1
            self.build = environment.builds
            known = changed is not None and changed[0] is environment.last_inputs
            self.changed = frozenset(changed[1]) if changed is not None and known else None
            environment.last_inputs = inputs

    def __enter__(self) -> RenderSession:
        self.environment.session = self
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.environment.session = None

    def keep_nothing(self) -> None:
        """From now on record what pages read but neither take nor keep fragments or encoded
        items: for a worker of a full build, where a fragment is rarely shown twice at the
        same depth."""
        self.inputs = _NO_INPUTS

    def render_pages(self, pages: Iterable[Page]) -> Iterator[RenderedFile]:
        """Render each page in turn (see `render`)."""
        for page in pages:
            yield self.render(page)

    def render(self, page: Page) -> RenderedFile:
        """Render one page; raise `TemplateError` pointing at the template line on failure."""
        if page.template == CASE_DATA.template:
            case = CASE_DATA.context_of(page)["case"]
            pieces, pieces_digest = self.case_data.pieces(case, self.inputs)
            views = self.case_data.every_view(case, self.inputs)
            return RenderedFile(page.path, tuple(pieces), views, pieces_digest)
        if page.template == SHARE_CARD.template:
            item = SHARE_CARD.context_of(page)["item"]
            card = self.card_png(page_card_text(page))
            # The site's card reads no view: `site.yaml` is in its context.
            return RenderedFile(page.path, (card,), card_reads(item))
        if page.template == POLL_CSV.template:
            poll = POLL_CSV.context_of(page)["poll"]
            return RenderedFile(page.path, (poll_csv(poll),), (poll.view_key,))
        text, reads = self._template(page)
        if PROSE_START in text:
            of_case = cast("Mapping[str, object]", page.context).get("case")
            glossary = of_case.glossary if isinstance(of_case, CaseView) else None
            if glossary is not None:
                reads.add(glossary.view_key)
            text = link_terms(text, glossary, page.context["root"])
        if self.file_links and page.template.endswith(".html"):
            text = link_files(text)
        content = text.encode("utf-8")
        indexed = indexed_digest(content) if page.context.get("search_kind") else None
        return RenderedFile(page.path, (content,), tuple(reads), indexed=indexed)

    def _template(self, page: Page) -> tuple[str, set[str]]:
        """The page's template rendered with its context, and the keys of what it read."""
        environment = self.environment
        reads: set[str] = set(self.closures.get(page.template, ()))
        environment.reads = reads
        environment.language = page.context.get("language", DEFAULT_LANGUAGE)
        try:
            template = environment.get_template(page.template)
            return template.render(page.context), reads
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                Location(f"templates/{exc.name or page.template}", exc.lineno or 0, 1),
                exc.message or str(exc),
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                _template_location(exc, page.template, environment),
                f"template `{exc.name}` not found: a template can use only files inside the "
                "templates folder, named from there without `..` (e.g. `partials/_date.html`) "
                f"(rendering {page.path})",
            ) from None
        except (
            jinja2.UndefinedError,
            jinja2.TemplateError,
            TypeError,
            AttributeError,
            OverflowError,  # the sandbox's `range` limit
        ) as exc:
            raise TemplateError(
                _template_location(exc, page.template, environment),
                f"{exc} (rendering {page.path})",
            ) from None
        finally:
            environment.reads = None


def render_page(page: Page, environment: RecordingEnvironment) -> RenderedFile:
    """Render one page outside a build: nothing kept, nothing taken from earlier renders."""
    with RenderSession(environment) as session:
        return session.render(page)


_FOLDER_LINK = re.compile(r'href="([^":#]*/)?(#[^"]*)?"')


def link_files(html: str) -> str:
    """Make every relative link to a folder (`../quotes/`, `../../`, `` for this page's own
    folder) name the folder's `index.html`: opened from disk, a browser shows a folder's
    listing, not its index. Links with a scheme, and links to an anchor of the same page,
    stay as they are."""

    def to_file(match: re.Match[str]) -> str:
        folder, fragment = match.group(1), match.group(2)
        if folder is None and fragment is not None:
            return match.group(0)
        return f'href="{folder or ""}index.html{fragment or ""}"'

    return _FOLDER_LINK.sub(to_file, html)


def _template_location(
    exc: BaseException, fallback: str, environment: jinja2.Environment
) -> Location:
    """Find the innermost template frame in the traceback Jinja rewrote."""
    found = Location(f"templates/{fallback}")
    loader = environment.loader
    folders = loader.folders if isinstance(loader, TemplatesLoader) else ()
    trace = exc.__traceback__
    while trace is not None:
        filename = Path(trace.tb_frame.f_code.co_filename)
        if filename.suffix in {".html", ".xml", ".txt"}:
            name = filename.name
            resolved = filename.resolve()
            for folder in folders:
                if resolved.is_relative_to(folder):
                    name = resolved.relative_to(folder).as_posix()
                    break
            found = Location(f"templates/{name}", trace.tb_lineno, 1)
        trace = trace.tb_next
    return found
