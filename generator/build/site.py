"""The pipeline in order — load, validate, plan, render, write — once or again and again.

`build_site()` is one clean build: the five stages, called by name. A `SiteBuilder` makes
the same five calls again and again, with the history of earlier builds at the edges
only: `_begin` (the record to start from), `_patch` (an edit of wording applied to the
last plan instead of validating and planning again), `_stale_pages` (between plan and
render: only pages whose inputs changed are rendered again) and, at the end of `write`,
`_finish` (the record saved for the next build). `explainer build` saves the record beside
the output and starts from it the next time, when the output is untouched since; `serve`
keeps one builder for the life of the preview.

On a large site, rendering is spread over the machine's cores (see `workers`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from generator.build.besides_pages import Besides, parts_kept_whole, write_besides_pages
from generator.build.card_store import card_bytes, forget_others
from generator.build.deferred import DeferredPages
from generator.build.document_store import DocumentStore
from generator.build.image_store import ImageStore, ProcessedMedia, images_path
from generator.build.kept import KeptBuild, KeptWriter, forget_kept, kept_path, read_kept
from generator.build.markdown_ahead import MarkdownAhead
from generator.build.output_check import OutputCheck
from generator.build.patch import Built, patch
from generator.build.progress import BuildResult, Progress, Stopwatch, Upkeep, record_pages
from generator.build.record import (
    BuildRecord,
    Readers,
    cards_path,
    context_fingerprint,
    files_after,
    invert_reads,
    output_files,
    previous_site,
    read_record,
    save_record,
    setup_fingerprint,
    state_path,
    template_fingerprints,
    unchanged_files,
    update_readers,
    view_fingerprint,
    view_fingerprints,
)
from generator.build.template_cache import compiled_templates_folder, kept_template_closures
from generator.build.workers import (
    PARALLEL_FROM_PAGES,
    Rendering,
    fingerprint_contexts,
    render_and_write,
    worker_count,
)
from generator.load import chunks as load_chunks
from generator.load.content import LoadCache, RawContent, load_content
from generator.models import Site
from generator.plan.context import case_views
from generator.plan.languages import site_languages
from generator.plan.site import (
    CARD_TEMPLATE,
    Page,
    SitePlan,
    markdown_texts,
    page_card_text,
    plan_site,
)
from generator.render.cards import shapes_text
from generator.render.data_files import CaseData
from generator.render.environment import make_environment
from generator.render.fragments import compile_templates, templates_in_use
from generator.render.markdown import converted_of, remember_converted
from generator.render.page import RenderSession
from generator.theme import PACKAGE_THEME, Theme
from generator.validate.content import SiteContent, validate_content
from generator.write import output_lock, staged_output

DEFAULT_TEMPLATES = PACKAGE_THEME
MEDIA_STYLESHEET = "media.css"
"""The stylesheet of pictures and their credits, under the theme's `static/`: published
only with a site that shows a picture, so a site without one is as it was before."""
KEPT_DRIFT = 100
"""How many items a rebuild may patch into the build kept on disk and still name that file
for the next rebuild instead of writing its own (1 to 1.7 s of pickling at 10,000
quotes): the next one patches them all again, from the same file."""
LARGE_PREVIEW = PARALLEL_FROM_PAGES
"""From this many pages, a preview follows a save at once: it keeps the search index it
started with (Pagefind takes seconds per part), and a builder that defers pages leaves the
pages a save changed to render when a browser asks for them (see `deferred`)."""
PARENT_KEEPS = frozenset({"json:data"})
"""Templates of pages a kept builder (the preview) renders itself even when workers render
the rest: a case's `data.json`, whose items it then has encoded for the next build (3 s to
encode again at 10,000 quotes, on the first edit after starting)."""

__all__ = ["BuildResult", "SiteBuilder", "build_site", "collector_paused", "state_path"]

logger = logging.getLogger("generator")


def build_site(
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path | Theme = DEFAULT_TEMPLATES,
    base_url: str | None = None,
    workers: int | None = None,
    file_links: bool = False,
) -> BuildResult:
    """Build the whole site from `content_dir` into `output_dir`, ignoring any record."""
    builder = SiteBuilder.once(
        content_dir, output_dir, templates_dir, base_url, workers, file_links=file_links
    )
    raw = builder.load()
    content = builder.validate(raw)
    plan = builder.plan(content)
    rendering = builder.render(plan.pages)
    return builder.write(rendering)


class SiteBuilder:
    """Builds one site, again on each call, rendering only what changed since the last call.

    Made by `for_command_line` (`explainer build`), `for_preview` (`explainer serve`) or
    `once` (`build_site`). The command line saves every build's record beside the output,
    and starts from the record found there if the output is exactly as that build left it
    (unless asked for a `full` build); it stages the new site beside the output and swaps
    it in, one build of an output at a time, so a failed or killed build leaves the old
    site as it was (see `write`); and it lets go of what a build was made of early, to take
    less memory. The preview writes into its folder directly, each file replaced whole, and
    keeps what each build was made of, so that the next can apply an edit of wording to it
    (`patch`). `file_links` makes links name each page's `index.html`, for a site opened
    from disk. `cards_dir` keeps the share cards drawn, by content. `defers_pages`: see
    `for_preview`.
    """

    def __init__(
        self,
        content_dir: Path,
        output_dir: Path,
        templates_dir: Path | Theme,
        base_url: str | None,
        workers: int | None,
        upkeep: Upkeep,
        file_links: bool,
        cards_dir: Path | None,
        images_dir: Path | None = None,
        defers_pages: bool = False,
    ) -> None:
        self.content_dir = content_dir
        self.output_dir = output_dir.absolute()
        self.theme = templates_dir if isinstance(templates_dir, Theme) else Theme((templates_dir,))
        self.statics: dict[str, Path] = {}
        """The theme's static assets, by path under `static/`, as this build found them."""
        self.base_url = base_url
        self.file_links = file_links
        self.workers = workers
        self.in_place = upkeep.in_place
        self.keep = upkeep.keeps_last
        self.keeping = upkeep.keeps_last
        """Whether the build under way keeps what it is made of for the next: always in the
        preview, and on disk in a rebuild of the command line (see `kept`)."""
        self.state_file = state_path(output_dir) if upkeep.saves_record else None
        self.kept_file = kept_path(output_dir) if upkeep.saves_record else None
        self.cards_dir = cards_dir
        self.images = ImageStore(images_dir)
        self.documents = DocumentStore(self.images)
        self.media = ProcessedMedia()
        """The files made of the pictures the last plan shows (a patch keeps them)."""
        self.record: BuildRecord | None = None
        self.readers: Readers | None = None
        """The pages that read each input, per `self.record`; made when a patch needs it."""
        self.last: Built | None = None
        self.load_cache = LoadCache()
        self.case_data = CaseData()
        self._built = False
        self._progress: Progress | None = None
        self._locked = False
        self._kept_writer: KeptWriter | None = None
        self._froze = False
        self._adopted: bytes | None = None
        """The digest of the kept build this process read, until a build patches it."""
        self.defers_pages = defers_pages
        self.deferred: DeferredPages | None = None
        """The pages the last build left to render until asked for (`render_deferred`)."""
        self.search_files: Mapping[str, bytes] | None = None
        """The files of the search bundle among `self.record.statics`, by path."""

    @classmethod
    def for_command_line(
        cls,
        content_dir: Path,
        output_dir: Path,
        templates_dir: Path | Theme = DEFAULT_TEMPLATES,
        base_url: str | None = None,
        workers: int | None = None,
        *,
        file_links: bool = False,
    ) -> SiteBuilder:
        """`explainer build`: a record saved beside the output, the new site swapped in
        whole, share cards kept beside the output for the next build."""
        upkeep = Upkeep(saves_record=True, in_place=False, keeps_last=False)
        cards = cards_path(output_dir)
        images = images_path(output_dir)
        return cls(
            content_dir,
            output_dir,
            templates_dir,
            base_url,
            workers,
            upkeep,
            file_links,
            cards,
            images,
        )

    @classmethod
    def for_preview(
        cls,
        content_dir: Path,
        site_dir: Path,
        templates_dir: Path | Theme = DEFAULT_TEMPLATES,
        base_url: str | None = None,
        workers: int | None = None,
        *,
        cards_of: Path | None = None,
        defers_pages: bool = False,
    ) -> SiteBuilder:
        """`explainer serve`: files replaced in `site_dir` as they change, each build kept
        for the next; the share cards that `explainer build` keeps for the output
        `cards_of` are reused (most are drawn already), and none are kept otherwise. So are
        its processed pictures; without it they are kept beside `site_dir`, not in memory,
        where a thousand photos' files would hold a gigabyte for the preview's life.

        With `defers_pages`, a rebuild of a site of `LARGE_PREVIEW` pages or more renders
        none of the pages it changed: it leaves them for `render_deferred`, which the
        server calls for each page a browser asks for and for the rest between requests."""
        upkeep = Upkeep(saves_record=False, in_place=True, keeps_last=True)
        cards = cards_path(cards_of) if cards_of is not None else None
        images = images_path(cards_of if cards_of is not None else site_dir)
        return cls(
            content_dir,
            site_dir,
            templates_dir,
            base_url,
            workers,
            upkeep,
            False,
            cards,
            images,
            defers_pages,
        )

    @classmethod
    def once(
        cls,
        content_dir: Path,
        output_dir: Path,
        templates_dir: Path | Theme = DEFAULT_TEMPLATES,
        base_url: str | None = None,
        workers: int | None = None,
        *,
        file_links: bool = False,
    ) -> SiteBuilder:
        """One build that neither starts from nor saves a record (`build_site`)."""
        upkeep = Upkeep(saves_record=False, in_place=False, keeps_last=False)
        cards = cards_path(output_dir)
        images = images_path(output_dir)
        return cls(
            content_dir,
            output_dir,
            templates_dir,
            base_url,
            workers,
            upkeep,
            file_links,
            cards,
            images,
        )

    def build(self, full: bool = False) -> BuildResult:
        """Build once; raise an `ExplainerError` and leave the output as it was.

        `full` renders every page, whatever the record says. The cyclic garbage collector is
        paused meanwhile: a build allocates millions of objects that live until it ends, and
        each collection would walk them all (a third of planning time at 10,000 quotes).
        """
        try:
            with collector_paused(), self._one_build_at_a_time():
                result = self._build(full)
                planned = self._under_way().patched_keys is None
            if self.defers_pages and planned:
                self._freeze_what_lasts()
            return result
        finally:
            if self._progress is not None and self._progress.markdown is not None:
                self._progress.markdown.close()
            self._progress = None
            self._adopted = None  # the kept build read for this build is its alone to name
            if self._kept_writer is not None:  # the build failed after starting it
                self._kept_writer.abandon()
                self._kept_writer = None

    def render_deferred(self, paths: Iterable[str] | None = None, count: int | None = None) -> int:
        """Render pages the last build left (see `for_preview`): those of `paths` among
        them, else the next `count`, else all. Return how many files were written; raise an
        `ExplainerError` for a page that cannot be rendered, which stays left."""
        deferred = self.deferred
        if deferred is None:
            return 0
        if paths is None:
            paths = deferred.next_paths(count if count is not None else len(deferred))
        with collector_paused():
            written = deferred.render(paths)
        if not deferred:
            self.deferred = None
            gc.collect(1)  # see `_freeze_what_lasts`
        return written

    def _freeze_what_lasts(self) -> None:
        """Put what the preview's plan is made of out of the collector's reach (a builder
        that `defers_pages`, the one `explainer serve` keeps for its life).

        It keeps the objects of its last plan, some 800,000 at 10,000 quotes with the
        defaults on, and an automatic collection of the oldest generation walks them all:
        0.6 s, in whichever rebuild it falls. Frozen (`gc.freeze`) after each build that
        plans, they are walked no more, and freed as ever when the next plan replaces them
        (frozen objects in cycles would not be: the first build's are collected first,
        25,620 objects at 10,000 quotes, and a rebuild that planned again left none). After
        a patch the young generations are collected once its last page is rendered, between
        requests, rather than in the middle of the next rebuild (4 ms every seventh edit,
        46 ms every 84th).
        """
        if not self._froze:
            gc.collect()
            self._froze = True
        gc.freeze()

    @contextlib.contextmanager
    def _one_build_at_a_time(self) -> Iterator[None]:
        """Hold the output's lock, from reading its record to saving the next (see `write`)."""
        if self.in_place or self._locked:
            yield
            return
        with output_lock(self.output_dir):
            self._locked = True
            try:
                yield
            finally:
                self._locked = False

    def _build(self, full: bool) -> BuildResult:
        self._begin(full)
        raw = self.load()
        plan = self._patch(raw)
        if plan is None:
            content = self.validate(raw)
            del raw  # a builder that keeps nothing frees it for planning (see `plan`)
            plan = self.plan(content)
            del content  # rendering needs only what `plan` kept of it (see `_without_items`)
        stale = self._stale_pages(plan)
        return self.write(self.render(stale))

    # The five stages, each with what the builder adds to it.

    def load(self) -> RawContent:
        """Load the content (stage 1), beginning a full build if none is under way."""
        progress = self._progress or self._begin(full=True)
        with load_chunks.counting() as progress.parsing:
            raw = load_content(self.content_dir, self.load_cache if self.keeping else None)
        progress.raw = raw if self.keeping else None
        progress.stages.lap("load")
        return raw

    def validate(self, raw: RawContent) -> SiteContent:
        """Validate the loaded content (stage 2)."""
        progress = self._under_way()
        content = validate_content(raw, base_url=self.base_url)
        progress.stages.lap("validate")
        return content

    def plan(self, content: SiteContent) -> SitePlan:
        """Plan every page (stage 3), and fingerprint what each page reads."""
        progress = self._under_way()
        workers = worker_count(PARALLEL_FROM_PAGES, self.workers)
        progress.markdown = MarkdownAhead.start(markdown_texts(content), workers)
        try:
            if not self.keeping:  # the content's items and documents refer to each other:
                gc.collect()  # only a collection frees them, for planning to reuse (-30% at 10k)
            self.media = self.images.process(content, workers)
            self.documents.process(content, self.media, workers)
            plan = plan_site(
                content,
                progress.copies,
                self.media.files,
                self.media.documents,
                cards_shape_text=shapes_text,
            )
        except BaseException:
            if progress.markdown is not None:  # `build_site` has no `finally` to close it
                progress.markdown.close()
                progress.markdown = None
            raise
        if not self.keeping:
            content = _without_items(content)
        progress.stages.lap("plan")
        progress.built = Built(
            progress.raw,
            content,
            plan,
            {view.view_key: view for case in plan.cases for view in case_views(case)},
            {page.path: page for page in plan.pages},
        )
        progress.inputs = view_fingerprints(plan.cases)
        # Without a record of the same setup every page is rendered, and the processes
        # that render them fingerprint their contexts too, side by side.
        if progress.same_setup:
            workers = worker_count(len(plan.pages), self.workers)
            progress.contexts = fingerprint_contexts(plan.pages, workers)
        progress.stages.lap("fingerprint")
        return plan

    def render(self, pages: Sequence[Page]) -> Rendering:
        """The pages to render (stage 4) in a session of this build, for `write` to take."""
        progress = self._under_way()
        if progress.record is None:
            self._record_inputs(progress)
        assert progress.built is not None and progress.record is not None
        previous = progress.previous
        environment = make_environment(self.theme.folders, compiled_templates_folder())
        templates = progress.templates
        changed = progress.changed
        session = RenderSession(
            environment,
            progress.record.inputs,
            templates_in_use(environment, templates, kept_template_closures),
            changed=(previous.inputs, changed)
            if previous is not None and changed is not None
            else None,
            file_links=self.file_links,
            card_png=functools.partial(
                card_bytes, folder=self.cards_dir, pictures=self.media.outputs
            ),
            case_data=self.case_data,
        )
        markdown = progress.built.plan.markdown
        return Rendering(pages, session, markdown, fingerprint=progress.contexts is None)

    def write(self, rendering: Rendering) -> BuildResult:
        """Render the pages into the output (stage 5), in place or staged and swapped in,
        with the files besides pages; then finish the build."""
        progress = self._under_way()
        if self.in_place:
            written, touched = self._write_into(rendering, self.output_dir)
        else:
            previous = progress.previous
            put_aside = previous.previous_site if previous is not None else None
            with (
                self._one_build_at_a_time(),
                staged_output(
                    self.output_dir, previous is not None, self._forget_record, put_aside
                ) as stage,
            ):
                written, touched = self._write_into(rendering, stage)
        progress.stages.lap("swap in")
        return self._finish(len(rendering.pages), written, touched)

    # The history of earlier builds, at the edges.

    def _begin(self, full: bool) -> Progress:
        """Start a build: find the record to start from, unless `full`."""
        started = time.perf_counter()
        setup = setup_fingerprint(self.theme, self.output_dir, self.base_url, self.file_links)
        previous = None if full else self._previous(setup)
        self._built = True
        files = self.theme.files()
        self.statics = files.statics
        stages = Stopwatch(started)
        progress = Progress(setup, previous, tuple(files.statics), files.templates, started, stages)
        if previous is not None and previous is self.record:
            progress.search_files_before = self.search_files
        self._progress = progress
        self.keeping = self.keep or (self.kept_file is not None and progress.same_setup)
        stages.lap("record")
        return progress

    def _under_way(self) -> Progress:
        assert self._progress is not None, "a stage called before the build's load"
        return self._progress

    def _patch(self, raw: RawContent) -> SitePlan | None:
        """The last build's plan with an edit of wording applied to it, when the last build
        was kept and the edit is only that; else None, to validate and plan again."""
        progress = self._under_way()
        last, previous = self.last, progress.previous
        if last is None or previous is None or not progress.same_setup:
            return None
        patched = patch(last, raw)
        if patched is None:
            return None
        self.last = None  # patched in place: it matches a record again once this build ends
        progress.built = last
        progress.inputs = dict(previous.inputs)
        progress.inputs.update((view.view_key, view_fingerprint(view)) for view in patched.views)
        progress.contexts = {page.path: context_fingerprint(page) for page in patched.pages}
        progress.patched_keys = [view.view_key for view in patched.views]
        adopted, self._adopted = self._adopted, None
        if adopted is not None and len(patched.views) <= KEPT_DRIFT:
            progress.reuses_kept = adopted
        progress.stages.lap("patch")
        return last.plan

    def _record_inputs(self, progress: Progress) -> BuildRecord:
        """Begin this build's record: the inputs' fingerprints, templates included."""
        assert progress.built is not None
        if progress.copies != progress.built.plan.copies:
            progress.built.plan = replace(progress.built.plan, copies=progress.copies)
        progress.templates = template_fingerprints(progress.template_files)
        progress.inputs.update(progress.templates)
        progress.record = BuildRecord(progress.setup, progress.inputs)
        return progress.record

    def _stale_pages(self, plan: SitePlan) -> list[Page]:
        """The pages to render again: those that are new, read a changed input or whose
        context changed since the record this build started from; all without one."""
        progress = self._under_way()
        record = self._record_inputs(progress)
        previous, contexts, built = progress.previous, progress.contexts, progress.built
        assert built is not None
        plan = built.plan
        readers = self.readers if previous is self.record else None
        left = self.deferred.pages if self.deferred is not None and previous is self.record else {}
        stale: list[Page]
        if previous is None or not progress.same_setup or contexts is None:
            stale = list(plan.pages)
        elif progress.patched_keys is not None:
            candidates = [*progress.patched_keys, *progress.templates]
            progress.changed = previous.changed_inputs(record.inputs, candidates)
            paths = previous.pages_reading(progress.changed, readers, contexts)
            stale = [built.pages[path] for path in sorted(paths)]
        else:
            progress.changed = previous.changed_inputs(record.inputs)
            stale = previous.stale_pages(plan.pages, progress.changed, contexts)
        if left and len(stale) < len(plan.pages):  # pages the last build left unrendered
            stale_paths = {page.path for page in stale}
            stale += [built.pages[p] for p in left if p in built.pages and p not in stale_paths]
        progress.readers = readers
        self.record = self.last = self.readers = None  # until this build has succeeded
        self.deferred = self.search_files = None
        progress.stages.lap("stale pages")
        return stale

    def _write_into(self, rendering: Rendering, folder: Path) -> tuple[int, set[str]]:
        """Render and write the pages into `folder`, which holds the previous build (if any),
        then the files besides them. Return how many files were written or removed, and the
        paths of the pages rendered or removed."""
        progress = self._under_way()
        record, previous, built = progress.record, progress.previous, progress.built
        assert record is not None and built is not None
        if progress.markdown is not None:
            progress.markdown.finish()
            progress.markdown = None
        before = previous.pages if previous is not None else {}
        large_preview = self.keep and self.in_place and len(built.plan.pages) >= LARGE_PREVIEW
        if (
            large_preview
            and self.defers_pages
            and previous is not None
            and progress.same_setup
            and rendering.pages
            and (
                not built.content.site.search
                or parts_kept_whole(previous.search_parts, built.plan.search_parts)
            )
        ):
            progress.deferred = DeferredPages(folder, rendering.session, record, rendering.pages)
            rendering = replace(rendering, pages=())
        in_parent = PARENT_KEEPS if self.keeping else frozenset()
        workers = worker_count(len(rendering.pages), self.workers)
        with rendering.session:
            rendered = render_and_write(
                rendering, folder, before, self.in_place, workers, in_parent
            )
        if self.keep and workers > 1:
            compile_templates(rendering.session.environment, progress.templates)  # workers did
        left = progress.deferred.pages if progress.deferred is not None else ()
        written, dropped = record_pages(record, before, rendered, progress.contexts, built, left)
        self._start_keeping()
        progress.stages.lap("render and write pages")
        site = built.content.site
        copies = built.plan.copies
        if not self.media.files and not self.media.documents:
            copies = tuple(path for path in copies if path != MEDIA_STYLESHEET)
        besides = Besides(
            folder,
            self.statics,
            copies,
            previous,
            self.in_place,
            _search_language(site) if site.search else None,
            built.plan.search_parts,
            worker_count(PARALLEL_FROM_PAGES, self.workers),
            large_preview,
            self.file_links,
            self.media.outputs,
            progress.search_files_before,
        )
        besides_written = write_besides_pages(besides, record, dropped)
        progress.search_files = besides_written.searched
        progress.stages.lap("search index and statics")
        return written + besides_written.written, rendered.keys() | besides_written.gone

    def _finish(self, rendered: int, written: int, touched: set[str]) -> BuildResult:
        """Save what the next build starts from, and say what this one did."""
        progress = self._under_way()
        record, previous, built = progress.record, progress.previous, progress.built
        assert record is not None and built is not None
        readers = progress.readers
        if readers is not None and previous is not None and progress.same_setup:
            update_readers(readers, previous.pages, record.pages, touched)
        elif self.keep:
            readers = invert_reads(record.pages)  # now rather than on the next edit
        else:
            readers = None
        if self.state_file is not None:
            record.kept = self._kept_digest()
            progress.stages.lap("keep the build")
            if previous is not None and previous.files:
                unchanged = unchanged_files(record, previous)
                record.files = files_after(record, previous, self.output_dir, unchanged)
                if not self.in_place:
                    record.previous_site = previous_site(
                        record, previous, self.output_dir, unchanged
                    )
            else:
                record.files = output_files(self.output_dir)
            try:
                save_record(record, self.state_file)
            except OSError as exc:  # the site is built; only the next build's economy is lost
                logger.warning(
                    "could not save the build record %s (%s): the next build renders every page",
                    self.state_file,
                    exc.strerror or exc,
                )
            progress.stages.lap("save record")
        if not self.keep and self.cards_dir is not None:
            cards = [page for page in built.plan.pages if page.template == CARD_TEMPLATE]
            forget_others(self.cards_dir, map(page_card_text, cards), len(cards))
            progress.stages.lap("forget old cards")
        if not self.keep:
            self.images.forget_others(self.media.keys)
        self.record, self.last = record, built if self.keeping else None
        self.readers = readers
        self.search_files = progress.search_files
        deferred = self.deferred = progress.deferred
        if deferred is not None:
            deferred.readers = readers
        return BuildResult(
            pages=len(built.plan.pages) + len(record.statics),
            cases=len(built.content.cases),
            seconds=time.perf_counter() - progress.started,
            rendered=rendered - len(deferred or ()),
            deferred=len(deferred or ()),
            written=written,
            incremental=progress.same_setup,
            stages=progress.stages.laps,
            parsed_by=tuple(progress.parsing.runs),
            parse_fallbacks=tuple(progress.parsing.fallbacks),
        )

    def _start_keeping(self) -> None:
        """Begin writing what this build is made of for the next, if it keeps it (see
        `kept`), while the search index is made and the new site swapped in."""
        progress = self._under_way()
        if self.kept_file is None or not self.keeping or progress.reuses_kept is not None:
            return
        assert progress.built is not None
        kept = KeptBuild(
            str(self.content_dir.absolute()),
            progress.built,
            self.load_cache,
            self.case_data,
            self.media,
            converted_of(progress.built.plan.markdown),
        )
        self._kept_writer = KeptWriter(kept, self.kept_file)

    def _kept_digest(self) -> bytes | None:
        """The digest of the kept build, for the record, once written; None when this build
        keeps none, and its last kept file is forgotten."""
        assert self.kept_file is not None
        reused = self._under_way().reuses_kept
        if reused is not None:
            return reused
        writer, self._kept_writer = self._kept_writer, None
        digest = writer.finish() if writer is not None else None
        if digest is None:
            with contextlib.suppress(OSError):
                forget_kept(self.kept_file)
            if writer is not None:  # only the next build's economy is lost
                logger.warning(
                    "could not keep the build in %s: the next build plans every page again",
                    self.kept_file,
                )
        return digest

    def _forget_record(self) -> None:
        """Remove the saved record and the build it keeps just before the swap: they
        describe the old output (the kept build stays when this build names it again)."""
        if self.state_file is not None:
            self.state_file.unlink(missing_ok=True)
        if self.kept_file is not None and self._under_way().reuses_kept is None:
            forget_kept(self.kept_file)

    def _previous(self, setup: bytes) -> BuildRecord | None:
        """The record to start from: this builder's last, or a trustworthy saved one, with
        the build kept beside it when it was made with the same `setup`.

        Its digests spare rewriting unchanged files even when the setup changed.
        """
        record = self.record
        if record is None and not self._built and self.state_file is not None:
            saved = read_record(self.state_file)
            if saved is not None:
                with OutputCheck(saved, self.output_dir) as check:
                    kept = self._kept(saved, setup)  # while the output is walked
                    if check.trustworthy():
                        record = saved
                        if kept is not None:
                            self._adopt(kept)
                            self._adopted = saved.kept
        return record

    def _kept(self, saved: BuildRecord, setup: bytes) -> KeptBuild | None:
        """The build `saved` names as kept beside it, if it was made with the same `setup`."""
        if self.kept_file is None or saved.kept is None or saved.setup != setup:
            return None
        return read_kept(self.kept_file, saved.kept, self.content_dir)

    def _adopt(self, kept: KeptBuild) -> None:
        """Start from the build kept on disk, as the preview starts from its last."""
        self.last, self.load_cache = kept.built, kept.load_cache
        self.case_data, self.media = kept.case_data, kept.media
        remember_converted(kept.markdown)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for work that makes millions of objects
    living until it ends, which each collection would walk: a build, a review."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _search_language(site: Site) -> str:
    """The language the search index is made in: the site's, or "" for a site of several,
    whose pages Pagefind indexes per their `<html lang>`."""
    languages = site_languages(site)
    return languages[0] if len(languages) == 1 else ""


def _without_items(content: SiteContent) -> SiteContent:
    """The site's settings and cases without their items' models, for a builder that does
    not keep them: its pages read views, which hold the fields they show, and the models
    otherwise stay in memory through rendering, where the forked workers share them (18 MiB
    at 10,000 quotes, besides the strings the views hold too)."""
    kinds = ("parties", "rulings", "events", "periods", "quotes", "polls", "sources")
    empty = {name: () for name in kinds}
    cases = tuple(replace(case, **empty) for case in content.cases)  # type: ignore[arg-type]
    return replace(content, cases=cases)
