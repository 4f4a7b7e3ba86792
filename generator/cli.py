"""The `explainer` command line: the only module that prints or exits.

Exit status: 0 on success, 1 on content errors (printed as `file:line:col: message`) and
every other `ExplainerError` (each says how it reads, and its status), 2 on bad usage. A
content mistake never shows a Python traceback; an unexpected exception keeps its traceback
and says it is a bug in the generator.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from generator import __version__

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2

DEFAULT_OUTPUT = Path("output")
"""Where `explainer build` puts the site; the preview reuses the share cards kept for it."""
LOCAL_TEMPLATES = Path("templates")
"""Templates used when `--templates` is not given, if this folder exists."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer",
        description="Build static explainer sites for legal and policy cases from YAML.",
    )
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the output folder")
    _content_option(build)
    build.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where the site goes (default: {DEFAULT_OUTPUT})",
    )
    _templates_option(build)
    build.add_argument(
        "--base-url", help="override site.yaml's base_url, e.g. https://example.org/explainers/"
    )
    build.add_argument(
        "--file-links",
        action="store_true",
        help="link to each page's index.html, so the site also works opened from disk",
    )
    build.add_argument(
        "--full",
        action="store_true",
        help="render every page, ignoring the record the last build left beside the output",
    )
    build.add_argument(
        "--timings",
        action="store_true",
        help="say how long each stage of the build took",
    )

    serve = commands.add_parser(
        "serve", help="preview the site with live reload (built in a temporary folder)"
    )
    _content_option(serve)
    _templates_option(serve)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port (default: 8000, or the next free one; 0: any free one)",
    )
    serve.add_argument("--open", action="store_true", help="open the preview in a browser")
    serve.add_argument(
        "--diff",
        metavar="BASE",
        help="also list, at /_changes/, what the content changes since this git revision "
        "(as `explainer diff BASE` does), each item linked to its page in the preview",
    )

    check = commands.add_parser("check", help="validate the content without building")
    _content_option(check)
    check.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        help="text for people, github for GitHub Actions annotations, json for tools "
        "(default: text)",
    )
    check.add_argument(
        "--strict", action="store_true", help="exit with status 1 on warnings too, not only errors"
    )

    new = commands.add_parser(
        "new", help="start a new case: a folder of example items that builds at once"
    )
    new.add_argument("slug", metavar="CASE-SLUG", help="the case's address, e.g. microsoft-ireland")
    _content_option(new)

    translations = commands.add_parser(
        "translations", help="stamp translations, or count how far each language has come"
    )
    actions = translations.add_subparsers(dest="action", required=True, metavar="ACTION")
    stamp = actions.add_parser(
        "stamp",
        help="record in each translated item what it was translated from, so that `check` "
        "warns when that text changes",
    )
    stamp.add_argument("language", metavar="LANG", help="the language to stamp, e.g. de")
    stamp.add_argument("--case", metavar="SLUG", help="stamp only this case's translations")
    _content_option(stamp)
    status = actions.add_parser(
        "status", help="count, per language and case, the items translated, stale and missing"
    )
    _content_option(status)
    status.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text for people, json for tools (default: text)",
    )
    status.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when a translation is stale or not stamped",
    )

    diff = commands.add_parser(
        "diff",
        help="what changed in the content between two git revisions, item by item and page by "
        "page, with the problems the change brings in",
        description="Compare the content at BASE (default: HEAD) with HEAD (default: the working "
        "tree), or two content folders with --from and --to. Exit status: 0 when both load, "
        "1 when either has content errors (still reported), 2 on bad usage.",
    )
    diff.add_argument("base", nargs="?", metavar="BASE", help="a git revision (default: HEAD)")
    diff.add_argument(
        "head", nargs="?", metavar="HEAD", help="a git revision (default: the working tree)"
    )
    _content_option(diff)
    _templates_option(diff)
    diff.add_argument("--from", dest="from_dir", type=Path, metavar="DIR", help="content before")
    diff.add_argument("--to", dest="to_dir", type=Path, metavar="DIR", help="content after")
    diff.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text for people, markdown for a pull-request comment, json for tools (default: text)",
    )
    diff.add_argument(
        "--suggest-update",
        action="store_true",
        help="print a draft entry for case.yaml's `updates` saying what changed, to edit and paste",
    )

    export = commands.add_parser(
        "export",
        help="write a case's events, quotes, parties or sources as a spreadsheet, "
        "or its timeline as TimelineJS reads it",
        description="Export collection KIND of a case. csv and xlsx have a column per field "
        "(`id` first), as `explainer import` reads them; timelinejs-csv has the TimelineJS "
        "template's columns; timelinejs-json is TimelineJS's JSON. Exit status: 0 when "
        "written, 1 when the content has errors, 2 on bad usage.",
    )
    export.add_argument("kind", metavar="KIND", choices=["events", "quotes", "parties", "sources"])
    export.add_argument("--case", required=True, metavar="SLUG", help="the case to export")
    export.add_argument(
        "--format",
        choices=["csv", "xlsx", "timelinejs-csv", "timelinejs-json"],
        default="csv",
        help="the kind of file (default: csv; the timelinejs formats are for events)",
    )
    export.add_argument(
        "--output", type=Path, metavar="FILE", help="write here (default: standard output)"
    )
    _content_option(export)
    spreadsheet_import = commands.add_parser(
        "import",
        help="add or update a case's events, quotes, parties or sources from a spreadsheet",
        description="Read FILE (CSV, or XLSX with the `xlsx` extra) into the case's YAML. The "
        "header row picks the columns: the TimelineJS template's (Year, Month, Day, Headline, "
        "Text, Media, Type, Group…), or the field names of `explainer schema --kind KIND`. "
        "Ids come from an `id` column, else from each row's date and title, so importing "
        "again updates items instead of adding them twice. Every problem is reported at its "
        "row and column and then nothing is written. Exit status: 0 when imported, 1 on "
        "problems in the sheet or the content, 2 on bad usage (such as a missing file).",
    )
    spreadsheet_import.add_argument(
        "collection",
        metavar="KIND",
        choices=["events", "quotes", "parties", "sources"],
        help="what the rows are: events, quotes, parties or sources",
    )
    spreadsheet_import.add_argument("file", type=Path, metavar="FILE", help="a .csv or .xlsx file")
    spreadsheet_import.add_argument(
        "--case",
        required=True,
        metavar="SLUG",
        help="the case to import into; a case that does not exist yet is made, with a "
        "case.yaml to finish (a TimelineJS title row gives its title and summary)",
    )
    spreadsheet_import.add_argument(
        "--dry-run",
        action="store_true",
        help="say which items would be new, changed or unchanged, and write nothing",
    )
    spreadsheet_import.add_argument(
        "--source",
        dest="sources",
        action="append",
        default=[],
        metavar="ID",
        help="a source (id in the case's sources.yaml) cited by each row that names none, "
        "e.g. for a TimelineJS sheet, which has no sources column; repeat for several",
    )
    spreadsheet_import.add_argument(
        "--kind",
        dest="event_kind",
        metavar="EVENT-KIND",
        help="the kind of each event whose row names none (a TimelineJS sheet has no kind "
        "column; default: context)",
    )
    _content_option(spreadsheet_import)

    schema = commands.add_parser("schema", help="print the JSON Schema of the content files")
    schema.add_argument("--output", type=Path, help="write to this file instead of standard output")
    schema.add_argument(
        "--kind",
        choices=[
            "site",
            "case",
            "parties",
            "rulings",
            "events",
            "periods",
            "quotes",
            "polls",
            "sources",
            "glossary",
            "media",
        ],
        help="the schema of one kind of file only (default: all kinds)",
    )
    return parser


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )


