"""The print edition: the book's HTML typeset by WeasyPrint into a PDF."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import azcn_book.builders.engine  # noqa: F401 (loads WeasyPrint: see there)

import pydyf
import weasyprint

from azcn_book import children
from azcn_book.builders import (
    combine,
    fonts_shared,
    footnote_area,
    footnote_defer,
    justify,
    preflight,
    printmarks,
)
from azcn_book.builders.html import book_html, book_parts, book_stylesheet
from azcn_book.builders.output import atomic_output, output_path
from azcn_book.builders.pagination import (
    LayoutHints,
    PageStart,
    Pagination,
    PartHints,
    joined_hints,
    labels_of,
    loose_breaks,
    paginate,
    part_hints,
    prints_page_numbers,
)
from azcn_book.errors import Problem, progress
from azcn_book.model import STANDARD_PRINT, Edition, PrintOptions
from azcn_book.readers.tomlfile import read_bytes

justify.install()  # Chinese lines justified between characters, not at spaces only
footnote_area.install()  # a page's notes measured one at a time, not all again for each
footnote_defer.install()  # a page's notes never pushed to the next to make room for a line

# PDF/A-3 carries the book's sources inside it, so the figures travel with the briefing.
ARCHIVAL = ("pdf/a-3a", "pdf/a-3b", "pdf/a-3u")


def fetcher() -> weasyprint.URLFetcher:
    """Fetch nothing from a file or the network: all the book needs is inline (charts are
    data: URLs the build makes, and content can write no image or HTML of its own)."""
    return weasyprint.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


# A layout prints page numbers and wordings that only a layout can tell (pagination.LayoutHints):
# it is repeated with what it found until what it prints is what it finds, at most this often.
MAX_LAYOUTS = 4

# Hints an earlier build of an edition found, by edition and page setup (the build keeps them
# in its cache): after an edit that moved nothing, the first layout already settles.
_guesses: dict[tuple[str, PrintOptions], LayoutHints] = {}
_settled: dict[tuple[str, PrintOptions], LayoutHints] = {}
# How parts are laid out: in how many processes, whether the edition has them to itself (no
# other edition is laid out meanwhile), and where laid-out parts are kept between builds (set
# by build.py; none: each build lays out every part, once).
_setup = {"jobs": 1, "alone": True, "store": None}


def guess_hints(edition_id: str, options: PrintOptions, hints: LayoutHints) -> None:
    """Start the next layout of this edition and page setup from `hints` (a guess: checked)."""
    _guesses[edition_id, options] = hints


def settled_hints(edition_id: str, options: PrintOptions) -> LayoutHints | None:
    """The hints the layout of this edition and page setup settled on, if it was laid out."""
    return _settled.get((edition_id, options))


def lay_out_with(jobs: int, store=None, alone: bool = True) -> None:
    """Lay the parts of a book out in `jobs` processes, `alone` when no other edition is laid
    out meanwhile; `store` (build.PartStore) keeps each laid-out part under a key of what it
    is made from, so a later build reuses it."""
    _setup.update(jobs=jobs, store=store, alone=alone)


@dataclass
class PartLayout:
    """One part of the book laid out on its own (front matter, a chapter, sources, colophon;
    `part` None: the whole book): its PDF and what was read off its pages. Plain data, so a
    worker process can send it back and the build cache can keep it."""

    part: str | None
    pdf: bytes
    anchors: frozenset[str]  # the anchors it defines (combine.py joins their destinations)
    fonts: dict[str, fonts_shared.FontSource]  # the installed file of each font it embeds
    found: PartHints
    loose: set[tuple[str, str]]  # forced table breaks that left room (pagination.loose_breaks)
    starts: list[PageStart]  # where each of its pages begins (the EPUB's page markers)
    findings: preflight.Findings
    cover: bytes = b""  # its first page as a PNG, when only the pages and cover are wanted
    seconds: float = 0.0  # how long its layout took a worker process (not kept in the cache)

    def has(self, want: str) -> bool:
        """Whether this layout keeps what `want` asks (see lay_out_part)."""
        return {"hints": True, "pages": bool(self.starts),
                "cover": bool(self.starts and (self.cover or self.pdf)),
                "pdf": bool(self.pdf)}[want]

    def report(self) -> dict:
        found = self.found
        return {"part": self.part, "anchors": sorted(self.anchors),
                "fonts": {name: source.report() for name, source in self.fonts.items()},
                "hints": found.hints.report(), "targets": found.targets,
                "linked": sorted(found.linked), "pages": found.pages,
                "front_pages": found.front_pages, "loose": sorted(self.loose),
                "starts": [start.report() for start in self.starts],
                "errors": [problem.report() for problem in self.findings.errors],
                "warnings": [problem.report() for problem in self.findings.warnings]}

    @classmethod
    def from_report(cls, report: dict, pdf: bytes) -> PartLayout:
        """A part from the build cache (KeyError, TypeError, ValueError if damaged)."""
        problems = lambda reports: [Problem.from_report(r) for r in reports]  # noqa: E731
        found = PartHints(LayoutHints.from_report(report["hints"]),
                          {str(anchor): int(index) for anchor, index in report["targets"].items()},
                          set(report["linked"]), int(report["pages"]), int(report["front_pages"]))
        fonts = {str(name): fonts_shared.FontSource.from_report(source)
                 for name, source in report["fonts"].items()}
        return cls(report["part"], pdf, frozenset(report["anchors"]), fonts, found,
                   {(table, row) for table, row in report["loose"]},
                   [PageStart(*start) for start in report["starts"]],
                   preflight.Findings(problems(report["errors"]), problems(report["warnings"])))


@dataclass
class Printed:
    """An edition's print layout: the PDF and what the e-book and the report need of it."""

    pdf: bytes
    pagination: Pagination
    findings: preflight.Findings

    @property
    def pages(self) -> int:
        return len(self.pagination.starts)


