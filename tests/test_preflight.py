"""The layout preflight: each finding provoked by a small book written for it.

Most tests typeset a fixture book in this process and read the findings as the build prints
them (`file:line: error|warning: …`); the command-line tests check the exit status, that
nothing is written, and `--strict`. The fixtures provoke each case whatever the print CSS
(a table taller than a page must split, a chain of hyphenated words breaks at its hyphens),
so that fixing the real book's pages does not silence these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from azcn_book.builders.pdf import typeset
from azcn_book.builders.preflight import inspect
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
from makebook import make_book, run_cli, toml_table

# The bibliography names Chinese titles: a fixture book has both written editions.
EDITIONS = ("en", "zh-Hans")
FILLER_EN = "The two countries signed an agreement on trade and economic cooperation. "
FILLER_ZH = "两国签署了经济贸易合作协定，并就共同关心的国际和地区问题交换了意见。"


def findings(folder: Path, edition: str = "en") -> list[str]:
    """The preflight's findings on one edition of a book, as the build prints them."""
    _, (model,) = read_book(load_config(folder), [edition])
    found = inspect(typeset(model), model)
    return [str(problem) for problem in found.errors + found.warnings]


def matching(found: list[str], pattern: str) -> list[str]:
    return [line for line in found if re.search(pattern, line)]


def chapter(en: str, zh: str | None = None) -> dict[str, dict[str, str]]:
    """A one-chapter book's text per edition (the Chinese one defaults to a short page)."""
    return {"one": {"en": en, "zh-Hans": zh or f"# 一\n\n{FILLER_ZH}\n"}}


def table(table_id: str, columns: list[tuple[str, str]], rows: list[dict[str, str]]) -> str:
    """A data file: `columns` are (key, type), labelled by their key; each row maps a key to
    its TOML value(s)."""
    rows = [{"id": f'"r{number}"', **row} for number, row in enumerate(rows)]
    return toml_table(table_id, [(key, kind, key, key) for key, kind in columns], rows)


def text_cell(key: str, en: str, zh: str) -> dict[str, str]:
    return {f"{key}.en": f'"{en}"', f"{key}.zh-Hans": f'"{zh}"'}


@pytest.fixture(scope="module")
def page_row(tmp_path_factory):
    """A table cell's text of about `fraction` of a page, whatever the style sheet's sizes:
    a probe row is laid out once and the filler scaled to it."""
    probe = table("probe", [("text", "text")], [text_cell("text", FILLER_EN * 10, FILLER_ZH)])
    book = make_book(tmp_path_factory.mktemp("probe"), chapter("# One\n\n```{table} probe\n```\n"),
                     data={"probe": probe}, editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["en"])
    page = next(page._page_box for page in typeset(model).pages
                if _boxes(page._page_box, boxes.TableRowBox))
    height = _boxes(page, boxes.TableRowBox)[-1].margin_height() / page.height

    def row(fraction: float) -> dict[str, str]:
        return text_cell("text", FILLER_EN * round(10 * fraction / height), FILLER_ZH)
    return row


def _boxes(box, kind) -> list:
    found = [box] if isinstance(box, kind) else []
    for child in getattr(box, "children", ()):
        found += _boxes(child, kind)
    return found


def line_of(path: Path, text: str) -> int:
    """The line of `path` where `text` first occurs, as an editor shows it."""
    return next(number for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text in line)


# ----- a clean book


def test_a_plain_book_has_no_findings(tmp_path):
    book = make_book(tmp_path, chapter(f"# One\n\n{FILLER_EN * 20}\n"), editions=EDITIONS)
    # Findings of the style sheet (misaligned page furniture) are the templates', not the book's.
    assert [line for line in findings(book) if "print.css" not in line] == []
    assert [line for line in findings(book, "zh-Hans") if "print.css" not in line] == []


# ----- errors


def test_an_unbreakable_line_is_an_error_at_its_source_line(tmp_path):
    book = make_book(tmp_path, chapter("# One\n\nA paragraph.\n\nA line of "
                                       + "x" * 20_000 + " and more.\n"), editions=EDITIONS)
    assert matching(findings(book), r"one\.md:5: error: en page \d+: the line 'x+…' "
                                    r"extends [\d.]+ mm past the text area")