def _templates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="a folder of templates overriding the theme's file by file "
        f"(default: ./{LOCAL_TEMPLATES} when it exists)",
    )


def _templates(args: argparse.Namespace) -> Path | None:
    """The folder whose templates override the theme's file by file: the one `--templates`
    names, else ./templates if it exists, else None (the theme alone)."""
    if args.templates is None and LOCAL_TEMPLATES.is_dir():
        return LOCAL_TEMPLATES
    return args.templates  # type: ignore[no-any-return]


_left_to_the_exit: list[object] = []
"""What the command built, when the process ends right after it (`console`): freeing a large
site's millions of objects one by one, or collecting them once, takes a second at 10,000
quotes; ending the process frees them at once."""
_process_ends_after = False


def console() -> NoReturn:
    """The `explainer` command: `main`, then the process ends at once. A mistake in the
    generator raises as from `main`, with its traceback."""
    global _process_ends_after
    _process_ends_after = True
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    _tolerate_unencodable_output()
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "base_url", None):
        args.base_url = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
        if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", args.base_url):
            parser.error(f"--base-url {args.base_url!r} is not an http(s) address")
    if getattr(args, "templates", None) and not args.templates.is_dir():
        parser.error(f"--templates {str(args.templates)!r} is not a folder")
    from generator.errors import ExplainerError  # after parsing: `--version` stays quick

    try:
        return _run(args)
    except ExplainerError as exc:
        built = args.output if args.command == "build" else None  # the folder a build replaces
        print("\n".join(exc.report(built)), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        # Content within the loader's limits fits in memory; this is a last resort, for a
        # machine with little memory to spare, so that no traceback reaches the editor.
        print("explainer: ran out of memory — is a content file unusually large?", file=sys.stderr)
        return EXIT_CONTENT
    except Exception:
        print(
            "explainer: this is a bug in the generator, not in your content; please report it:",
            file=sys.stderr,
        )
        raise


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _build(args)
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "new":
        return _new(args)
    if args.command == "translations":
        return _translations(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    return _schema(args)


def _tolerate_unencodable_output() -> None:
    """Under an ASCII locale (`LC_ALL=C`), print `—` or `é` as escapes rather than fail."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _build(args: argparse.Namespace) -> int:
    from generator.build.site import SiteBuilder
    from generator.theme import Theme

    builder = SiteBuilder.for_command_line(
        args.content,
        args.output,
        Theme.overriding(_templates(args)),
        base_url=args.base_url,
        file_links=args.file_links,
    )
    if _process_ends_after:
        _left_to_the_exit.append(builder)
        gc.disable()  # for good: the first collection after a build walks all it made
    try:
        result = builder.build(full=args.full)
    except OSError as exc:
        # Not an ExplainerError: writing raises OutputError, so this is a template or an asset
        # that could not be read, which render and build leave unwrapped.
        reason = (exc.strerror or str(exc)).lower()
        print(f"explainer: cannot read {exc.filename or 'a file'}: {reason}", file=sys.stderr)
        print(f"nothing written: {args.output} is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    changes = (
        f"{result.rendered} pages rendered again, {result.written} files changed"
        if result.incremental
        else "full build"
    )
    if result.parse_fallbacks:
        # The build is right, only slower: say so rather than hide it.
        count = len(result.parse_fallbacks)
        changes += (
            f"; {count} {'file' if count == 1 else 'files'} parsed in this process alone, "
            f"as worker processes failed: {result.parse_fallbacks[0]}"
        )
    print(
        f"built {result.pages} files for {result.cases} case(s) into {args.output} "
        f"in {result.seconds * 1000:.0f} ms ({changes})"
    )
    if args.timings:
        laps = ", ".join(
            f"{name} {seconds * 1000:.0f} ms" for name, seconds in result.stages.items()
        )
        print(f"timings: {laps}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from generator.serve import serve_site
    from generator.theme import Theme

    if not args.content.is_dir():
        print(f"{args.content}: content folder not found — pass --content DIR", file=sys.stderr)
        return EXIT_CONTENT
    serve_site(
        args.content,
        host=args.host,
        port=args.port,
        open_browser=args.open,
        cards_of=DEFAULT_OUTPUT,
        templates_dir=Theme.overriding(_templates(args)),
        diff=args.diff,
        diff_templates=_templates(args),
    )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from generator.commands.check import report, run_check

    result = run_check(args.content)
    sys.stdout.write(report(result, args.format))
    if result.errors or (args.strict and result.warnings):
        return EXIT_CONTENT
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from generator.commands.scaffold import new_case

    written = new_case(args.content, args.slug)
    folder = written[0].parent
    print(f"made {folder} with {len(written)} files of example items; replace every value")
    print(f"preview it with: explainer serve --content {args.content}")
    return EXIT_OK


def _translations(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from generator.commands.translations import (
        format_status,
        stamp_translations,
        translation_status,
    )

    if args.action == "stamp":
        stamped = stamp_translations(args.content, args.language, args.case)
        files = len(stamped.files)
        print(
            f"stamped {stamped.items} {'item' if stamped.items == 1 else 'items'} in {files} "
            f"{'file' if files == 1 else 'files'}"
        )
        for path in stamped.files:
            print(f"  {path}")
        return EXIT_OK
    rows = translation_status(args.content)
    if args.format == "json":
        sys.stdout.write(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_status(rows))
    if args.strict and any(r.stale or r.not_stamped for r in rows):
        return EXIT_CONTENT
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    from generator.commands.diff.report import format_review
    from generator.commands.diff.review import review
    from generator.commands.diff.sides import folder_sides, revision_sides
    from generator.commands.diff.update_draft import update_draft

    folders = args.from_dir is not None or args.to_dir is not None
    if folders and (args.from_dir is None or args.to_dir is None):
        print("explainer diff: --from and --to go together", file=sys.stderr)
        return EXIT_USAGE
    if folders and (args.base or args.head):
        print("explainer diff: give two revisions or --from and --to, not both", file=sys.stderr)
        return EXIT_USAGE
    templates = _templates(args)
    sides = (
        nullcontext(folder_sides(args.from_dir, args.to_dir, templates))
        if folders
        else revision_sides(args.content, args.base or "HEAD", args.head, templates)
    )
    with sides as (before, after):
        result = review(before, after, with_pages=not args.suggest_update)
    if args.suggest_update:
        if not result.loads:
            print("explainer diff: the content has errors; fix them first", file=sys.stderr)
            sys.stdout.write(format_review(result, "text"))
            return EXIT_CONTENT
        sys.stdout.write(update_draft(result))
        return EXIT_OK
    sys.stdout.write(format_review(result, args.format))
    return EXIT_OK if result.loads else EXIT_CONTENT


def _export(args: argparse.Namespace) -> int:
    from generator.commands.spreadsheet.exporter import export_case

    if args.format == "xlsx" and args.output is None:
        print("explainer export: --format xlsx needs --output FILE", file=sys.stderr)
        return EXIT_USAGE
    exported = export_case(args.content, args.kind, args.case, args.format)
    if args.output is None:
        sys.stdout.write(exported if isinstance(exported, str) else exported.decode())
        return EXIT_OK
    if isinstance(exported, str):
        args.output.write_text(exported, encoding="utf-8", newline="")
    else:
        args.output.write_bytes(exported)
    print(f"wrote {args.output}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from generator.commands.spreadsheet.importer import import_table
    from generator.models import EVENT_KINDS

    if args.event_kind is not None and args.event_kind not in EVENT_KINDS:
        print(
            f"explainer import: --kind `{args.event_kind}` is not an event kind — use one of: "
            + ", ".join(EVENT_KINDS),
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not args.file.is_file():
        print(f"explainer import: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    result = import_table(
        args.content,
        args.collection,
        args.file,
        args.case,
        dry_run=args.dry_run,
        sources=args.sources,
        event_kind=args.event_kind,
    )
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for outcome in result.outcomes:
        counts[outcome.status] += 1
        if args.dry_run or outcome.status != "unchanged":
            print(f"{outcome.status:<9} {outcome.collection}/{outcome.ident}  ({outcome.path})")
    for note in result.notes:
        print(f"note: {note}")
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    if args.dry_run:
        print(f"{summary}; dry run: nothing written")
    else:
        made = (
            f"; made the new case {args.case} (finish its case.yaml)" if result.case_created else ""
        )
        print(f"{summary}; wrote {len(result.written)} file(s){made}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from generator.commands.schema import content_schema

    text = json.dumps(content_schema(args.kind), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return EXIT_OK
