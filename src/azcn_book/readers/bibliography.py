"""Reads `bibliography.json` (CSL-JSON, as Zotero and Pandoc write it) into References."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from azcn_book.errors import BookError, Problems
from azcn_book.model import Citation, Period, Reference
from azcn_book.names import id_problem
from azcn_book.readers.tomlfile import read_text

KNOWN_FIELDS = {
    "id", "type", "title", "title-short", "container-title", "URL", "issued", "author",
    "language", "note", "custom", "publisher", "genre", "medium", "number", "section",
}
_TEXT_FIELDS = {"container-title", "URL", "language", "note"}  # the ones the book prints
_SEPARATORS = re.compile(r"[\s,]*")
_NAME_PARTS = {"family", "given", "literal", "dropping-particle", "non-dropping-particle",
               "suffix"}


def read_bibliography(root: Path, editions: list[str],
                      problems: Problems) -> dict[str, Reference]:
    """Parse the book's bibliography.json; every entry needs id, type and title, and no
    unknown field. A file that is no CSL-JSON list raises; a faulty entry is added to
    `problems` and kept as far as it is valid, so that its citations raise nothing more."""
    path = root / "bibliography.json"
    text = read_text(path, root)
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise BookError.at(f"JSON syntax: {error.msg}", path, error.lineno) from None
    if not isinstance(entries, list):
        raise BookError.at("a CSL-JSON bibliography is a list of entries", path, 1)
    references: dict[str, Reference] = {}
    for entry, span in zip(entries, _entry_spans(text), strict=True):
        report = _Report(problems, path, text, span)
        reference = _reference(entry, editions, report)
        if reference and reference.key in references:
            report(f"entry '{reference.key}' is defined twice")
        elif reference:
            references[reference.key] = reference
    return references


def parse_citation(text: str, references: dict[str, Reference]) -> tuple[Citation | None, str]:
    """'wp-en, History' → its Citation (None if the key is unknown) and the key as written."""
    key, _, locator = (piece.strip() for piece in text.partition(","))
    reference = references.get(key)
    return (Citation(reference, locator) if reference else None), key


def _reference(entry: Any, editions, report: _Report) -> Reference | None:
    if not isinstance(entry, dict):
        report("an entry must be a JSON object")
        return None
    for field in entry.keys() - KNOWN_FIELDS:
        report(f"unknown CSL-JSON field '{field}'", field)
    missing = [field for field in ("id", "type", "title") if not isinstance(entry.get(field), str)]
    if missing:
        report(f"entry lacks {', '.join(missing)}")
        return None
    if problem := id_problem("entry", entry["id"]):  # it names the entry's anchor in the book
        report(problem)
        return None
    for field in sorted(_TEXT_FIELDS & entry.keys()):
        if not isinstance(entry[field], str):
            report(f"'{field}' must be a string", field)
    authors = _authors(entry.get("author", []), report)
    issued = _issued(entry.get("issued"), report)
    custom = _custom(entry.get("custom", {}), editions, report)
    return Reference(
        key=entry["id"],
        type=entry["type"],
        title=entry["title"],
        translated_titles=custom["title"],
        container_title=_text(entry, "container-title"),
        translated_containers=custom["container-title"],
        url=_text(entry, "URL"),
        issued=issued,
        authors=authors,
        language=_text(entry, "language"),
        note=_text(entry, "note"),
        translated_notes=custom["note"],
        translated_authors=custom["author"],
    )


def _text(entry: dict[str, Any], field: str) -> str:
    """A text field of an entry, empty when absent or (reported already) not a string."""
    value = entry.get(field, "")
    return value if isinstance(value, str) else ""


def _issued(issued: Any, report: _Report) -> Period | None:
    """CSL date-parts [[1994, 3]] → a Period known to the month (never more than is given);
    a date that is not one (month 13) is reported, not dropped."""
    if issued is None:
        return None
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    first = parts[0] if isinstance(parts, list) and len(parts) == 1 else None
    if (not isinstance(first, list) or not 1 <= len(first) <= 3
            or not all(isinstance(part, int) and not isinstance(part, bool) for part in first)):
        report("'issued' must be {\"date-parts\": [[year, month, day]]} with month and "
               "day optional", "issued")
        return None
    try:
        return Period(date(*(first + [1, 1])[:3]), ("year", "month", "day")[len(first) - 1])
    except ValueError:
        report(f"'issued' is not a date: {'-'.join(map(str, first))}", "issued")
        return None


def _authors(authors: Any, report: _Report) -> tuple[str, ...]:
    """CSL names: {"family": …, "given": …} or {"literal": …}, each part a string."""
    valid = isinstance(authors, list) and all(
        isinstance(author, dict) and author and author.keys() <= _NAME_PARTS
        and all(isinstance(part, str) for part in author.values()) for author in authors)
    if not valid:
        report("'author' must be a list of names such as {\"family\": \"…\", \"given\": "
               "\"…\"} or {\"literal\": \"…\"}", "author")
        return ()
    return tuple(_name(author) for author in authors)


def _name(author: dict[str, str]) -> str:
    if "literal" in author:
        return author["literal"]
    return " ".join(part for part in (author.get("given"), author.get("family")) if part)


_CUSTOM_FIELDS = ("title", "container-title", "note", "author")


def _custom(custom: Any, editions, report: _Report) -> dict[str, dict[str, str]]:
    """The translations per edition of the title, container title, note and author, from
    CSL's `custom` field."""
    empty = {field: {} for field in _CUSTOM_FIELDS}
    shape = ("'custom' must be an object of translations such as "
             "{\"title\": {\"<edition>\": \"…\"}}")
    if not isinstance(custom, dict):
        report(shape, "custom")
        return empty
    for key in custom.keys() - set(_CUSTOM_FIELDS):
        report(f"unknown custom field '{key}' ({', '.join(_CUSTOM_FIELDS)})", "custom")
    translations = {field: custom.get(field) or {} for field in _CUSTOM_FIELDS}
    if not all(isinstance(texts, dict) and all(isinstance(text, str) for text in texts.values())
               for texts in translations.values()):
        report(shape, "custom")
        return empty
    for edition in set().union(*translations.values()) - set(editions):
        report(f"custom translation for unknown edition '{edition}'", "custom")
    return {field: dict(texts) for field, texts in translations.items()}


