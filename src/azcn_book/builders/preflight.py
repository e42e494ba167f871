"""The layout preflight: what a proofreader would send back, read off WeasyPrint's pages.

LaTeX warns of overfull boxes; WeasyPrint does not. After layout, this walks every page's boxes
and reports, at the chapter or data file (and line) that produced the box:

errors: a box past the text area (text line, table cell, image) or cut off by its parent; a
character no font has (drawn as .notdef); a footnote call that starts a line or stands apart
from its word, or two calls side by side that read as one number; a note printed at the foot of
no page, or of a page after its call's; a table split leaving fewer than 2 rows on a page, or a
table of 6 rows or fewer split at all.

warnings: a page of a chapter, not its last, less than a third full; a chapter's last page
with 3 lines or fewer; more than 2 hyphenated line ends in a row; a line that ends before half
the measure in the middle of a paragraph; a space stretched past 1 em in justified Chinese;
in a Chinese table cell, a line break inside a date or a number with its unit, inside a name
given as a choice, or inside a book title 《…》; a footnote area or running head that reaches
beyond the text block (reported at the style sheet, once per PDF).

Source locations: the print HTML tags each text of the model with `data-t`, table rows with
`data-b` (`table-<id>/<row>`), and chapters, tables, figures and notes with their ids; a box
with no tag of its own belongs to the nearest tagged box before it in document order.

Everything here reads WeasyPrint's laid-out box tree (`Page._page_box` and the classes of
`weasyprint.formatting_structure.boxes`), which is internal: written against WeasyPrint 70.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import azcn_book.builders.engine  # noqa: F401 (loads WeasyPrint: see there)

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import ffi, pango

from azcn_book.builders.pagination import page_labels
from azcn_book.errors import BookError, Problem
from azcn_book.model import Edition, Node
from azcn_book.render import templates_dir
from azcn_book.typography import keeps_title

STYLE_SHEET = templates_dir() / "print.css"
MM = 96 / 25.4  # CSS pixels per millimetre: WeasyPrint lays out in CSS px
TOLERANCE = 0.5  # px a box may stick out (rounding in WeasyPrint's table widths)
SHORT_TABLE = 6  # body rows; a table this short is never split
MIN_ROWS = 2  # body rows a split table keeps on each page
MIN_FILL = 1 / 3  # of the text area, for a page that is not a chapter's last
RUNT_LINES = 3  # a chapter's last page with this many lines or fewer is a runt
HYPHEN_RUN = 2  # consecutive hyphenated line ends allowed
SPACE = 0.25  # em: about the natural width of a word space in the Noto faces
SHORT_LINE = 0.5  # of the paragraph's measure: a line this short mid-paragraph ends early
HYPHENS = ("-", "\u2010", "\u00ad")
# Characters every face of the stacks surely has (Latin-1, general punctuation, the CJK
# punctuation and unified ideographs): their text boxes need no glyph-by-glyph look.
_COVERED = re.compile(r"^[\u0000-\u024f\u2000-\u206f\u2190-\u21ff\u3000-\u303f\u4e00-\u9fff"
                      r"\uff00-\uffef\u20ac\u2122]*$")
_SPACES = re.compile(r"[ \u00a0]")  # what WeasyPrint 70's justification stretches
_HAN = re.compile(r"[\u3400-\u9fff]")
# A break between these ends and starts splits a date or a number from its unit.
_UNIT_TAIL = re.compile(r"([0-9０-９.,．]|[0-9０-９][年月])$")
_UNIT_HEAD = re.compile(r"^[0-9０-９年月日号时亿万千百元美%％]")
_NUMBER_CELLS = ("money", "percent", "share", "rank", "number")  # column types (td classes)


@dataclass(frozen=True)
class Findings:
    """What the preflight found in one typeset edition."""

    errors: list[Problem]
    warnings: list[Problem]


@dataclass(frozen=True)
class Where:
    """The file and line that produced a box."""

    path: Path | None
    line: int | None = None


@dataclass
class Placed:
    """A box of a page's flow, with where it came from and where it sits."""

    box: object
    where: Where
    cell: object = None  # the table cell box it is in, if any
    table: str = ""  # the anchor of the data table it is in, if any
    clip: object = None  # the nearest parent box that hides what overflows it, if any
    cjk: bool = False


