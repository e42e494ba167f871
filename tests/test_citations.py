"""Notes and sources as a reader checks them: each source named once with the sections cited,
marks meeting across a citation's parts compressed as in the prose, and text in another
language set in the face of its script (and marked with its lang in the e-book)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

import pdfplumber
import pytest

from azcn_book.model import Citation, Reference, by_source
from azcn_book.typography import foreign
from conftest import squeeze
from makebook import make_book, run_cli

NOTE_SIZE = 8.5  # points: footnotes and nothing else
CHAPTER = {
    "en": "# One\n\n"
          "Relations began.{cite}`wp-en, History; wp-en, Economy; wp-zh, 歷史; wp-en, Culture`\n\n"
          "The Chinese article reads 講述 where the English has 刘洪.{cite}`wp-en, History; "
          "wp-en, lead`\n\n"
          "Two documents were signed.{cite}`wp-en, History; joint-statement-1994; "
          "investment-agreement-1994`\n",
    "zh-Hans": "# 一\n\n"
               "两国关系开始{cite}`wp-en, History; wp-en, Economy; wp-zh, 歷史; "
               "wp-en, Culture`。\n\n"
               "瓦利·阿洪多夫（Vali Akhundov）会见代表团{cite}`wp-en, History; wp-en, lead`。\n\n"
               "双方签署两项文件{cite}`wp-en, History; joint-statement-1994; "
               "investment-agreement-1994`。\n",
}
EDITIONS = ("en", "zh-Hans", "zh-Hant")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The fixture book in three editions, built as PDF and EPUB; its output folder."""
    folder = tmp_path_factory.mktemp("citations")
    content = make_book(folder / "book", chapters={"one": CHAPTER}, editions=EDITIONS,
                        book="two_sided = false")
    result = run_cli("build", "--content", content, "--format", "pdf", "--format", "epub",
                     "--jobs", "3", "--out", folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out"


def _pages(book, edition: str) -> list[str]:
    with pdfplumber.open(book / edition / "fixture.pdf") as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _chars(book, edition: str, size: float | None = None) -> list[dict]:
    """The characters of every page (of one size), in reading order."""
    with pdfplumber.open(book / edition / "fixture.pdf") as pdf:
        return [char for page in pdf.pages for char in page.chars
                if size is None or abs(char["size"] - size) < 0.1]


# ----- one source, its sections after it -----

@pytest.mark.parametrize("edition, notes", [
    ("en", ["Wikipedia (English), “Azerbaijan–China relations”, sections “History”, “Economy” "
            "and “Culture”; Wikipedia (Chinese), “中國－阿塞拜疆關係”, section “歷史”.",
            "Wikipedia (English), “Azerbaijan–China relations”, introduction and section "
            "“History”."]),
    ("zh-Hans", ["维基百科（英语）《Azerbaijan–China relations》，“History”、“Economy”、“Culture”"
                 "三节；维基百科（中文）《中国－阿塞拜疆关系》，“历史”一节。",
                 "维基百科（英语）《Azerbaijan–China relations》，导言及“History”一节。"]),
    ("zh-Hant", ["「History」、「Economy」、「Culture」三節；", "導言及「History」一節。"]),
])
def test_a_source_cited_for_several_sections_is_named_once(book, edition, notes):
    text = squeeze("".join(_pages(book, edition)))
    for note in notes:
        assert squeeze(note) in text
    for repeated in ("”, section “History”; Wikipedia (English)", "一节；维基百科（英语）",
                     "一節；維基百科（英文）"):
        assert squeeze(repeated) not in text


def test_grouping_keeps_every_section_in_order_of_first_citation():
    def ref(key):
        return Reference(key, "entry-encyclopedia", key, {})
    en, zh = ref("en"), ref("zh")
    cited = by_source([Citation(en, "History"), Citation(zh, "歷史"), Citation(en, "lead"),
                       Citation(en, "History"), Citation(zh, ""), Citation(zh, "外交")])
    assert [(source.reference.key, source.locators) for source in cited] == [
        ("en", ("lead", "History")),  # the lead first, no section twice
        ("zh", ()),  # cited as a whole: no section listed apart
    ]


# ----- marks compressed across a citation's parts -----

def _widths(chars, pairs) -> dict[str, set[str]]:
    """Each pair of adjacent characters on one line, as "half" or "full" width of its first
    (justification adds a few hundredths of an em: half reads 0.5 to 0.6 em)."""
    found: dict[str, set[str]] = {}
    for char, following in zip(chars, chars[1:], strict=False):
        pair = char["text"] + following["text"]
        if pair in pairs and abs(char["top"] - following["top"]) < 1:
            advance = (following["x0"] - char["x0"]) / char["size"]
            found.setdefault(pair, set()).add("half" if advance < 0.75 else "full")
    return found


# Traditional Chinese as Taiwan sets it centres "；" and "。" in their em: the TC face keeps
# them whole, and compresses the brackets beside them.
@pytest.mark.parametrize("edition, centred", [("zh-Hans", "half"), ("zh-Hant", "full")])
def test_marks_between_citations_and_in_sources_are_compressed(book, edition, centred):
    notes = _chars(book, edition, NOTE_SIZE)
    # "…一节；《关于…联合声明》（1994年3月）；《…协定》（1994年）。"
    assert _widths(notes, {"；《", "）；", "）。", "》（"}) == {
        "；《": {centred}, "）；": {"half"}, "）。": {"half"}, "》（": {"half"}}
    with pdfplumber.open(book / edition / "fixture.pdf") as pdf:
        sources = next(page for page in pdf.pages
                       if re.match(r"\s*資?[资料來来源]{3}", page.extract_text() or ""))
        entries = [char for char in sources.chars if char["top"] > 40 * 72 / 25.4]
    # "维基百科贡献者。《Azerbaijan–China relations》。维基百科（英语）。",
    # "《…声明》，1994年3月。"
    assert _widths(entries, {"》。", "）。", "》，"}) == {
        "》。": {"half"}, "）。": {"half"}, "》，": {"half"}}


# ----- another language, its face and its lang -----

def _face(chars, text: str) -> set[str]:
    """The fonts the characters of `text` are set in, wherever it stands."""
    chars = [char for char in chars if char["text"].strip()]
    text = "".join(text.split())
    joined = "".join(char["text"] for char in chars)
    faces = set()
    for match in re.finditer(re.escape(text), joined):
        faces |= {chars[at]["fontname"].split("+")[-1] for at in range(*match.span())}
    assert faces, f"{text!r} is not on the pages"
    return faces


def test_chinese_in_the_english_edition_is_set_in_the_face_of_its_script(book):
    chars = _chars(book, "en")
    assert _face(chars, "講述") == {"Noto-Serif-CJK-TC"}  # Traditional, in the text
    assert _face(chars, "刘洪") == {"Noto-Serif-CJK-SC"}  # Simplified
    assert _face(chars, "歷史") == {"Noto-Serif-CJK-TC"}  # a section, in a note
    assert _face(chars, "中國－阿塞拜疆關係") == {"Noto-Serif-CJK-TC"}  # a title, notes and sources
    assert _face(chars, "Relations") == {"Noto-Serif"}


@pytest.mark.parametrize("edition, cjk", [("zh-Hans", "SC"), ("zh-Hant", "TC")])
def test_english_in_the_chinese_editions_is_set_in_the_latin_face(book, edition, cjk):
    chars = _chars(book, edition)
    assert _face(chars, "Vali Akhundov") == {"Noto-Serif"}  # in the text
    assert _face(chars, "History") == {"Noto-Serif"}  # a section, in a note
    assert _face(chars, "relations") == {"Noto-Serif"}  # a title, notes and sources
    assert _face(chars, "会见" if cjk == "SC" else "會見") == {f"Noto-Serif-CJK-{cjk}"}


def _spans(book, edition: str) -> list[tuple[str, str]]:
    """(lang, text) of every element of the e-book's chapters that has a lang of its own."""
    found = []
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    with zipfile.ZipFile(book / edition / "fixture.epub") as package:
        for name in package.namelist():
            if name.endswith(".xhtml") and "chapter" in name:
                root = ET.fromstring(package.read(name))  # well-formed XHTML, or this raises
                for element in root.iter():
                    if element.get("lang") and not element.tag.endswith("}html"):
                        assert element.get(xml_lang) == element.get("lang")
                        found.append((element.get("lang"), "".join(element.itertext())))
    return found


def test_the_e_book_marks_text_in_another_language(book):
    english = _spans(book, "en")
    assert ("zh-Hant", "講述") in english and ("zh-Hans", "刘洪") in english
    assert ("zh-Hant", "歷史") in english and ("zh-Hant", "中國－阿塞拜疆關係") in english
    assert {lang for lang, _ in english} == {"zh-Hant", "zh-Hans"}
    chinese = _spans(book, "zh-Hans")
    assert ("en", "Vali Akhundov") in chinese and ("en", "Azerbaijan–China relations") in chinese
    assert {lang for lang, _ in chinese} == {"en"}


def test_chinese_of_shared_characters_takes_the_script_of_its_text():
    text = "Wikipedia (Chinese), “中國－阿塞拜疆關係”, section “文化”; 中文"
    assert [(text[start:end], lang) for start, end, lang in foreign(text, cjk=False)] == [
        ("中國－阿塞拜疆關係", "zh-Hant"), ("文化", "zh-Hant"), ("中文", "zh-Hant")]
    assert [lang for *_, lang in foreign("section “文化”", cjk=False)] == ["zh"]
    assert [lang for *_, lang in foreign("他说的国", cjk=False)] == ["zh-Hans"]
