"""Reads the tables of `content/data/*.toml` into DataTables, checking every cell."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

from azcn_book.errors import BookError, Problems
from azcn_book.model import Chart, Citation, Column, DataTable, Period, Reference, Row
from azcn_book.names import id_problem
from azcn_book.readers.bibliography import parse_citation
from azcn_book.readers.tomlfile import TomlFile, load_toml

COLUMN_TYPES = ("text", "date", "money", "percent", "share", "number", "rank", "century",
                "anniversary", "choice", "source")
_NUMERIC_TYPES = ("money", "percent", "share", "number", "rank", "century", "anniversary")
CURRENCIES = ("USD", "CNY")
_TABLE_KEYS = {"id", "caption", "columns", "rows", "charts"}
_CHART_KEYS = {"id", "x", "series", "caption"}
_COLUMN_KEYS = {"key", "type", "label", "currency", "choices"}
LARGEST = 10**15  # a thousand trillion; floats hold every whole number below it exactly
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def read_tables(data_dir: Path, editions: list[str], references: dict[str, Reference],
                problems: Problems) -> dict[str, DataTable]:
    """Read every `*.toml` of the data folder; problems are collected, not raised."""
    tables: dict[str, DataTable] = {}
    for path in sorted(data_dir.glob("*.toml")):
        try:
            file = load_toml(path, data_dir.parent)  # the book's folder holds data/
        except BookError as error:  # keep reading the other files, report all at once
            problems.extend(error)
            continue
        table = _Reader(file, editions, references, problems).table()
        if table:
            tables[table.id] = table
    return tables


class _Reader:
    """Reads one data file, adding every problem with its line."""

    def __init__(self, file: TomlFile, editions: list[str], references: dict[str, Reference],
                 problems: Problems):
        self.file, self.editions, self.problems = file, editions, problems
        self.references = references

    def table(self) -> DataTable | None:
        data, path = self.file.data, self.file.path
        for key in data.keys() - _TABLE_KEYS:
            self.report(f"unknown key '{key}'", key)
        if problem := id_problem("table", path.stem):  # it names anchors and chart files
            self.report(f"{problem}: rename the file", "id")
            return None
        if data.get("id") != path.stem:
            self.report(f"'id' must be the file's name, '{path.stem}'", "id")
        caption = self.per_edition(data.get("caption"), ("caption",))
        columns = [self.column(raw, i) for i, raw in self.array("columns")]
        columns = [column for column in columns if column]
        if not columns:
            self.report("the table declares no [[columns]]")
        rows = [self.row(raw, i, columns) for i, raw in self.array("rows")]
        self.check_unique([row.id for row in rows if row], "row id", "rows")
        charts = [self.chart(raw, i, columns) for i, raw in self.array("charts")]
        return DataTable(path.stem, caption, columns, [row for row in rows if row], path,
                         [chart for chart in charts if chart])

    def array(self, key: str) -> list[tuple[int, dict[str, Any]]]:
        """The tables of an array of tables (`[[rows]]`), with their index; anything else in
        it is reported."""
        value = self.file.data.get(key, [])
        if not isinstance(value, list):
            self.report(f"'{key}' must be an array of tables ([[{key}]])", key)
            return []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.report(f"each of '{key}' must be a table ([[{key}]])", key, index)
        return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]

    def chart(self, raw: dict[str, Any], index: int, columns: list[Column]) -> Chart | None:
        where = ("charts", index)
        for key in raw.keys() - _CHART_KEYS:
            self.report(f"unknown chart key '{key}'", *where, key)
        by_key = {column.key: column for column in columns}
        x, series = raw.get("x"), raw.get("series", [])
        if (not isinstance(raw.get("id"), str) or not isinstance(x, str) or x not in by_key
                or not isinstance(series, list) or not series):
            self.report("a chart needs an 'id', an 'x' column and a list of 'series'", *where)
            return None
        if problem := id_problem("chart", raw["id"]):  # it names the EPUB's image file
            self.report(problem, *where, "id")
            return None
        for key in series:
            if by_key.get(key) is None or by_key[key].type not in ("money", "number"):
                self.report(f"series '{key}' must be a money or number column", *where, "series")
                return None
        caption = self.per_edition(raw.get("caption"), (*where, "caption"))
        return Chart(raw["id"], x, list(series), caption, self.file.line_of(*where))

    def column(self, raw: dict[str, Any], index: int) -> Column | None:
        where = ("columns", index)
        for key in raw.keys() - _COLUMN_KEYS:
            self.report(f"unknown column key '{key}'", *where, key)
        kind = raw.get("type")
        if kind not in COLUMN_TYPES:
            self.report(f"column type must be one of {', '.join(COLUMN_TYPES)}", *where, "type")
            return None
        if kind == "money" and raw.get("currency") not in CURRENCIES:
            self.report(f"a money column needs a currency: {', '.join(CURRENCIES)}", *where)
        raw_choices = raw.get("choices", {})
        if not isinstance(raw_choices, dict):
            self.report("'choices' must be a table: for each choice, a label per edition "
                        "(choices.<choice>.<edition> = \"…\")", *where, "choices")
        choices = {name: self.per_edition(labels, (*where, "choices", name))
                   for name, labels in raw_choices.items()} if isinstance(raw_choices, dict) else {}
        if kind == "choice" and not choices and isinstance(raw_choices, dict):
            self.report("a choice column needs choices", *where)
        label = self.per_edition(raw.get("label"), (*where, "label"))
        return Column(raw.get("key", ""), kind, label, raw.get("currency", ""), choices)

    def row(self, raw: dict[str, Any], index: int, columns: list[Column]) -> Row | None:
        where = ("rows", index)
        if not isinstance(raw.get("id"), str):
            self.report("every row needs an 'id'", *where)
            return None
        if problem := id_problem("row", raw["id"]):  # it ends up in anchors and facts
            self.report(problem, *where, "id")
            return None
        by_key = {column.key: column for column in columns}
        cells = {}
        for key, value in raw.items():
            if key == "id":
                continue
            if key not in by_key:
                self.report(f"unknown column '{key}' in row '{raw['id']}'", *where, key)
                continue
            cells[key] = self.cell(by_key[key], value, (*where, key))
        return Row(raw["id"], cells, self.file.line_of(*where))

    def cell(self, column: Column, value: Any, where: tuple) -> Any:
        """Check one value against its column's type and convert it for formatting."""
        kind = column.type
        if kind == "text":
            return self.per_edition(value, where)
        if kind == "date":
            return self.period(value, where)
        if kind in _NUMERIC_TYPES:
            return self.number(column, value, where)
        if kind == "choice" and (not isinstance(value, str) or value not in column.choices):
            self.report(f"'{value}' is not one of {', '.join(column.choices)}", *where)
        if kind == "source":
            return self.source(value, where)
        return value

    def number(self, column: Column, value: Any, where: tuple) -> int | float | None:
        """A figure the book can print: finite, and below LARGEST in size (Babel's decimal
        arithmetic fails on larger ones, and no figure of a briefing comes near it)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(f"'{column.key}' must be a number", *where)
        elif isinstance(value, float) and not math.isfinite(value):
            self.report(f"'{column.key}' must be a finite number, not {value}", *where)
        elif abs(value) >= LARGEST:
            self.report(f"'{column.key}' is too large: figures stay below 10^15 in size", *where)
        else:
            return value
        return None

    def source(self, value: Any, where: tuple) -> Citation | None:
        citation, key = parse_citation(str(value), self.references)
        if citation is None:
            self.report(f"source '{key}' is not in bibliography.json", *where)
        return citation

    def period(self, value: Any, where: tuple) -> Period | None:
        if isinstance(value, date):
            return Period(value, "day")
        text = str(value) if isinstance(value, (str, int)) else ""
        parts = [_parse_date(part) for part in text.split("/")]
        if not text or len(parts) > 2 or None in parts:
            self.report(f"'{value}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or start/end)", *where)
            return None
        (start, precision), end = parts[0], (parts[1][0] if len(parts) == 2 else None)
        if end and end < start:
            self.report(f"'{value}' ends before it starts", *where)
        return Period(start, precision, end)

    def per_edition(self, value: Any, where: tuple) -> dict[str, str]:
        """A text given once per edition: every edition present, no other key."""
        if not isinstance(value, dict):
            self.report(f"needs a text per edition ({', '.join(self.editions)})", *where)
            return {}
        for edition in self.editions:
            if not isinstance(value.get(edition), str) or not value[edition].strip():
                self.report(f"missing translation: '{edition}'", *where)
        for extra in value.keys() - set(self.editions):
            self.report(f"unknown edition '{extra}'", *where, extra)
        return {key: text for key, text in value.items() if isinstance(text, str)}

    def check_unique(self, ids: list[str], what: str, array: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.report(f"{what} '{item}' is used twice", array, index)
            seen.add(item)

    def report(self, message: str, *keypath: str | int) -> None:
        self.problems.add(message, self.file.path, self.file.line_of(*keypath))


def _parse_date(text: str) -> tuple[date, str] | None:
    found = _DATE.match(text.strip())
    if not found:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        return date(year, month or 1, day or 1), ("day" if day else "month" if month else "year")
    except ValueError:
        return None
