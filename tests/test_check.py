"""Bad input ends in one clear message naming file and line, a non-zero exit, and no output.

The command runs in a subprocess, as a user meets it: a traceback would show in its stderr
(in-process, an exception would end the test before any assertion on the output could fail).
"""

from __future__ import annotations

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


def test_the_fixture_book_has_no_problems(economy_book):
    assert run("check", "--content", str(economy_book)) == (0, "")


def test_missing_note_definition(economy_book):
    chapter = economy_book / "chapters/en/economy.md"
    call_line = line_of(chapter, "[^remark]{cite}")
    replace(chapter, "[^remark]: The articles agree.{cite}`wp-en, History`", "")
    err = check_fails(economy_book)
    assert f"economy.md:{call_line}: error: note [^remark] is called but not defined" in err


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
    "missing translation": ("data/trade.toml", "caption.zh-Hans", "caption.fr",
                            "caption.zh-Hans",
                            ["trade.toml:{line}: error: unknown edition 'fr'",
                             "missing translation: 'zh-Hans'"]),
    "unknown fact, unsupported character": (
        "chapters/en/economy.md", "{fact}`trade.2006.total`", "{fact}`trade.2007.total`\x07",
        "{fact}`trade.2006.total`",
        ["economy.md:{line}: error: fact 'trade.2007.total': table 'trade' has no row",
         "economy.md:{line}: error: unsupported character U+0007"]),
}


@pytest.mark.parametrize("case", EDITS)
def test_bad_input_is_reported_at_its_line(economy_book, case):
    name, old, new, locate, expected = EDITS[case]
    path = economy_book / name
    line = line_of(path, locate)
    replace(path, old, new)
    err = check_fails(economy_book)
    for message in expected:
        assert message.format(line=line) in err


def test_toml_syntax_error_names_its_line(economy_book):
    path = economy_book / "data/trade.toml"
    replace(path, 'key = "total"', 'key = "total')
    assert f"trade.toml:{line_of(path, 'key = ' + chr(34) + 'total')}: error: TOML syntax" in (
        check_fails(economy_book))


def test_local_links_are_refused(economy_book):
    chapter = economy_book / "chapters/en/economy.md"
    replace(chapter, "\n\n", "\n\nSee [the key](../../../etc/passwd).\n\n")
    err = check_fails(economy_book)
    assert "economy.md:3: error: links must be web addresses" in err


def test_sections_must_be_parallel(economy_book):
    chapter = economy_book / "chapters/zh-Hans/economy.md"
    replace(chapter, "{#later}", "{#afterwards}")
    err = check_fails(economy_book)
    heading = line_of(chapter, "afterwards") + 1
    english = line_of(economy_book / "chapters/en/economy.md", "{#later}") + 1
    assert (f"zh-Hans/economy.md:{heading}: error: section 'afterwards' is not in "
            "en/economy.md") in err
    assert f"section 'later' of en/economy.md:{english} is missing here" in err


def test_failed_build_writes_nothing(economy_book, tmp_path):
    replace(economy_book / "chapters/en/economy.md", "{cite}`wp-en", "{cite}`nowhere")
    out = tmp_path / "out"
    code, err = run("build", "--content", str(economy_book), "--out", str(out))
    assert code == 1 and "unknown citation key 'nowhere'" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*.pdf"))


@pytest.mark.parametrize("garbage", [b"\xff\xfe not utf-8", b"[book\n"])
def test_unreadable_manifest(economy_book, garbage):
    (economy_book / "book.toml").write_bytes(garbage)
    assert "book.toml:1: error:" in check_fails(economy_book)