def test_a_table_wider_than_the_page_is_one_error_at_its_placement(tmp_path):
    columns = [(f"c{n}", "number") for n in range(14)]
    rows = [{f"c{n}": "123456789012" for n in range(14)}]
    book = make_book(tmp_path, chapter("# One\n\nText.\n\n```{table} wide\n```\n"),
                     data={"wide": table("wide", columns, rows)}, editions=EDITIONS)
    found = matching(findings(book), r"table wide\.toml is [\d.]+ mm wider than the text area")
    assert len(found) == 1 and re.search(r"one\.md:5: error: en page \d+", found[0])


def test_an_image_or_a_clipped_box_is_an_error(tmp_path):
    # Content cannot write images or styles; a template could. Typeset such markup around the
    # fixture's text (its data-t tag) as the templates would.
    book = make_book(tmp_path, chapter("# One\n\nA paragraph.\n"), editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["en"])
    svg = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='10' height='1'/>"
    html = (f'<body><p data-t="one/1"><img src="{svg}" style="width: 300mm"></p>'
            f'<div style="width: 30mm; height: 4mm; overflow: hidden">'
            f'<span data-t="one/1">{FILLER_EN}</span></div></body>')
    found = inspect(weasyprint.HTML(string=html).render(), model)
    printed = [str(problem) for problem in found.errors]
    assert matching(printed, r"one\.md:3: error: en page 1: an image extends [\d.]+ mm past")
    assert matching(printed, r"one\.md:3: error: en page 1: the line '.*' is cut off by")


def test_running_heads_and_notes_wider_than_the_text_block_are_a_warning(tmp_path):
    book = make_book(tmp_path, chapter("# One\n\nA paragraph.\n"), editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["en"])
    html = ('<style>@page { @top-left { content: "Head" } } body { margin: 0 10mm }</style>'
            '<body><p data-t="one/1">Text.</p></body>')
    found = [str(problem) for problem in inspect(weasyprint.HTML(string=html).render(),
                                                 model).warnings]
    assert matching(found, r"print\.css: warning: en page 1: the left running head reaches "
                           r"10\.0 mm beyond the text block")


def test_a_character_no_font_has_is_an_error(tmp_path):
    # `check` refuses such a character in the book's files before any layout (see the command
    # line test below); text a template adds (generated content, a label) it cannot see.
    # Typeset such markup around the fixture's text (its data-t tag) as a template would.
    book = make_book(tmp_path, chapter("# One\n\nA paragraph.\n"), editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["en"])
    html = ('<style>p::after { content: " \\0378" }</style>'
            '<body><p><span data-t="one/1">A paragraph.</span></p></body>')
    found = inspect(weasyprint.HTML(string=html).render(), model)
    printed = [str(problem) for problem in found.errors]
    assert matching(printed, r"one\.md:3: error: en page 1: no font has U\+0378 '\u0378'; "
                             r"it prints as an empty box")


def test_a_footnote_call_that_begins_a_line_is_an_error(tmp_path):
    text = "# One\n\nText.\n\nA sentence ends here.\\\n[^a] A new line.\n\n[^a]: A remark.\n"
    book = make_book(tmp_path, chapter(text), editions=EDITIONS)
    assert matching(findings(book), r"one\.md:6: error: en page \d+: a footnote call begins a line")


def test_a_footnote_call_after_a_space_is_an_error(tmp_path):
    text = "# One\n\nText.\n\nA sentence ends here. [^a] And goes on.\n\n[^a]: A remark.\n"
    book = make_book(tmp_path, chapter(text), editions=EDITIONS)
    assert matching(findings(book), r"one\.md:5: error: en page \d+: a footnote call stands apart")


def test_two_footnote_calls_side_by_side_are_an_error(tmp_path):
    # The style sheet sets a comma between calls that are siblings ("1,2"); a call closing an
    # emphasis and one after it are not, and still read as one number.
    text = ("# One\n\nText.\n\nTwo remarks.[^a][^b]\n\nTwo *remarks.[^c]*[^d]\n\n"
            "[^a]: One.\n\n[^b]: Two.\n\n[^c]: Three.\n\n[^d]: Four.\n")
    book = make_book(tmp_path, chapter(text), editions=EDITIONS)
    found = matching(findings(book), r"two footnote calls side by side")
    assert len(found) == 1 and re.search(r"one\.md:7: error: en page \d+: two footnote calls "
                                         r"side by side read as one number \('34'\)", found[0])


