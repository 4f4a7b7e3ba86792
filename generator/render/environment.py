"""The Jinja environment pages render in, with the filters and globals templates use.

Autoescape is on for HTML and XML and an undefined variable is an error. Templates only
display: their context is ready-made by `plan`. Filters: `markdown` (block) and
`markdown_inline` turn Markdown fields into sanitized HTML, marked as prose whose glossary
terms the page links (`terms`), `markdown_definition(id)` a glossary term's definition, which
links other terms but not its own, `plain` into plain text of at
most 200 characters (for descriptions); `jsonld` serializes structured data safely inside a
`<script>` element. Globals: the content security policies, and the cached macros
(`fragments.CachedMacro`) that index pages call for each of their items.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.dates import PartialDate
from generator.plan.embeds import json_for_html
from generator.render.fragments import CachedMacro
from generator.render.markdown import markdown_inline, markdown_plain, markdown_to_html
from generator.render.sandbox import RecordingEnvironment, TemplatesLoader
from generator.render.terms import mark_prose
from generator.render.text_language import in_lang, lang_of, mark_of
from generator.strings import plural, ui_strings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
"""What a page may load, in a `<meta http-equiv>` of every page. Pages need only their
own stylesheet, icon, font (a quote's serif) and scripts (an embed page's `embed.js`, the
search page's), never an inline script or style, so anything else is refused: a script or
style that got into a page anyway would not run, and nothing loads from another site.
`connect-src 'self'` is also for the preview's reload script and its WebSocket.
(`frame-ancestors` is ignored in a meta element; a host that wants it sends it as a
header.)"""

SEARCH_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
"""The search page's policy: Pagefind compiles its WebAssembly (`'wasm-unsafe-eval'`, which
allows no `eval` of script text), and the search form submits to the page itself, which
makes it work as a plain GET form without scripts."""


GLOBAL_MACROS = {
    "quote_summary": ("partials/_quote.html", "quote_summary"),
    "event_entry": ("partials/_event.html", "event_entry"),
    "timeline_filters": ("partials/_filters.html", "timeline_filters"),
    "page_nav": ("partials/_pages.html", "page_nav"),
}
"""The macros every template may call without importing them (`CachedMacro`), by global
name: their template and macro name."""
EACH_GLOBALS = {"quote_summaries": "quote_summary", "event_entries": "event_entry"}
"""Globals that call a macro of `GLOBAL_MACROS` for each view of a list (`CachedMacro.each`)."""


@functools.lru_cache(maxsize=8)
def make_environment(
    templates: Path | tuple[Path, ...], compiled: Path | None = None
) -> RecordingEnvironment:
    """Return the Jinja environment for a templates folder, or for the folders of a theme
    (the first that has a file gives it); templates compile once, and with `compiled` (a
    folder for this generator's code alone, `build.template_cache`) are kept there for the
    next process.

    The environment is kept for the life of the process, so the preview's rebuilds reuse
    compiled templates and cached fragments. Jinja does not look at the files for changes
    (that is a `stat` per template per page); `templates_in_use` drops compiled templates
    when a file changed.
    """
    environment = RecordingEnvironment(
        loader=TemplatesLoader(templates if isinstance(templates, tuple) else (templates,)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
    )
    environment.filters["markdown"] = lambda text: Markup(mark_prose(markdown_to_html(text)))
    environment.filters["markdown_inline"] = lambda text: Markup(mark_prose(markdown_inline(text)))
    environment.filters["markdown_definition"] = lambda text, term: Markup(
        mark_prose(markdown_to_html(text), term)
    )
    environment.filters["jsonld"] = _jsonld
    environment.filters["plain"] = markdown_plain
    environment.filters["date_text"] = _date_text
    environment.filters["fill"] = _fill
    environment.filters["lang_of"] = lang_of
    environment.filters["in_lang"] = in_lang
    environment.filters["mark_of"] = mark_of
    macros = {name: CachedMacro(environment, *at) for name, at in GLOBAL_MACROS.items()}
    environment.globals.update(
        content_security_policy=Markup(CONTENT_SECURITY_POLICY),
        search_content_security_policy=Markup(SEARCH_CONTENT_SECURITY_POLICY),
        **macros,
        **{each: macros[macro].each for each, macro in EACH_GLOBALS.items()},
        ui=UiWords(environment),
    )
    return environment


class UiWords(Mapping[str, str]):
    """The words of the site's own pages (`generator.strings`) in the language of the page
    rendering now (`RecordingEnvironment.language`), as the global `ui`: `ui["nav.timeline"]`.
    A global rather than a key of each context, so that macros read it too."""

    def __init__(self, environment: RecordingEnvironment) -> None:
        self._environment = environment
        self._language = environment.language
        self._words = ui_strings(self._language)

    def __getitem__(self, key: str) -> str:
        language = self._environment.language
        if language != self._language:
            self._language, self._words = language, ui_strings(language)
        return self._words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(ui_strings(self._environment.language))

    def __len__(self) -> int:
        return len(ui_strings(self._environment.language))

    def count(self, key: str, number: int) -> str:
        """The words of counted `key` in the form the language takes for `number`
        (`ui.count("ruling.judges", 2)` is "Judges"; see `generator.strings.plural`)."""
        return plural(key, number, self._environment.language)


@jinja2.pass_environment
def _date_text(environment: RecordingEnvironment, date: PartialDate) -> str:
    """A date's words in the language of the page rendering now (`PartialDate.display_in`)."""
    return date.display_in(environment.language)


def _fill(words: str, **values: object) -> Markup:
    """Words with `{placeholders}` filled in, the words and plain values escaped and markup
    (a `<cite>` or a link made in the template) kept: `ui["quote.published_in"]|fill(...)`.
    As `Markup.format`, with the values escaped first and the words filled in by `str.format`:
    pages fill in thousands of them, and `Markup.format` does it in Python."""
    escaped = {name: escape(value) for name, value in values.items()}
    return Markup(str(escape(words)).format_map(escaped))


def _jsonld(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(json_for_html(text))
