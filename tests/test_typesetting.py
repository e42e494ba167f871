"""Pages a publisher signs off: what a reader sees on small fixture books, read off the PDF."""

from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pytest
from pypdf import PdfReader

from makebook import data_table, make_book, run_cli

MM = 72 / 25.4
CALL_SIZE = 7.5  # points: a footnote call is set at 0.65 em of 10.5 pt, everything else larger
TEXT_SIZE = 10  # points: the body text (10.5 pt), not the notes (8.5 pt)

# Sentences whose line ends fall at different places, so that some call, some inline box and
# some hyphenated word meets a line end whatever the exact widths of the fonts.
_FILLER = ("Relations between China and Azerbaijan reach far back into history; in the modern "
           "period they are relations between the two republics which established diplomatic "
           "relations").split()


def _sentence(words: int) -> str:
    return " ".join((_FILLER * 3)[:words])


def _calls_chapter() -> str:
    paragraphs = [f"{_sentence(30 + shift)} Falun Gong.{{cite}}`wp-en, lead`"
                  for shift in range(14)]
    paragraphs.append("Two notes at one place.[^remark]{cite}`wp-en, lead`")
    return ("# Notes\n\n" + "\n\n".join(paragraphs) +
            "\n\n[^remark]: A remark of ours.\n")


def _boxes_chapter() -> str:
    # A line after a hyphenated one that ends at an inline box after a space: WeasyPrint 70
    # broke such a justified line after its first word ("cul-ture," then a new line). Lengths
    # around those that met it on A4, so that a few of them meet it whatever the fonts.
    start = _FILLER[:25]
    middle = "science and technology, sport, tourism and the media, and have cooperated in".split()
    paragraphs = [f"{' '.join(start[:k])} smoothly in education, culture, "
                  f"{' '.join(middle[:m])} opening *two* Confucius Institutes."
                  for k in (*range(12, 17), 24, 25) for m in range(6, 12)]
    return "# Boxes\n\n" + "\n\n".join(paragraphs) + "{cite}`wp-en, lead`\n"


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """A two-chapter English fixture book, built once as PDF; its path."""
    folder = tmp_path_factory.mktemp("typesetting")
    book = make_book(folder / "book", chapters={"notes": _calls_chapter(),
                                                 "boxes": _boxes_chapter()},
                     editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--format", "pdf", "--edition", "en",
                     "--jobs", "1", "--out", folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "en" / "fixture.pdf"


def _body_lines(page) -> list[list[dict]]:
    """The lines of the text block (not running heads, folio or notes), as lists of chars;
    a raised footnote call belongs to the line whose baseline is just below it."""
    in_block = [char for char in page.chars if char["text"].strip()
                and 25 * MM < char["top"] < page.height - 60 * MM]
    lines: dict[int, list[dict]] = {}
    for char in in_block:
        if char["size"] >= TEXT_SIZE:
            lines.setdefault(round(char["bottom"]), []).append(char)
    for char in in_block:
        if char["size"] < CALL_SIZE:
            baseline = min((b for b in lines if b >= char["bottom"] - 1), default=None)
            if baseline is not None:
                lines[baseline].append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(lines.items())]


def _chapter_pages(pdf) -> list:
    """The pages of the fixture's chapters: after the front matter, before the sources."""
    pages = []
    for page in pdf.pages[3:]:
        if (page.extract_text() or "").strip().startswith(("Sources", "资料来源")):
            break
        pages.append(page)
    return pages


def test_folios_are_roman_then_arabic_from_the_first_chapter(english):
    reader = PdfReader(english)
    labels = reader.page_labels
    assert labels[:3] == ["i", "ii", "iii"]
    assert labels[3:5] == ["1", "2"]
    for label, page in zip(labels, reader.pages, strict=True):
        lines = page.extract_text().strip().splitlines()
        if label == "i" or label == "ii":  # the cover and the title page show no folio
            assert lines[-1].strip() != label
        else:
            assert lines[-1].strip() == label


def test_chapter_openers_carry_no_running_head(english):
    with pdfplumber.open(english) as pdf:
        openers = [page for page in pdf.pages if "CHAPTER " in (page.extract_text() or "")]
        assert len(openers) == 2
        for page in openers:
            assert not [char for char in page.chars if char["top"] < 20 * MM]
        # the pages after an opener do carry it
        assert [char for char in pdf.pages[4].chars if char["top"] < 20 * MM]