# A part laid out on its own costs about 0.1 s more than as a stretch of the whole book (its
# document, stylesheet, font subsets): a book of fewer chapters than this is laid out whole.
SPLIT_FROM_CHAPTERS = 3


def print_edition(edition: Edition, options: PrintOptions = STANDARD_PRINT,
                  split: bool | None = None) -> Printed:
    """Lay out the edition's pages, once per build and page setup: the PDF, the EPUB's page
    markers and its cover all come from this one layout. Each part of the book begins a page,
    so each is laid out on its own (`split`; not in a two-sided book, whose blank pages before
    right-hand openers only the whole book knows, nor in a book of one or two chapters): in
    parallel, and only the parts that changed since the last build."""
    return _print_edition(edition, options, _split(edition) if split is None else split)


def _split(edition: Edition) -> bool:
    """Whether the edition is laid out part by part (print_edition)."""
    return not edition.book.two_sided and len(edition.chapters) >= SPLIT_FROM_CHAPTERS


@lru_cache(maxsize=2)  # a worker builds one edition
def _print_edition(edition: Edition, options: PrintOptions, split: bool) -> Printed:
    laid, _ = _lay_out_edition(edition, options, book_parts(edition) if split else [None])
    pdf_bytes = combine.combine([combine.PartPdf(part.pdf, part.anchors, part.fonts)
                                 for part in laid],
                                front_pages=sum(part.found.front_pages for part in laid))
    pagination = Pagination([start for part in laid for start in part.starts])
    findings = preflight.Findings(
        [problem for part in laid for problem in part.findings.errors],
        [problem for part in laid for problem in part.findings.warnings])
    return Printed(pdf_bytes, pagination, findings)


