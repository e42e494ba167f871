"""A note stays on the page of its call: where WeasyPrint 70 would push a page's notes to the
next page to keep a paragraph's second line (orphans: 2), the paragraph moves instead."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from weasyprint.layout import block

from azcn_book.builders import footnote_defer, pdf
from azcn_book.builders.html import book_html, book_stylesheet
from azcn_book.config import load_config
from azcn_book.model import STANDARD_PRINT
from azcn_book.readers.book import read_book
from makebook import make_book

# A first paragraph with a note of several lines (deferred, it frees more than a line of text),
# then `filler` lines of its own (hard breaks: each a line as high as the lines below); then a
# paragraph of numbered lines that runs over the page, and one more after it.
NOTE = ("A remark long enough to take several lines of the note area: the English article and "
        "the Chinese article disagree on this date, and neither of them names its source, "
        "so the book gives both and says so here. ") * 2
AFTER = "A last paragraph, so that the one before it is not the chapter's last.\n"


def _chapter(filler: int) -> str:
    fill = "".join(f"\\\nFiller line {n}." for n in range(filler))
    body = "\\\n".join(f"Body line {n}." for n in range(1, 61))
    return (f"# Notes\n\nThe call stands here.[^a]{fill}\n\n{body}\n\n{AFTER}\n"
            f"[^a]: {NOTE}\n")


def _typeset(folder, filler: int) -> tuple[str, str]:
    """The chapter as the print layout gives it to WeasyPrint: its HTML and style sheet."""
    book = make_book(folder, chapters={"notes": _chapter(filler)})
    _, (edition,) = read_book(load_config(book), ["en"])
    return (book_html(edition, STANDARD_PRINT, part="chapter-notes", first_folio=1,
                      stylesheet=False), book_stylesheet(edition, STANDARD_PRINT))


def _pages(html: str, stylesheet: str) -> list[str]:
    printed = pdf._layout(html, stylesheet).write_pdf()
    return [page.extract_text() for page in PdfReader(io.BytesIO(printed)).pages]


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    """The chapter with as many filler lines as make the paragraph of numbered lines leave
    its first line alone on the first page: each filler line moves it down by one line."""
    folder = tmp_path_factory.mktemp("defer")
    first = _pages(*_typeset(folder / "probe", 0))[0]
    fitting = max(int(n) for n in re.findall(r"Body line (\d+)\.", first))
    return _typeset(folder / "book", fitting - 1)


def _page_of(pages: list[str], text: str) -> int:
    return next(number for number, page in enumerate(pages, 1) if text in page)


def test_a_note_stays_on_its_call_s_page_and_the_paragraph_moves(chapter, monkeypatch):
    ours = _pages(*chapter)
    monkeypatch.setattr(block, "_linebox_layout", footnote_defer._WEASYPRINT_ORIGINAL)
    theirs = _pages(*chapter)
    call = _page_of(theirs, "The call stands here.")
    assert _page_of(theirs, "A remark long enough") == call + 1, \
        "WeasyPrint kept the note with its call: the fixture tests nothing"
    assert _page_of(theirs, "Body line 2.") == call  # what the deferral made room for
    assert _page_of(ours, "A remark long enough") == _page_of(ours, "The call stands here.")
    assert _page_of(ours, "Body line 1.") == call + 1  # the paragraph moved, whole


def test_a_weasyprint_without_the_deferral_line_stops_the_import():
    def _linebox_layout(context):
        report = context.in_column
        return report
    with pytest.raises(RuntimeError, match="written for WeasyPrint 70"):
        footnote_defer._without_deferral(_linebox_layout)
