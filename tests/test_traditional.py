"""The Traditional Chinese edition, made from the Simplified one at build time."""

from __future__ import annotations

import opencc
import pytest
from pypdf import PdfReader

from conftest import squeeze

NAME = "azerbaijan-china-briefing"


def test_no_simplified_only_characters_on_the_body_pages(pdf_pages):
    to_traditional = opencc.OpenCC("s2tw")
    for number, page in enumerate(pdf_pages["zh-Hant"][3:12], start=4):
        converted = to_traditional.convert(page)  # in context: 征戰 stays, a lone 征 would not
        left = {a for a, b in zip(page, converted, strict=False) if a != b}
        assert converted == page, f"page {number}: {''.join(sorted(left))}"


def test_the_phrase_table_corrects_the_conversion(pdf_pages):
    text = "".join(pdf_pages["zh-Hant"])
    assert "夥伴" in text and "伙伴" not in text


@pytest.mark.parametrize("value", ["3.68億美元", "1994年3月7日至10日", "表1"])
def test_values_read_in_traditional_chinese(pdf_pages, value):
    assert squeeze(value) in squeeze("".join(pdf_pages["zh-Hant"]))


def test_same_chapters_and_notes_as_the_simplified_edition(editions):
    hans, hant = editions["zh-Hans"], editions["zh-Hant"]
    assert [c.id for c in hant.chapters] == [c.id for c in hans.chapters]
    assert [len(c.notes) for c in hant.chapters] == [len(c.notes) for c in hans.chapters]
    assert "亞塞拜然" in hant.title  # Taiwan's name for Azerbaijan (s2twp), not 阿塞拜疆


def test_taiwan_quotation_marks_and_no_rare_variants(pdf_pages):
    text = "".join(pdf_pages["zh-Hant"])
    assert "「" in text and "“" not in text and "”" not in text
    assert "箇" not in text and "所籤" not in text


def test_traditional_glyph_forms_from_tc_faces(built):
    reader = PdfReader(built / "zh-Hant" / f"{NAME}.pdf")
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    cjk = {name for name in fonts if "CJK" in name}
    assert cjk and all("CJK-TC" in name for name in cjk), cjk
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hant"
