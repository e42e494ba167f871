"""Reads `bibliography.json` (CSL-JSON, as Zotero and Pandoc write it) into References."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from azcn_book.errors import BookError, Problems
from azcn_book.model import Citation, Period, Reference
from azcn_book.readers.tomlfile import read_text

KNOWN_FIELDS = {
    "id", "type", "title", "title-short", "container-title", "URL", "issued", "author",
    "language", "note", "custom", "publisher", "genre", "medium", "number", "section",
}


def read_bibliography(path: Path, editions: list[str]) -> dict[str, Reference]:
    """Parse the bibliography; every entry needs id, type and title, and no unknown field."""
    text = read_text(path)
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        raise BookError.at(f"JSON syntax: {error.msg}", path, error.lineno) from None
    if not isinstance(entries, list):
        raise BookError.at("a CSL-JSON bibliography is a list of entries", path, 1)
    problems = Problems()
    references: dict[str, Reference] = {}
    for index, entry in enumerate(entries):
        line = _entry_line(text, entry, index)
        reference = _reference(entry, editions, problems, path, line)
        if reference and reference.key in references:
            problems.add(f"entry '{reference.key}' is defined twice", path, line)
        elif reference:
            references[reference.key] = reference
    problems.raise_if_any()
    return references


def parse_citation(text: str, references: dict[str, Reference]) -> tuple[Citation | None, str]:
    """'wp-en, History' → its Citation (None if the key is unknown) and the key as written."""
    key, _, locator = (piece.strip() for piece in text.partition(","))
    reference = references.get(key)
    return (Citation(reference, locator) if reference else None), key


def _reference(entry: Any, editions, problems: Problems, path: Path, line: int | None):
    if not isinstance(entry, dict):
        problems.add("an entry must be a JSON object", path, line)
        return None
    for field in entry.keys() - KNOWN_FIELDS:
        problems.add(f"unknown CSL-JSON field '{field}'", path, line)
    missing = [field for field in ("id", "type", "title") if not isinstance(entry.get(field), str)]
    if missing:
        problems.add(f"entry lacks {', '.join(missing)}", path, line)
        return None
    custom = entry.get("custom") or {}
    titles, containers = custom.get("title") or {}, custom.get("container-title") or {}
    notes, authors = custom.get("note") or {}, custom.get("author") or {}
    for key in custom.keys() - {"title", "container-title", "note", "author"}:
        problems.add(f"unknown custom field '{key}' (title, container-title, note, author)",
                     path, line)
    translated = titles.keys() | containers.keys() | notes.keys() | authors.keys()
    for edition in translated - set(editions):
        problems.add(f"custom translation for unknown edition '{edition}'", path, line)
    return Reference(
        key=entry["id"],
        type=entry["type"],
        title=entry["title"],
        translated_titles=dict(titles),
        container_title=entry.get("container-title", ""),
        translated_containers=dict(containers),
        url=entry.get("URL", ""),
        issued=_issued(entry.get("issued")),
        authors=tuple(_name(author) for author in entry.get("author", [])),
        language=entry.get("language", ""),
        note=entry.get("note", ""),
        translated_notes=dict(notes),
        translated_authors=dict(authors),
    )


def _issued(issued: Any) -> Period | None:
    """CSL date-parts [[1994, 3]] → a Period known to the month (never more than is given)."""
    try:
        parts = [int(part) for part in issued["date-parts"][0]]
        precision = ("year", "month", "day")[len(parts) - 1]
        return Period(date(*(parts + [1, 1])[:3]), precision)
    except (TypeError, KeyError, IndexError, ValueError):
        return None


def _name(author: dict[str, str]) -> str:
    if "literal" in author:
        return author["literal"]
    return " ".join(part for part in (author.get("given"), author.get("family")) if part)


def _entry_line(text: str, entry: Any, index: int) -> int | None:
    """The line of an entry's `"id"`, or failing that of its n-th opening brace."""
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        quoted = json.dumps(entry["id"], ensure_ascii=False)
        found = re.search(r'"id"\s*:\s*' + re.escape(quoted), text)
        if found:
            return text.count("\n", 0, found.start()) + 1
    return None