@dataclass
class Page:
    """One laid-out page: its printed number, text area and flow boxes in document order."""

    label: str
    box: object
    pdf: str  # which PDF: edition and setup, "zh-Hans" or "en-a5-bleed"
    flow: list[Placed] = field(default_factory=list)
    notes: list[Placed] = field(default_factory=list)
    # The line boxes of the flow, each with its leaves in order: text boxes, atomic boxes and
    # footnote calls (several checks read them).
    lines: list[tuple[Placed, list[Placed]]] = field(default_factory=list)
    # The text, image and table cell boxes of the flow, then of the notes: what can stick out.
    pieces: list[Placed] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.pdf} page {self.label}"

    @property
    def top(self) -> float:
        return self.box.content_box_y()

    @property
    def bottom(self) -> float:
        return self.box.content_box_y() + self.box.height


def inspect(document, edition: Edition, setup: str = "", first_folio: int = 1) -> Findings:
    """Every finding of a typeset edition (a WeasyPrint Document), errors and warnings;
    `setup` names a page setup other than the standard one ("-a5-bleed"); `first_folio`, the
    number of the first body page of a part of the book laid out on its own."""
    sources = _source_index(edition)  # one per edition, not one per part laid out
    labels = page_labels(document, first_folio)
    pages = [read_page(page, label, sources, edition.id + setup)
             for label, page in zip(labels, document.pages, strict=True)]
    errors = _unique(overflows(pages, sources) + missing_glyphs(pages) + note_calls(pages)
                     + lost_notes(pages) + late_notes(pages)
                     + table_splits(pages, sources))
    warnings = _unique(short_pages(pages) + hyphen_runs(pages) + early_line_ends(pages)
                       + stretched_spaces(pages) + cjk_cell_breaks(pages)
                       + misaligned_blocks(pages))
    return Findings(errors, warnings)


def enforce(findings: Findings, strict: bool) -> list[Problem]:
    """Stop the build on errors (and on warnings when strict); return the warnings to print."""
    if findings.errors or (strict and findings.warnings):
        raise BookError(findings.errors + findings.warnings)
    return findings.warnings


# ----- where each box comes from


# The attributes that name where an element's content was written, in the order they are
# looked up (SourceIndex.of, source_digest).
_TAGGING = ("data-t", "data-b", "id")


class SourceIndex:
    """Maps the print HTML's tags (data-t, data-b, ids) to the file and line they come from."""

    def __init__(self, edition: Edition):
        self.tags: dict[str, Where] = {}
        self.calls: dict[str, Where] = {}  # note anchor: where its call stands
        self.table_names: dict[str, str] = {}
        self.bibliography = edition.book.root / "bibliography.json"
        manifest = Where(edition.book.root / "book.toml")
        for tag in ("cover", "title", "contents", "colophon"):
            self.tags[tag] = manifest
        for chapter in edition.chapters:
            self.add_chapter(chapter)
        self.add_sources(edition)

    def add_chapter(self, chapter) -> None:
        self.tags[f"chapter-{chapter.id}"] = Where(chapter.path, 1)
        for section in chapter.sections:
            self.tags[section.id] = Where(chapter.path, section.line)
        for note in chapter.notes:
            self.tags[note.anchor] = Where(chapter.path, note.line)
            self.add_texts(chapter.path, note.body)
        for figure in chapter.figures:
            self.tags[figure.anchor] = Where(chapter.path, figure.line)
        for placement in chapter.tables:
            self.tags[placement.anchor] = Where(chapter.path, placement.line)
            self.table_names[placement.anchor] = placement.table.path.name
            for row in placement.table.rows:
                self.tags[f"{placement.anchor}/{row.id}"] = Where(placement.table.path, row.line)
        self.add_texts(chapter.path, chapter.title + chapter.blocks)

    def add_texts(self, path: Path, nodes: list[Node]) -> None:
        for node in nodes:
            if node.kind == "text" and "t" in node.attrs:
                self.tags[node.attrs["t"]] = Where(path, node.attrs.get("line"))
            if node.kind == "noteref":
                self.calls[node.note.anchor] = Where(path, node.attrs.get("line"))
            self.add_texts(path, node.children)
            if node.note is not None:
                self.add_texts(path, node.note.body)

    def add_sources(self, edition: Edition) -> None:
        """Bibliography entries, at the line of their key in bibliography.json."""
        lines = self.bibliography.read_text("utf-8").splitlines()
        for reference in edition.sources:
            quoted = f'"{reference.key}"'
            line = next((number for number, text in enumerate(lines, start=1)
                         if '"id"' in text and quoted in text), None)
            self.tags[f"source-{reference.key}"] = Where(self.bibliography, line)
        self.tags["sources"] = Where(self.bibliography)

    def of(self, element) -> Where | None:
        """Where an element's content was written, if the element is tagged."""
        if element is None:
            return None
        for attribute in _TAGGING:
            found = self.tags.get(element.get(attribute) or "")
            if found:
                return found
        return None


