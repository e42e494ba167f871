"""Bad input ends in one clear message naming file and line, a non-zero exit, and no output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from azcn_book.cli import main


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_book_as_committed_has_no_problems(capsys):
    assert run(capsys, "check") == (0, "")


def test_missing_note_definition(content_copy, capsys):
    chapter = content_copy / "chapters/en/history.md"
    definition = next(line for line in chapter.read_text("utf-8").splitlines()
                      if line.startswith("[^"))
    label = definition[2:definition.index("]")]
    call_line = line_of(chapter, f"[^{label}]")
    replace(chapter, definition, "")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert f"history.md:{call_line}: error: note [^{label}] is called but not defined" in err


def test_unknown_citation_key(content_copy, capsys):
    chapter = content_copy / "chapters/zh-Hans/economy.md"
    line = line_of(chapter, "{cite}`wp-zh")
    replace(chapter, "{cite}`wp-zh", "{cite}`wp-xx")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert f"economy.md:{line}: error: unknown citation key 'wp-xx'" in err


def test_malformed_data_row(content_copy, capsys):
    table = content_copy / "data/trade.toml"
    line = line_of(table, "total = 368")
    replace(table, "total = 368_000_000", 'total = "368 million"')
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert f"trade.toml:{line}: error: 'total' must be a number" in err


def test_toml_syntax_error_names_its_line(content_copy, capsys):
    table = content_copy / "data/visits.toml"
    replace(table, 'key = "date"', 'key = "date')
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert re.search(r"visits\.toml:\d+: error: TOML syntax", err)


def test_unknown_key_in_manifest(content_copy, capsys):
    manifest = content_copy / "book.toml"
    replace(manifest, "two_sided = false", "two_side = false")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert f"book.toml:{line_of(manifest, 'two_side')}: error: unknown key 'two_side'" in err


def test_missing_translation_in_data(content_copy, capsys):
    table = content_copy / "data/military-aid.toml"
    line = line_of(table, "caption.zh-Hans")
    replace(table, "caption.zh-Hans", "caption.fr")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert f"military-aid.toml:{line}: error: unknown edition 'fr'" in err
    assert "missing translation: 'zh-Hans'" in err


def test_unknown_fact_and_unsupported_character(content_copy, capsys):
    chapter = content_copy / "chapters/en/economy.md"
    line = line_of(chapter, "{fact}`trade.2006.total`")
    replace(chapter, "{fact}`trade.2006.total`", "{fact}`trade.2007.total`\x07")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert f"economy.md:{line}: error: fact 'trade.2007.total': table 'trade' has no row" in err
    assert f"economy.md:{line}: error: unsupported character U+0007" in err


def test_local_links_are_refused(content_copy, capsys):
    chapter = content_copy / "chapters/en/medical.md"
    replace(chapter, "\n\n", "\n\nSee [the key](../../../etc/passwd).\n\n")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    assert "medical.md:3: error: links must be web addresses" in err


def test_sections_must_be_parallel(content_copy, capsys):
    chapter = content_copy / "chapters/zh-Hans/positions.md"
    replace(chapter, "{#taiwan}", "{#taiwan-question}")
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1
    heading = line_of(chapter, "taiwan-question") + 1
    assert (f"zh-Hans/positions.md:{heading}: error: section 'taiwan-question' is not in "
            "en/positions.md") in err
    assert "section 'taiwan' of en/positions.md:4 is missing here" in err


def test_failed_build_writes_nothing(content_copy, tmp_path, capsys):
    replace(content_copy / "chapters/en/overview.md", "{cite}`wp-en", "{cite}`nowhere")
    out = tmp_path / "out"
    code, err = run(capsys, "build", "--content", str(content_copy), "--out", str(out))
    assert code == 1 and "unknown citation key 'nowhere'" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*.pdf"))


@pytest.mark.parametrize("garbage", [b"\xff\xfe not utf-8", b"[book\n"])
def test_unreadable_manifest(content_copy, capsys, garbage):
    (content_copy / "book.toml").write_bytes(garbage)
    code, err = run(capsys, "check", "--content", str(content_copy))
    assert code == 1 and "book.toml:1: error:" in err
