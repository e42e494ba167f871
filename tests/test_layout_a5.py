"""Data tables on A5's narrow measure: a long table splits with at least two rows a page, and
a column that most rows leave empty takes little room."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from pypdf import PdfReader

from makebook import make_book, run_cli, toml_table

ROWS = 14
VALUE_ROW = 5  # the only row with an amount


def moves_table() -> str:
    """A table of visits: date, long texts, a direction and an amount given once."""
    columns = [("date", "date", "Date", "日期"), ("who", "text", "Visitor", "访问者"),
               ("way", "choice", "Direction", "方向"), ("what", "text", "Occasion", "事由"),
               ("value", "money", "Value", "金额")]
    rows = []
    for row in range(ROWS):
        rows.append({
            "id": f'"r{row}"', "date": f'"20{10 + row}-03-07/20{10 + row}-03-10"',
            "who.en": f'"Deputy Chairman number {row} of a standing committee, at the head of '
                      f'a delegation"',
            "who.zh-Hans": f'"常务委员会第{row}位副委员长率代表团"',
            "way": '"in"',
            "what.en": '"Talks on economic cooperation and on relations between the two '
                       'parliaments; technical assistance to the parliament; a memorandum signed"',
            "what.zh-Hans": '"就经济合作和两国议会关系举行会谈；提供技术援助；签署备忘录"',
            **({"value": "821_000_000"} if row == VALUE_ROW else {})})
    return toml_table("moves", columns, rows, caption=("Visits of a fixture", "测试访问"),
                      choice="in")


@pytest.fixture(scope="module")
def a5_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a5")
    text = {"en": "# One\n\nThe visits.\n\n```{table} moves\n```\n\nAfter the table.\n",
            "zh-Hans": "# 一\n\n访问。\n\n```{table} moves\n```\n\n表后。\n"}
    book = make_book(folder / "book", {"one": text}, data={"moves": moves_table()},
                     editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--out", folder / "out", "--paper", "A5",
                     "--strict", "--format", "pdf")
    # --strict: the layout preflight found nothing, no split leaving fewer than two rows.
    assert result.returncode == 0, result.stderr
    return {edition: folder / "out" / edition / "fixture-a5.pdf" for edition in ("en", "zh-Hans")}


def test_a_long_table_splits_on_a5_with_two_rows_or_more_a_page(a5_pdfs):
    for edition, pdf in a5_pdfs.items():
        pages = [page.extract_text() for page in PdfReader(pdf).pages]
        dates = re.compile(r"20\d\d年3月7日至10日" if edition != "en" else r"7–10 March 20\d\d")
        counts = [len(dates.findall(text)) for text in pages]
        counts = [count for count in counts if count]
        assert sum(counts) == ROWS
        assert len(counts) > 1, f"{edition}: the table fits one page: the fixture tests nothing"
        assert min(counts) >= 2, f"{edition}: rows per page {counts}"


def test_a_column_most_rows_leave_empty_is_narrow(a5_pdfs):
    # English: the one amount breaks between figure and word, right-aligned under "Value".
    with pdfplumber.open(a5_pdfs["en"]) as pdf:
        words = [word for page in pdf.pages for word in page.extract_words()]
    figure = next(word for word in words if word["text"] == "US$821")
    unit = next(word for word in words if word["text"] == "million" and word["top"] > figure["top"])
    assert abs(unit["x1"] - figure["x1"]) < 0.5 and unit["top"] - figure["top"] < 15
    # Chinese: an amount is never broken (8.21亿|美元), the column is as wide as it.
    text = "".join(page.extract_text() for page in PdfReader(a5_pdfs["zh-Hans"]).pages)
    assert "8.21亿美元" in text