def source_digest(edition: Edition, html: str) -> str:
    """A digest of where the tagged content of `html` (a part of the book) was written: its
    findings name these files and lines, so a part laid out before is reused only if they are
    the same (an edit higher up in its chapter moves them without changing its HTML)."""
    index = _source_index(edition)
    tags = sorted(set(_TAGGED.findall(html)))
    places = [(tag, index.tags.get(tag), index.calls.get(tag), index.table_names.get(tag))
              for tag in tags]
    return hashlib.sha256(repr(places).encode("utf-8")).hexdigest()


_TAGGED = re.compile(rf'\s(?:{"|".join(_TAGGING)})="([^"]*)"')  # the tags in a part's HTML


@lru_cache(maxsize=4)
def _source_index(edition: Edition) -> SourceIndex:
    return SourceIndex(edition)


# ----- reading the pages


def read_page(page, label: str, sources: SourceIndex, pdf: str) -> Page:
    """A page (printed `label`): its flow boxes and footnote boxes, each with where it came
    from, and the lines of its flow."""
    page_box = page._page_box  # WeasyPrint 70 internal: the laid-out PageBox
    read = Page(label, page_box, pdf)
    walk = _Walk(sources)
    note_pieces: list[Placed] = []
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue  # running heads and folios: made by the templates, not the book
        if isinstance(child, boxes.FootnoteAreaBox):
            walk.visit(child, _TOP, (read.notes, note_pieces), None, None)
        else:
            walk.visit(child, _TOP, (read.flow, read.pieces), read.lines, None)
    read.pieces += note_pieces
    return read


_TOP = Placed(None, Where(None))


@dataclass
class _Walk:
    """Boxes in document order; each takes the source of the nearest tagged box so far, and
    the table cell, table and script of its parent. One pass, no generators: it reads every
    box of every page."""

    sources: SourceIndex
    where: Where = Where(None)

    def visit(self, box, parent: Placed, out: tuple[list[Placed], list[Placed]],
              lines: list | None, leaves: list[Placed] | None) -> None:
        """Add `box` and its descendants to the boxes in `out`, and its text, image and table
        cell boxes to the pieces in `out`; with `lines`, add each line box there with its
        leaves; `leaves` is the list of the line that `box` is part of, if any."""
        element = getattr(box, "element", None)
        call = _is_call(box)
        if call:  # the call's element is its note: the note's tags say where it is defined
            self.where = self.sources.calls.get(element.get("id"), self.where)
        else:
            self.where = self.sources.of(element) or self.where
        placed = Placed(box, self.where, parent.cell, parent.table, parent.clip, parent.cjk)
        if isinstance(box, boxes.TableCellBox):
            placed.cell = box
        if isinstance(box, boxes.TableBox):
            placed.table = element.get("id") or ""
        if element is not None and element.tag == "body":
            placed.cjk = "cjk" in (element.get("class") or "")
        out[0].append(placed)
        if isinstance(box, _PLACED):
            out[1].append(placed)
        leaves = self.leaves_within(box, placed, call, lines, leaves)
        children = getattr(box, "children", ())
        if children and box.style["overflow"] != "visible":  # its children are cut at its edges
            placed = Placed(placed.box, placed.where, placed.cell, placed.table, box, placed.cjk)
        for child in children:
            self.visit(child, placed, out, lines, leaves)

    @staticmethod
    def leaves_within(box, placed: Placed, call: bool, lines: list | None,
                      leaves: list[Placed] | None) -> list[Placed] | None:
        """The line leaves list for `box`'s children: a new one for a line box, the same one
        through an inline box, none below a leaf."""
        if isinstance(box, boxes.LineBox):
            if lines is None:
                return None
            lines.append((placed, []))
            return lines[-1][1]
        if leaves is None:
            return None
        if call or isinstance(box, _LEAVES):
            leaves.append(placed)
            return None
        return leaves if isinstance(box, boxes.InlineBox) else None


