"""House style as a reader meets it: numbers, ordinals, dates and changes per language, notes
that keep their own text apart from their sources, and the reports of `azcn-book check`."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from azcn_book.render import templates_dir
from makebook import make_book, run_cli, toml_table

TABLE = toml_table("t", [
    ("when", "date", "When", "时间"), ("count", "number", "Count", "数量"),
    ("place", "rank", "Place", "位次"), ("change", "percent", "Change", "变化"),
    ("balance", "money", "Balance", "差额"), ("years", "anniversary", "Anniversary", "周年"),
    ("century", "century", "Century", "世纪"),
], [
    {"id": '"a"', "century": "12", "when": '"1994-03-07/1994-03-10"', "count": "2",
     "place": "4", "change": "27.3", "balance": "-368_000_000", "years": "20"},
    {"id": '"b"', "when": '"2007/2008"', "count": "12", "place": "12", "change": "-15.4"},
], caption=("Facts", "事实"))

PROSE = {
    "en": "# One\n\nOn {fact}`t.a.when` they met {fact}`t.a.count` times at the "
          "{fact}`t.a.place` summit and the {fact}`t.b.place`; trade grew "
          "{fact}`t.a.change`, then {fact}`t.b.change`; the balance was {fact}`t.a.balance`; "
          "{fact}`t.b.count` visits in {fact}`t.b.when`; the {fact}`t.a.years`; the "
          "{fact}`t.a.century`."
          "{cite}`wp-en, History`\n\n```{table} t\n```\n",
    "zh-Hans": "# 一\n\n{fact}`t.a.when`，双方会晤{fact}`t.a.count`次，出席{fact}`t.a.place`次"
               "峰会和{fact}`t.b.place`次会议；贸易同比{fact}`t.a.change`，后同比{fact}`t.b.change`；"
               "差额{fact}`t.a.balance`；{fact}`t.b.when`访问{fact}`t.b.count`次；建交"
               "{fact}`t.a.years`；{fact}`t.a.century`{cite}`wp-en, History`。\n\n"
               "```{table} t\n```\n",
}


def built_text(book: Path, out: Path, edition: str) -> str:
    """The HTML edition's text, tags removed, as a reader sees it."""
    result = run_cli("build", "--content", book, "--out", out, "--format", "html",
                     "--edition", edition, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    page = (out / edition / "fixture.html").read_text("utf-8")
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def prose(text: str, start: str) -> str:
    """The paragraph that begins with `start`, up to its first citation."""
    return re.split(r"Wikipedia|维基百科|維基百科", text[text.index(start):].split("\n")[0])[0]


class _Footnotes(HTMLParser):
    """The text of each footnote of a page (`class="footnote …"`), nested spans and all."""

    def __init__(self):
        super().__init__()
        self.notes: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif "footnote" in (dict(attrs).get("class") or "").split():
            self.depth, self.notes = 1, [*self.notes, ""]

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.depth:
            self.notes[-1] += data


def footnotes(book: Path, out: Path, edition: str) -> list[str]:
    built_text(book, out, edition)
    parser = _Footnotes()
    parser.feed((out / edition / "fixture.html").read_text("utf-8"))
    # The preview lists a chapter's notes after it, each opened by its number and back link.
    return [re.sub(r"^\d+\.\s*", "", note) for note in parser.notes]


@pytest.fixture(scope="module")
def style_book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("style")
    book = make_book(folder / "book", chapters={"one": PROSE}, data={"t": TABLE},
                     editions=("en", "zh-Hans", "zh-Hant"))
    return book


def test_english_prose_spells_out_under_ten_and_tables_keep_figures(style_book, tmp_path):
    text = built_text(style_book, tmp_path, "en")
    sentence = prose(text, "On 7–10 March 1994")
    assert "they met two times at the fourth summit and the 12th;" in sentence
    assert "12 visits in 2007–2008" in sentence
    assert "the 20th anniversary; the 12th century." in sentence
    table = text[text.index("Table 1"):]
    assert re.search(r"7–10 March 1994\s*2\s*4th", table), table[:300]


def test_english_changes_and_negative_money(style_book, tmp_path):
    sentence = prose(built_text(style_book, tmp_path, "en"), "On 7–10 March 1994")
    assert "grew +27.3%, then −15.4%" in sentence
    assert "the balance was -US$368 million;" in sentence  # CLDR: the minus before the currency


def test_chinese_counts_ordinals_changes_and_year_ranges(style_book, tmp_path):
    sentence = prose(built_text(style_book, tmp_path, "zh-Hans"), "1994年3月7日至10日，")
    assert "双方会晤两次，出席第四次峰会和第12次会议" in sentence
    assert "贸易同比增长27.3%，后同比下降15.4%" in sentence and "+" not in sentence
    assert "差额减少3.68亿美元" in sentence
    assert "2007至2008年访问12次" in sentence and "–" not in sentence
    assert "建交20周年；12世纪" in sentence


def test_traditional_chinese_counts_and_year_ranges(style_book, tmp_path):
    sentence = prose(built_text(style_book, tmp_path, "zh-Hant"), "1994年3月7日至10日，")
    assert "雙方會晤兩次，出席第四次峰會" in sentence
    assert "2007至2008年訪問12次" in sentence


NOTES = {
    "en": "# One\n\nText.[^a] More.[^b]\n\n"
          "[^a]: The article tells this twice{cite}`wp-en, History`\n\n"
          "[^b]: The article tells this twice.{cite}`wp-en, History`\n",
    "zh-Hans": "# 一\n\n正文[^a]。又一句[^b]。\n\n"
               "[^a]: 本书合并叙述{cite}`wp-en, History`。\n\n"
               "[^b]: 本书不作推断{cite}`wp-en, History`\n",
}


@pytest.mark.parametrize("edition, expected", [
    ("en", ["The article tells this twice. Wikipedia (English), “Azerbaijan–China relations”, "
            "section “History”."] * 2),
    ("zh-Hans", ["本书合并叙述。维基百科（英语）《Azerbaijan–China relations》，“History”一节。",
                 "本书不作推断。维基百科（英语）《Azerbaijan–China relations》，“History”一节。"]),
])
def test_a_note_ends_its_own_text_before_its_sources(tmp_path, edition, expected):
    book = make_book(tmp_path / "book", chapters={"one": NOTES}, editions=("en", "zh-Hans"))
    assert footnotes(book, tmp_path / "out", edition) == expected


def test_check_lists_rare_variants_the_conversion_made(tmp_path):
    chapters = {"one": {"en": "# One\n\nThe one-China principle.{cite}`wp-en, History`\n",
                        "zh-Hans": "# 一\n\n阿塞拜疆奉行一个中国原则{cite}`wp-en, History`。\n"}}
    book = make_book(tmp_path / "book", chapters=chapters, editions=("en", "zh-Hans", "zh-Hant"))
    phrases = book / "phrases" / "zh-Hant.toml"
    phrases.parent.mkdir()
    phrases.write_text('[replace]\n[suspicious]\ncharacters = "箇籤"\n', "utf-8")
    result = run_cli("check", "--content", book)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"zh-Hans/one\.md:3: error: zh-Hant reads '.*一箇中國.*', a rare variant",
                     result.stderr), result.stderr
    phrases.write_text('[replace]\n"一箇中國" = "一個中國"\n[suspicious]\ncharacters = "箇籤"\n',
                       "utf-8")
    assert run_cli("check", "--content", book).returncode == 0


