"""How the parts of a text the templates put together are joined in each edition: a source's
web address and the note after it, a figure's caption and its reference to the table."""

from __future__ import annotations

import re

import pytest

from azcn_book.builders.html import book_html
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
from conftest import ECONOMY, TRADE
from makebook import make_book

EDITIONS = ("en", "zh-Hans", "zh-Hant")
URL = "https://en.wikipedia.org/wiki/Azerbaijan%E2%80%93China_relations"


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """The print HTML of each edition of a one-chapter book, by edition id."""
    book = make_book(tmp_path_factory.mktemp("joins") / "book", editions=EDITIONS)
    _, found = read_book(load_config(book), list(EDITIONS))
    return {model.id: model for model in found}


def _text(html: str) -> str:
    """What a reader reads: the HTML without its tags, runs of white space as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _colophon(model) -> str:
    html = book_html(model)
    return _text(html[html.index('class="attribution"'):])


@pytest.mark.parametrize("edition, joined", [
    ("en", f"(English). {URL}. English Wikipedia; the text used"),
    ("zh-Hans", f"维基百科（英语）。{URL}。英文维基百科；所用文本"),
    ("zh-Hant", f"維基百科（英文）。{URL}。英文維基百科；所用文本"),
], ids=EDITIONS)
def test_a_web_address_is_closed_before_the_note_after_it(models, edition, joined):
    # The attribution of the colophon names the article, its address and which text of it
    # the book used: the note is a sentence of its own, not run on from the address.
    assert joined in _colophon(models[edition])


@pytest.mark.parametrize("edition, joined", [
    ("en", "CC BY-SA 4.0: https://creativecommons.org"),
    ("zh-Hans", "发布：https://creativecommons.org"),  # no space after a full-width colon
], ids=EDITIONS[:2])
def test_the_licence_address_follows_its_colon_as_the_edition_writes(models, edition, joined):
    assert joined in _colophon(models[edition])


@pytest.mark.parametrize("edition, closed", [
    ("en", "http://az.china-embassy.org/chn/default.htm. "),
    ("zh-Hans", "http://az.china-embassy.org/chn/default.htm。"),
], ids=EDITIONS[:2])
def test_every_web_address_is_closed_as_the_entry_s_other_parts(tmp_path, edition, closed):
    # An address with no note after it ends its entry with the edition's full stop too, as the
    # Wikipedia entries (with a note) and the licence line of the colophon do.
    chapter = "# One\n\nA paragraph.{cite}`embassy-cn-baku`\n"
    book = make_book(tmp_path / "book", {"one": chapter}, editions=("en", "zh-Hans"))
    _, found = read_book(load_config(book), [edition])
    html = book_html(found[0])
    sources = _text(html[html.index('class="sources"'):html.index('class="attribution"')])
    assert closed in sources + " "
    assert re.search(r"creativecommons\.org/licenses/by-sa/4\.0/[.。]", _colophon(found[0]))


def _figure_captions(folder, captions: tuple[str, str]) -> dict[str, str]:
    """The figure caption of each edition of a book whose chart is captioned `captions`
    (English, Simplified Chinese) and refers to its table."""
    data = TRADE.replace('caption.en = "Trade by year"', f'caption.en = "{captions[0]}"')
    data = data.replace('caption.zh-Hans = "历年贸易额"', f'caption.zh-Hans = "{captions[1]}"')
    book = make_book(folder, chapters={"economy": ECONOMY}, data={"trade": data},
                     editions=EDITIONS)
    _, found = read_book(load_config(book), list(EDITIONS))
    return {model.id: _text(re.search(r"<figcaption>.*?</figcaption>", book_html(model),
                                       re.S).group()).replace("\u2060", "")
            for model in found}


def test_a_caption_s_own_parenthesis_takes_the_reference_to_its_table(tmp_path):
    captions = _figure_captions(tmp_path, ("Trade (by year)", "贸易额（按年份）"))
    assert re.fullmatch(r"Figure 1 Trade \(by year; figures: Table 1 on page \d+\)",
                        captions["en"])
    assert re.fullmatch(r"图1 ?贸易额（按年份；数据见第\d+页表1）", captions["zh-Hans"])
    assert re.fullmatch(r"圖1 ?貿易額（按年份；數據見第\d+頁表1）", captions["zh-Hant"])


def test_a_caption_without_one_is_followed_by_the_reference(tmp_path):
    captions = _figure_captions(tmp_path, ("Trade by year", "历年贸易额"))
    assert re.fullmatch(r"Figure 1 Trade by year \(figures: Table 1 on page \d+\)",
                        captions["en"])
    assert re.fullmatch(r"图1 ?历年贸易额（数据见第\d+页表1）", captions["zh-Hans"])


def test_a_chart_s_alternative_text_closes_its_caption_before_naming_its_table(tmp_path):
    data = TRADE.replace('caption.en = "Trade by year"', 'caption.en = "Trade (by year)"')
    data = data.replace('caption.zh-Hans = "历年贸易额"', 'caption.zh-Hans = "贸易额（按年份）"')
    book = make_book(tmp_path / "book", chapters={"economy": ECONOMY}, data={"trade": data},
                     editions=("en", "zh-Hans"))
    _, found = read_book(load_config(book), ["en", "zh-Hans"])
    alts = {model.id: re.search(r'<img [^>]*alt="([^"]*)"', book_html(model)).group(1)
            for model in found}
    assert alts == {"en": "Trade (by year). The figures are given in Table 1.",
                    "zh-Hans": "贸易额（按年份）。数据见表1。"}