_LEAVES = (boxes.TextBox, boxes.AtomicInlineLevelBox)
_PLACED = (boxes.TextBox, boxes.ReplacedBox, boxes.TableCellBox)  # what may stick out


def _is_call(box) -> bool:
    """A footnote call: WeasyPrint 70 makes it an inline box of the `::footnote-call` pseudo."""
    return isinstance(box, boxes.InlineBox) and str(box.element_tag).endswith("::footnote-call")


def _source_of(line: Placed, leaves: list[Placed]) -> Where:
    """Where a line's text comes from: its last piece (a line box precedes its own text)."""
    return leaves[-1].where if leaves else line.where


def _text(leaves: list[Placed]) -> str:
    return "".join(getattr(leaf.box, "text", "") for leaf in leaves)


def _problem(message: str, where: Where, severity: str = "error") -> Problem:
    return Problem(message, where.path, where.line, severity)


def _unique(problems: list[Problem]) -> list[Problem]:
    """One report per message and place: a wide table is one finding, not one per cell."""
    return list(dict.fromkeys(problems))


# ----- errors


def overflows(pages: list[Page], sources: SourceIndex) -> list[Problem]:
    """Boxes that stick out of the text area, where the reader loses them or the shop trims,
    and boxes cut off by a parent that hides its overflow."""
    found = []
    for page in pages:
        tables: dict[str, float] = {}
        text_area = _area(page.box)
        for item in page.pieces:
            past = _past(item.box, text_area)
            clipped = _past(item.box, _area(item.clip, padding=True)) if item.clip else 0
            if item.table and past > TOLERANCE:  # one finding per table, not one per cell
                tables[item.table] = max(past, tables.get(item.table, 0))
            elif past > TOLERANCE:
                found.append(_problem(f"{page.name}: {_what(item)} extends {past / MM:.1f} mm "
                                      f"past the text area", item.where))
            elif clipped > TOLERANCE:
                found.append(_problem(f"{page.name}: {_what(item)} is cut off by "
                                      f"{clipped / MM:.1f} mm (its box hides what overflows)",
                                      item.where))
        for anchor, past in tables.items():
            found.append(_problem(f"{page.name}: table {sources.table_names.get(anchor, anchor)}"
                                  f" is {past / MM:.1f} mm wider than the text area; its last "
                                  f"columns are cut off", sources.tags.get(anchor, Where(None))))
    return found


