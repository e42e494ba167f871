"""The cover and title page: set alike in every edition, whatever the body's paragraphs do."""

from __future__ import annotations

import pdfplumber
import pytest

from makebook import make_book, run_cli

EDITIONS = ("en", "zh-Hans")


@pytest.fixture(scope="module")
def fixture_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("covers")
    book = make_book(folder / "book", editions=EDITIONS)
    result = run_cli("build", "--content", book, "--out", folder / "out", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return {edition: folder / "out" / edition / "fixture.pdf" for edition in EDITIONS}


def line_starts(page) -> list[tuple[float, float]]:
    """(top, left) of each line of text on a page, top to bottom."""
    lines: dict[int, float] = {}
    for char in page.chars:
        if char["text"].strip():
            top = round(char["top"])
            lines[top] = min(lines.get(top, char["x0"]), char["x0"])
    return sorted(lines.items())


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_cover_line_starts_at_the_title_s_left_edge(fixture_pdfs, edition):
    with pdfplumber.open(fixture_pdfs[edition]) as pdf:
        starts = line_starts(pdf.pages[0])
    assert len(starts) >= 5, starts  # kicker, title, subtitle, author, edition line
    lefts = [left for _, left in starts]
    assert max(lefts) - min(lefts) < 1.5, f"{edition}: cover lines start at {lefts}"


def test_chinese_cover_spaces_its_lines_as_the_english_one(fixture_pdfs):
    """The subtitle stands apart from the author line in both (Chinese paragraphs have
    smaller spacing than the cover asks for)."""
    gaps = {}
    for edition in EDITIONS:
        with pdfplumber.open(fixture_pdfs[edition]) as pdf:
            tops = [top for top, _ in line_starts(pdf.pages[0])]
        gaps[edition] = tops[3] - tops[2]  # subtitle to author
    assert gaps["zh-Hans"] == pytest.approx(gaps["en"], abs=12), gaps
    assert gaps["zh-Hans"] > 60, gaps


@pytest.mark.parametrize("edition", EDITIONS)
def test_title_page_lines_are_centred(fixture_pdfs, edition):
    with pdfplumber.open(fixture_pdfs[edition]) as pdf:
        page = pdf.pages[1]
        lines: dict[int, list[float]] = {}
        for char in page.chars:
            if char["text"].strip() and char["top"] < page.height * 0.8:  # not the folio
                lines.setdefault(round(char["top"]), []).extend([char["x0"], char["x1"]])
    middles = [(min(xs) + max(xs)) / 2 for xs in lines.values()]
    assert middles and all(abs(m - middles[0]) < 3 for m in middles), middles
