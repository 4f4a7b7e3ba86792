"""Hosting anywhere: every link of a build resolves at a domain root, under a subpath and
opened from disk.

The real case is built with lists cut into pages of 4, so that page navigation is walked
too. A link is followed the way a browser would: relative to the page's address (its folder
on a web server, its file on disk), to a file that must exist — on a server a folder serves
its `index.html`, on disk it does not — and to an anchor that must exist in that page.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.build.site import build_site
from generator.plan import paging
from tests.conftest import REAL_CONTENT

SETTINGS = {
    "domain root": ("https://example.org/", False),
    "subpath": ("https://example.org/news/explainers/", False),
    "disk": ("https://example.org/news/explainers/", True),
}
DISK_ROOT = "file:///site/"
IN_EVERY_LANGUAGE = {"subpath"}
"""The settings whose site is built in all the real case's languages; the others in the first
alone: the links between languages are the same under each, and every language doubles the
pages whose links are followed."""


def _first_language_only(root: Path) -> Path:
    """A copy of the real content in its default language alone, its translations left out."""
    content = root / "content"
    shutil.copytree(REAL_CONTENT, content)
    settings = content / "site.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
    settings.write_text("".join(line for line in lines if not line.startswith("languages:")))
    for translation in content.rglob("*.*.yaml"):
        translation.unlink()
    return content


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in {"href", "src"} or (name == "content" and value.startswith("http")):
                self.links.append(value)
            if name == "id":
                self.ids.add(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module", params=sorted(SETTINGS))
def hosted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, bool, Path]]:
    name = request.param
    base_url, file_links = SETTINGS[name]
    root = tmp_path_factory.mktemp("hosted")
    output = root / "output"
    content = REAL_CONTENT if name in IN_EVERY_LANGUAGE else _first_language_only(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "PER_PAGE", 4)
        build_site(content, output, base_url=base_url, file_links=file_links)
    assert (output / "microsoft-ireland" / "timeline" / "page" / "2" / "index.html").is_file()
    yield name, base_url, file_links, output


def _address(output: Path, page: Path, file_links: bool, base_url: str) -> str:
    """Where a browser has the page: its folder's URL on a server, its file on disk."""
    relative = page.relative_to(output).as_posix()
    if file_links:
        return DISK_ROOT + relative
    return base_url + re.sub(r"(^|/)index\.html$", r"\1", relative)


def _target(output: Path, url: str, root: str, on_disk: bool) -> Path | None:
    """The file `url` (absolute) reaches, or None when it is outside the site or missing."""
    if not url.startswith(root):
        return None
    path = output / unquote(url[len(root) :])
    if not on_disk and (url[len(root) :] == "" or url.endswith("/")):
        path = path / "index.html"
    return path if path.is_file() else None


def _problems(output: Path, base_url: str, file_links: bool) -> list[str]:
    problems = []
    root = DISK_ROOT if file_links else base_url
    parsed: dict[Path, _Page] = {}

    def parse(path: Path) -> _Page:
        """Each page parsed once: thousands of citations link to anchors of the same pages."""
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    for page in sorted(output.rglob("*.html")):
        if file_links and page.name == "404.html":
            continue  # a server shows it at any depth; it links through the base URL's path
        address = _address(output, page, file_links, base_url)
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in {"mailto"} or (
                parts.scheme in {"http", "https"} and not link.startswith(base_url)
            ):
                continue  # a source on another site, or a share link
            if link.startswith(base_url):  # canonical, Open Graph: the published address
                target = _target(output, link.split("#")[0], base_url, on_disk=False)
            else:
                resolved = urljoin(address, link)
                target = _target(output, resolved.split("#")[0], root, on_disk=file_links)
            where = f"{page.relative_to(output)} → {link}"
            if target is None:
                problems.append(where)
            elif (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in parse(target).ids
            ):
                problems.append(f"{where} (no such anchor)")
    return problems


def test_every_link_of_every_page_resolves(hosted: tuple[str, str, bool, Path]) -> None:
    name, base_url, file_links, output = hosted
    assert _problems(output, base_url, file_links) == [], name


def test_feed_and_sitemap_give_published_addresses_that_exist(
    hosted: tuple[str, str, bool, Path],
) -> None:
    name, base_url, _, output = hosted
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(output / "feed.xml").getroot()
    urls = [link.attrib["href"] for link in feed.iter(f"{atom}link")]
    urls += [element.text or "" for element in feed.iter(f"{atom}id")]
    sitemap = ET.parse(output / "sitemap.xml").getroot()
    urls += [
        loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert len(urls) > 100
    missing = [
        url
        for url in urls
        if not url.startswith("tag:")
        and _target(output, url.split("#")[0], base_url, on_disk=False) is None
    ]
    assert missing == [], name


def test_links_on_disk_name_files_and_on_a_server_folders(
    hosted: tuple[str, str, bool, Path],
) -> None:
    _, _, file_links, output = hosted
    page = (output / "microsoft-ireland" / "quotes" / "index.html").read_text(encoding="utf-8")
    folder_links = re.findall(r'href="((?:\.\./)*[^":#]*/)"', page)
    file_links_found = re.findall(r'href="((?:\.\./)*[^":#]*/index\.html)"', page)
    if file_links:
        assert folder_links == [] and len(file_links_found) > 10
    else:
        assert file_links_found == [] and len(folder_links) > 10