def _area(box, padding: bool = False) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of a box's content (a page's: its text area), or of its
    padding box (where `overflow: hidden` cuts)."""
    if padding:
        left, top = box.padding_box_x(), box.padding_box_y()
        return left, top, left + box.padding_width(), top + box.padding_height()
    left, top = box.content_box_x(), box.content_box_y()
    return left, top, left + box.width, top + box.height


def _past(box, area: tuple[float, float, float, float]) -> float:
    """How far a text, image or table cell box reaches out of an area, on any side (WeasyPrint
    70 boxes: positions and sizes in CSS px, border boxes from its own helpers)."""
    if not isinstance(box, _PLACED):
        return 0
    left, top = box.border_box_x(), box.border_box_y()
    right, bottom = left + box.border_width(), top + box.border_height()
    return max(right - area[2], area[0] - left, bottom - area[3], area[1] - top)


def _what(item: Placed) -> str:
    if isinstance(item.box, boxes.ReplacedBox):
        return "an image"
    if isinstance(item.box, boxes.TableCellBox):
        return "a table cell"
    return f"the line '{_shorten(item.box.text)}'"


def _shorten(text: str, length: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def missing_glyphs(pages: list[Page]) -> list[Problem]:
    """Characters that no font of the stack has: the PDF would show empty boxes."""
    found = []
    for page in pages:
        for item in page.pieces:
            box = item.box
            if isinstance(box, boxes.TextBox) and not _COVERED.match(box.text):
                for codepoint in _unknown_glyphs(box):
                    found.append(_problem(f"{page.name}: no font has U+{codepoint:04X} "
                                          f"'{chr(codepoint)}'; it prints as an empty box",
                                          item.where))
    return found


def _unknown_glyphs(box) -> list[int]:
    """Codepoints Pango shaped as 'unknown glyph' in a text box: the runs of the layout's first
    line, read as WeasyPrint 70's draw/text.py (draw_first_line) reads them to draw .notdef."""
    layout = box.pango_layout
    layout.reactivate(box.style)  # WeasyPrint frees the Pango layout after layout; rebuild it
    try:
        line, _ = layout.get_first_line()
        unknown, run = [], line.runs
        while run != ffi.NULL:
            glyphs = run.data.glyphs
            for glyph in glyphs.glyphs[0:glyphs.num_glyphs]:
                if glyph.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                    unknown.append(glyph.glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
            run = run.next
        return unknown
    finally:
        layout.deactivate()


def note_calls(pages: list[Page]) -> list[Problem]:
    """Footnote calls that begin a line or stand after a space, away from their word."""
    found = []
    for page in pages:
        for _, leaves in page.lines:
            for index, leaf in enumerate(leaves):
                if not _is_call(leaf.box):
                    continue
                before = _text(leaves[:index])
                if not before.strip():
                    found.append(_problem(f"{page.name}: a footnote call begins a line",
                                          leaf.where))
                elif before[-1].isspace():
                    found.append(_problem(f"{page.name}: a footnote call stands apart "
                                          f"from its word (after a space)", leaf.where))
                if index and _is_call(leaves[index - 1].box):
                    both = _call_text(leaves[index - 1].box) + _call_text(leaf.box)
                    if both.isdigit():
                        found.append(_problem(f"{page.name}: two footnote calls side by side "
                                              f"read as one number ('{both}')", leaf.where))
    return found


def lost_notes(pages: list[Page]) -> list[Problem]:
    """Footnote calls whose note is printed at the foot of no page. WeasyPrint 70 can lose a
    note that a page pushed to the next when it lays out the next page again (as it does to
    settle target-counter() values; the book prints its page numbers as text, so only a
    style sheet that brings such counters back would meet it again)."""
    printed = _note_pages(pages)
    return [_problem(f"{page.name}: the note called here is printed at the foot of no page",
                     call.where)
            for _, page, call in _calls(pages) if id(call.box.element) not in printed]


def late_notes(pages: list[Page]) -> list[Problem]:
    """Footnote calls whose note is printed at the foot of a later page: the reader must turn
    the page to find it. WeasyPrint 70 pushes a page's last notes on to keep a paragraph's
    line that orphans would otherwise send to the next page (footnote_defer.py stops it)."""
    printed = _note_pages(pages)
    found = []
    for index, page, call in _calls(pages):
        later = printed.get(id(call.box.element), index)
        if later > index:
            found.append(_problem(f"{page.name}: note {_call_number(call.box)} is printed at "
                                  f"the foot of page {pages[later].label}, after the page of "
                                  f"its call", call.where))
    return found


def _note_pages(pages: list[Page]) -> dict[int, int]:
    """The index of the first page that prints each note at its foot, by the note's element
    (the element of its call's box too)."""
    printed: dict[int, int] = {}
    for index, page in enumerate(pages):
        for note in page.notes:
            printed.setdefault(id(note.box.element), index)
    return printed


def _calls(pages: list[Page]) -> Iterator[tuple[int, Page, Placed]]:
    """Every footnote call of the pages' flow, with its page and that page's index."""
    for index, page in enumerate(pages):
        for _, leaves in page.lines:
            for leaf in leaves:
                if _is_call(leaf.box):
                    yield index, page, leaf


def _call_number(call) -> str:
    """The number a call prints, without the separator before a second call (",2")."""
    return re.sub(r"^\W+", "", _call_text(call))


def _call_text(call) -> str:
    """What a footnote call prints: its number, and any separator the style sheet adds; not
    the invisible format characters it may carry (the word joiner that keeps it on its word's
    line, U+2060), which would hide that calls 1 and 2 read as 12."""
    text = "".join(getattr(box, "text", "") for box in _descendants(call))
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _descendants(box) -> Iterator:
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)