def key_line(text: str, key: str) -> int | None:
    """The line of the entry whose "id" is `key` in the bibliography's text."""
    quoted = json.dumps(key, ensure_ascii=False)
    found = re.search(r'"id"\s*:\s*' + re.escape(quoted), text)
    return text.count("\n", 0, found.start()) + 1 if found else None


class _Report:
    """Adds a problem of one entry at the line of the field it is about, or of the entry's
    "id" (else its opening brace)."""

    def __init__(self, problems: Problems, path: Path, text: str, span: tuple[int, int]):
        self.problems, self.path, self.text, self.span = problems, path, text, span

    def __call__(self, message: str, field: str = "id") -> None:
        start, end = self.span
        found = (self._key(field).search(self.text, start, end)
                 or self._key("id").search(self.text, start, end))
        line = self.text.count("\n", 0, found.start() if found else start) + 1
        self.problems.add(message, self.path, line)

    @staticmethod
    def _key(field: str) -> re.Pattern[str]:
        return re.compile(rf"{re.escape(json.dumps(field, ensure_ascii=False))}\s*:")


def _entry_spans(text: str) -> list[tuple[int, int]]:
    """Where each entry of the (already parsed) top-level list starts and ends in `text`."""
    decoder, spans = json.JSONDecoder(), []
    index = text.index("[") + 1
    while True:
        index = _SEPARATORS.match(text, index).end()
        if text[index] == "]":
            return spans
        _, end = decoder.raw_decode(text, index)
        spans.append((index, end))
        index = end
