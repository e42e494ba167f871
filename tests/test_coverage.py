"""Characters no face of the book can draw, and bidi controls, are refused with file:line."""

from __future__ import annotations

import json
from pathlib import Path

from makebook import make_book, run_cli

EDITIONS = ("en", "zh-Hans")
HIEROGLYPH = "\U00013000"  # EGYPTIAN HIEROGLYPH A001: no Noto face of the templates has it
SHAKING_FACE = "\U0001fae8"  # an emoji of Unicode 15, newer than every face installed
NO_FONT = "no font of the book has the character"
BIDI = "is not allowed: it reorders the text around it"

VISITS = """id = "visits"
caption.en = "Visits"
caption.zh-Hans = "访问"

[[columns]]
key = "visitor"
type = "text"
label.en = "Visitor"
label.zh-Hans = "访问者"

[[rows]]
id = "first"
visitor.en = "{visitor}"
visitor.zh-Hans = "总统"
"""
PLACED = "# One\n\nText.{cite}`wp-en, History`\n\n```{table} visits\n```\n"


def failing_check(folder: Path) -> str:
    result = run_cli("check", "--content", folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_a_character_no_font_has_in_a_chapter(tmp_path):
    make_book(tmp_path, chapters={"one": f"# One\n\nA sign: {HIEROGLYPH}.\n"}, editions=EDITIONS)
    err = failing_check(tmp_path)
    assert (f"chapters/en/one.md:3: error: {NO_FONT} '{HIEROGLYPH}' "
            "(U+13000 EGYPTIAN HIEROGLYPH A001)\n") in err


def test_a_character_no_font_has_in_a_data_value_even_escaped(tmp_path):
    data = VISITS.format(visitor=f"Mr {SHAKING_FACE}")
    make_book(tmp_path, chapters={"one": PLACED}, data={"visits": data}, editions=EDITIONS)
    err = failing_check(tmp_path)
    assert f"data/visits.toml:13: error: {NO_FONT} '{SHAKING_FACE}' (U+1FAE8" in err
    # The same character written as a TOML escape is found too.
    escaped = VISITS.format(visitor="Mr \\U0001FAE8")
    make_book(tmp_path, chapters={"one": PLACED}, data={"visits": escaped}, editions=EDITIONS)
    assert f"data/visits.toml:13: error: {NO_FONT} '{SHAKING_FACE}' (U+1FAE8" in failing_check(
        tmp_path)


def test_a_character_no_font_has_in_the_bibliography(tmp_path):
    make_book(tmp_path, editions=EDITIONS)
    path = tmp_path / "bibliography.json"
    entries = json.loads(path.read_text("utf-8"))
    entries[0]["title"] += " \U00013000"
    path.write_text(json.dumps(entries, indent=2), "utf-8")  # ensure_ascii: an escaped pair
    line = next(number for number, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if "\\ud80c\\udc00" in text)
    assert f"bibliography.json:{line}: error: {NO_FONT} '{HIEROGLYPH}'" in failing_check(tmp_path)


def test_the_book_s_own_scripts_pass(tmp_path):
    text = "# One\n\nBakı, Çin, Əliyev — «quoted» 1–2 €5; 中国与阿塞拜疆；中國與亞塞拜然。\n"
    make_book(tmp_path, chapters={"one": text}, editions=EDITIONS)
    result = run_cli("check", "--content", tmp_path)
    assert result.returncode == 0, result.stderr


def test_bidi_controls_are_refused_in_chapters_and_data(tmp_path):
    chapter = "# One\n\nPaid \u202e01$ not 10$.\n\n```{table} visits\n```\n"
    data = VISITS.format(visitor="\u2067President")
    make_book(tmp_path, chapters={"one": chapter}, data={"visits": data}, editions=EDITIONS)
    err = failing_check(tmp_path)
    assert f"chapters/en/one.md:3: error: bidi control U+202E RIGHT-TO-LEFT OVERRIDE {BIDI}" in err
    assert f"data/visits.toml:13: error: bidi control U+2067 RIGHT-TO-LEFT ISOLATE {BIDI}" in err


def test_build_refuses_them_too_and_writes_nothing(tmp_path):
    book = make_book(tmp_path / "book", chapters={"one": f"# One\n\n{HIEROGLYPH}\n"},
                     editions=EDITIONS)
    out = tmp_path / "out"
    result = run_cli("build", "--content", book, "--out", out, "--format", "html",
                     "--edition", "en", "--jobs", "1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"chapters/en/one.md:3: error: {NO_FONT} '{HIEROGLYPH}'" in result.stderr
    assert not list(out.rglob("*.html"))


def test_controls_and_private_use_are_refused_once_in_any_file(tmp_path):
    chapter = PLACED.replace("Text.", "Text \ue000.")
    data = VISITS.format(visitor="a\\u0007b")  # a TOML escape: XML cannot carry U+0007
    make_book(tmp_path, chapters={"one": chapter}, data={"visits": data}, editions=EDITIONS)
    err = failing_check(tmp_path)
    assert "data/visits.toml:13: error: unsupported character U+0007\n" in err
    assert "chapters/en/one.md:3: error: unsupported character U+E000\n" in err
    assert err.count("chapters/en/one.md:3: error:") == 1


def test_control_escapes_of_toml_are_found_and_an_escaped_backslash_is_not_one(tmp_path):
    data = VISITS.format(visitor="x\\by")  # TOML's \b is U+0008
    make_book(tmp_path, chapters={"one": PLACED}, data={"visits": data}, editions=EDITIONS)
    assert "data/visits.toml:13: error: unsupported character U+0008\n" in failing_check(tmp_path)
    data = VISITS.format(visitor="C:\\\\bin")  # an escaped backslash, then the letter b
    make_book(tmp_path, chapters={"one": PLACED}, data={"visits": data}, editions=EDITIONS)
    result = run_cli("check", "--content", tmp_path)
    assert result.returncode == 0, result.stderr