def table_splits(pages: list[Page], sources: SourceIndex) -> list[Problem]:
    """Tables split across pages: never a short one, and never leaving a single row."""
    parts: dict[str, list[tuple[Page, list[Placed]]]] = {}
    anchor = None  # the table a part continues: the parts follow one another
    for page in pages:
        rows_of, anchor = _table_rows(page, anchor)
        for table, rows in rows_of.items():
            parts.setdefault(table, []).append((page, rows))
    found = []
    for anchor, split in parts.items():
        if len(split) < 2:
            continue
        total = sum(len(rows) for _, rows in split)
        where = sources.tags.get(anchor, Where(None))
        pages_of = f"{split[0][0].pdf} pages {split[0][0].label}–{split[-1][0].label}"
        if total <= SHORT_TABLE:
            found.append(_problem(f"{pages_of}: a table of {total} rows "
                                  f"({sources.table_names.get(anchor)}) is split; a table of "
                                  f"{SHORT_TABLE} rows or fewer stays on one page", where))
            continue
        for page, rows in split:
            if len(rows) < MIN_ROWS:
                at = rows[0].where if rows else where
                left = f"{len(rows)} row" if rows else "only the heading"
                found.append(_problem(f"{page.name}: a split leaves {left} of "
                                      f"{sources.table_names.get(anchor)} on the page "
                                      f"(at least {MIN_ROWS} rows)", at))
    return found


def _table_rows(page: Page, current: str | None) -> tuple[dict[str, list[Placed]], str | None]:
    """The body rows of each data table on the page, by table anchor, and the anchor of the
    last table so far. A table that a first layout split is set in parts: the first has the
    table's id, each later part (class `continued`) none; it belongs to the table before it."""
    tables: dict[str, list[Placed]] = {}
    in_body = False
    for item in page.flow:
        box = item.box
        if isinstance(box, boxes.TableBox):
            continued = "continued" in (box.element.get("class") or "").split()
            current = box.element.get("id") or (current if continued else None)
            if current:
                tables.setdefault(current, [])
        elif isinstance(box, boxes.TableRowGroupBox):
            in_body = box.element_tag == "tbody"  # the repeated header is a thead group
        elif current and in_body and isinstance(box, boxes.TableRowBox):
            tables[current].append(item)
    return tables, current


# ----- warnings


def misaligned_blocks(pages: list[Page]) -> list[Problem]:
    """Footnote area and running heads that do not line up with the text block (a style sheet
    matter, so reported once per PDF, at the style sheet)."""
    found: dict[str, Problem] = {}
    for page in pages:
        body = next((item.box for item in page.flow
                     if getattr(item.box, "element_tag", "") == "body"), None)
        if body is None:
            continue
        text_left, text_right = body.content_box_x(), body.content_box_x() + body.width
        for what, box in _page_furniture(page):
            left, right = box.content_box_x(), box.content_box_x() + box.width
            past = max(text_left - left if what != "right running head" else 0,
                       right - text_right if what != "left running head" else 0)
            if past > TOLERANCE and what not in found:
                found[what] = _problem(f"{page.name}: the {what} reaches {past / MM:.1f} mm "
                                       f"beyond the text block", Where(STYLE_SHEET), "warning")
    return list(found.values())


