"""`explainer serve --diff BASE` without a browser: the change list the preview serves at
`/_changes/`, on a git repository made here whose working tree adds, removes and edits
quotes (one with an editor's `<script>` in its words); its links to the preview's pages;
a failed rebuild; one comparison per build; the base read once and removed at the end.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.build.image_store import ImageStore
from generator.build.site import DEFAULT_TEMPLATES
from generator.commands.diff.sides import Side, revision_sides
from generator.commands.diff.versions import Version, read_version
from generator.serve import changes_page, serve_site
from generator.serve import server as server_module
from generator.serve.app import make_app
from generator.serve.changes_page import CHANGES_PATH, STYLESHEET_PATH, ChangesPage
from generator.serve.preview import Preview
from tests.conftest import CliResult, minimal_site, write_tree

PARTIES = """\
- id: alice
  name: Alice Example
  kind: person
  role: Chief executive of Example Corp
"""
QUOTE = """\
id: {id}
text: {text}
speaker: {speaker}
said_on: 2014-07-31
venue: A hearing
sources: [report]
verbatim_in: report
"""
EDITED_WORDS = "The law does not reach <script>alert(1)</script> that far."


def quote(ident: str, text: str, speaker: str = "alice") -> str:
    return QUOTE.format(id=ident, text=text, speaker=speaker)


BASE = minimal_site(
    **{
        "cases/demo/parties.yaml": PARTIES,
        "cases/demo/quotes/kept.yaml": quote("kept", "We will keep going."),
        "cases/demo/quotes/edited.yaml": quote("edited", "The law does not reach that far."),
        "cases/demo/quotes/gone.yaml": quote("gone", "This quote will be removed."),
    }
)
EDITS: dict[str, str | bytes] = {
    "cases/demo/quotes/edited.yaml": quote("edited", f'"{EDITED_WORDS}"'),
    "cases/demo/quotes/added.yaml": quote("added", "A new quote."),
}


def git(repository: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repository), *args], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


class Served:
    """A preview of the working tree with its change list since the commit, over WSGI."""

    def __init__(self, preview: Preview, changes: ChangesPage) -> None:
        self.preview = preview
        self.changes = changes

    def get(self, path: str) -> tuple[str, str, bytes]:
        """Status, content type and body of `path`."""
        answer: list[tuple[str, dict[str, str]]] = []

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            answer.append((status, dict(headers)))

        app = make_app(self.preview.state, self.changes)
        body = b"".join(app({"PATH_INFO": path, "QUERY_STRING": ""}, start_response))
        return answer[0][0], answer[0][1]["Content-Type"], body

    def page(self) -> str:
        status, kind, body = self.get(CHANGES_PATH)
        assert (status, kind) == ("200 OK", "text/html; charset=utf-8")
        return body.decode("utf-8")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The content of a repository with one commit, then edited in the working tree."""
    root = tmp_path_factory.mktemp("repository")
    git(root, "init", "-q")
    content = write_tree(root / "content", BASE)
    git(root, "add", "-A")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    write_tree(content, EDITS)
    (content / "cases/demo/quotes/gone.yaml").unlink()
    return content


@pytest.fixture(scope="module")
def served(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = tmp_path_factory.mktemp("preview") / "site"
    preview = Preview(content, DEFAULT_TEMPLATES, site, "http://localhost:9/", io.StringIO())
    preview.build("first build")
    assert not preview.state.failed, preview.log
    with revision_sides(content, "HEAD", None, None) as (before, after):
        yield Served(preview, ChangesPage(read_version(before), after))


def _links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'<a href="([^"]*)"', page)]


def test_items_show_each_change_and_link_to_their_page_in_the_preview(served: Served) -> None:
    page = served.page()
    assert "<h1>Changes since HEAD (" in page
    assert "In the working tree, 3 items: 1 added, 1 removed, 1 changed." in page
    assert "<h3>demo · quotes</h3>" in page
    assert '<a href="/demo/quotes/added/"><code>added</code></a>' in page
    assert '<a href="/demo/quotes/edited/"><code>edited</code></a>' in page
    # A removed item has no page in the preview any more: named, not linked.
    assert re.search(r"removed</span> <code>gone</code>", page)
    assert not [link for link in _links(page) if "gone" in link]
    assert re.search(r'<code class="location">[^<]*/demo/quotes/added\.yaml:1:1</code>', page)
    assert "<del>" not in page.split("<h3>")[0]  # the word runs are in the items only
    assert "reach <ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> that far." in page