def test_a_note_printed_on_no_page_is_an_error_at_its_call(tmp_path):
    # WeasyPrint 70 can drop a note a page pushed to the next when it lays that page out again;
    # the preflight must see the call without its note, wherever the loss comes from.
    text = "# One\n\nText.\n\nA remark follows.[^a] And a second.[^b]\n\n[^a]: One.\n\n[^b]: Two.\n"
    book = make_book(tmp_path, chapter(text), editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["en"])
    document = typeset(model)
    assert not [str(p) for p in inspect(document, model).errors]
    area = next(child for page in document.pages for child in page._page_box.children
                if isinstance(child, boxes.FootnoteAreaBox) and child.children)
    area.children = area.children[1:]  # the first note, lost
    found = [str(problem) for problem in inspect(document, model).errors]
    assert len(found) == 1
    assert re.search(r"one\.md:5: error: en page \d+: the note called here is printed at the "
                     r"foot of no page", found[0])


def test_a_note_printed_after_its_call_s_page_is_an_error_at_its_call(tmp_path):
    # WeasyPrint 70 pushes a page's last notes to the next page to keep a paragraph's line
    # (builders/footnote_defer.py stops it; tests/test_footnote_defer.py provokes it): the
    # preflight must see a note below a later page than its call, wherever that comes from.
    text = (f"# One\n\nText.\n\nA remark follows.[^a] And a second.[^b]\n\n{FILLER_EN * 80}\n\n"
            "[^a]: One.\n\n[^b]: Two.\n")
    book = make_book(tmp_path, chapter(text), editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["en"])
    document = typeset(model)
    assert not [str(p) for p in inspect(document, model).errors]
    pages = [page._page_box for page in document.pages]
    index, area = next((index, child) for index, page in enumerate(pages)
                       for child in page.children
                       if isinstance(child, boxes.FootnoteAreaBox) and child.children)
    # The first note, at the foot of the next page (which has no notes of its own).
    below = pages[index + 1]
    below.children = [*below.children, area.copy_with_children(area.children[:1])]
    area.children = area.children[1:]
    found = [str(problem) for problem in inspect(document, model).errors]
    assert len(found) == 1
    labels = re.search(r"one\.md:5: error: en page (\d+): note 1 is printed at the foot of "
                      r"page (\d+), after the page of its call", found[0])
    assert labels and int(labels[2]) == int(labels[1]) + 1


def test_a_short_table_split_across_pages_is_an_error(tmp_path, page_row):
    # Six rows of more than a third of a page each cannot stay on one page, whatever the style
    # sheet does. (The second layout sets each part after the first as a table of its own.)
    rows = [page_row(0.4)] * 6
    book = make_book(tmp_path, chapter("# One\n\nText.\n\n```{table} tall\n```\n"),
                     data={"tall": table("tall", [("text", "text")], rows)}, editions=EDITIONS)
    assert matching(findings(book), r"one\.md:5: error: en pages \d+–\d+: a table of 6 rows "
                                    r"\(tall\.toml\) is split")


def test_a_split_leaving_one_row_is_an_error_at_that_row(tmp_path, page_row):
    # Six short rows, then two of more than half a page each: no page holds both, so however
    # the style sheet groups the rows, the last one goes over alone. Two paragraphs follow the
    # table: a table that ends its chapter keeps its parts with the text before them, which
    # would break the tall row itself instead (a split the style sheet's rules fight over).
    rows = [text_cell("text", "Short.", "短。") for _ in range(6)] + [page_row(0.6)] * 2
    data = table("rows", [("text", "text")], rows)
    text = "# One\n\nText.\n\n```{table} rows\n```\n\nAfter.\n\nMore.\n"
    book = make_book(tmp_path, chapter(text),
                     data={"rows": data}, editions=EDITIONS)
    row_line = line_of(book / "data" / "rows.toml", 'id = "r7"') - 1  # its [[rows]]
    assert matching(findings(book), rf"rows\.toml:{row_line}: error: en page \d+: a split leaves "
                                    r"1 row of rows\.toml on the page")


# ----- warnings