def _page_furniture(page: Page) -> Iterator[tuple[str, object]]:
    """The page's footnote area and running heads that have something in them."""
    for child in page.box.children:
        # WeasyPrint 70: margin boxes carry their @-rule name; empty ones have no children.
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            yield "footnote area", child
        elif isinstance(child, boxes.MarginBox) and child.children:
            side = {"@top-left": "left", "@top-right": "right"}.get(child.at_keyword)
            if side:
                yield f"{side} running head", child


def short_pages(pages: list[Page]) -> list[Problem]:
    """Pages of a chapter under a third full, and chapter ends of 3 lines or fewer."""
    chapters = [(page, _chapters_on(page)) for page in pages]
    first_page, last_page = {}, {}
    for page, ids in chapters:
        for chapter in ids:
            first_page.setdefault(chapter, page)
            last_page[chapter] = page
    found = []
    for (page, ids), following in zip(chapters, pages[1:] + [None], strict=True):
        ending = [chapter for chapter in ids if last_page[chapter] is page]
        if ids and not ending and following and _fill(page) < MIN_FILL:
            # Located at what comes next: the block too big for the rest of this page.
            found.append(_problem(f"{page.name} is only {_fill(page):.0%} full (less "
                                  f"than a third) and its chapter goes on: what follows does "
                                  f"not fit below", _first_source(following), "warning"))
        runts = [chapter for chapter in ending if first_page[chapter] is not page]
        if runts and (lines := _line_count(page)) <= RUNT_LINES:
            found.append(_problem(f"{page.name}: the chapter ends with {lines} "
                                  f"line{'s' if lines != 1 else ''} alone on its last page",
                                  _first_source(page), "warning"))
    return found


def _first_source(page: Page) -> Where:
    """Where the page's first line of text comes from."""
    return next((item.where for item in page.flow
                 if isinstance(item.box, boxes.TextBox) and item.where.path), Where(None))


def _chapters_on(page: Page) -> list[str]:
    """Ids of the chapter sections (and back matter) with boxes on this page."""
    ids = []
    for item in page.flow:
        element = getattr(item.box, "element", None)
        if (isinstance(item.box, boxes.BlockBox) and element is not None
                and element.tag == "section" and "chapter" in (element.get("class") or "")):
            ids.append(element.get("id"))
    return list(dict.fromkeys(ids))


def _fill(page: Page) -> float:
    """How much of the text area the page's body text and notes take."""
    leaves = [item.box for item in page.flow
              if isinstance(item.box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox))]
    bottom = max((box.position_y + box.margin_height() for box in leaves), default=page.top)
    notes = sum(item.box.margin_height() for item in page.notes
                if isinstance(item.box, boxes.FootnoteAreaBox))
    return (bottom - page.top + notes) / (page.bottom - page.top)


def _line_count(page: Page) -> int:
    """Lines of the page's body text; lines of a table row side by side count once."""
    return len({round(item.box.position_y) for item in page.flow
                if isinstance(item.box, boxes.LineBox)})


def hyphen_runs(pages: list[Page]) -> list[Problem]:
    """More than two lines in a row of one paragraph ending in a hyphen (a 'ladder')."""
    found = []
    for page in pages:
        run, parent = 0, None
        for line, leaves in page.lines:
            same = line.box.element is parent
            ends = _text(leaves).rstrip(" ").endswith(HYPHENS)
            run = (run + 1 if same else 1) if ends else 0
            parent = line.box.element
            if run == HYPHEN_RUN + 1:
                found.append(_problem(f"{page.name}: more than {HYPHEN_RUN} hyphenated "
                                      f"line ends in a row", _source_of(line, leaves),
                                      "warning"))
    return found