def _lay_out_edition(edition: Edition, options: PrintOptions, parts: list[str | None],
                     want: str = "pdf") -> tuple[list[PartLayout], LayoutHints]:
    """The edition's parts laid out until they settle (_settle), from the hints its last build
    found, and the hints they settled on (kept for the next build). Layout is the long step,
    minutes for a very long book: say when it starts and ends."""
    started = time.perf_counter()
    progress(f"{edition.id}: laying out the pages…")
    laid, hints, layouts, fresh = _settle(edition, options, parts,
                                          _guesses.pop((edition.id, options), None), want)
    _settled[edition.id, options] = hints
    pages = sum(part.found.pages for part in laid)
    progress(f"{edition.id}: {pages} pages laid out in {time.perf_counter() - started:.1f} s "
             f"({layouts} {'layout' if layouts == 1 else 'layouts'}: {fresh} "
             f"{'part' if fresh == 1 else 'parts'} laid out, {layouts * len(parts) - fresh} "
             "unchanged)")
    return laid, hints


def _settle(edition: Edition, options: PrintOptions, parts: list[str | None],
            guess: LayoutHints | None, want: str = "pdf"
            ) -> tuple[list[PartLayout], LayoutHints, int, int]:
    """Lay out until the pages print what they find: page numbers of the contents and
    references, "above"/"below" for a reference on its target's page, "(continued)" on the
    parts of a split table, and the first page number of each part. Without a guess the
    first layout prints placeholders, so two layouts are the rule; a guess that holds makes
    one. A table whose text changed since the guess, or whose guessed break left room for the
    next row, is laid out whole again. A part whose HTML is what it was is not laid out
    again (_lay_out). Without a guess, the first layout goes part after part, so that each
    begins at its true page and most are laid out once (_lay_out_in_order); but an edition
    that has the cores to itself probes instead: its parts side by side, from guessed pages,
    neither written nor inspected, as most will be laid out again. When only the `pages` are
    wanted (page_map), the parts are laid out side by side from the first."""
    with _workers(edition, options, len(parts)) as pool:
        return _settle_in(edition, options, parts, guess, want, pool)


@contextmanager
def _workers(edition: Edition, options: PrintOptions, parts: int
             ) -> Iterator[ProcessPoolExecutor | None]:
    """The processes that lay out an edition's `parts` (none when `jobs` is 1, or for a book
    laid out whole: this process does), kept from one layout to the next: each starts and
    warms up (fonts, the stylesheet) once, and is handed the edition once (_lay_out_handed),
    not with every part: unpickled with each, it cost a tenth of a second a part in a long
    book, and a new object each time, which the caches keyed on the edition never found
    again."""
    if _setup["jobs"] <= 1 or parts == 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=min(_setup["jobs"], parts), initializer=_hand,
                               initargs=(edition, options, os.getpid()))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, lay out nothing more


def _settle_in(edition: Edition, options: PrintOptions, parts: list[str | None],
               guess: LayoutHints | None, want: str, pool: ProcessPoolExecutor | None
               ) -> tuple[list[PartLayout], LayoutHints, int, int]:
    """_settle, the parts laid out in the `pool` (none: in this process)."""
    hints = guess or LayoutHints()
    proven: set[tuple[str, str]] = set()  # breaks a layout made of itself, not forced
    done: dict[str, PartLayout] = {}  # laid-out parts by HTML digest, in this build
    fresh = 0
    for layouts in range(1, MAX_LAYOUTS + 1):  # noqa: B007 (reported after the loop)
        if guess is not None or layouts > 1:
            laid, made = _lay_out(edition, options, parts, hints, done, pool, want=want)
        elif want == "pages":
            laid, made = _lay_out(edition, options, parts, hints, done, pool, want=want,
                                  placeholders=True)
        elif pool and _setup["alone"]:
            laid, made = _lay_out(edition, options, parts, hints, done, pool, want="hints")
        else:
            laid, made = _lay_out_in_order(edition, options, parts, hints, done)
        fresh += made
        found = joined_hints([part.found for part in laid])
        if parts != [None]:
            found.part_pages = {part.part: part.found.pages for part in laid}
        proven |= found.breaks() - hints.breaks()
        stale = {table for table in hints.table_breaks
                 if hints.table_digests.get(table) != found.table_digests.get(table)}
        stale |= {table for part in laid for table, row in part.loose
                  if (table, row) not in proven}
        if found == hints and not stale:
            break
        hints = found.without_tables(stale)
    else:
        progress(f"{edition.id}: page references did not settle in {MAX_LAYOUTS} layouts")
    if not all(part.has(_kept(want, part.part)) for part in laid):
        # placeholders that stayed the same (a reference to nothing): laid out to keep
        laid, made = _lay_out(edition, options, parts, hints, done, pool, want=want)
        fresh += made
    return laid, hints, layouts, fresh


