"""Where each page of the print edition begins, read off WeasyPrint's layout.

The print HTML tags every text of the model (`data-t`) and a few blocks (`data-b`: cover, title
page, contents entries, table rows, sources). For each page, the first tagged box in the body
flow (not the running heads, not the footnote area) says where the page begins: a text and the
offset in it of the page's first line, or a block. The EPUB draws a page marker there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes

_HYPHENS = "\u2010-\u00ad"


@dataclass(frozen=True)
class PageStart:
    """Page `label` begins at `offset` in text `text`, or at the start of block `block`."""

    label: str
    text: str = ""
    offset: int = 0
    block: str = ""


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


def paginate(document) -> Pagination:
    """One PageStart per page of a WeasyPrint document, in page order."""
    consumed: dict[str, int] = {}
    seen_blocks: set[str] = set()
    starts: list[PageStart] = []
    for label, page in zip(page_labels(document), document.pages, strict=True):
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


def page_labels(document) -> list[str]:
    """The folio of every page as printed: i, ii, iii on the front matter, then 1, 2, 3."""
    front = front_matter_length(document)
    return [_roman(index + 1) if index < front else str(index - front + 1)
            for index in range(len(document.pages))]


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
    """What a first layout tells the second: references printed on their target's page, by
    number (data-ref) → "above" | "below"; tables split across pages, by anchor → the ids of
    the rows that began a new page."""

    near_refs: dict[int, str] = field(default_factory=dict)
    table_breaks: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.near_refs or self.table_breaks)


def layout_hints(document) -> LayoutHints:
    """Read the hints off WeasyPrint's page boxes (internals: page._page_box, box.element,
    box.position_y)."""
    references: dict[int, tuple[int, float, str]] = {}
    targets: dict[str, tuple[int, float]] = {}
    table_pages: dict[str, int] = {}
    hints = LayoutHints()
    for index, page in enumerate(document.pages):
        for box in _all_boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None:
                continue
            number, anchor = element.get("data-ref"), element.get("id")
            if number and int(number) not in references:
                href = element.get("href") or ""
                references[int(number)] = (index, box.position_y, href.partition("#")[2])
            if anchor and anchor not in targets:
                targets[anchor] = (index, box.position_y)
            if isinstance(box, boxes.TableRowBox) and "/" in (element.get("data-b") or ""):
                table, _, row = element.get("data-b").rpartition("/")
                if table_pages.setdefault(table, index) < index:
                    hints.table_breaks.setdefault(table, []).append(row)
                    table_pages[table] = index
    for number, (index, y, anchor) in references.items():
        target_index, target_y = targets.get(anchor, (-1, 0.0))
        if target_index == index:
            hints.near_refs[number] = "above" if target_y < y else "below"
    return hints


def _all_boxes(box) -> Iterator:
    """Every box of a page, footnote area and margins included, in tree order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from _all_boxes(child)
