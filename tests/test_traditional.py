"""The Traditional Chinese edition, made from the Simplified one at build time."""

from __future__ import annotations

import opencc
import pytest
from pypdf import PdfReader

from conftest import squeeze
from makebook import CONTENT, TRADE_COLUMNS, make_book, toml_table

NAME = "azerbaijan-china-briefing"


# A Simplified chapter that provokes what the conversion must get right: a term s2twp leaves
# Simplified (伙伴), the segmenter's trap 一个中国 (个中 → 箇中), quotation marks, a fact of
# money, a date range, a table, and Taiwan's name for Azerbaijan in prose but not inside a
# title or a quotation.
TRADE = toml_table("trade", TRADE_COLUMNS, [
    {"id": '"visit"', "when": '"1994-03-07/1994-03-10"', "total": "368_000_000"},
], caption=("Trade", "贸易"))
CHAPTER = {
    "en": "# Partners\n\nThe two are partners.{cite}`wp-en, History`\n\n```{table} trade\n```\n",
    "zh-Hans": ("# 伙伴\n\n两国是战略伙伴，坚持“一个中国”原则。访问于{fact}`trade.visit.when`进行，"
                "贸易额为{fact}`trade.visit.total`。{cite}`wp-zh, 历史`\n\n"
                "阿塞拜疆的使馆见《中华人民共和国驻阿塞拜疆共和国大使馆官方网站》，条目称"
                "“中国亦有16家阿塞拜疆的公司”。\n\n"
                "```{table} trade\n```\n"),
}
PHRASES = """[replace]
"伙伴" = "夥伴"
"一箇中國" = "一個中國"
"""


@pytest.fixture(scope="module")
def hant(tmp_path_factory):
    """The zh-Hant edition of the book above, its model and the text of its PDF."""
    from azcn_book.build import build
    from azcn_book.config import load_config
    from azcn_book.readers.book import read_book

    folder = tmp_path_factory.mktemp("hant")
    book = make_book(folder / "book", chapters={"one": CHAPTER}, data={"trade": TRADE},
                     editions=("en", "zh-Hans", "zh-Hant"))
    manifest = book / "book.toml"  # Taiwan usage, as the real book converts
    manifest.write_text(manifest.read_text("utf-8").replace('"s2tw"', '"s2twp"'), "utf-8")
    (book / "phrases").mkdir()
    (book / "phrases" / "zh-Hant.toml").write_text(PHRASES, "utf-8")
    build(book, folder / "out", ["zh-Hans", "zh-Hant"], ["pdf"], jobs=1)
    _, (hans_model, hant_model) = read_book(load_config(book), ["zh-Hans", "zh-Hant"])
    pages = [page.extract_text() for page in PdfReader(folder / "out/zh-Hant/fixture.pdf").pages]
    return hans_model, hant_model, pages


def test_no_simplified_only_characters_on_the_pages(hant):
    to_traditional = opencc.OpenCC("s2tw")
    for number, page in enumerate(hant[2], start=1):
        converted = to_traditional.convert(page)  # in context: 征戰 stays, a lone 征 would not
        left = {a for a, b in zip(page, converted, strict=False) if a != b}
        assert converted == page, f"page {number}: {''.join(sorted(left))}"


def test_the_phrase_table_corrects_the_conversion(hant):
    text = "".join(hant[2])
    assert "夥伴" in text and "伙伴" not in text
    assert "一個中國" in text and "箇" not in text


@pytest.mark.parametrize("value", ["3.68億美元", "1994年3月7日至10日", "表1"])
def test_values_read_in_traditional_chinese(hant, value):
    assert squeeze(value) in squeeze("".join(hant[2]))


def test_same_chapters_and_notes_as_the_simplified_edition(hant):
    hans, hant_model = hant[0], hant[1]
    assert [c.id for c in hant_model.chapters] == [c.id for c in hans.chapters]
    assert [len(c.notes) for c in hant_model.chapters] == [len(c.notes) for c in hans.chapters]
    assert "測試" in hant_model.title  # the Simplified title (测试), converted


def test_titles_and_quotations_keep_their_own_words(hant):
    text = squeeze("".join(hant[2]))
    assert squeeze("亞塞拜然的使館") in text  # prose: Taiwan's usage
    assert squeeze("《中華人民共和國駐阿塞拜疆共和國大使館官方網站》") in text
    assert squeeze("「中國亦有16家阿塞拜疆的公司」") in text
    assert squeeze("中國－阿塞拜疆關係") in text  # the cited article's title (its note)
    assert "亞塞拜然關係" not in text and "亞塞拜然共和國" not in text


def test_taiwan_quotation_marks(hant):
    text = "".join(hant[2])
    assert "「一個中國」" in text and "“" not in text and "”" not in text


@pytest.mark.parametrize("simplified, taiwan", [("以特使身份访问", "以特使身分訪問")])
def test_the_real_phrase_table_gives_taiwan_s_forms(simplified, taiwan):
    """Terms s2twp leaves in mainland usage, as the book's own phrase table corrects them
    wherever an editor writes them."""
    from azcn_book.config import load_config
    from azcn_book.convert import load_converter

    configuration = load_config(CONTENT).editions["zh-Hant"].opencc
    assert load_converter(CONTENT, "zh-Hant", configuration)(simplified) == taiwan


def test_the_real_book_reads_as_taiwan_writes(pdf_pages, editions):
    """What holds for the real book whatever an editor writes: Taiwan's name for Azerbaijan
    in its title, corner quotes only, no rare variant left by the conversion."""
    text = "".join(pdf_pages["zh-Hant"])
    assert "亞塞拜然" in editions["zh-Hant"].title
    assert "“" not in text and "”" not in text and "箇" not in text
    assert "身份" not in text  # Taiwan writes 身分 (the phrase table)


def test_traditional_glyph_forms_from_tc_faces(built):
    reader = PdfReader(built / "zh-Hant" / f"{NAME}.pdf")
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    cjk = {name for name in fonts if "CJK" in name}
    assert cjk and all("CJK-TC" in name for name in cjk), cjk
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hant"