def early_line_ends(pages: list[Page]) -> list[Problem]:
    """Lines of a paragraph, not its last on the page, that end before half the measure:
    a forced break (or a call alone on its line) in the middle of running text."""
    found = []
    for page in pages:
        paragraphs: dict[int, list[tuple[Placed, list[Placed]]]] = {}
        for line, leaves in page.lines:
            if line.box.element_tag == "p":
                paragraphs.setdefault(id(line.box.element), []).append((line, leaves))
        for lines in paragraphs.values():
            measure = max(line.box.width for line, _ in lines)
            for line, leaves in lines[:-1]:
                if line.box.width < SHORT_LINE * measure:
                    found.append(_problem(f"{page.name}: a line ends early in the middle of a "
                                          f"paragraph ('{_shorten(_text(leaves))}')",
                                          _source_of(line, leaves), "warning"))
    return found


def stretched_spaces(pages: list[Page]) -> list[Problem]:
    """Spaces, or the gaps between characters, that justification stretched past 1 em in
    Chinese lines."""
    found = []
    for page in pages:
        for item in page.pieces:
            box = item.box
            em = box.style["font_size"] if isinstance(box, boxes.TextBox) else 0
            if not (item.cjk and em and box.text):
                continue
            # Chinese lines are justified between characters (builders/justify.py): the
            # letter spacing of the box's style; any other text by widening spaces, WeasyPrint
            # 70's `justification_spacing` (layout/inline.py, add_word_spacing).
            letters = box.style["letter_spacing"]
            letters = 0 if letters == "normal" else letters
            space = getattr(box, "justification_spacing", 0) + letters + SPACE * em
            if _SPACES.search(box.text) and space > em:
                gap = f"a space to {space / em:.1f} em"
            elif letters > em:
                gap = f"the gaps between characters to {letters / em:.1f} em"
            else:
                continue
            found.append(_problem(f"{page.name}: justification stretches {gap} in "
                                  f"'{_shorten(box.text)}'", item.where, "warning"))
    return found


def cjk_cell_breaks(pages: list[Page]) -> list[Problem]:
    """In Chinese tables, breaks inside a date, a number and its unit, a name, a book title."""
    found = []
    for page in pages:
        for cell, lines in _cell_lines(page).items():
            kind = (cell.element.get("class") or "").split()
            for index, ((tail, _), (head, where)) in enumerate(pairwise(lines)):
                rest = "".join(text for text, _ in lines[index + 1:])
                problem = _break_problem(tail, head, kind, rest)
                if problem:
                    found.append(_problem(f"{page.name}: a line break inside {problem} "
                                          f"in a table cell ('{tail[-6:]}|{head[:6]}')",
                                          where, "warning"))
    return found


def _cell_lines(page: Page) -> dict[object, list[tuple[str, Where]]]:
    """The text of each line of each Chinese table cell on the page."""
    cells: dict[object, list[tuple[str, Where]]] = {}
    for line, leaves in page.lines:
        if line.cjk and line.cell is not None and line.cell.element.tag == "td":
            cells.setdefault(line.cell, []).append((_text(leaves).strip(),
                                                    _source_of(line, leaves)))
    return cells


def _break_problem(tail: str, head: str, kind: list[str], rest: str = "") -> str:
    """What a break between `tail` and `head` (and `rest`, the cell's text from `head` on)
    splits, or '' if it is a fair break."""
    if _UNIT_TAIL.search(tail) and _UNIT_HEAD.match(head):
        return "a date or a number and its unit"
    if set(kind) & set(_NUMBER_CELLS):  # the cell holds one amount ("3.68亿美元"): never broken
        return "a date or a number and its unit"
    if "choice" in kind and _HAN.match(tail[-1:]) and _HAN.match(head[:1]):
        return "a name"
    if tail.count("《") > tail.count("》"):
        rest = rest or head
        closing = rest.find("》")
        title = tail[tail.rfind("《"):] + (rest[:closing + 1] if closing >= 0 else rest + "》")
        return "a book title" if keeps_title(title) else ""  # a long title may wrap
    return ""