def test_a_chapter_page_less_than_a_third_full_is_a_warning(tmp_path, page_row):
    # A one-row table of most of a page does not fit under the opening: the page stays empty.
    rows = [page_row(0.9)]
    book = make_book(tmp_path, chapter("# One\n\nText.\n\n```{table} big\n```\n\nAfter.\n"),
                     data={"big": table("big", [("text", "text")], rows)}, editions=EDITIONS)
    assert matching(findings(book), r"one\.md:5: warning: en page \d+ is only \d+% full")


def test_a_chapter_ending_with_three_lines_on_its_last_page_is_a_warning(tmp_path):
    # One-line paragraphs: lay out once, then drop paragraphs until three are left over. (The
    # style sheet keeps a chapter's last three paragraphs together: fewer cannot be alone.)
    def book_of(count: int) -> Path:
        lines = "".join(f"Line {n}.\n\n" for n in range(count))
        return make_book(tmp_path / str(count), chapter(f"# One\n\n{lines}"), editions=EDITIONS)

    def body_lines(page) -> list:  # counted as line boxes: a line holds several text boxes
        return [line for line in _boxes(page._page_box, boxes.LineBox)
                if "Line" in "".join(_texts(line))]

    count = 100
    _, (model,) = read_book(load_config(book_of(count)), ["en"])
    body_pages = [page for page in typeset(model).pages if body_lines(page)]
    count -= len(body_lines(body_pages[-1])) - 3
    assert matching(findings(book_of(count)), rf"one\.md:{2 * count - 3}: warning: en page \d+: "
                                              r"the chapter ends with 3 lines alone")


def _texts(box) -> list[str]:
    found = [box.text] if hasattr(box, "text") else []
    for child in getattr(box, "children", ()):
        found += _texts(child)
    return found


def test_three_hyphenated_line_ends_in_a_row_are_a_warning(tmp_path):
    # A chain of hyphenated words can break only at its hyphens: every line ends in one.
    chain = "-".join(["cooperation"] * 120)
    book = make_book(tmp_path, chapter(f"# One\n\nText.\n\n{chain}\n"), editions=EDITIONS)
    assert matching(findings(book), r"one\.md:5: warning: en page \d+: more than 2 hyphenated")


def test_a_line_ending_early_in_the_middle_of_a_paragraph_is_a_warning(tmp_path):
    text = f"# One\n\nText.\n\nShort.\\\n{FILLER_EN * 3}\n"  # a hard line break
    book = make_book(tmp_path, chapter(text), editions=EDITIONS)
    assert matching(findings(book), r"one\.md:5: warning: en page \d+: a line ends early in "
                                    r"the middle of a paragraph \('Short\.'\)")


def test_a_stretched_space_in_justified_chinese_is_a_warning(tmp_path):
    # A Latin word almost a line long cannot follow the few characters before it: their line
    # is justified across a handful of gaps, each stretched far past 1 em.
    zh = ("# 一\n\n文字。\n\n" + "中" * 3 + " Beijing "
          + "Intergovernmentalorganisationcooperation" * 2 + " " + "中" * 40)
    book = make_book(tmp_path, chapter("# One\n\nText.\n", zh + "\n"), editions=EDITIONS)
    assert matching(findings(book, "zh-Hans"),
                    r"one\.md:5: warning: zh-Hans page \d+: justification stretches "
                    r"(a space|the gaps between characters) to [1-9]")


def test_breaks_inside_dates_and_titles_in_chinese_cells_are_warnings(tmp_path):
    # Many columns of figures (never wrapped) leave the others narrow, so a date and a title
    # must wrap.
    columns = [("when", "date"), ("what", "text")] + [(f"n{n}", "number") for n in range(8)]
    row = {"when": '"1994-03-07/1994-03-10"',
           **text_cell("what", "Joint statement", "《关于中阿友好关系基础的联合声明》"),
           **{f"n{n}": "12345678" for n in range(8)}}
    text = "# One\n\nText.\n\n```{table} cells\n```\n"
    book = make_book(tmp_path, chapter(text, text),
                     data={"cells": table("cells", columns, [row])}, editions=EDITIONS)
    row_line = line_of(book / "data" / "cells.toml", 'id = "r0"') - 1  # its [[rows]]
    found = findings(book, "zh-Hans")
    assert matching(found, rf"cells\.toml:{row_line}: warning: zh-Hans page \d+: a line break "
                           r"inside a date or a number and its unit in a table cell")
    # A title too long to be kept on one line (typography.keeps_title) may wrap.
    assert not matching(found, r"inside a book title")