def _lay_out_in_order(edition: Edition, options: PrintOptions, parts: list[str | None],
                      hints: LayoutHints, done: dict[str, PartLayout]
                      ) -> tuple[list[PartLayout], int]:
    """The first layout of a book with nothing to start from: one part after another, each
    from the page where the part before it ended. A part that prints no page number is then
    final at once; laid out side by side, every part would begin at a guessed page and be
    laid out again. A part that prints page numbers printed placeholders, so it is neither
    written nor inspected: the next layout makes it again."""
    laid, made = [], 0
    for index, part in enumerate(parts):
        pages = LayoutHints(part_pages={each.part: each.found.pages for each in laid})
        folio = _first_folios(parts, pages)[index]
        (layout,), fresh = _lay_out(edition, options, [part], hints, done, None, [folio],
                                    placeholders=True)
        laid.append(layout)
        made += fresh
    return laid, made


def _lay_out(edition: Edition, options: PrintOptions, parts: list[str | None],
             hints: LayoutHints, done: dict[str, PartLayout], pool: ProcessPoolExecutor | None,
             folios: list[int | None] | None = None, want: str = "pdf",
             placeholders: bool = False) -> tuple[list[PartLayout], int]:
    """Each part laid out with `hints`, from its first page number on (`folios`, or as the
    hints have them; none when only the `pages` are wanted): taken from `done` or the store
    when its HTML is unchanged and it was kept as `want`ed, the others laid out (in the
    `pool`, each as soon as its HTML is made); and how many were laid out. What is kept of
    each, and what of one that prints `placeholders` for page numbers: see lay_out_part."""
    store = _setup["store"]
    if want == "pages":
        folios = [None] * len(parts)
    styled = hashlib.sha256(book_stylesheet(edition, options).encode())  # hashed once
    forced = hints.breaks()
    folios = folios or _first_folios(parts, hints)
    keys, store_keys, laying = {}, {}, {}  # HTML digests by part index; store keys; tasks
    for index in _longest_first(parts, done):
        part, folio, keep = parts[index], folios[index], _kept(want, parts[index])
        # A layout that writes no page needs the charts' size only (a cover is a page).
        html = book_html(edition, options, hints=hints, part=part, first_folio=folio,
                         stylesheet=False, drawn_charts=keep in ("pdf", "cover"))
        digest = styled.copy()
        digest.update(html.encode())
        keys[index] = key = digest.hexdigest()
        if key in laying or (key in done and done[key].has(keep)):
            continue
        if store is not None:  # its key only for a part not at hand: a source digest each
            store_keys[key] = store.key(edition, options, part, html, key)
            if key not in done and (cached := store.get(store_keys[key])):
                done[key] = cached
                if cached.has(keep):
                    continue
        task = (part, html, folio, forced, keep, placeholders)
        laying[key] = pool.submit(_lay_out_handed, *task) if pool else task
    for key, task in laying.items():
        done[key] = result = task.result() if pool else lay_out_part(edition, options, *task)
        if store is not None and result.pdf:
            store.put(store_keys[key], result)
    return [done[keys[index]] for index in range(len(parts))], len(laying)


def _longest_first(parts: list[str | None], done: dict[str, PartLayout]) -> list[int]:
    """The indexes of the parts, those whose last layout took longest first (in book order,
    those not laid out yet): the edition's layout ends when its last part does, and a long part
    begun last, while the other cores have nothing left, would hold it back alone."""
    took = {layout.part: layout.seconds for layout in done.values()}
    return sorted(range(len(parts)), key=lambda index: -took.get(parts[index], 0.0))


