"""Justified Chinese fills the measure: no line of a paragraph but its last ends short, and
only the Chinese characters are spaced out, never the letters of a figure or a Latin word."""

from __future__ import annotations

import pdfplumber
import pytest

from makebook import make_book, run_cli

# Latin words, quotation marks, note calls and figures: where a Chinese line may not break,
# so that a line justified at its spaces alone would end short of the right edge.
SENTENCE = ("两国在“一带一路”倡议框架内讨论了 Baku–Tbilisi–Kars 铁路、Trans-Caspian "
            "国际运输走廊以及“中间走廊”的合作{cite}`wp-zh, 历史`，贸易额增长11.9%，并商定继续推进 "
            "Alat 自由经济区和 Azerbaijan Airlines 的直航安排，2024年7月签署了声明。")
CHAPTER = {"en": "# One\n\nA paragraph.{cite}`wp-en, History`\n",
           "zh-Hans": "# 一\n\n" + SENTENCE * 6 + "\n"}


@pytest.fixture(scope="module")
def body_lines(tmp_path_factory) -> list[list[dict]]:
    """The body text's characters on the fixture's page, line by line (by baseline: Latin
    words are set in their own face, whose glyph tops differ)."""
    folder = tmp_path_factory.mktemp("justify")
    book = make_book(folder / "book", chapters={"one": CHAPTER}, editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--out", folder / "out", "--edition",
                     "zh-Hans", "--no-cache")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(folder / "out/zh-Hans/fixture.pdf") as pdf:
        page = next(page for page in pdf.pages if "倡议" in (page.extract_text() or ""))
        lines: dict[int, list[dict]] = {}
        for char in page.chars:
            if 10 <= char["size"] <= 11:  # not notes, not the title
                lines.setdefault(-round(char["matrix"][5]), []).append(char)  # y grows upwards
    return [sorted(lines[y], key=lambda char: char["x0"]) for y in sorted(lines)]


def test_every_line_of_a_chinese_paragraph_but_its_last_reaches_the_right_edge(body_lines):
    ends = [max(char["x1"] for char in line) for line in body_lines]
    assert len(ends) >= 8
    paragraph_lines = ends[:-1]  # the last line of a paragraph stays short
    assert max(paragraph_lines) - min(paragraph_lines) < 1.0, sorted(paragraph_lines)


def test_figures_and_latin_words_are_not_spaced_out(body_lines):
    latin = {"gaps": [], "han": []}
    for line in body_lines:
        for left, right in zip(line, line[1:], strict=False):
            gap = right["x0"] - left["x1"]
            pair = left["text"] + right["text"]
            if pair.isascii() and pair.isalnum():
                latin["gaps"].append((pair, round(gap, 2)))
            elif all("\u4e00" <= char <= "\u9fff" for char in pair):
                latin["han"].append(gap)
    assert max(latin["han"]) > 0.5, "no line was spaced out: the fixture tests nothing"
    spaced = [(pair, gap) for pair, gap in latin["gaps"] if gap >= 0.2]  # kerning: < 0
    assert latin["gaps"] and not spaced, spaced