def test_a_break_inside_a_name_in_a_chinese_choice_cell_is_a_warning(tmp_path):
    # The templates keep a choice cell ("中国 → 阿塞拜疆") on one line, whatever its column's
    # width; a template could let it wrap. Typeset such a cell, narrower than the name, in the
    # fixture's row (its data-b tag) as the templates would.
    text = "# One\n\nText.\n\n```{table} cells\n```\n"
    book = make_book(tmp_path, chapter(text, text),
                     data={"cells": table("cells", [("way", "choice")], [{"way": '"way"'}])},
                     editions=EDITIONS)
    _, (model,) = read_book(load_config(book), ["zh-Hans"])
    html = ('<style>body { font-family: "Noto Sans CJK SC" }</style>'
            '<body class="cjk"><table><tr data-b="table-cells/r0">'
            '<td class="choice" style="width: 2.5em">中国 → 阿塞拜疆</td>'
            '<td class="text" style="width: 2.5em">签署《联合声明》</td></tr></table></body>')
    found = inspect(weasyprint.HTML(string=html).render(), model)
    printed = [str(problem) for problem in found.warnings]
    row_line = line_of(book / "data" / "cells.toml", 'id = "r0"') - 1  # its [[rows]]
    assert matching(printed, rf"cells\.toml:{row_line}: warning: zh-Hans page 1: a line break "
                             r"inside a name in a table cell \('[^|']*[阿塞拜疆]\|[阿塞拜疆]")
    # A short title, which the templates keep whole, broken by a template that did not.
    assert matching(printed, rf"cells\.toml:{row_line}: warning: zh-Hans page 1: a line break "
                             r"inside a book title in a table cell")


# ----- the command line


@pytest.fixture(scope="module")
def ladder_book(tmp_path_factory) -> Path:
    """A book whose only finding is a warning (a hyphen ladder)."""
    chain = "-".join(["cooperation"] * 120)
    return make_book(tmp_path_factory.mktemp("ladder"), chapter(f"# One\n\nText.\n\n{chain}\n"),
                     editions=EDITIONS)


def test_layout_errors_fail_the_build_and_write_nothing(tmp_path):
    text = "# One\n\nA line of " + "x" * 5000 + ".\n"
    book = make_book(tmp_path / "book", chapter(text, text), editions=EDITIONS)
    # Both editions at once, in two worker processes: each one's errors come back.
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--jobs", "2")
    assert result.returncode == 1
    for edition in EDITIONS:
        assert re.search(rf"{edition}/one\.md:3: error: {edition} page \d+: the line",
                         result.stderr)
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_a_character_no_font_has_stops_the_build_before_layout(tmp_path):
    # The build's check finds it in the chapter, at its line, before any page is laid out.
    text = "# One\n\nText.\n\nAn unassigned \u0378 letter.\n"
    book = make_book(tmp_path / "book", chapter(text), editions=EDITIONS)
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--edition", "en")
    assert result.returncode == 1
    assert re.search(r"en/one\.md:5: error: no font of the book has the character '\u0378' "
                     r"\(U\+0378\)", result.stderr)
    assert "laying out" not in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_warnings_are_printed_and_the_pdf_is_written(ladder_book, tmp_path):
    result = run_cli("build", "--content", ladder_book, "--out", tmp_path, "--edition", "en")
    assert result.returncode == 0, result.stderr
    assert re.search(r"one\.md:5: warning: en page \d+: more than 2 hyphenated", result.stderr)
    assert list(tmp_path.rglob("*.pdf"))


def test_strict_fails_on_warnings(ladder_book, tmp_path):
    result = run_cli("build", "--content", ladder_book, "--out", tmp_path, "--edition", "en",
                     "--strict")
    assert result.returncode == 1
    assert re.search(r"one\.md:5: warning: en page \d+: more than 2 hyphenated", result.stderr)
    assert re.search(r"\d+ warnings?; nothing was written", result.stderr)
    assert not list(tmp_path.rglob("*.pdf"))
