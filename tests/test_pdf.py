"""The print editions as a reader checks them: notes, contents, outline, fonts, tables."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from azcn_book.builders.html import book_html
from conftest import squeeze
from makebook import TRADE_COLUMNS, make_book, toml_table

EDITIONS = ("en", "zh-Hans")


class _NoteContexts(HTMLParser):
    """Collects, for each footnote of the HTML, its text and the text just before its call."""

    def __init__(self):
        super().__init__()
        self.before, self.notes, self.depth, self.current = "", [], 0, None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "span" and "footnote" in classes:
            self.current = {"before": self.before[-14:], "text": "", "remark": "remark" in classes}
            self.depth = 1
        elif self.current is not None and tag == "span":
            self.depth += 1
        elif tag in ("p", "li", "h1", "h2", "td"):
            self.before = ""

    def handle_endtag(self, tag):
        if self.current is not None and tag == "span":
            self.depth -= 1
            if self.depth == 0:
                self.notes.append(self.current)
                self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data
        else:
            self.before += data


def _notes(model):
    """The notes of the print HTML, the one WeasyPrint typeset (the built .html file is the
    browser preview, whose notes are gathered at chapter ends)."""
    parser = _NoteContexts()
    parser.feed(book_html(model))
    return parser.notes


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_remark_note_is_on_the_page_of_its_call(editions, pdf_pages, edition):
    pages = [squeeze(text) for text in pdf_pages[edition]]
    remarks = [note for note in _notes(editions[edition]) if note["remark"]]
    assert remarks
    for note in remarks:
        opening = squeeze(note["text"])[:40]
        on = [number for number, page in enumerate(pages) if opening in page]
        assert len(on) == 1, f"note {note['text'][:40]!r} found on pages {on}"
        assert squeeze(note["before"])[-8:] in pages[on[0]], (
            f"the call of {note['text'][:40]!r} is not on page {on[0] + 1}")


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_note_is_printed_at_a_page_foot(editions, pdf_pages, edition):
    printed = sum(len(re.findall(r"^\d+\. ", page, re.M)) for page in pdf_pages[edition])
    expected = sum(len(chapter.notes) for chapter in editions[edition].chapters)
    assert printed == expected


@pytest.mark.parametrize("edition, label", [("en", "CHAPTER {}"), ("zh-Hans", "第{}章")])
def test_contents_page_numbers_are_where_chapters_begin(built, editions, pdf_pages, edition,
                                                        label):
    pages = pdf_pages[edition]
    # the contents print folios; the PDF's /PageLabels say which page carries which
    labels = PdfReader(built / edition / "azerbaijan-china-briefing.pdf").page_labels
    contents = next(page for page in pages if re.search(r"^(Contents|目录)", page, re.M))
    for number, chapter in enumerate(editions[edition].chapters, start=1):
        entry = re.search(re.escape(chapter.title_text) + r"[ .]*?(\d+)\s*$", contents, re.M)
        assert entry, f"{chapter.title_text!r} is not in the contents"
        page = pages[labels.index(entry.group(1))]
        assert label.format(number) in page and squeeze(chapter.title_text) in squeeze(page)


@pytest.mark.parametrize("edition", EDITIONS)
def test_outline_lists_the_chapters_in_order(built, editions, edition):
    reader = PdfReader(built / edition / "azerbaijan-china-briefing.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    chapters = [chapter.title_text for chapter in editions[edition].chapters]
    found = [title for title in titles if any(chapter in title for chapter in chapters)]
    assert [next(c for c in chapters if c in title) for title in found] == chapters


def test_chinese_text_extracts_as_written(editions, pdf_pages):
    text = squeeze("".join(pdf_pages["zh-Hans"]))
    for chapter in editions["zh-Hans"].chapters:  # each title and its first words, as written
        first = next(node.text for node in _texts(chapter.blocks) if len(node.text) > 8)
        assert squeeze(chapter.title_text) in text and squeeze(first[:8]) in text, chapter.id
    assert "\ufffd" not in text


def _texts(nodes):
    for node in nodes:
        if node.kind == "text":
            yield node
        yield from _texts(node.children)


@pytest.mark.parametrize("edition", EDITIONS)
def test_fonts_are_embedded_and_subset(built, edition):
    reader = PdfReader(built / edition / "azerbaijan-china-briefing.pdf")
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                descendant = font["/DescendantFonts"][0].get_object()
            else:
                descendant = font
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts
    for name, descriptor in fonts.items():
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not subset"
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
    if edition == "zh-Hans":
        assert any("CJK" in name for name in fonts)


MONEY_AND_DATES = toml_table("t", TRADE_COLUMNS, [
    {"id": '"a"', "when": "1992-04-02", "total": "368_000_000"},
    {"id": '"b"', "when": '"1994-03-07/1994-03-10"', "total": "1_847_000_000"},
], caption=("Trade", "贸易"))


@pytest.mark.parametrize("edition, expected", [
    ("en", ["US$368 million", "2 April 1992", "US$1.847 billion", "7–10 March 1994"]),
    ("zh-Hans", ["3.68亿美元", "1992年4月2日", "18.47亿美元", "1994年3月7日至10日"]),
])
def test_money_and_dates_read_in_the_edition_locale(tmp_path, edition, expected):
    from azcn_book.build import build

    table = "# One\n\nText.{cite}`wp-en, History`\n\n```{table} t\n```\n"
    book = make_book(tmp_path / "book", chapters={"one": table},
                     data={"t": MONEY_AND_DATES}, editions=EDITIONS)
    build(book, tmp_path / "out", [edition], ["pdf"], jobs=1)
    pdf = PdfReader(tmp_path / "out" / edition / "fixture.pdf")
    text = squeeze("".join(page.extract_text() for page in pdf.pages))
    for value in expected:
        assert squeeze(value) in text, value


@pytest.mark.parametrize("edition", [*EDITIONS, "zh-Hant"])
def test_every_data_row_is_in_its_table(editions, pdf_pages, edition):
    text = squeeze("".join(pdf_pages[edition]))
    model = editions[edition]
    placed = [placement.table for chapter in model.chapters for placement in chapter.tables]
    assert placed
    for table in placed:
        for row in table.rows:
            for column in table.grid:
                value = row.cells.get(column.key)
                if column.type == "text" and value:
                    assert squeeze(value[edition]) in text, f"{table.id}/{row.id}/{column.key}"


@pytest.mark.parametrize("edition, lang", [("en", "en"), ("zh-Hans", "zh-Hans")])
def test_metadata_names_title_author_language_keywords(built, editions, edition, lang):
    reader = PdfReader(built / edition / "azerbaijan-china-briefing.pdf")
    assert reader.metadata.title.startswith(editions[edition].title)
    assert "Wikipedia" in reader.metadata.author or "维基百科" in reader.metadata.author
    assert reader.metadata["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4


def test_letter_paper_and_two_sided_printing(tmp_path):
    from azcn_book.build import build

    chapters = {name: f"# {name.title()}\n\nA paragraph.{{cite}}`wp-en, History`\n"
                for name in ("one", "two", "three")}
    book = make_book(tmp_path / "book", chapters=chapters, editions=("en", "zh-Hans"),
                     book='paper = "Letter"\ntwo_sided = true')
    build(book, tmp_path / "out", ["en"], ["pdf"], jobs=1)
    reader = PdfReader(tmp_path / "out" / "en" / "fixture.pdf")
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [612, 792]
    starts = [number for number, page in enumerate(reader.pages, start=1)
              if re.search(r"^CHAPTER \d+", page.extract_text(), re.M)]
    assert len(starts) == 3 and all(number % 2 == 1 for number in starts), starts


@pytest.mark.parametrize("edition, pattern, caption", [
    ("en", r"Table(\d)onpage(\d+)", "Table {}"),  # squeezed text; fewer than ten tables
    ("zh-Hans", r"第(\d+)页表(\d)", "表{}"),
])
def test_cross_references_name_the_page_of_their_table(built, pdf_pages, edition, pattern,
                                                       caption):
    pages = pdf_pages[edition]
    # the printed folio of each page (the body counts from 1), as the PDF's /PageLabels say
    labels = PdfReader(built / edition / "azerbaijan-china-briefing.pdf").page_labels
    found = re.findall(pattern, squeeze("".join(pages)))
    assert found
    for first, second in found:
        table, page = (first, second) if edition == "en" else (second, first)
        starts = [line for line in pages[labels.index(page)].splitlines()
                  if line.startswith(caption.format(table))]
        assert starts, f"{caption.format(table)} is not on page {page}"
