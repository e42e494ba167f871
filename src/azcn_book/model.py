"""The document model: what readers build, transforms complete and builders render.

Plain data. Builders see only these objects; nothing after the readers parses a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from azcn_book.config import BookConfig, EditionConfig


@dataclass(frozen=True)
class Period:
    """A date known to a day, a month or a year; with `end`, an interval."""

    start: date
    precision: str  # "day" | "month" | "year"
    end: date | None = None


@dataclass
class Reference:
    """A bibliography entry (CSL-JSON), with titles translated per edition where given."""

    key: str
    type: str
    title: str
    translated_titles: dict[str, str]
    container_title: str = ""
    translated_containers: dict[str, str] = field(default_factory=dict)
    url: str = ""
    issued: Period | None = None
    authors: tuple[str, ...] = ()
    language: str = ""
    note: str = ""
    translated_notes: dict[str, str] = field(default_factory=dict)
    translated_authors: dict[str, str] = field(default_factory=dict)  # one literal name

    def title_for(self, edition: str) -> str:
        return self.translated_titles.get(edition, self.title)

    def note_for(self, edition: str) -> str:
        return self.translated_notes.get(edition, self.note)

    def authors_for(self, edition: str) -> tuple[str, ...]:
        translated = self.translated_authors.get(edition)
        return (translated,) if translated else self.authors

    def container_for(self, edition: str) -> str:
        return self.translated_containers.get(edition, self.container_title)


@dataclass
class Citation:
    """A pointer to a reference, with the section of it that supports the statement."""

    reference: Reference
    locator: str = ""


@dataclass(frozen=True)
class CitedSource:
    """A source as one note (or table) cites it: named once, with every section cited."""

    reference: Reference
    locators: tuple[str, ...] = ()  # empty: the source as a whole


def by_source(citations: list[Citation]) -> list[CitedSource]:
    """Citations grouped by source, in the order the sources are first cited; each source's
    sections in order, its lead ("lead") first and none twice. A citation of a whole source
    (no section) cites all of it, so its sections are not listed apart."""
    sections: dict[str, list[str]] = {}
    references: dict[str, Reference] = {}
    for citation in citations:
        key = citation.reference.key
        references.setdefault(key, citation.reference)
        found = sections.setdefault(key, [])
        if not citation.locator or "" in found:
            sections[key] = [""]
        elif citation.locator not in found:
            found.append(citation.locator)
    return [CitedSource(references[key], tuple(sorted(filter(None, found),
                                                      key=lambda name: name != "lead")))
            for key, found in sections.items()]


@dataclass
class Column:
    """A column of a data table: its type decides how its cells are formatted."""

    key: str
    type: str  # text | date | money | percent | share | number | rank | century | anniversary
    #            | choice | source (readers/data.py COLUMN_TYPES)
    label: dict[str, str]
    currency: str = ""
    choices: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Row:
    id: str
    cells: dict[str, Any]
    line: int | None = None


@dataclass
class Chart:
    """A bar chart of a data table: one bar group per row, one bar per `series` column."""

    id: str
    x: str
    series: list[str]
    caption: dict[str, str]
    line: int | None = None


@dataclass
class DataTable:
    """One file of `content/data/`: columns and rows, language-neutral values once."""

    id: str
    caption: dict[str, str]
    columns: list[Column]
    rows: list[Row]
    path: Path
    charts: list[Chart] = field(default_factory=list)

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    def row(self, row_id: str) -> Row | None:
        return next((row for row in self.rows if row.id == row_id), None)

    @property
    def grid(self) -> list[Column]:
        """The columns drawn as the table; source columns become its source line."""
        return [column for column in self.columns if column.type != "source"]

    @property
    def sources(self) -> list[Citation]:
        """Each distinct citation of the table's source cells, in order of first use."""
        found: dict[tuple[str, str], Citation] = {}
        for row in self.rows:
            for column in self.columns:
                citation = row.cells.get(column.key) if column.type == "source" else None
                if citation:
                    found.setdefault((citation.reference.key, citation.locator), citation)
        return list(found.values())


@dataclass
class Cell:
    """One value of a data table with the column that says how to format it."""

    column: Column
    value: Any


@dataclass
class Note:
    """A footnote: either a remark of the editors (`body`) or citations of sources."""

    number: int
    anchor: str
    body: list[Node] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    line: int | None = None


@dataclass
class TablePlacement:
    """A data table placed in a chapter, numbered across the book."""

    number: int
    anchor: str
    table: DataTable
    line: int | None = None


@dataclass(eq=False)
class FigurePlacement:
    """A chart placed in a chapter, numbered across the book, drawn from its table."""

    number: int
    anchor: str
    chart: Chart
    table: DataTable
    line: int | None = None
    table_placement: TablePlacement | None = None  # where its figures are given as text


@dataclass
class Node:
    """A piece of Markdown, block or inline; `kind` decides which template macro draws it.

    Kinds: paragraph, heading, bullet_list, ordered_list, list_item, blockquote, hr, md_table,
    thead, tbody, tr, th, td, text, em, strong, link, code, softbreak, hardbreak, noteref
    (`note`), citation (`citations`, inside notes), fact (`cell`), table (`placement`),
    ref (`attrs`: target kind, anchor, number, title).
    """

    kind: str
    children: list[Node] = field(default_factory=list)
    text: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    note: Note | None = None
    citations: list[Citation] = field(default_factory=list)
    cell: Cell | None = None
    placement: TablePlacement | None = None
    figure: FigurePlacement | None = None


@dataclass
class Section:
    """A `##`/`###` heading of a chapter, for contents, parity checks and links."""

    id: str
    title: str
    level: int
    line: int | None


@dataclass
class Chapter:
    id: str
    title: list[Node]
    title_text: str
    blocks: list[Node]
    sections: list[Section]
    notes: list[Note]
    tables: list[TablePlacement]
    path: Path
    figures: list[FigurePlacement] = field(default_factory=list)


@dataclass(eq=False)  # compared and hashed by identity, so a build can cache its layout
class Edition:
    """One language edition of the book, ready for any builder."""

    config: EditionConfig
    book: BookConfig
    chapters: list[Chapter]
    sources: list[Reference]
    attribution: list[Reference]
    build_date: date

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def title(self) -> str:
        return self.book.title[self.id]

    @property
    def subtitle(self) -> str:
        return self.book.subtitle[self.id]

    @property
    def author(self) -> str:
        return self.book.author[self.id]


@dataclass
class Library:
    """What every edition shares: data tables and the bibliography."""

    tables: dict[str, DataTable]
    references: dict[str, Reference]


@dataclass(frozen=True)
class PrintOptions:
    """How a build sets the print edition: PDF variant, paper (over book.toml's), bleed."""

    variant: str = "pdf/ua-1"
    paper: str | None = None
    bleed: bool = False

    def paper_for(self, book: BookConfig) -> str:
        """The paper this setup prints the book on."""
        return self.paper or book.paper

    @property
    def suffix(self) -> str:
        """What the output's name adds for a non-default setup: '-pdf-a-3b-a5-bleed'."""
        parts = [] if self.variant == "pdf/ua-1" else [self.variant.replace("/", "-")]
        parts += [self.paper.lower()] if self.paper else []
        parts += ["bleed"] if self.bleed else []
        return "".join(f"-{part}" for part in parts)


STANDARD_PRINT = PrintOptions()  # the print edition that page numbers and e-book covers follow
