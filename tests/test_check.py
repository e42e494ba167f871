"""Bad input ends in one clear message naming file and line, a non-zero exit, and no output.

The command runs in a subprocess, as a user meets it: a traceback would show in its stderr
(in-process, an exception would end the test before any assertion on the output could fail).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from makebook import ROOT, run_cli


def run(*args: str) -> tuple[int, str]:
    result = run_cli(*args, cwd=ROOT)
    return result.returncode, result.stderr


def check_fails(content: Path) -> str:
    """Run `azcn-book check` on a damaged book: it must fail cleanly; return what it said."""
    code, err = run("check", "--content", str(content))
    assert code == 1 and "Traceback" not in err, err
    return err


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_book_as_committed_has_no_problems():
    assert run("check") == (0, "")


def test_missing_note_definition(content_copy):
    chapter = content_copy / "chapters/en/history.md"
    definition = next(line for line in chapter.read_text("utf-8").splitlines()
                      if line.startswith("[^"))
    label = definition[2:definition.index("]")]
    call_line = line_of(chapter, f"[^{label}]")
    replace(chapter, definition, "")
    err = check_fails(content_copy)
    assert f"history.md:{call_line}: error: note [^{label}] is called but not defined" in err


# One edit of the book, and the messages it must produce; {line} is the line where `locate`
# stood before the edit.
EDITS = {
    "unknown citation key": ("chapters/zh-Hans/economy.md", "{cite}`wp-zh", "{cite}`wp-xx",
                             "{cite}`wp-zh",
                             ["economy.md:{line}: error: unknown citation key 'wp-xx'"]),
    "malformed data row": ("data/trade.toml", "total = 368_000_000", 'total = "368 million"',
                           "total = 368", ["trade.toml:{line}: error: 'total' must be a number"]),
    "unknown manifest key": ("book.toml", "two_sided = false", "two_side = false", "two_sided",
                             ["book.toml:{line}: error: unknown key 'two_side'"]),
    "missing translation": ("data/military-aid.toml", "caption.zh-Hans", "caption.fr",
                            "caption.zh-Hans",
                            ["military-aid.toml:{line}: error: unknown edition 'fr'",
                             "missing translation: 'zh-Hans'"]),
    "unknown fact, unsupported character": (
        "chapters/en/economy.md", "{fact}`trade.2006.total`", "{fact}`trade.2007.total`\x07",
        "{fact}`trade.2006.total`",
        ["economy.md:{line}: error: fact 'trade.2007.total': table 'trade' has no row",
         "economy.md:{line}: error: unsupported character U+0007"]),
}


@pytest.mark.parametrize("case", EDITS)
def test_bad_input_is_reported_at_its_line(content_copy, case):
    name, old, new, locate, expected = EDITS[case]
    path = content_copy / name
    line = line_of(path, locate)
    replace(path, old, new)
    err = check_fails(content_copy)
    for message in expected:
        assert message.format(line=line) in err


def test_toml_syntax_error_names_its_line(content_copy):
    replace(content_copy / "data/visits.toml", 'key = "date"', 'key = "date')
    assert re.search(r"visits\.toml:\d+: error: TOML syntax", check_fails(content_copy))


def test_local_links_are_refused(content_copy):
    chapter = content_copy / "chapters/en/medical.md"
    replace(chapter, "\n\n", "\n\nSee [the key](../../../etc/passwd).\n\n")
    err = check_fails(content_copy)
    assert "medical.md:3: error: links must be web addresses" in err


def test_sections_must_be_parallel(content_copy):
    chapter = content_copy / "chapters/zh-Hans/positions.md"
    replace(chapter, "{#taiwan}", "{#taiwan-question}")
    err = check_fails(content_copy)
    heading = line_of(chapter, "taiwan-question") + 1
    assert (f"zh-Hans/positions.md:{heading}: error: section 'taiwan-question' is not in "
            "en/positions.md") in err
    assert "section 'taiwan' of en/positions.md:4 is missing here" in err


def test_failed_build_writes_nothing(content_copy, tmp_path):
    replace(content_copy / "chapters/en/overview.md", "{cite}`wp-en", "{cite}`nowhere")
    out = tmp_path / "out"
    code, err = run("build", "--content", str(content_copy), "--out", str(out))
    assert code == 1 and "unknown citation key 'nowhere'" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*.pdf"))


@pytest.mark.parametrize("garbage", [b"\xff\xfe not utf-8", b"[book\n"])
def test_unreadable_manifest(content_copy, garbage):
    (content_copy / "book.toml").write_bytes(garbage)
    assert "book.toml:1: error:" in check_fails(content_copy)
