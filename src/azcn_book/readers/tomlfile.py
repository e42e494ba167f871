"""TOML files that remember where each key was written, so errors can name the line."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azcn_book.errors import BookError
from azcn_book.names import inside

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")
_KEY_PART = re.compile(r"\"[^\"]*\"|'[^']*'|[^.\s]+")
_DECODE_LINE = re.compile(r"at line (\d+)")


@dataclass
class TomlFile:
    """A parsed TOML file with its text, for locating keys."""

    path: Path
    data: dict[str, Any]
    key_lines: dict[tuple[str, ...], int]
    lines: list[str] = field(default_factory=list)

    def line_of(self, *keypath: str | int) -> int | None:
        """Return the line where `keypath` (or the nearest enclosing table) is written."""
        wanted = tuple(str(part) for part in keypath)
        while wanted:
            if wanted in self.key_lines:
                return self.key_lines[wanted]
            wanted = wanted[:-1]
        return None

    def line_of_item(self, item: str, *keypath: str | int) -> int | None:
        """The line where the string `item` of the array at `keypath` is written (an array
        may span lines), else the line of the key."""
        start = self.line_of(*keypath)
        if start is None:
            return None
        quoted = (json.dumps(item, ensure_ascii=False), f"'{item}'")
        for number, text in enumerate(self.lines[start - 1:], start=start):
            if any(form in text for form in quoted):
                return number
        return start


def read_bytes(path: Path, root: Path) -> bytes:
    """Read a file of the book whose folder is `root`: the one way the build opens the book's
    files. A path that leads outside the book, through `..` or a symlink, is refused before
    anything is read, so that whoever edits a book cannot make the build print other files."""
    if not inside(root, path):
        raise BookError.at("not read: the path leads outside the book folder "
                           "(through '..' or a symbolic link)", path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BookError.at("file not found", path) from None
    except OSError as error:
        raise BookError.at(f"cannot read: {error.strerror}", path) from None


def read_text(path: Path, root: Path) -> str:
    """Read a UTF-8 file of the book (see `read_bytes`), turning any failure into a located
    error."""
    data = read_bytes(path, root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BookError.at("not valid UTF-8 text", path, line) from None
    # Universal newlines, as open() in text mode reads them: the readers split on "\n".
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_toml(path: Path, root: Path) -> TomlFile:
    """Parse a TOML file of the book in `root`; a syntax error becomes a BookError with its
    line."""
    text = read_text(path, root)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _DECODE_LINE.search(str(error))
        line = int(found.group(1)) if found else None
        message = _DECODE_LINE.sub("", str(error)).rstrip(" ()")
        raise BookError.at(f"TOML syntax: {message}", path, line) from None
    return TomlFile(path, data, _index_key_lines(text), text.splitlines())


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
    """`a."b.c".d` → ('a', 'b.c', 'd'): a quoted part may hold dots."""
    return tuple(part.strip("\"'") for part in _KEY_PART.findall(dotted))
