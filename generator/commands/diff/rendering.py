"""The pages a change may touch, rendered in one version to compare their bytes.

A page may show what a view it holds holds in turn, but only through a field its template
names: a template that never reads `.quotes` cannot show a party's quotes. So each
template's fields read through each key of its context (`template_reads`: in it, in the
templates it uses and in the global macros it calls) bound how far a page of it reaches
through the views that key holds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from functools import cached_property

from generator.build.card_store import card_bytes
from generator.build.record import template_fingerprints
from generator.build.template_cache import compiled_templates_folder, kept_template_closures
from generator.commands.diff.template_reads import field_reads, file_facts
from generator.commands.diff.versions import Version
from generator.digest import digest
from generator.plan.card_text import CardText
from generator.plan.site import Page
from generator.render.data_files import CaseData
from generator.render.environment import EACH_GLOBALS, GLOBAL_MACROS, make_environment
from generator.render.fragments import TEMPLATE_KEY, templates_in_use
from generator.render.page import RenderSession
from generator.theme import Theme

_MACRO_TEMPLATES = {
    **{name: template for name, (template, _) in GLOBAL_MACROS.items()},
    **{each: GLOBAL_MACROS[macro][0] for each, macro in EACH_GLOBALS.items()},
}
"""The template of each macro every template may call without importing it, by its name."""
UNRENDERED = frozenset({"json:data"})
"""Pages compared by what they read alone: a case's `data.json` holds every field of every
view of the case, so it differs whenever one of them does (and encoding it is slow)."""


def _card_bytes(text: CardText) -> bytes:
    """A share card's text, standing for the card until it is drawn."""
    return repr(text).encode("utf-8", "surrogatepass")


class PageRenderer:
    """Renders pages of one version with its theme."""

    def __init__(self, version: Version) -> None:
        self.version = version
        theme = Theme.overriding(version.side.templates_dir)
        self.environment = make_environment(theme.folders, compiled_templates_folder())
        fingerprints = template_fingerprints(theme.files().templates)
        self.closures = templates_in_use(self.environment, fingerprints, kept_template_closures)

    @cached_property
    def _reads_by_template(self) -> dict[str, dict[str, frozenset[str]]]:
        files = {key for closure in self.closures.values() for key in closure}
        facts = {key: file_facts(self.environment, key.removeprefix(TEMPLATE_KEY)) for key in files}
        macro_names = {name: macro for name, (_, macro) in GLOBAL_MACROS.items()}
        macro_names.update(EACH_GLOBALS)
        reads = {}
        for template, closure in self.closures.items():
            keys, waiting = set(closure), list(closure)
            while waiting:  # the global macros it calls, and those they call in turn
                for one in facts[waiting.pop()].calls:
                    for key in self.closures.get(_MACRO_TEMPLATES.get(one[0], ""), ()):
                        if key not in keys:
                            keys.add(key)
                            waiting.append(key)
            reads[template] = field_reads((facts[key] for key in keys), macro_names)
        return reads

    def field_reads(self, template: str) -> dict[str, frozenset[str]] | None:
        """The names of fields a page of `template` may read, by the context key they are
        read through (`template_reads`); None for every field through every key (a page
        drawn or serialized in Python, not from a template)."""
        return self._reads_by_template.get(template)

    def digests(
        self, pages: Iterable[Page], draw_cards: bool = False
    ) -> dict[str, tuple[bytes, frozenset[str]]]:
        """The digest of each page's bytes, rendered now, and the keys of the views and
        templates it read, by path. A share card stands for its text (which tells what it
        reads) unless `draw_cards`: then it is drawn, as a build draws it."""
        pictures = self.version.media.outputs
        session = RenderSession(
            self.environment,
            self.version.views,
            self.closures,
            card_png=functools.partial(card_bytes, folder=None, pictures=pictures)
            if draw_cards
            else _card_bytes,
            case_data=CaseData(),
        )
        with session:
            found = {}
            for page in pages:
                if page.template not in UNRENDERED:
                    rendered = session.render(page)
                    found[page.path] = (digest(rendered.content), frozenset(rendered.reads))
            return found
