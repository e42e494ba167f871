"""Characters the book may not hold: those no face of the templates can draw, bidi controls,
and controls and private-use characters.

WeasyPrint draws a character no font has as an empty box (.notdef) without a word, so every
character of every text file of the book (chapters, data, manifest, bibliography) is looked up
in the cmaps of the faces `print.css` names. Each face's cmap is read once per process.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import uharfbuzz

from azcn_book.builders.fonts import locate
from azcn_book.config import BookConfig
from azcn_book.errors import BookError, Problems
from azcn_book.names import inside
from azcn_book.readers.tomlfile import read_text
from azcn_book.render import templates_dir

# Bidi embeddings, overrides and isolates, and the invisible direction marks. Refused outright,
# the simplest safe rule: an unbalanced or overriding control in a data value or a paragraph
# reorders the text that follows it (in tables, notes and running heads where the value is
# placed), and none of the book's languages needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
# Characters no edition can typeset, in any file: controls (XML forbids most of them),
# private use, surrogates, non-characters.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufffe\uffff]")
# Format characters, controls and variation selectors need no glyph of their own (Pango
# handles them); controls are refused by the Markdown reader for its own reasons.
_NO_GLYPH_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")
_QUOTED = re.compile(r"\"([^\"]+)\"")
# TOML and JSON may write any character as an escape: \uXXXX (JSON pairs surrogates),
# \UXXXXXXXX (TOML), and the controls \b and \f. Any other escape (\\ too) is matched whole
# so that the character after it is not taken for the start of an escape.
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))")
_CONTROL_ESCAPES = {"b": "\b", "f": "\f"}


def check_characters(config: BookConfig, problems: Problems) -> None:
    """Report every unsupported character, bidi control and character no face of the book has,
    by file:line."""
    for path in book_text_files(config):
        try:
            text = read_text(path, config.root)
        except BookError:
            continue  # the reader of that file reports it
        unescape = path.suffix in (".toml", ".json")
        for number, line in enumerate(text.splitlines(), start=1):
            for message in line_problems(_unescaped(line) if unescape else line):
                problems.add(message, path, number)


def book_text_files(config: BookConfig, chapter_folders: list[str] | None = None) -> list[Path]:
    """Every text file the build reads: manifest, bibliography, data, and the chapters of
    `chapter_folders` (default: every written edition's)."""
    root = config.root
    written = [edition for edition, settings in config.editions.items()
               if not settings.derive_from]
    files = [config.manifest, root / "bibliography.json", *sorted((root / "data").glob("*.toml"))]
    for folder in written if chapter_folders is None else chapter_folders:
        files += [root / "chapters" / folder / f"{chapter}.md" for chapter in config.chapters]
    return [path for path in files if path.is_file() and inside(root, path)]


def line_problems(line: str) -> list[str]:
    """One message per distinct offending character of a line, in order of appearance."""
    messages = []
    for char in dict.fromkeys(line):
        if _UNPRINTABLE.match(char):
            messages.append(f"unsupported character U+{ord(char):04X}")
        elif char in BIDI_CONTROLS:
            messages.append(f"bidi control {_name(char)} is not allowed: it reorders the text "
                            "around it")
        elif not _needs_no_glyph(char) and ord(char) not in covered():
            messages.append(f"no font of the book has the character '{char}' ({_name(char)})")
    return messages


def _needs_no_glyph(char: str) -> bool:
    category = unicodedata.category(char)
    return category in _NO_GLYPH_CATEGORIES or category == "Mn" and _is_variation_selector(char)


def _is_variation_selector(char: str) -> bool:
    return "VARIATION SELECTOR" in unicodedata.name(char, "")


def _name(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


@cache
def covered() -> frozenset[int]:
    """The code points some face named in print.css can draw (read once per process)."""
    return frozenset().union(*(_cmap(family) for family in template_families()))


def template_families() -> list[str]:
    """Every family print.css names in a font-family stack, in order ('serif' and the other
    generic names are left out: they are whatever fontconfig picks on the machine)."""
    css = (templates_dir() / "print.css").read_text("utf-8")
    stacks = _FONT_FAMILY.findall(css)
    return list(dict.fromkeys(name for stack in stacks for name in _QUOTED.findall(stack)))


@cache
def _cmap(family: str) -> frozenset[int]:
    path, index = locate(family)
    # HarfBuzz reads the cmap of a 20 MB CJK collection in a millisecond (fontTools: 0.15 s).
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)), index)
    return frozenset(face.unicodes)


def _unescaped(line: str) -> str:
    """A TOML or JSON line with its \\u escapes turned into the characters they stand for."""
    decoded = _ESCAPE.sub(_escaped_char, line)
    # JSON writes a character beyond U+FFFF as two escaped surrogates: pair them up.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _escaped_char(found: re.Match) -> str:
    if found.group(3) is not None:
        return _CONTROL_ESCAPES.get(found.group(3), found.group())
    code = int(found.group(1) or found.group(2), 16)
    return chr(code) if code <= 0x10FFFF else found.group()