def _first_folios(parts: list[str | None], hints: LayoutHints) -> list[int | None]:
    """The number each part's first page prints: the body counts from 1 after the front
    matter, on from the pages the last layout gave each part (1 a part, where it gave none)."""
    folios: list[int | None] = []
    folio = 1
    for part in parts:
        folios.append(None if part in (None, "front") else folio)
        if part not in (None, "front"):
            folio += hints.part_pages.get(part, 1)
    return folios


# The edition and page setup a worker process lays out parts of (_workers).
_handed: dict = {}


def _hand(edition: Edition, options: PrintOptions, parent: int) -> None:
    children.end_with(parent)
    _handed.update(edition=edition, options=options)


def _lay_out_handed(*task) -> PartLayout:
    started = time.perf_counter()
    layout = lay_out_part(_handed["edition"], _handed["options"], *task)
    return replace(layout, seconds=time.perf_counter() - started)


def _kept(want: str, part: str | None) -> str:
    """What is kept of a part when the build wants `want` of each: the `pages` of a book are
    wanted with its cover, the front matter's first page."""
    return "cover" if want == "pages" and part in (None, "front") else want


def lay_out_part(edition: Edition, options: PrintOptions, part: str | None, html: str,
                 first_folio: int | None, forced: set[tuple[str, str]],
                 want: str = "pdf", placeholders: bool = False) -> PartLayout:
    """Lay out one part (in a worker process) and read off its pages what the build `want`s:
    the `hints` for the next layout; also the EPUB's page starts (`pages`), and its first page
    as the EPUB's cover image (`cover`: made here, beside the other parts' layouts, not after
    them; from that page alone, not the whole part, tagged, which takes seven times longer);
    or its PDF and the preflight's findings (`pdf`). A part that printed `placeholders` for
    page numbers gives the hints only: it will be laid out again with the true ones."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = _layout(html, book_stylesheet(edition, options))
    found = part_hints(document)
    loose = loose_breaks(document, forced) if forced else set()
    nothing = preflight.Findings([], [])
    if want == "hints" or (placeholders and prints_page_numbers(document)):
        return PartLayout(part, b"", frozenset(), {}, found, loose, [], nothing)
    folio = first_folio or 1
    starts = paginate(document, folio).starts
    if want in ("pages", "cover"):
        cover = (cover_png(document.copy(document.pages[:1]).write_pdf()) if want == "cover"
                 else b"")
        return PartLayout(part, b"", frozenset(), {}, found, loose, starts, nothing, cover)
    findings = preflight.inspect(document, edition, options.suffix, folio)
    anchors = combine.keep_foreign_links(document)
    attachments = (source_files(edition) if options.variant in ARCHIVAL
                   and part in (None, "front") else None)
    pdf_bytes = document.write_pdf(pdf_variant=options.variant, attachments=attachments,
                                   pdf_tags=True, finisher=finisher(options))
    fonts = fonts_shared.font_sources(document)
    return PartLayout(part, pdf_bytes, anchors, fonts, found, loose, starts, findings)


def _layout(html: str, stylesheet: str) -> weasyprint.Document:
    return weasyprint.HTML(string=html, url_fetcher=fetcher(), base_url=None).render(
        stylesheets=[_parsed(stylesheet)], pdf_tags=True, font_config=_font_config())


@lru_cache(maxsize=2)
def _parsed(stylesheet: str) -> weasyprint.CSS:
    """The stylesheet parsed once for every part a process lays out (a tenth of a part's
    layout, were it parsed and its selectors compiled each time). WeasyPrint takes it as a
    user stylesheet, below the HTML's own <style> in the cascade: book.html keeps there only
    what one part adds (its first page number)."""
    return weasyprint.CSS(string=stylesheet, url_fetcher=fetcher(), base_url=None,
                          font_config=_font_config())


@lru_cache(maxsize=1)
def _font_config():
    """One font configuration for every part a process lays out: Pango keeps the faces it
    opened (a CJK collection is 26 MB), instead of opening them again for each part."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=2)
