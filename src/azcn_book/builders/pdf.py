"""The print edition: the book's HTML typeset by WeasyPrint into a PDF."""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pydyf
import weasyprint

from azcn_book.builders import justify, preflight, printmarks
from azcn_book.builders.html import book_html
from azcn_book.builders.output import atomic_output, output_path
from azcn_book.builders.pagination import (
    LayoutHints,
    PageStart,
    Pagination,
    front_matter_length,
    layout_hints,
    loose_breaks,
    paginate,
)
from azcn_book.errors import progress
from azcn_book.model import STANDARD_PRINT, Edition, PrintOptions
from azcn_book.readers.tomlfile import read_bytes

justify.install()  # Chinese lines justified between characters, not at spaces only

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


def guess_hints(edition_id: str, options: PrintOptions, hints: LayoutHints) -> None:
    """Start the next layout of this edition and page setup from `hints` (a guess: checked)."""
    _guesses[edition_id, options] = hints


def settled_hints(edition_id: str, options: PrintOptions) -> LayoutHints | None:
    """The hints the layout of this edition and page setup settled on, if it was laid out."""
    return _settled.get((edition_id, options))


def typeset(edition: Edition, options: PrintOptions = STANDARD_PRINT) -> weasyprint.Document:
    """Lay out the edition's pages, once per build and page setup: the PDF, the EPUB's page
    markers and its cover all come from this one layout."""
    return _typeset(edition, options)  # one cache key whether `options` is given or defaulted


@lru_cache(maxsize=2)  # a worker builds one edition; a laid-out book holds ~100 MB
def _typeset(edition: Edition, options: PrintOptions) -> weasyprint.Document:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # Layout is the long step (minutes for a very long book): say when it starts and ends.
    started = time.perf_counter()
    progress(f"{edition.id}: laying out the pages…")
    document, hints, layouts = _settle(edition, options, _guesses.pop((edition.id, options), None))
    _settled[edition.id, options] = hints
    progress(f"{edition.id}: {len(document.pages)} pages laid out in "
             f"{time.perf_counter() - started:.1f} s ({layouts} "
             f"{'layout' if layouts == 1 else 'layouts'})")
    return document


def _settle(edition: Edition, options: PrintOptions, guess: LayoutHints | None
            ) -> tuple[weasyprint.Document, LayoutHints, int]:
    """Lay out until the pages print what they find: page numbers of the contents and
    references, "above"/"below" for a reference on its target's page, "(continued)" on the
    parts of a split table. Without a guess the first layout prints placeholders, so two
    layouts are the rule; a guess that holds makes one. A table whose text changed since the
    guess, or whose guessed break left room for the next row, is laid out whole again."""
    hints = guess or LayoutHints()
    proven: set[tuple[str, str]] = set()  # breaks a layout made of itself, not forced
    for layouts in range(1, MAX_LAYOUTS + 1):  # noqa: B007 (reported after the loop)
        document = None  # let one layout go before the next: a long book's is large
        document = _layout(book_html(edition, options, hints=hints))
        found = layout_hints(document)
        forced = {(table, row) for table, rows in hints.table_breaks.items() for row in rows}
        proven |= {(table, row) for table, rows in found.table_breaks.items()
                   for row in rows} - forced
        stale = {table for table in hints.table_breaks
                 if hints.table_digests.get(table) != found.table_digests.get(table)}
        stale |= loose_breaks(document, forced - proven) if forced - proven else set()
        if found == hints and not stale:
            break
        hints = found.without_tables(stale)
    else:
        progress(f"{edition.id}: page references did not settle in {MAX_LAYOUTS} layouts")
    return document, hints, layouts


def _layout(html: str) -> weasyprint.Document:
    return weasyprint.HTML(string=html, url_fetcher=fetcher(), base_url=None).render(
        pdf_tags=True)


@lru_cache(maxsize=4)
def layout_findings(edition: Edition, options: PrintOptions = STANDARD_PRINT
                    ) -> preflight.Findings:
    """What the layout preflight finds in the edition's pages (once per layout)."""
    return preflight.inspect(typeset(edition, options), edition, options.suffix)


@dataclass(frozen=True)
class PrintLayout:
    """What the e-book takes from the standard print edition: its number of pages, where each
    page begins, and the cover. Small enough to cache, so an EPUB needs no second layout."""

    pages: int
    pagination: Pagination
    cover: bytes

    def report(self) -> dict:
        starts = [[s.label, s.text, s.offset, s.block] for s in self.pagination.starts]
        return {"pages": self.pages, "starts": starts}

    @classmethod
    def from_report(cls, report: dict, cover: bytes) -> PrintLayout:
        starts = [PageStart(*start) for start in report["starts"]]
        return cls(report["pages"], Pagination(starts), cover)


def print_layout(edition: Edition, pdf_bytes: bytes | None = None) -> PrintLayout:
    """The standard print layout of the edition; `pdf_bytes`, its PDF if already written,
    spares writing the cover page again."""
    document = typeset(edition)
    if pdf_bytes is None:
        pdf_bytes = document.copy(document.pages[:1]).write_pdf()
    return PrintLayout(len(document.pages), paginate(document), cover_png(pdf_bytes))


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
    document = typeset(edition, options)
    warnings = preflight.enforce(layout_findings(edition, options), strict=False)
    attachments = source_files(edition) if options.variant in ARCHIVAL else None
    with atomic_output(target) as temporary:
        document.write_pdf(temporary, pdf_variant=options.variant, attachments=attachments,
                           pdf_tags=True, finisher=finisher(options))
    return target, len(document.pages), warnings


def finisher(options: PrintOptions):
    """What is done to the PDF after WeasyPrint made it and before it is written: page
    labels always, and for the print shop the slug with its marks."""
    def finish(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
        label_pages(document, pdf)
        if options.bleed:
            printmarks.add_slug_and_marks(document, pdf)
    return finish


def label_pages(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """Give the PDF /PageLabels, so a viewer shows the printed folio (ii, 1, 2…), not the
    sheet count: roman on the front matter, arabic from 1 at the first chapter, the rule of
    pagination.page_labels. A WeasyPrint finisher: it edits the catalog before the file is
    written, so the PDF/UA and PDF/A structure WeasyPrint made stays as it is."""
    front = front_matter_length(document)
    ranges = [(0, "r")] if front else []
    ranges += [(front, "D")] if front < len(document.pages) else []
    numbers = []
    for first_page, style in ranges:
        numbers += [first_page, pydyf.Dictionary({"S": "/" + style})]
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(numbers)})


def source_files(edition: Edition) -> list[weasyprint.Attachment]:
    """The data tables and the bibliography, as files associated with the PDF."""
    root = edition.book.root
    paths = sorted((root / "data").glob("*.toml")) + [root / "bibliography.json"]
    return [weasyprint.Attachment(file_obj=io.BytesIO(read_bytes(path, root)), name=path.name,
                                  description=f"azcn-book source: {path.relative_to(root)}",
                                  relationship="Source", url_fetcher=fetcher())
            for path in paths]
