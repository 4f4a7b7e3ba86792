"""The preview's rebuild path, timed: one long-lived process, one `SiteBuilder`, many edits.

`explainer serve` keeps a `SiteBuilder` and calls `build()` on every save; this driver does
the same without the server: it builds once, then `--edits` times changes one quote's text
in quotes.yaml, calls `build()`, renders the quote's page as the server does when the
reloaded browser asks for it (a large site's rebuild leaves the pages it changed until then),
and checks that the page shows the edit: `seconds` is the time from the save to that page.
It then renders the other pages the build left, as the server does between requests:
`seconds_all` is the time to the last. It prints one JSON object per `build()` on standard
output; the benchmark runs it as a subprocess so that its memory is measured apart from the
benchmark's own.

    python -m bench.rebuild_driver CONTENT OUTPUT QUOTE_ID [--edits 10] [--caption K]

With `--caption K` (content written with `--images`), each edit changes the caption of
picture K instead, and the page checked is that of the event showing it.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import time
from pathlib import Path

from bench.synthetic import CASE_SLUG, PICTURE_ID, edit_caption, edit_quote, quote_file
from generator.build.site import SiteBuilder


def _peak_rss_kib() -> int:
    """VmHWM of this process: its peak resident set so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _as_serve_does(content: Path, output: Path) -> SiteBuilder:
    """A builder with the options `explainer serve` uses: no state file, files replaced in
    place (or, for a version before named builders, a staging folder swapped in each time)."""
    if hasattr(SiteBuilder, "render_deferred"):
        return SiteBuilder.for_preview(content, output, defers_pages=True)
    if hasattr(SiteBuilder, "for_preview"):
        return SiteBuilder.for_preview(content, output)
    if "in_place" in inspect.signature(SiteBuilder).parameters:
        return SiteBuilder(content, output, use_state=False, in_place=True)  # type: ignore[call-arg]
    return SiteBuilder(content, output, use_state=False)  # type: ignore[call-arg]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild_driver")
    parser.add_argument("content", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("quote_id")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--caption", type=int, help="edit this picture's caption instead")
    args = parser.parse_args(argv)
    case = args.content / "cases" / CASE_SLUG
    page = args.output / CASE_SLUG / "quotes" / args.quote_id / "index.html"
    if args.caption:
        page = args.output / CASE_SLUG / "timeline" / f"event-{args.caption:05d}" / "index.html"
    builder = _as_serve_does(args.content, args.output)
    for number in range(args.edits + 1):
        tag = f"edit{number}x{os.getpid()}"
        if number and args.caption:
            edit_caption(case / "media.yaml", PICTURE_ID.format(args.caption), tag)
        elif number:
            edit_quote(quote_file(case / "quotes.yaml", args.quote_id), args.quote_id, tag)
        started = time.perf_counter()
        result = builder.build()
        asked = hasattr(builder, "render_deferred")
        if asked:
            builder.render_deferred([page.relative_to(args.output).as_posix()])
        seconds = time.perf_counter() - started
        if asked:
            builder.render_deferred()
        seconds_all = time.perf_counter() - started
        shown = bool(number == 0 or tag in page.read_text(encoding="utf-8"))
        record = {
            "edit": number,
            "seconds": seconds,
            "seconds_all": seconds_all,
            "pages": result.pages,
            "rendered": result.rendered,
            "deferred": getattr(result, "deferred", 0),
            "written": result.written,
            "incremental": result.incremental,
            "shown": shown,
            "peak_rss_kib": _peak_rss_kib(),
        }
        print(json.dumps(record), flush=True)
        if not shown:
            print(f"the edit {tag} is not in {page}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
