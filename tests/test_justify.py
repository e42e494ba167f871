"""Justified Chinese fills the measure: no line of a paragraph but its last ends short."""

from __future__ import annotations

import pdfplumber

from makebook import make_book, run_cli

# Latin words, quotation marks and note calls: where a Chinese line may not break, so that
# a line justified at its spaces alone would end short of the right edge.
SENTENCE = ("两国在“一带一路”倡议框架内讨论了 Baku–Tbilisi–Kars 铁路、Trans-Caspian "
            "国际运输走廊以及“中间走廊”的合作{cite}`wp-zh, 历史`，并商定继续推进 "
            "Alat 自由经济区和 Azerbaijan Airlines 的直航安排。")
CHAPTER = {"en": "# One\n\nA paragraph.{cite}`wp-en, History`\n",
           "zh-Hans": "# 一\n\n" + SENTENCE * 6 + "\n"}


def test_every_line_of_a_chinese_paragraph_but_its_last_reaches_the_right_edge(tmp_path):
    book = make_book(tmp_path / "book", chapters={"one": CHAPTER}, editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--edition",
                     "zh-Hans", "--no-cache")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "out/zh-Hans/fixture.pdf") as pdf:
        page = next(page for page in pdf.pages if "倡议" in (page.extract_text() or ""))
        body = [char for char in page.chars if 10 <= char["size"] <= 11]  # not notes, title
        ends: dict[int, float] = {}
        for char in body:
            # by baseline: Latin words are set in their own face, whose glyph tops differ
            line = -round(char["matrix"][5])  # PDF y grows upwards
            ends[line] = max(ends.get(line, 0), char["x1"])
    lines = [ends[top] for top in sorted(ends)]
    assert len(lines) >= 8
    paragraph_lines = lines[:-1]  # the last line of a paragraph stays short
    assert max(paragraph_lines) - min(paragraph_lines) < 1.0, sorted(paragraph_lines)
