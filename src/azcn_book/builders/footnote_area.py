"""The height of a page's footnote area, measured one note at a time.

WeasyPrint 70 lays out the whole footnote area again each time a line brings a note to the
page (LayoutContext._update_footnote_area): a page with k notes lays out 1 + 2 + … + k notes
before its final layout, half of all layout time in this book, whose pages carry five or six
notes each. Where the area is only a stack of notes with no margins between them, its height
is the sum of the notes' heights, and each note's height is the same whichever notes stand
above it: so each is measured once, alone in the area, and summed. Anything else (margins that
collapse, a bounded area, inline notes, columns) goes to WeasyPrint's own method. The page's
final footnote area is still laid out by WeasyPrint as a whole (layout/page.py), so only the
room reserved for the notes while the page fills comes from here.

WeasyPrint internals (pinned to 70, see pyproject.toml): `LayoutContext._update_footnote_area`
is called whenever a note joins or leaves the page (layout_footnote, unlayout_footnote,
report_footnote); it sets `current_footnote_area.children` and `.height` and moves
`page_bottom` by the area's margin height, and says whether the area overflows.
"""

from __future__ import annotations

from math import inf

import azcn_book.builders.engine  # noqa: F401 (loads WeasyPrint: see there)

from weasyprint.formatting_structure import boxes, build
from weasyprint.layout import LayoutContext
from weasyprint.layout.block import block_level_layout

_WEASYPRINT_ORIGINAL = LayoutContext._update_footnote_area


def install() -> None:
    """Measure footnote areas note by note in every layout this process makes."""
    LayoutContext._update_footnote_area = _update_footnote_area


def _update_footnote_area(context: LayoutContext) -> bool:
    """LayoutContext._update_footnote_area, with the area's height summed from its notes'."""
    area = context.current_footnote_area
    notes = context.current_page_footnotes
    if context.in_column or not notes or not all(map(_stacks, notes)) or not _unbounded(area):
        return _WEASYPRINT_ORIGINAL(context)
    area.children = notes  # as WeasyPrint does: the page's final layout takes them from here
    if area.height != "auto":
        context.page_bottom += area.margin_height()
    measured = [_measured(context, area, note) for note in notes]
    height = sum(alone.height for alone in measured)
    first = measured[0]
    area.height = height
    context.page_bottom -= first.margin_height() - first.height + height
    return False  # an unbounded area holds all its notes


def _stacks(note: boxes.Box) -> bool:
    """Whether a note sits in the area as a block with no vertical margin to collapse."""
    return (isinstance(note, boxes.BlockBox) and note.style["footnote_display"] == "block"
            and note.style["margin_top"].value == 0 and note.style["margin_bottom"].value == 0)


def _unbounded(area: boxes.Box) -> bool:
    """Whether the area grows with its notes: no max-height, min-height or fixed height."""
    style = area.style
    return (style["height"] == "auto" and style["max_height"].value == inf
            and (style["min_height"] == "auto" or style["min_height"].value == 0))


def _measured(context: LayoutContext, area: boxes.Box, note: boxes.Box) -> boxes.Box:
    """The footnote area laid out with `note` alone, kept for the rest of the layout."""
    cache = context.__dict__.setdefault("_azcn_notes_alone", {})
    key = (note, area.width, id(area.style))
    if key not in cache:
        alone = area.copy_with_children([note]).deepcopy()
        alone = build.create_anonymous_boxes(alone)
        cache[key] = block_level_layout(context, alone, -inf, None, area.page)[0]
    return cache[key]
