"""How the parts of a text the templates put together are joined in each edition: a source's
web address and the note after it, a figure's caption and its reference to the table."""

from __future__ import annotations

import re

import pytest

from azcn_book.builders.html import book_html
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
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
