"""Drift between the written editions is reported with both locations."""

from __future__ import annotations

from azcn_book.cli import main
from makebook import make_book, run_cli
from test_check import check_fails, line_of, replace


def test_missing_section_names_both_files(content_copy, capsys):
    chapter = content_copy / "chapters/zh-Hans/economy.md"
    english = content_copy / "chapters/en/economy.md"
    heading = chapter.read_text("utf-8").splitlines()[line_of(chapter, "{#belt-and-road}")]
    replace(chapter, "{#belt-and-road}\n" + heading + "\n", "")
    err = check_fails(content_copy)
    en_line = line_of(english, "{#belt-and-road}") + 1
    zh_line = line_of(chapter, "{#energy-and-business}") + 1
    assert (f"zh-Hans/economy.md:{zh_line}: error: section 'belt-and-road' of "
            f"en/economy.md:{en_line} is missing here") in err


def test_figure_typed_in_one_edition_is_drift(content_copy, capsys):
    chapter = content_copy / "chapters/zh-Hans/economy.md"
    line = line_of(chapter, "{fact}`trade.2006.total`")
    en_line = line_of(content_copy / "chapters/en/economy.md", "{fact}`trade.2006.total`")
    replace(chapter, "{fact}`trade.2006.total`", "3.68亿美元")
    err = check_fails(content_copy)
    assert (f"zh-Hans/economy.md:{line}: error: figure 3.68 is typed here but not in "
            f"en/economy.md (same paragraph there: line {en_line})") in err


def test_dropped_footnote_names_both_sides(content_copy, capsys):
    chapter = content_copy / "chapters/zh-Hans/economy.md"
    english = content_copy / "chapters/en/economy.md"
    definition = line_of(chapter, "[^companies]:")
    lines = chapter.read_text("utf-8").splitlines()
    del lines[definition - 1]
    chapter.write_text("\n".join(lines).replace("[^companies]", "") + "\n", "utf-8")
    err = check_fails(content_copy)
    en_note = line_of(english, "[^companies]:")
    assert f"0 notes here (lines none), 1 in en/economy.md (lines {en_note})" in err
    assert "zh-Hans/economy.md" in err


def test_the_editions_are_parallel_as_committed():
    assert main(["check"]) == 0


def test_figure_missing_in_one_edition(content_copy, capsys):
    chapter = content_copy / "chapters/en/economy.md"
    replace(chapter, "```{figure} trade-chart\n```\n", "")
    err = check_fails(content_copy)
    zh = content_copy / "chapters/zh-Hans/economy.md"
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
