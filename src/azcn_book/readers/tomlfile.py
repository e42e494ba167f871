"""TOML files that remember where each key was written, so errors can name the line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azcn_book.errors import BookError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")
_DECODE_LINE = re.compile(r"at line (\d+)")


@dataclass
class TomlFile:
    """A parsed TOML file with its text, for locating keys."""

    path: Path
    data: dict[str, Any]
    key_lines: dict[tuple[str, ...], int]

    def line_of(self, *keypath: str | int) -> int | None:
        """Return the line where `keypath` (or the nearest enclosing table) is written."""
        wanted = tuple(str(part) for part in keypath)
        while wanted:
            if wanted in self.key_lines:
                return self.key_lines[wanted]
            wanted = wanted[:-1]
        return None


def read_text(path: Path) -> str:
    """Read a UTF-8 file of the book, turning any failure into a located error."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BookError.at("file not found", path) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise BookError.at("not valid UTF-8 text", path, line) from None
    except OSError as error:
        raise BookError.at(f"cannot read: {error.strerror}", path) from None


def load_toml(path: Path) -> TomlFile:
    """Parse a TOML file; a syntax error becomes a BookError with its line."""
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _DECODE_LINE.search(str(error))
        line = int(found.group(1)) if found else None
        message = _DECODE_LINE.sub("", str(error)).rstrip(" ()")
        raise BookError.at(f"TOML syntax: {message}", path, line) from None
    return TomlFile(path, data, _index_key_lines(text))


def _index_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path to the line that first writes it (arrays of tables get indexes)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    array_counts: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(line):
            table = _split_key(header.group(2))
            if header.group(1) == "[[":
                index = array_counts.get(table, 0)
                array_counts[table] = index + 1
                table = (*table, str(index))
            lines.setdefault(table, number)
        elif key := _KEY.match(line):
            path = table
            for part in _split_key(key.group(1)):
                path = (*path, part)
                lines.setdefault(path, number)
    return lines


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))
