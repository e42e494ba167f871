"""Drift between the written editions is reported with both locations."""

from __future__ import annotations

from azcn_book.cli import main
from makebook import make_book, run_cli
from test_check import check_fails, line_of, replace


def test_missing_section_names_both_files(economy_book):
    chapter = economy_book / "chapters/zh-Hans/economy.md"
    english = economy_book / "chapters/en/economy.md"
    heading = chapter.read_text("utf-8").splitlines()[line_of(chapter, "{#trade}")]
    replace(chapter, "{#trade}\n" + heading + "\n", "")
    err = check_fails(economy_book)
    en_line = line_of(english, "{#trade}") + 1
    assert (f"zh-Hans/economy.md:1: error: section 'trade' of en/economy.md:{en_line} is "
            "missing here") in err


def test_figure_typed_in_one_edition_is_drift(economy_book):
    chapter = economy_book / "chapters/zh-Hans/economy.md"
    line = line_of(chapter, "{fact}`trade.2006.total`")
    en_line = line_of(economy_book / "chapters/en/economy.md", "{fact}`trade.2006.total`")
    replace(chapter, "{fact}`trade.2006.total`", "3.68亿美元")
    err = check_fails(economy_book)
    assert (f"zh-Hans/economy.md:{line}: error: figure 3.68 is typed here but not in "
            f"en/economy.md (same paragraph there: line {en_line})") in err


def test_dropped_footnote_names_both_sides(economy_book):
    chapter = economy_book / "chapters/zh-Hans/economy.md"
    english = economy_book / "chapters/en/economy.md"
    definition = line_of(chapter, "[^remark]:")
    lines = chapter.read_text("utf-8").splitlines()
    del lines[definition - 1]
    chapter.write_text("\n".join(lines).replace("[^remark]", "") + "\n", "utf-8")
    err = check_fails(economy_book)
    en_note = line_of(english, "[^remark]:")
    assert f"0 notes here (lines none), 1 in en/economy.md (lines {en_note})" in err
    assert "zh-Hans/economy.md" in err


def test_the_editions_are_parallel_as_committed():
    assert main(["check"]) == 0


def test_figure_missing_in_one_edition(economy_book):
    chapter = economy_book / "chapters/en/economy.md"
    replace(chapter, "```{figure} trade-chart\n```\n", "")
    err = check_fails(economy_book)
    zh = economy_book / "chapters/zh-Hans/economy.md"
    assert (f"zh-Hans/economy.md:{line_of(zh, '{figure} trade-chart')}: error: figure "
            "'trade-chart' is not in en/economy.md") in err


def test_a_missing_chapter_file_is_one_message_not_a_cascade(tmp_path):
    chapter = "# {name}\n\n{{#{name}-part}}\n## Part\n\nText {number}.{{cite}}`wp-en, History`\n"
    chapters = {name: chapter.format(name=name, number=number)
                for number, name in enumerate(["one", "two", "three", "four"])}
    make_book(tmp_path, chapters=chapters, editions=("en", "zh-Hans"))
    (tmp_path / "chapters/zh-Hans/two.md").unlink()
    result = run_cli("check", "--content", ".", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = result.stderr.splitlines()[:-1]
    assert problems == ["chapters/zh-Hans/two.md: error: file not found"]
