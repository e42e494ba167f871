"""Where each page of the print edition begins, read off WeasyPrint's layout.

The print HTML tags every text of the model (`data-t`) and a few blocks (`data-b`: cover, title
page, contents entries, table rows, sources). For each page, the first tagged box in the body
flow (not the running heads, not the footnote area) says where the page begins: a text and the
offset in it of the page's first line, or a block. The EPUB draws a page marker there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import azcn_book.builders.engine  # noqa: F401 (loads WeasyPrint: see there)

from weasyprint.formatting_structure import boxes

_HYPHENS = "\u2010-\u00ad"


@dataclass(frozen=True)
class PageStart:
    """Page `label` begins at `offset` in text `text`, or at the start of block `block`."""

    label: str
    text: str = ""
    offset: int = 0
    block: str = ""

    def report(self) -> list:
        """The start as JSON holds it (the build cache keeps page starts)."""
        return [self.label, self.text, self.offset, self.block]


@dataclass
class Pagination:
    """The page starts of one typeset edition, indexed for the templates."""

    starts: list[PageStart]
    text_marks: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    block_marks: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for start in self.starts:
            if start.text:
                self.text_marks.setdefault(start.text, []).append((start.offset, start.label))
            else:
                self.block_marks.setdefault(start.block, []).append(start.label)


def paginate(document, first_folio: int = 1) -> Pagination:
    """One PageStart per page of a WeasyPrint document, in page order (`first_folio`: the
    number of its first body page, for a part of the book laid out on its own)."""
    consumed: dict[str, int] = {}
    seen_blocks: set[str] = set()
    starts: list[PageStart] = []
    for label, page in zip(page_labels(document, first_folio), document.pages, strict=True):
        first = None
        for box in _flow_boxes(page._page_box):
            found = _tagged(box, consumed, seen_blocks)
            if first is None and found:
                first = PageStart(label, *found)
        # A page with nothing tagged of its own continues what the previous page began.
        previous = starts[-1] if starts else PageStart(label, block="cover")
        starts.append(first or PageStart(label, previous.text, previous.offset, previous.block))
    return Pagination(starts)


# Pages named in the print CSS before the body: numbered in roman, the body from arabic 1.
FRONT_MATTER_PAGES = ("cover", "title", "front")


def front_matter_length(document) -> int:
    """How many pages come before the first chapter: the first page that is neither named
    front matter nor blank (a two-sided book leaves a blank page before a right-hand opener)."""
    for index, page in enumerate(document.pages):
        # WeasyPrint internals: a laid-out page keeps its box, whose page_type names the page.
        page_type = page._page_box.page_type
        if getattr(page_type, "name", "") not in FRONT_MATTER_PAGES and not page_type.blank:
            return index
    return len(document.pages)


def page_labels(document, first_folio: int = 1) -> list[str]:
    """The folio of every page as printed: i, ii, iii on the front matter, then 1, 2, 3 (or
    from `first_folio`: a part of the book laid out on its own, print.css and book.html)."""
    return labels_of(len(document.pages), front_matter_length(document), first_folio)


def labels_of(pages: int, front_pages: int, first_folio: int = 1) -> list[str]:
    """The folios of `pages` pages whose first `front_pages` are front matter (page_labels)."""
    return [_roman(index + 1) if index < front_pages else str(index - front_pages + first_folio)
            for index in range(pages)]


def _tagged(box, consumed: dict[str, int], seen_blocks: set[str]) -> tuple | None:
    """(text, offset, "") or ("", 0, block) if this box begins something tagged."""
    element = getattr(box, "element", None)
    if element is None:
        return None
    if isinstance(box, boxes.TextBox) and element.get("data-t"):
        # A text may be cut into runs (spans), each saying where it starts in the text.
        text_id, run_start = element.get("data-t"), int(element.get("data-o", 0))
        cursor = max(consumed.get(text_id, 0) - run_start, 0)
        offset = run_start + _locate(element.text or "", box.text, cursor)
        consumed[text_id] = offset + len(box.text.strip().rstrip(_HYPHENS))
        return text_id, offset, ""
    block = element.get("data-b")
    if block and not isinstance(box, boxes.TextBox) and block not in seen_blocks:
        seen_blocks.add(block)
        return "", 0, block
    return None


def _locate(original: str, line: str, cursor: int) -> int:
    """Where a laid-out line's text starts in the original (spaces collapse, hyphens appear)."""
    words = line.strip().rstrip(_HYPHENS).split()
    if not words:
        return cursor
    found = original.find(words[0][:8], cursor)
    return found if found >= 0 else cursor


def _flow_boxes(box) -> Iterator:
    """Boxes of the page's flow in document order, without running heads and footnotes."""
    yield box
    for child in getattr(box, "children", ()):
        if not isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)):
            yield from _flow_boxes(child)


