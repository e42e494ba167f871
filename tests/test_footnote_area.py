"""Notes measured one at a time reserve the room WeasyPrint's own measure of the whole footnote
area reserves: pages laid out either way hold the same lines and the same notes."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from weasyprint.layout import LayoutContext

from azcn_book.builders import footnote_area, pdf
from azcn_book.builders.html import book_html, book_stylesheet
from azcn_book.config import load_config
from azcn_book.model import STANDARD_PRINT
from azcn_book.readers.book import read_book
from makebook import make_book

# Notes of one, two and four lines, several to a paragraph, so that pages fill with notes and
# some must move to the next page with their lines.
REMARK = ("A remark long enough to take several lines of the note area: the English article "
          "and the Chinese article disagree on this date, and neither names its source. ") * 2
PARAGRAPH = ("A paragraph of running text about the relations between the two countries, "
             "with notes of several lengths.{cite}`wp-en, History` It goes on for a while "
             "longer[^{n}] and closes with another reference.{cite}`wp-en, 1992-2000; wp-zh, "
             "历史`\n\n[^{n}]: " + REMARK + "{cite}`wp-en, History`\n\n")
CHAPTER = "# Notes\n\n" + "".join(PARAGRAPH.replace("{n}", str(n)) for n in range(14))


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    """The fixture's chapter as the print layout gives it to WeasyPrint."""
    book = make_book(tmp_path_factory.mktemp("notes") / "book", chapters={"notes": CHAPTER})
    _, (edition,) = read_book(load_config(book), ["en"])
    return (book_html(edition, STANDARD_PRINT, part="chapter-notes", first_folio=1,
                      stylesheet=False), book_stylesheet(edition, STANDARD_PRINT))


def _pages(chapter) -> list[str]:
    html, stylesheet = chapter
    with pdfplumber.open(io.BytesIO(pdf._layout(html, stylesheet).write_pdf())) as printed:
        return [page.extract_text() for page in printed.pages]


def _counted(measured_whole: list[int]):
    """WeasyPrint's measure of the whole footnote area, noting how many notes it held."""
    original = footnote_area._WEASYPRINT_ORIGINAL

    def weasyprint_measure(context):
        measured_whole.append(len(context.current_page_footnotes))
        return original(context)
    return weasyprint_measure


def test_notes_measured_one_at_a_time_give_the_pages_weasyprint_gives(chapter, monkeypatch):
    measured_whole: list[int] = []
    weasyprint_measure = _counted(measured_whole)
    monkeypatch.setattr(footnote_area, "_WEASYPRINT_ORIGINAL", weasyprint_measure)
    ours = _pages(chapter)
    assert not measured_whole, "a note was measured with the whole area: nothing was tested"
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", weasyprint_measure)
    theirs = _pages(chapter)
    assert max(measured_whole) >= 5, "no page held five notes: the fixture tests little"
    assert len(ours) >= 3
    assert ours == theirs


def test_an_area_whose_notes_have_margins_is_measured_whole(chapter, monkeypatch):
    """Margins between notes collapse: only WeasyPrint's layout of the whole area knows by
    how much."""
    html, stylesheet = chapter
    measured_whole: list[int] = []
    monkeypatch.setattr(footnote_area, "_WEASYPRINT_ORIGINAL", _counted(measured_whole))
    spaced = stylesheet + "\n.footnote { margin-top: 3pt; margin-bottom: 2pt; }\n"
    assert _pages((html, spaced))
    assert measured_whole