def test_the_traditional_catalog_is_made_from_the_simplified_one(tmp_path):
    assert not (templates_dir() / "locales" / "zh_Hant").exists()
    book = make_book(tmp_path / "book", editions=("en", "zh-Hans", "zh-Hant"))
    assert run_cli("check", "--content", book).returncode == 0
    text = built_text(book, tmp_path / "out", "zh-Hant")
    assert "資料來源" in text and "资料来源" not in text  # "Sources", converted
    assert "版本說明" in text


def test_check_reports_untranslated_source_descriptions(tmp_path):
    book = make_book(tmp_path / "book", editions=("en", "zh-Hans"))
    path = book / "bibliography.json"
    entries = json.loads(path.read_text("utf-8"))
    del entries[0]["custom"]["note"]
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2), "utf-8")
    result = run_cli("check", "--content", book)
    assert result.returncode == 1
    assert "bibliography.json:3: error: source 'wp-en': its note is not translated for zh-Hans" \
        in result.stderr, result.stderr


def test_chinese_sources_are_all_chinese(tmp_path):
    book = make_book(tmp_path / "book", editions=("en", "zh-Hans"))
    text = built_text(book, tmp_path / "out", "zh-Hans")
    back = text[text.rindex("资料来源"):]
    assert "维基百科贡献者。" in back and "Wikipedia contributors" not in back
    assert "English Wikipedia" not in back and "英文维基百科" in back


def test_a_malformed_variant_list_is_a_located_error(tmp_path):
    book = make_book(tmp_path / "book", editions=("en", "zh-Hans", "zh-Hant"))
    phrases = book / "phrases" / "zh-Hant.toml"
    phrases.parent.mkdir()
    phrases.write_text('[replace]\n\n[suspicious]\ncharacters = ["箇"]\n', "utf-8")
    result = run_cli("check", "--content", book)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "zh-Hant.toml:3: error: [suspicious] has characters" in result.stderr, result.stderr