def test_every_link_and_the_stylesheet_resolve_in_the_preview(served: Served) -> None:
    page = served.page()
    links = _links(page)
    pages = re.findall(r'<li><a href="([^"]*)"><code>([^<]*)</code></a> \((\w+)\)</li>', page)
    assert ("/demo/quotes/added/", "demo/quotes/added/index.html", "added") in pages
    assert any(path == "demo/quotes/index.html" for _, path, _ in pages)
    assert "demo/quotes/gone/index.html</code> (removed)" in page  # listed, not linked
    for link in links:
        status, _, _ = served.get(link.partition("#")[0])
        assert status == "200 OK", link
    status, kind, _ = served.get(STYLESHEET_PATH)
    assert (status, kind) == ("200 OK", "text/css; charset=utf-8")
    assert f'<link rel="stylesheet" href="{STYLESHEET_PATH}">' in page


def test_editor_values_are_escaped_and_nothing_runs_inline(served: Served) -> None:
    page = served.page()
    assert "<script" not in page  # the preview's reload script is added when it is served
    assert "alert(1)" in page
    assert "<style" not in page and " style=" not in page and " on" not in page.lower()
    found = re.search(r'Content-Security-Policy" content="([^"]*)"', page)
    assert found is not None
    policy = html.unescape(found[1])
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_a_failed_rebuild_lists_its_error_at_its_place(served: Served, content: Path) -> None:
    added = content / "cases/demo/quotes/added.yaml"
    try:
        added.write_text(quote("added", "A new quote.", "alicia"), encoding="utf-8")
        served.preview.build("a broken save")
        assert served.preview.state.failed
        page = served.page()
        assert "The last build failed" in page
        assert "The content in the working tree does not load" in page
        problem = re.search(
            r'<code class="location">([^<]*)</code> <strong[^>]*>error</strong>', page
        )
        assert problem is not None
        assert problem[1].endswith("/cases/demo/quotes/added.yaml:3:10")
        assert "unknown party `alicia`" in html.unescape(page)
        assert served.get("/demo/quotes/added/")[0] == "500 Build Failed"  # the error page
    finally:
        added.write_text(quote("added", "A new quote."), encoding="utf-8")
        served.preview.build("fixed")
    assert not served.preview.state.failed
    assert "The last build failed" not in served.page()


def test_changes_are_compared_once_per_build(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []

    def counted(side: Side, with_pages: bool = True, images: ImageStore | None = None) -> Version:
        reads.append(side.content_dir)
        return read_version(side, with_pages, images)

    monkeypatch.setattr(changes_page, "read_version", counted)
    served.preview.build("a save")
    first = served.page()
    assert served.page() == first
    assert len(reads) == 1
    served.preview.build("another save")
    served.page()
    assert len(reads) == 2


def test_a_comparison_that_fails_is_shown_not_raised(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(side: Side, with_pages: bool = True, images: ImageStore | None = None) -> Version:
        raise RuntimeError("<b>a bug</b>")

    monkeypatch.setattr(changes_page, "read_version", broken)
    served.preview.build("a save")
    page = served.page()
    assert "The changes could not be compared." in page
    assert "RuntimeError: &lt;b&gt;a bug&lt;/b&gt;" in page


def test_serve_prints_the_address_and_removes_the_base_at_the_end(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ChangesPage | None] = []

    class Loop:
        def start(self) -> None:
            raise KeyboardInterrupt

        def close(self, all_fds: bool = False) -> None:
            pass

    def start_server(*args: object) -> Loop:
        changes = args[3]
        assert isinstance(changes, ChangesPage)
        assert changes.base.side.content_dir.is_dir()  # kept while the preview runs
        seen.append(changes)
        return Loop()

    monkeypatch.setattr(server_module, "start_server", start_server)
    log = io.StringIO()
    serve_site(content, port=0, log=log, diff="HEAD")
    assert re.search(
        r"changes since HEAD \(\w{7}\): http://localhost:\d+/_changes/\n", log.getvalue()
    )
    assert seen and seen[0] is not None
    assert not seen[0].base.side.content_dir.exists()


def test_a_bad_base_exits_2_before_serving(
    content: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(content.parent)  # as an editor runs it: at the repository's top
    result = run_cli("serve", "--content", str(content), "--port", "0", "--diff", "no-such")
    assert result.code == 2
    assert "`no-such` is not a commit" in result.err
    assert "previewing" not in result.out