def test_adjacent_calls_are_separated_and_calls_keep_to_their_word(english):
    with pdfplumber.open(english) as pdf:
        calls_page = "".join(page.extract_text() for page in pdf.pages[3:5])
        assert "place.1,2" in calls_page.replace("\n", "") or "place.15,16" in calls_page
        lines = [line for page in pdf.pages[3:] for line in _body_lines(page)]
    starting = [line for line in lines if line[0]["size"] < CALL_SIZE]
    assert not starting, "a footnote call starts a line"


def test_no_line_is_broken_short_inside_a_paragraph(english):
    with pdfplumber.open(english) as pdf:
        for page in _chapter_pages(pdf):
            paragraph_lines = _body_lines(page)
            right = max(line[-1]["x1"] for line in paragraph_lines)
            for line, following in zip(paragraph_lines, paragraph_lines[1:], strict=False):
                gap = following[0]["top"] - line[0]["bottom"]
                in_paragraph = gap < 8  # points: leading only, no paragraph space
                if in_paragraph and line[0]["size"] > CALL_SIZE:
                    text = "".join(char["text"] for char in line)
                    assert line[-1]["x1"] > right - 3 * MM, f"short line: {text!r}"


def test_notes_and_running_heads_align_with_the_text_block(english):
    with pdfplumber.open(english) as pdf:
        page = pdf.pages[4]
        body = _body_lines(page)
        left = min(line[0]["x0"] for line in body)
        right = max(line[-1]["x1"] for line in body)
        head = [c for c in page.chars if c["top"] < 20 * MM]
        notes = [c for c in page.chars if c["top"] > page.height - 55 * MM and c["size"] < 9]
    assert abs(min(c["x0"] for c in head) - left) < 0.5 * MM
    assert abs(max(c["x1"] for c in head) - right) < 0.5 * MM
    assert abs(min(c["x0"] for c in notes) - left) < 0.5 * MM


# ----- tables and references -----

TABLE_CHAPTERS = 10


def _tables_chapters() -> dict[str, str]:
    # Tables after fillers of many lengths, so that some would straddle a page break.
    chapters = {"refs": "# References\n\nThe figures are in {ref}`wide`.{cite}`wp-en, lead`\n\n"
                        "```{table} wide\n```\n\nAs {ref}`wide` shows, it grew.\n\n" +
                        "\n\n".join([_sentence(60)] * 14) +
                        "\n\nThe figures are again in {ref}`wide`.{cite}`wp-en, lead`\n"}
    for index in range(TABLE_CHAPTERS):
        filler = "\n\n".join([_sentence(40 + 7 * index)] * (5 + index % 4))
        chapters[f"split-{index}"] = (
            f"# Split {index}\n\n{filler}\n\n```{{table}} short-{index}\n```\n\n{filler}\n\n"
            f"```{{table}} long-{index}\n```\n\n{filler}{{cite}}`wp-en, lead`\n")
    return chapters


