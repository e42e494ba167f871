"""`make html`: a browser preview that reads correctly without pages, while the print HTML
that WeasyPrint typesets keeps its page references and page-foot notes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from azcn_book.builders.html import book_html
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
from makebook import make_book, run_cli

TABLE = """id = "sizes"
caption.en = "Sizes"
caption.zh-Hans = "尺寸"
[[columns]]
key = "name"
type = "text"
label.en = "Name"
label.zh-Hans = "名称"
[[rows]]
id = "one"
name.en = "One"
name.zh-Hans = "一"
"""
CHAPTERS = {
    "first": {"en": "# First\n\nSee {ref}`sizes` and {ref}`second`.[^why]{cite}`wp-en, History`\n\n"
                    "```{table} sizes\n```\n\n[^why]: Our own remark.\n",
              "zh-Hans": "# 第一\n\n见{ref}`sizes`和{ref}`second`。[^why]{cite}`wp-en, History`\n\n"
                         "```{table} sizes\n```\n\n[^why]: 我们的说明。\n"},
    "second": {"en": "# Second\n\nMore.{cite}`wp-en, History`\n",
               "zh-Hans": "# 第二\n\n更多。{cite}`wp-en, History`\n"},
}


class Links(HTMLParser):
    """Every element's id and every link's target and text, in document order."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.open = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.open = {"href": attrs["href"][1:], "class": attrs.get("class") or "",
                         "id": attrs.get("id"), "text": ""}
            self.links.append(self.open)

    def handle_endtag(self, tag):
        if tag == "a":
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open["text"] += data


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preview")
    book = make_book(folder / "book", chapters=CHAPTERS, data={"sizes": TABLE},
                     editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--out", folder / "out", "--format", "html",
                     "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return book, {edition: (folder / "out" / edition / "fixture.html").read_text("utf-8")
                  for edition in ("en", "zh-Hans")}


def parsed(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


@pytest.mark.parametrize("edition, table, chapter", [("en", "Table 1", "Chapter 2"),
                                                     ("zh-Hans", "表1", "第2章")])
def test_cross_references_are_links_without_page_numbers(preview, edition, table, chapter):
    html = preview[1][edition]
    body = html.split("<body", 1)[1]  # the style sheet above it is the print one, too
    assert "page-of" not in body and "on page" not in body and "页" not in body
    refs = [link for link in parsed(html).links if "ref" in link["class"].split()]
    # a word joiner (U+2060) keeps each label with its number; the reader sees neither
    assert [ref["text"].replace("\u2060", "") for ref in refs] == [table, chapter]
    assert all(ref["href"] in parsed(html).ids for ref in refs)


@pytest.mark.parametrize("edition", ("en", "zh-Hans"))
def test_notes_are_listed_after_their_chapter_and_link_both_ways(preview, edition):
    html = preview[1][edition]
    links = parsed(html)
    calls = [link for link in links.links if "noteref" in link["class"].split()]
    backs = [link for link in links.links if "backlink" in link["class"].split()]
    assert len(calls) == len(backs) == 3  # a remark and a citation, then one citation
    for call in calls:
        back = next(back for back in backs if back["href"] == call["id"])
        assert links.ids.index(call["href"]) > links.ids.index(call["id"])
        assert back["text"].rstrip(".") == call["text"]
    # each chapter's notes close it: the first chapter's come before the second begins
    second = links.ids.index("chapter-second")
    assert [links.ids.index(call["href"]) < second for call in calls] == [True, True, False]
    assert not re.search(r'class="footnote[^"]*"[^>]*>[^<]', html.split("<aside")[0])


def test_print_html_keeps_pages_and_page_foot_notes(preview):
    config = load_config(preview[0])
    _, (model,) = read_book(config, ["en"])
    html = book_html(model)
    assert 'class="page-of"' in html and "Table \u20601 on page" in html
    assert '<span class="footnote remark"' in html and "<aside" not in html


def test_the_colophon_date_is_kept_on_one_line(tmp_path):
    book = make_book(tmp_path / "book")
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--format", "html")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "en" / "fixture.html").read_text("utf-8")
    assert re.search(r'built on <span class="fact">\d{1,2} [A-Z][a-z]+ \d{4}</span>\.', html)