def _roman(number: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text


@dataclass
class LayoutHints:
    """What a layout tells the next one, all of it read off the pages:
    - `pages`: the printed page (label) of every anchor a link points at, for the contents and
      "Table 3 on page 13";
    - `near_refs`: references printed on their target's page, by id (data-ref) → "above" |
      "below";
    - `part_pages`: how many pages each part of the book took, when laid out apart (pdf.py):
      where the next part's page numbers begin;
    - for each table split across pages, by anchor: the ids of the rows that began a new page
      (`table_breaks`), its column widths (`table_widths`: every part is set in the widths of
      the whole table, so the parts line up and break where the whole table broke) and a
      digest of its rows' text (`table_digests`: widths and breaks hold only for that text).
    A layout made with the hints it finds has settled: what it prints is true."""

    pages: dict[str, str] = field(default_factory=dict)
    near_refs: dict[str, str] = field(default_factory=dict)
    table_breaks: dict[str, list[str]] = field(default_factory=dict)
    table_widths: dict[str, list[float]] = field(default_factory=dict)
    table_digests: dict[str, str] = field(default_factory=dict)
    part_pages: dict[str, int] = field(default_factory=dict)

    def breaks(self) -> set[tuple[str, str]]:
        """Every table break, as (table, the row that begins a page)."""
        return {(table, row) for table, rows in self.table_breaks.items() for row in rows}

    def without_tables(self, tables: set[str]) -> LayoutHints:
        """The hints with nothing said of these tables: they are laid out whole again."""
        keep = lambda hints: {t: v for t, v in hints.items() if t not in tables}  # noqa: E731
        return LayoutHints(self.pages, self.near_refs, keep(self.table_breaks),
                           keep(self.table_widths), keep(self.table_digests), self.part_pages)

    def report(self) -> dict:
        """The hints as JSON holds them (for the build cache)."""
        return {"pages": self.pages, "near_refs": self.near_refs,
                "table_breaks": self.table_breaks, "table_widths": self.table_widths,
                "table_digests": self.table_digests, "part_pages": self.part_pages}

    @classmethod
    def from_report(cls, report: dict) -> LayoutHints:
        """Hints from a cache entry; ValueError if it does not hold hints."""
        hints = cls({str(k): str(v) for k, v in report["pages"].items()},
                    {str(k): str(v) for k, v in report["near_refs"].items()},
                    {str(k): [str(row) for row in v] for k, v in report["table_breaks"].items()},
                    {str(k): [float(w) for w in v] for k, v in report["table_widths"].items()},
                    {str(k): str(v) for k, v in report["table_digests"].items()},
                    {str(k): int(v) for k, v in report.get("part_pages", {}).items()})
        if set(hints.near_refs.values()) - {"above", "below"}:
            raise ValueError("not a reference's place")
        return hints


@dataclass
class PartHints:
    """What one part of the book, laid out on its own, tells the next layout: its hints but
    `pages`, which depend on where the part begins; instead, the page (index in the part) of
    every anchor it holds, as a link to it may be in another part; the anchors its own links
    point at; how many pages it has, and how many of them are front matter."""

    hints: LayoutHints
    targets: dict[str, int]
    linked: set[str]
    pages: int
    front_pages: int


def joined_hints(parts: list[PartHints]) -> LayoutHints:
    """The hints of a book from those of its parts, in order: each part's pages numbered on
    from the pages of the parts before it (roman in the front matter, arabic after it, as
    page_labels numbers them); each table and reference is in one part only."""
    joined = LayoutHints()
    for part in parts:
        for name in ("near_refs", "table_breaks", "table_widths", "table_digests"):
            getattr(joined, name).update(getattr(part.hints, name))
    labels: dict[str, str] = {}
    front = body = 0  # pages of each kind in the parts before
    for part in parts:
        for anchor, index in part.targets.items():
            label = (_roman(front + index + 1) if index < part.front_pages
                     else str(body + index - part.front_pages + 1))
            labels.setdefault(anchor, label)  # the first part that holds it
        front, body = front + part.front_pages, body + part.pages - part.front_pages
    linked = set().union(*(part.linked for part in parts))
    joined.pages = {anchor: labels[anchor] for anchor in sorted(linked) if anchor in labels}
    return joined


def part_hints(document) -> PartHints:
    """Read the hints off WeasyPrint's page boxes (internals: page._page_box, box.element,
    box.position_y, and TableBox.column_widths, the widths its table layout gave the columns)."""
    references: dict[str, tuple[int, float, str]] = {}
    targets: dict[str, tuple[int, float]] = {}
    linked: set[str] = set()
    table_pages: dict[str, int] = {}
    widths: dict[str, list[float]] = {}
    rows: dict[str, list[str]] = {}
    hints = LayoutHints()
    for index, page in enumerate(document.pages):
        for box in _all_boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None:
                continue
            number, anchor = element.get("data-ref"), element.get("id")
            href = element.get("href") or ""
            if href.startswith("#"):
                linked.add(href[1:])
            if number and number not in references:
                references[number] = (index, box.position_y, href.partition("#")[2])
            if anchor and anchor not in targets:
                targets[anchor] = (index, box.position_y)
            if isinstance(box, boxes.TableBox) and anchor:
                widths.setdefault(anchor, [round(w, 2) for w in box.column_widths])
            if found := table_row(box):
                table, row = found
                rows.setdefault(table, []).append("".join(element.itertext()))
                if table_pages.setdefault(table, index) < index:
                    hints.table_breaks.setdefault(table, []).append(row)
                    table_pages[table] = index
    for number, (index, y, anchor) in references.items():
        target_index, target_y = targets.get(anchor, (-1, 0.0))
        if target_index == index:
            hints.near_refs[number] = "above" if target_y < y else "below"
    for table in hints.table_breaks:
        hints.table_widths[table] = widths.get(table, [])
        text = "\0".join(rows[table]).encode("utf-8")
        hints.table_digests[table] = hashlib.sha256(text).hexdigest()[:16]
    return PartHints(hints, {anchor: index for anchor, (index, _) in sorted(targets.items())},
                     linked, len(document.pages), front_matter_length(document))


def prints_page_numbers(document) -> bool:
    """Whether the document prints the page of an anchor: a contents entry (data-page) or a
    reference (data-ref, "Table 3 on page 13"; see folio in nodes.html)."""
    return any(element.get("data-page") is not None or element.get("data-ref")
               for page in document.pages for box in _all_boxes(page._page_box)
               if (element := getattr(box, "element", None)) is not None)


def loose_breaks(document, breaks: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The `breaks` (table, row: a part forced to begin a page at that row) where the page
    before had room for what the whole table, laid out in the same widths, would have set
    there: the row with its notes, or, for a break before the last two rows (which keep
    together, as print.css says), both rows and the table's source line."""
    pages = [_TableRows(page._page_box) for page in document.pages]
    order: dict[str, list[str]] = {}
    for page in pages:
        for table, row in page.heights:
            if row:
                order.setdefault(table, []).append(row)
    loose: set[tuple[str, str]] = set()
    for previous, page in zip(pages, pages[1:], strict=False):
        for (table, row), height in page.heights.items():
            if (table, row) not in breaks or table not in previous.bottoms:
                continue
            needed = height
            if order[table].index(row) == len(order[table]) - 2:
                needed += page.heights.get((table, order[table][-1]), 0)
                needed += page.heights.get((table, ""), 0)
            if previous.flow_bottom - previous.bottoms[table] >= needed:
                loose.add((table, row))
    return loose


class _TableRows:
    """What one walk of a page tells of its data tables: the room each row takes, its notes
    included, by (table, row), and the source line after a table's last row, by (table, "");
    where each table's last row on the page ends; how low the page's flow may reach."""

    def __init__(self, page_box):
        notes = [note for child in page_box.children if isinstance(child, boxes.FootnoteAreaBox)
                 for note in child.children]
        self.heights: dict[tuple[str, str], float] = {}
        self.bottoms: dict[str, float] = {}
        self.flow_bottom = _flow_bottom(page_box)
        last_table = ""
        for box in _flow_boxes(page_box):
            element = getattr(box, "element", None)
            if found := table_row(box):
                inside = set(element.iter())
                self.heights[found] = box.margin_height() + sum(
                    note.margin_height() for note in notes if note.element in inside)
                self.bottoms[found[0]] = box.position_y + box.margin_height()
                last_table = found[0]
            elif (last_table and element is not None and box.element_tag == "p"
                  and "table-sources" in (element.get("class") or "")):
                self.heights.setdefault((last_table, ""), box.margin_height())


def table_row(box) -> tuple[str, str] | None:
    """(table anchor, row id) if the box is a data table's row: the template tags each
    `data-b="<anchor>/<row>"` (nodes.html, table_part)."""
    if not isinstance(box, boxes.TableRowBox) or box.element is None:
        return None
    table, slash, row = (box.element.get("data-b") or "").rpartition("/")
    return (table, row) if slash else None


def _flow_bottom(page_box) -> float:
    """The lowest a page's flow may reach: the page area's bottom, or the top of its notes."""
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            bottom = min(bottom, child.position_y)
    return bottom


def _all_boxes(box) -> Iterator:
    """Every box of a page, footnote area and margins included, in tree order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from _all_boxes(child)
