"""Stage 4, render: `Page` → `RenderedFile`, pure functions of the plan.

Jinja2 runs with autoescape on for HTML and XML and undefined variables as errors. Templates
only display: their context is ready-made in `context` and `plan`. Every HTML page gets:

- `site`, `root` (relative prefix to the site root), `url`, `canonical`, `page_title`,
  `stylesheet`, and `case` (a `CaseView`, or None outside a case);
- by page kind: `cases` (index, 404, feed), `event`, `quote` with `previous`/`next`/
  `same_speaker`, `party`, `ruling`, `poll`, `urls` (sitemap), `entries` (feed).

Filters: `markdown` (block) and `markdown_inline` turn Markdown fields into sanitized HTML,
`plain` into plain text of at most 200 characters (for descriptions);
`jsonld` serializes structured data safely inside a `<script>` element.
`data.json` and the poll CSVs are serialized in Python rather than templated.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.context import CaseView, Tracked, case_views
from generator.errors import Location, TemplateError
from generator.markdown import markdown_inline, markdown_plain, markdown_to_html
from generator.plan import Page, SitePlan


@dataclass(frozen=True)
class RenderedFile:
    path: str
    content: bytes
    reads: frozenset[str] = frozenset()
    """Keys of the tracked views the page read (see `record`)."""


_reads: set[str] | None = None


TEMPLATE_KEY = "template:"


class _RecordingEnvironment(jinja2.Environment):
    """Notes, while a page renders, each tracked view whose attribute a template reads and
    each template it uses (extended, imported or included), as `TEMPLATE_KEY` + name."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if _reads is not None and isinstance(obj, Tracked):
            _reads.add(obj.view_key)
        return super().getattr(obj, attribute)

    def _load_template(
        self, name: str, globals: MutableMapping[str, Any] | None
    ) -> jinja2.Template:
        if _reads is not None:
            _reads.add(TEMPLATE_KEY + name)
        return super()._load_template(name, globals)


@functools.lru_cache(maxsize=8)
def make_environment(templates_dir: Path) -> jinja2.Environment:
    """Return the Jinja environment for a templates folder; templates compile once.

    The environment is kept for the life of the process, so the preview's rebuilds reuse
    compiled templates; Jinja recompiles a template whose file changed (auto_reload).
    """
    environment = _RecordingEnvironment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["markdown"] = lambda text: Markup(markdown_to_html(text))
    environment.filters["markdown_inline"] = lambda text: Markup(markdown_inline(text))
    environment.filters["jsonld"] = _jsonld
    environment.filters["plain"] = markdown_plain
    return environment


def _jsonld(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def render_site(plan: SitePlan, environment: jinja2.Environment) -> Iterator[RenderedFile]:
    """Render every planned page, one at a time, so a page's bytes can be written and freed."""
    return (render_page(page, environment) for page in plan.pages)


def render_page(page: Page, environment: jinja2.Environment) -> RenderedFile:
    """Render one page; raise `TemplateError` pointing at the template line on failure."""
    global _reads
    if page.template == "json:data":
        case = page.context["case"]
        every_view = frozenset(view.view_key for view in case_views(case))
        return RenderedFile(page.path, case_data_json(case), every_view)
    if page.template == "csv:poll":
        poll = page.context["poll"]
        return RenderedFile(page.path, poll_csv(poll), frozenset((poll.view_key,)))
    reads: set[str] = set()
    _reads = reads
    try:
        template = environment.get_template(page.template)
        text = template.render(page.context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            Location(f"templates/{exc.name or page.template}", exc.lineno or 0, 1),
            exc.message or str(exc),
        ) from None
    except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, AttributeError) as exc:
        raise TemplateError(
            _template_location(exc, page.template), f"{exc} (rendering {page.path})"
        ) from None
    finally:
        _reads = None
    return RenderedFile(page.path, text.encode("utf-8"), frozenset(reads))


def _template_location(exc: BaseException, fallback: str) -> Location:
    """Find the innermost template frame in the traceback Jinja rewrote."""
    found = Location(f"templates/{fallback}")
    trace = exc.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = Location(f"templates/{Path(filename).name}", trace.tb_lineno, 1)
        trace = trace.tb_next
    return found


def case_data_json(view: CaseView) -> bytes:
    """Serialize the validated case as open data, in a stable key order."""
    case = view.case
    data = {
        "slug": view.slug,
        "case": case.model_dump(mode="json"),
        "parties": [
            _dump_fields(p, ("id", "name", "kind", "role", "title", "side")) for p in view.parties
        ],
        "rulings": [
            {
                **_dump_fields(
                    r, ("id", "title", "stage", "citation", "outcome", "holding", "next_step")
                ),
                "date": r.date.iso,
                "court": r.court.id,
                "judges": [j.id for j in r.judges],
                "sources": [c.id for c in r.sources],
            }
            for r in view.rulings
        ],
        "events": [
            {
                **_dump_fields(e, ("id", "title", "kind", "body")),
                "date": e.date.iso,
                "approximate": e.date.approximate,
                "parties": [p.id for p in e.parties],
                "quotes": [q.id for q in e.quotes],
                "sources": [c.id for c in e.sources],
            }
            for e in view.events
        ],
        "quotes": [
            {
                **_dump_fields(q, ("id", "text", "speaker_role", "venue", "context", "key")),
                "speaker": q.speaker.id,
                "said_on": q.said_on.iso,
                "sources": [c.id for c in q.sources],
            }
            for q in view.quotes
        ],
        "polls": [
            {
                **_dump_fields(
                    p,
                    (
                        "id",
                        "title",
                        "fieldwork",
                        "published",
                        "population",
                        "sample_size",
                        "margin_of_error",
                        "mode",
                    ),
                ),
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "wording": q.wording,
                        "results": [{"answer": b.answer, "percent": b.percent} for b in q.results],
                    }
                    for q in p.questions
                ],
                "sources": [c.id for c in p.sources],
            }
            for p in view.polls
        ],
        "sources": [
            _dump_fields(
                s, ("id", "title", "publisher", "author", "url", "published", "accessed", "note")
            )
            for s in view.sources
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _dump_fields(item: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in names}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    """Neutralize cells a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def poll_csv(poll: Any) -> bytes:
    """The poll's reported results, one row per answer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["question_id", "question", "answer", "percent", "pollster", "fieldwork", "sample_size"]
    )
    for question in poll.questions:
        for bar in question.results:
            writer.writerow(
                [
                    question.id,
                    _csv_cell(question.text),
                    _csv_cell(bar.answer),
                    f"{bar.percent:g}",
                    _csv_cell(poll.pollster.label),
                    poll.fieldwork,
                    poll.sample_size,
                ]
            )
    return buffer.getvalue().encode("utf-8")
