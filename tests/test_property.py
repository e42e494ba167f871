"""Random Markdown chapters and data values: `check` and the HTML and EPUB rendering never fail
with anything but a BookError, and every EPUB content document is well-formed XML.

Runs in-process for speed, through the functions the command line calls (`cli.main` for
check, `build.build` for HTML, the EPUB builder's own content-document rendering without the
print layout, whose page markers the CommonMark EPUB test covers)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from azcn_book.build import build
from azcn_book.builders import epub
from azcn_book.cli import main
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
from makebook import make_book
from test_commonmark_epub import assert_well_formed

# Characters Markdown gives a meaning to, some the book's own syntax uses, XML specials, and
# text of the book's scripts; now and then any character at all (but a surrogate, which cannot
# be written to a UTF-8 file), which check often refuses (no font has it).
_SPECIALS = "*_`[]()<>&#!\\{}^:|-+=.~\"' \n"
_TEXT = st.text(st.sampled_from(_SPECIALS + "abcxyz019 中国阿塞拜疆"), max_size=12)
_ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
# Line beginnings that open blocks, and inline pieces of the book's own syntax.
_PIECES = st.sampled_from([
    "\n\n", "\n", "- ", "1. ", "7. ", "> ", "{#sec}\n## Section\n", "```{table} visits\n```\n",
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n", "| a | b |\n| :-: | --: |\n| 1 | 2 |\n",
    "[^n]\n\n[^n]: a note\n", "{cite}`wp-en, History`",
    "{fact}`visits.first.visitor`", "[link](https://example.org)", "[frag](#chapter-one)",
    "<https://example.org>", "*em*", "**strong**", "`code`", "&amp;", "&#0;", "\\", "  \n",
    "<b>x</b>", "[ref]\n\n[ref]: https://example.org\n", "{ref}`visits`",
    # Halves of a link, so that links form around whatever lies between.
    "[", "](https://example.org)", "](#chapter-one)",
])
# Pieces check must refuse: kept rarer, so that most books reach the rendering.
_REFUSED = st.sampled_from(["    code", "```\n", "![img](https://example.org/i.png)", "[^orphan]",
                            "[file](file:///etc/passwd)", "[frag](#nowhere)",
                            "[a {ref}`visits`](https://example.org)"])
_MARKDOWN = st.lists(st.one_of(*[_PIECES] * 4, *[_TEXT] * 4, _REFUSED, _ANY_CHARACTER),
                     max_size=16).map("".join)
# Books made of pieces check accepts, and text: most reach the rendering.
_RENDERABLE = st.lists(st.one_of(_PIECES, _TEXT), max_size=16).map("".join)
_VALUE = st.one_of(*[_TEXT.filter(str.strip)] * 6, st.text(_ANY_CHARACTER, min_size=1, max_size=3))

VISITS = """id = "visits"
caption.en = {caption}
caption.zh-Hans = "访问"

[[columns]]
key = "visitor"
type = "text"
label.en = "Visitor"
label.zh-Hans = "访问者"

[[rows]]
id = "first"
visitor.en = {visitor}
visitor.zh-Hans = "总统"
"""


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that TOML has no '\\/'."""
    return json.dumps(value, ensure_ascii=False)


EXAMPLES = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(body=_MARKDOWN, caption=_VALUE, visitor=_VALUE)
def test_check_fails_only_with_book_errors(body, caption, visitor):
    with tempfile.TemporaryDirectory() as folder:
        book = _book(Path(folder), body, caption, visitor)
        # main turns a BookError into messages and exit status 1; anything else propagates.
        main(["check", "--content", str(book)])


@EXAMPLES
@given(body=_RENDERABLE, caption=_VALUE, visitor=_VALUE)
def test_what_check_accepts_renders_as_well_formed_xhtml(body, caption, visitor):
    with tempfile.TemporaryDirectory() as folder:
        book = _book(Path(folder), body, caption, visitor)
        if main(["check", "--content", str(book)]) != 0:
            event("refused by check")
            return
        event("rendered")
        build(book, Path(folder) / "out", ["en"], ["html"], jobs=1)
        config = load_config(book)
        _, editions = read_book(config, list(config.editions))
        for edition in editions:
            for document in _epub_documents(edition):
                assert_well_formed(document.href, document.data)


def _book(folder: Path, body: str, caption: str, visitor: str) -> Path:
    data = VISITS.format(caption=_toml_string(caption), visitor=_toml_string(visitor))
    return make_book(folder / "book", chapters={"one": "# One\n\n" + body},
                     data={"visits": data}, editions=("en", "zh-Hans"))


def _epub_documents(edition) -> list:
    parts = epub.book_parts(edition)
    shared = {"text_marks": {}, "block_marks": {}, "chart_src": {},
              "anchor_files": epub._anchor_files(edition, parts)}
    return epub.content_documents(edition, parts, shared)