def typeset(edition: Edition, options: PrintOptions = STANDARD_PRINT) -> weasyprint.Document:
    """The whole edition as one WeasyPrint Document, laid out with the hints its print layout
    settled on: for reading its pages' boxes (the tests do)."""
    print_edition(edition, options)
    hints = settled_hints(edition.id, options)
    return _layout(book_html(edition, options, hints=hints, stylesheet=False),
                   book_stylesheet(edition, options))


@dataclass(frozen=True)
class PrintLayout:
    """What the e-book takes from the standard print edition: its number of pages, where each
    page begins, and the cover. Small enough to cache, so an EPUB needs no second layout."""

    pagination: Pagination
    cover: bytes

    @property
    def pages(self) -> int:
        return len(self.pagination.starts)

    def report(self) -> dict:
        return {"starts": [start.report() for start in self.pagination.starts]}

    @classmethod
    def from_report(cls, report: dict, cover: bytes) -> PrintLayout:
        return cls(Pagination([PageStart(*start) for start in report["starts"]]), cover)


def print_layout(edition: Edition, pages_only: bool = False) -> PrintLayout:
    """The standard print layout of the edition; `pages_only` when its PDF is not wanted
    (page_map)."""
    if pages_only and _split(edition):
        return page_map(edition)
    printed = print_edition(edition)
    return PrintLayout(printed.pagination, cover_png(printed.pdf))


@lru_cache(maxsize=2)
def page_map(edition: Edition) -> PrintLayout:
    """The standard print layout of the edition, for an e-book built without its PDF: the
    parts are laid out side by side without the numbers of their pages, which are printed in
    the margins and move no line of the page area, and their page starts numbered after. So
    a part that prints no page number is laid out once, and nothing is written but the cover,
    the first page of the first part (from the build cache, a whole part may come instead)."""
    parts = book_parts(edition)
    laid, hints = _lay_out_edition(edition, STANDARD_PRINT, parts, want="pages")
    starts = []
    for part, folio in zip(laid, _first_folios(parts, hints), strict=True):
        labels = labels_of(part.found.pages, part.found.front_pages, folio or 1)
        starts += [replace(start, label=label)
                   for start, label in zip(part.starts, labels, strict=True)]
    return PrintLayout(Pagination(starts), laid[0].cover or cover_png(laid[0].pdf))


def cover_png(pdf_bytes: bytes, width: int = 1200) -> bytes:
    """The first page of a PDF (the cover) as a PNG image, for the e-book's cover."""
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf_bytes)[0]
    image = page.render(scale=width / page.get_width()).to_pil()
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def build(edition: Edition, out_dir: Path, options: PrintOptions = STANDARD_PRINT
          ) -> tuple[Path, int, list]:
    """Write the edition's PDF in the requested variant; return its path, page count and the
    preflight's warnings. Layout errors found by the preflight stop it before anything is
    written."""
    target = output_path(out_dir, edition, f"{options.suffix}.pdf")
    printed = print_edition(edition, options)
    warnings = preflight.enforce(printed.findings, strict=False)
    with atomic_output(target) as temporary:
        temporary.write_bytes(printed.pdf)
    return target, printed.pages, warnings


def finisher(options: PrintOptions):
    """What is done to a part's PDF after WeasyPrint made it and before it is written: for the
    print shop, the slug with its marks (page labels are the whole book's: combine.py)."""
    def finish(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
        if options.bleed:
            printmarks.add_slug_and_marks(document, pdf)
    return finish


def source_files(edition: Edition) -> list[weasyprint.Attachment]:
    """The data tables and the bibliography, as files associated with the PDF."""
    root = edition.book.root
    paths = sorted((root / "data").glob("*.toml")) + [root / "bibliography.json"]
    return [weasyprint.Attachment(file_obj=io.BytesIO(read_bytes(path, root)), name=path.name,
                                  description=f"azcn-book source: {path.relative_to(root)}",
                                  relationship="Source", url_fetcher=fetcher())
            for path in paths]
