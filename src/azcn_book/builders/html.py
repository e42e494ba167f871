"""The book as one HTML document: what WeasyPrint typesets, and a preview for a browser."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from azcn_book import __version__
from azcn_book.builders import charts, printmarks
from azcn_book.builders.output import atomic_output, output_path
from azcn_book.builders.pagination import LayoutHints
from azcn_book.config import PAPERS
from azcn_book.model import STANDARD_PRINT, Edition, PrintOptions
from azcn_book.render import render


def book_html(edition: Edition, options: PrintOptions = STANDARD_PRINT,
              preview: bool = False, hints: LayoutHints | None = None,
              part: str | None = None, first_folio: int | None = None,
              stylesheet: bool = True, drawn_charts: bool = True) -> str:
    """Render the whole edition through `book.html`, for the given page setup.

    The print HTML (what WeasyPrint typesets) floats each note to its page foot and gives
    cross-references their page; `hints` from an earlier layout (pdf.typeset) give the pages
    the contents and references print, and name same-page references and split tables. A
    `preview`, for a browser, has no pages: references say "Table 2" as a link, and each
    chapter ends with its notes, linked both ways (as in the EPUB, whose note macros it
    shares).

    `part` (one of book_parts) renders only that part, for a layout of its own whose first
    page is numbered `first_folio`. Without its `stylesheet` (book_stylesheet), for a print
    layout that is given it apart. Without `drawn_charts`, each chart is an empty image of its
    size: for a layout that finds where the pages break and writes no PDF."""
    hints = hints or LayoutHints()
    setup = _page_setup(edition, options)
    return render(edition, "book.html", version=__version__,
                  chart_src=chart_sources(edition, setup["paper"], drawn_charts),
                  part=part, first_folio=first_folio, stylesheet=stylesheet, **setup,
                  notes_as="aside" if preview else "float",
                  page_of=hints.pages, near_refs=hints.near_refs,
                  table_breaks=hints.table_breaks, table_widths=hints.table_widths)


@lru_cache(maxsize=4)
def book_stylesheet(edition: Edition, options: PrintOptions = STANDARD_PRINT) -> str:
    """The print stylesheet of the edition in this page setup (book.css)."""
    return render(edition, "book.css", **_page_setup(edition, options))


def _page_setup(edition: Edition, options: PrintOptions) -> dict:
    """What book.css sets the pages by: the paper, its size and margins, and the bleed in
    millimetres (0: none)."""
    paper = options.paper_for(edition.book)
    return {"paper": paper, "page": PAPERS[paper],
            "bleed_mm": printmarks.BLEED_MM if options.bleed else 0}


def book_parts(edition: Edition) -> list[str]:
    """The parts of the book that each begin a page, in order: the front matter, each chapter,
    the sources, the colophon; named as book.html names their sections."""
    return ["front", *(f"chapter-{chapter.id}" for chapter in edition.chapters),
            "sources", "colophon"]


@lru_cache(maxsize=4)
def chart_sources(edition: Edition, paper: str, drawn: bool = True) -> dict[str, str]:
    """Each figure's chart as a data: URL, by the figure's anchor, drawn to the measure of the
    `paper`: drawn once per edition and paper, when
    the first part that shows it is rendered (a part laid out apart does not wait for charts
    it does not show, and the layout of the parts before it goes on meanwhile); or, not
    `drawn`, the empty space it takes (chart-space.svg), which costs nothing to make."""
    return _Charts(edition, paper, drawn)


class _Charts(dict):
    def __init__(self, edition: Edition, paper: str, drawn: bool):
        super().__init__()
        self.figures = {figure.anchor: figure for figure in charts.figures(edition)}
        self.edition, self.paper, self.drawn = edition, paper, drawn

    def __missing__(self, anchor: str) -> str:
        figure = self.figures[anchor]
        if self.drawn:
            svg = charts.chart_svg(figure, self.edition, self.paper)
        else:
            width, height = charts.chart_points(figure, self.edition, self.paper)
            svg = render(self.edition, "chart-space.svg", width=width, height=height)
        self[anchor] = charts.data_uri(svg)
        return self[anchor]


def build(edition: Edition, out_dir: Path, options: PrintOptions = STANDARD_PRINT
          ) -> tuple[Path, int | None]:
    """Write `<out>/<edition>/<name>.html`, the browser preview."""
    target = output_path(out_dir, edition, ".html")
    with atomic_output(target) as temporary:
        temporary.write_text(book_html(edition, options, preview=True), encoding="utf-8")
    return target, None
