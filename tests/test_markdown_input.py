"""What the Markdown reader refuses: each case is a small book, checked as a user runs `check`."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from makebook import make_book, run_cli

# Two written editions, as every real book has; each message is expected in the English file.
EDITIONS = ("en", "zh-Hans")


def check_errors(folder: Path, markdown: str, **chapters: str) -> str:
    """Run `check` on a book whose chapter 'one' is `markdown`: it must fail cleanly."""
    make_book(folder, chapters={"one": markdown, **chapters}, editions=EDITIONS)
    result = run_cli("check", "--content", folder)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def pdfplumber_words(path: Path) -> list[dict]:
    """Every word of a PDF with its position, all pages."""
    with pdfplumber.open(path) as pdf:
        return [word for page in pdf.pages for word in page.extract_words()]


def error(line: int, message: str) -> str:
    return f"chapters/en/one.md:{line}: error: {message}\n"


TOO_DEEP = ("Markdown nested more than 16 levels deep (lists, quotes, emphasis) is not "
            "supported: markdown-it would drop what lies deeper")


def test_a_deep_blockquote_is_refused_not_dropped(tmp_path):
    err = check_errors(tmp_path, "# One\n\nAbove.\n\n" + "> " * 400 + "lost text\n")
    assert error(5, TOO_DEEP) in err


def test_a_deep_list_is_refused_at_the_line_that_goes_too_deep(tmp_path):
    items = "".join("  " * depth + f"- item {depth}\n" for depth in range(200))
    err = check_errors(tmp_path, "# One\n\n" + items)
    # Item n (line 3 + n) is 2n + 2 levels down (list, item per level); its paragraph, inline
    # and text add 3: item 6, on line 9, is the first whose text lies deeper than 16.
    assert error(9, TOO_DEEP) in err


def test_nesting_within_the_limit_is_accepted(tmp_path):
    make_book(tmp_path, chapters={"one": "# One\n\n" + "> " * 6 + "- *a **b***\n"},
              editions=EDITIONS)
    result = run_cli("check", "--content", tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_note_defined_twice_is_reported_in_its_own_file(tmp_path):
    err = check_errors(tmp_path, "# One\n\nText.[^x]\n\n[^x]: First.\n\n[^x]: Second.\n")
    assert error(7, "note [^x] is defined twice, at lines 5 and 7") in err
    assert "is missing here" not in err and " notes here " not in err


def test_a_note_holds_paragraphs_only(tmp_path):
    err = check_errors(tmp_path, "# One\n\nText.[^x]\n\n[^x]: A note.\n\n    - a list\n")
    assert error(7, "note [^x] may hold paragraphs only, not 'bullet_list'") in err


def test_section_ids_follow_the_one_id_rule(tmp_path):
    err = check_errors(tmp_path, "# One\n\n{#Trade_2006}\n## Trade\n\nText.\n")
    assert error(4, "section id 'Trade_2006' must be lower-case letters, digits and hyphens "
                    "([a-z0-9][a-z0-9-]*)") in err


def test_section_ids_the_book_uses_itself_are_refused(tmp_path):
    # page-3 would be a second element with the id of the EPUB's marker of print page 3.
    err = check_errors(tmp_path, "# One\n\n{#page-3}\n## Trade\n\n{#sources}\n## Sources\n")
    taken = "is one the book gives to a part of its own; choose another (reserved: book-id, "
    assert error(4, f"section id 'page-3' {taken}")[:-1] in err
    assert error(7, f"section id 'sources' {taken}")[:-1] in err


def test_file_links_are_refused_in_every_form(tmp_path):
    err = check_errors(tmp_path, "# One\n\n[inline](file:///etc/passwd)\n\n<file:///etc/hosts>\n\n"
                       "[reference][r]\n\n[r]: file:///etc/shadow\n")
    refused = "links must be web addresses (http, https, mailto) or a #fragment of this book"
    assert error(3, f"{refused}: 'file:///etc/passwd'") in err
    assert error(5, f"{refused}: 'file:///etc/hosts'") in err
    assert error(7, f"{refused}: 'file:///etc/shadow'") in err  # where it is used
    assert error(9, f"{refused}: 'file:///etc/shadow'") in err  # where it is defined


def test_an_unused_link_definition_is_checked_too(tmp_path):
    err = check_errors(tmp_path, "# One\n\nText.\n\n[unused]: file:///etc/passwd\n")
    assert error(5, "links must be web addresses (http, https, mailto) or a #fragment of this "
                    "book: 'file:///etc/passwd'") in err


def test_relative_and_script_links_are_refused(tmp_path):
    err = check_errors(tmp_path, "# One\n\n[a](../book.toml) and\n[b](javascript:alert(1))\n")
    assert error(3, "links must be web addresses (http, https, mailto) or a #fragment of this "
                    "book: '../book.toml'") in err
    assert error(4, "links must be web addresses (http, https, mailto) or a #fragment of this "
                    "book: 'javascript:alert(1)'") in err


def test_an_autolink_that_is_not_a_valid_url(tmp_path):
    # Each is one EPUBCheck reports as RSC-020 ("not a valid URL") if it gets through.
    err = check_errors(tmp_path, "# One\n\nSee <http://../> or\n<mailto:nobody>,\n"
                       "<http://example.com:99999/> and <http://[1::2::3]/>.\n")
    assert error(3, "'http://../' is not a valid web address") in err
    assert error(4, "'mailto:nobody' is not a valid web address") in err
    assert error(5, "'http://example.com:99999/' is not a valid web address") in err
    assert error(5, "'http://[1::2::3]/' is not a valid web address") in err


def test_a_fragment_link_must_name_a_part_of_the_book(tmp_path):
    err = check_errors(tmp_path, "# One\n\nSee [the trade](#trade) and [two](#two-later).\n",
                       two="# Two\n\n{#two-later}\n## Later\n\nText.\n")
    assert error(3, "link to '#trade': no chapter, section, table or figure of the book has "
                    "this id") in err
    assert "#two-later" not in err


def test_fragment_links_to_sections_chapters_and_web_addresses_pass(tmp_path):
    chapter = ("# One\n\nSee [later](#later), [two](#chapter-two), <https://example.org/a?b=1>, "
               "[mail](mailto:a@example.org).\n\n{#later}\n## Later\n\nText.\n")
    make_book(tmp_path, chapters={"one": chapter, "two": "# Two\n\nText.\n"}, editions=EDITIONS)
    result = run_cli("check", "--content", tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_link_cannot_hold_a_reference_or_a_citation(tmp_path):
    # Both are links themselves; XHTML (and EPUBCheck, RSC-005) forbids a link in a link.
    err = check_errors(tmp_path, "# One\n\n{#sec}\n## Sec\n\n[see {ref}`sec`](https://example.org)\n"
                       "[c{cite}`wp-en`](https://example.org/3)\n")
    assert error(6, "a link's text cannot hold a {ref}: put it after the link") in err
    assert error(7, "a link's text cannot hold a {cite}: put it after the link") in err


def test_the_chapter_title_takes_no_attributes(tmp_path):
    err = check_errors(tmp_path, "{#intro}\n# One\n\nText.\n")
    assert error(2, "the chapter title takes no '{...}' line: the chapter's id is its file "
                    "name") in err


def test_attributes_the_book_does_not_draw_are_refused(tmp_path):
    err = check_errors(tmp_path, "# One\n\n{#intro}\nA paragraph.\n\n{#s .wide}\n## S\n\n"
                       "```{table} trade\nlost text\n```\n")
    assert error(4, "attributes (id) are not drawn here: the book takes only '{#id}' on the "
                    "line above a '##' or '###' heading") in err
    assert error(7, "attributes (class) are not drawn here")[:-1] in err
    assert error(9, "a '```{table}' block holds nothing: write its text after the closing "
                    "'```'") in err


def test_an_ordered_list_keeps_its_first_number_and_a_table_its_alignment(tmp_path):
    chapter = ("# One\n\n7. seventh point\n8. eighth point\n\n| Item | Amount |\n| --- | ---: |\n"
               "| tea | 12 |\n")
    book = make_book(tmp_path / "book", chapters={"one": chapter}, editions=EDITIONS)
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--edition", "en",
                     "--jobs", "1")
    assert result.returncode == 0, result.stderr
    words = pdfplumber_words(tmp_path / "out/en/fixture.pdf")
    texts = [word["text"] for word in words]
    assert texts[texts.index("seventh") - 1] == "7." and texts[texts.index("eighth") - 1] == "8."
    where = {word["text"]: word for word in words}
    assert where["12"]["x1"] == pytest.approx(where["Amount"]["x1"], abs=1)  # right-aligned