@pytest.fixture(scope="module")
def tabular(tmp_path_factory):
    """A fixture book of tables: a wide one referred to twice, short and long ones; the PDF."""
    folder = tmp_path_factory.mktemp("tables")
    data = {"wide": data_table("wide", 4, groups=3)}
    for index in range(TABLE_CHAPTERS):
        data[f"short-{index}"] = data_table(f"short-{index}", 5)
        data[f"long-{index}"] = data_table(f"long-{index}", 14)
    book = make_book(folder / "book", chapters=_tables_chapters(), data=data,
                     editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--format", "pdf", "--edition", "en",
                     "--jobs", "1", "--out", folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "en" / "fixture.pdf"


def test_a_wide_table_fits_the_text_block_with_grouped_headings(tabular):
    with pdfplumber.open(tabular) as pdf:
        page = next(p for p in pdf.pages if "Table wide" in (p.extract_text() or ""))
        text = page.extract_text()
        right_edge = page.width - 20 * MM
        assert max(char["x1"] for char in page.chars) <= right_edge + 0.5
    words = text.split()  # headings wrap, and rows of headings interleave in the text
    assert words.count("previous") == 3  # the recurring heading, under each group
    assert [word for word in words if word.startswith("Exports")] == ["Exports"] * 3
    assert words.count("Value") == 3


def test_a_reference_on_its_tables_page_says_below_elsewhere_the_page(tabular):
    pages = [page.extract_text().replace("\n", " ") for page in PdfReader(tabular).pages]
    first = next(text for text in pages if "Table wide" in text)
    assert "Table 1 below" in first
    assert "As Table 1 above shows" in first
    later = next(text for text in pages if "again in" in text)
    assert "Table 1 on page 1" in later


def test_tables_split_only_with_two_rows_a_page_and_short_ones_never(tabular):
    pages = [page.extract_text() for page in PdfReader(tabular).pages]
    split = 0
    for index in range(TABLE_CHAPTERS):
        for table_id, rows in ((f"short-{index}", 5), (f"long-{index}", 14)):
            counts = [sum(f"Row {row} of {table_id}\n" in text + "\n" for row in range(rows))
                      for text in pages]
            on = [index for index, count in enumerate(counts) if count]
            counts = [counts[index] for index in on]
            for index in on[1:]:  # each page after the first says the table continues
                caption = pages[index].replace("\xa0", " ")  # tied to the caption's last word
                assert f"Table {table_id} (continued)" in caption.replace("\n", " ")
                assert "\n(continued)" not in caption
            assert sum(counts) == rows
            if rows <= 6:
                assert len(counts) == 1, f"{table_id} is split {counts}"
            else:
                assert min(counts) >= 2, f"{table_id} leaves {counts}"
                split += len(counts) > 1
    assert split, "no long table met a page break: the fixture tests nothing"


# ----- Chinese -----

_ZH_FILLER = "两国关系发展顺利，高层交往不断，各领域合作稳步推进"
TITLE = "《关于两国友好关系的联合声明》"


def _zh_chapter() -> str:
    # Calls before "。" at every position of a line, adjacent marks, and Latin words in
    # Chinese lines that justification used to stretch.
    paragraphs = [f"{_ZH_FILLER * 2}{'很' * shift}（Vali Akhundov）见《书名》（2005）。"
                  f"他说：“合作顺利”。{{cite}}`wp-en, lead`" for shift in range(40)]
    return "# 中文\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chinese")
    titled = data_table("titled", 16)
    for row in range(16):  # the title meets the end of the cell's line at some row
        titled = titled.replace(f'text.zh-Hans = "Row {row} of',
                                f'text.zh-Hans = "{"很" * (28 + row)}{TITLE}Row {row} of')
    table = "\n\n```{table} titled\n```\n"
    book = make_book(folder / "book", chapters={"zh": {
        "en": "# Chinese\n\nText.{cite}`wp-en, lead`\n" + table,
        "zh-Hans": _zh_chapter() + table}}, data={"titled": titled}, editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--format", "pdf", "--edition", "zh-Hans",
                     "--jobs", "1", "--out", folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "zh-Hans" / "fixture.pdf"


def test_chinese_adjacent_marks_are_compressed_and_spaces_not_stretched(chinese):
    with pdfplumber.open(chinese) as pdf:
        chars = [char for page in _chapter_pages(pdf) for char in page.chars
                 if char["size"] >= TEXT_SIZE]
    pairs = Counter()
    for char, following in zip(chars, chars[1:], strict=False):
        if abs(char["top"] - following["top"]) < 1:
            advance = (following["x0"] - char["x0"]) / char["size"]
            if char["text"] + following["text"] in ("）见", "）。", "》（", "”。"):
                pairs[char["text"] + following["text"], round(advance, 2)] += 1
    for char, _space, word in zip(chars, chars[1:], chars[2:], strict=False):
        if char["text"] + word["text"] == "iA" and abs(char["top"] - word["top"]) < 1:
            pairs["space", round((word["x0"] - char["x1"]) / char["size"], 1)] += 1
    # Justification adds a few hundredths of an em between the characters of a line
    # (builders/justify.py): half width reads 0.5 to 0.6 em, full width 1.0 to 1.1.
    widths = {pair: {"half" if advance < 0.75 else "full" for p, advance in pairs if p == pair}
              for pair in ("）。", "》（", "”。", "）见")}
    assert widths == {"）。": {"half"}, "》（": {"half"}, "”。": {"half"},  # the first mark
                      "）见": {"full"}}  # a mark alone keeps its full width
    # About a quarter em, plus the line's small inter-character spacing on either side: never
    # the one or two ems a space took when WeasyPrint justified at spaces alone.
    spaces = {advance for kind, advance in pairs if kind == "space"}
    assert spaces and spaces <= {0.2, 0.3, 0.4}


def test_a_chinese_call_never_starts_a_line(chinese):
    with pdfplumber.open(chinese) as pdf:
        lines = [line for page in _chapter_pages(pdf) for line in _body_lines(page)]
    assert len(lines) > 40
    assert not [line for line in lines if line[0]["size"] < CALL_SIZE or line[0]["text"] == "。"]


def test_a_title_in_a_chinese_table_cell_stays_on_one_line(chinese):
    with pdfplumber.open(chinese) as pdf:
        lines = [line for p in pdf.pages for line in (p.extract_text() or "").splitlines()]
    titled = [line for line in lines if "《关" in line or "明》" in line]
    assert len(titled) == 16  # one line with the whole title per row
    assert all(TITLE in line for line in titled)


def test_two_sided_folios_match_page_labels_and_blank_pages_are_empty(tmp_path):
    book = make_book(tmp_path / "book", chapters={"one": "# One\n\nA line.{cite}`wp-en, lead`\n",
                                                  "two": "# Two\n\nA line.{cite}`wp-en, lead`\n"},
                     editions=("en", "zh-Hans"), book="two_sided = true")
    result = run_cli("build", "--content", book, "--format", "pdf", "--edition", "en",
                     "--jobs", "1", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "out" / "en" / "fixture.pdf")
    texts = [page.extract_text().strip() for page in reader.pages]
    assert "" in texts  # a blank page before a right-hand opener
    labels = reader.page_labels
    assert labels.index("1") == next(i for i, text in enumerate(texts) if "CHAPTER 1" in text)
    for label, text in zip(labels, texts, strict=True):
        if text and label not in ("i", "ii"):
            assert text.splitlines()[-1].strip() == label


def test_capitalised_words_are_never_hyphenated(english):
    text = "\n".join(page.extract_text() for page in PdfReader(english).pages)
    hyphenated = re.findall(r"(\w+)\u2010\n", text)
    assert hyphenated, "no line of the fixture is hyphenated: it tests nothing"
    assert not [word for word in hyphenated if word[0].isupper()]


@pytest.mark.parametrize("cell, name", [
    ("全国人大常委会委员长栗战书", "栗战书"), ("国务委员兼外交部长王毅", "王毅"),
    ("总统盖达尔·阿利耶夫", "盖达尔·阿利耶夫"), ("副总理阿布塔利博夫", "阿布塔利博夫"),
    ("全國人大常委會委員長栗戰書", "栗戰書"), ("外交部長王毅", "王毅"),  # zh-Hant's titles
    ("總統伊利哈姆·阿利耶夫", "伊利哈姆·阿利耶夫"), ("總書記習近平", "習近平"),
])
def test_a_name_after_its_title_ends_a_chinese_cell_unbroken(cell, name):
    from azcn_book.typography import runs

    kept = [run.text for run in runs(cell, cjk=True, titles=True) if run.kind == "keep"]
    assert kept == [name]
    assert not [run for run in runs(cell, cjk=True) if run.kind == "keep"]  # prose: no rule


@pytest.mark.parametrize("text, cjk", [("见《中国－阿塞拜疆关系》。", True),
                                       ("Wikipedia (Chinese), “中國－阿塞拜疆關係”", False)])
def test_a_full_width_dash_between_names_never_begins_a_line(text, cjk):
    from azcn_book.typography import runs

    kept = [run.text for run in runs(text, cjk) if run.kind == "keep"]
    assert [run for run in kept if "－" in run] and all(len(run) == 3 for run in kept)


def test_a_note_call_after_a_figure_is_set_apart_from_it(tmp_path):
    # "表1¹¹" reads as 表111: a call right after a figure (a reference's number, a year) keeps
    # a little space; a call after a word does not.
    text = ("# One\n\nThe rows are in {ref}`calls`[^a]. They met in 1994[^b] and spoke at "
            "length[^c] there.\n\n```{table} calls\n```\n\n[^a]: A.\n\n[^b]: B.\n\n[^c]: C.\n")
    book = make_book(tmp_path / "book", chapters={"one": text},
                     data={"calls": data_table("calls", 3)}, editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--edition", "en",
                     "--format", "pdf", "--format", "html")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/en/fixture.html").read_text("utf-8")
    assert len(re.findall(r'class="noteref after-figure"', html)) == 2  # "Table 1", "1994"
    with pdfplumber.open(tmp_path / "out/en/fixture.pdf") as pdf:
        chars = next(page.chars for page in pdf.pages if "length" in (page.extract_text() or ""))
    body = [char for char in chars if char["top"] < chars[-1]["top"] - 50]  # not the notes
    gaps = {}
    for before, call in zip(body, body[1:], strict=False):
        if call["size"] < before["size"] * 0.8 and call["text"] in "123":
            gaps[call["text"]] = call["x0"] - before["x1"]
    # (In print the reference reads "Table 1 below", ending in a word: no space before ¹.)
    assert gaps["1"] < 0.5 and gaps["2"] > 1 and gaps["3"] < 0.5, gaps
