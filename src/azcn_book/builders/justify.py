"""Justified Chinese: extra room of a line shared between its characters, not only its spaces.

WeasyPrint 70 justifies by widening spaces alone. A Chinese line has none, so every line that
a line-breaking rule ends early (before a Latin word, an opening quotation mark, a note call
kept with its 。) is left short and the right edge of the text goes ragged. CLREQ (§3.8) sets
such lines by inter-character spacing; this module makes WeasyPrint do so for lines in Chinese,
by giving each text box of the line a letter spacing that shares the line's missing width.

WeasyPrint internals (pinned to 70, see pyproject.toml): `layout.inline.justify_line` is the
function the inline layout calls for a justified line; text boxes keep their Pango layout in
`pango_layout`, re-created from `box.style` when drawn, so the spacing lives in a copy of the
box's style.

Measuring a box at a new spacing costs a Pango layout. For text whose every character is one
cluster of non-zero width and takes part in no ligature (Han, CJK and full-width punctuation,
digits, ASCII signs), Pango adds the spacing between each two characters and nothing else, so
the width is computed instead: its width in Pango units plus (characters - 1) times the spacing
in Pango units, as `Layout.set_text` rounds it, plus the spacing `line_size` adds at the end.
Any other text is measured.
"""

from __future__ import annotations

import re

import azcn_book.builders.engine  # noqa: F401 (loads WeasyPrint: see there)

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS
from weasyprint.text.line_break import Layout, create_layout, line_size

_WEASYPRINT_JUSTIFY = inline.justify_line
# One cluster a character, none of zero width, no ligature: ASCII digits, space and signs, the
# middle dot of names, the em dash, CJK punctuation (not the tone marks U+302A-302F, which
# combine), Han, and the full-width forms of ASCII.
_COUNTABLE = re.compile(r"[\u0020-\u0040\u00b7\u2014\u3000-\u3029\u3030-\u303f"
                        r"\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")


_LATIN_OR_FIGURE = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")


def install() -> None:
    """Replace WeasyPrint's justification by ours, once per process."""
    inline.justify_line = justify_line


def justify_line(context, line, extra_width: float) -> None:
    """Inter-character justification for a Chinese line, WeasyPrint's own for any other."""
    if not str(line.style["lang"] or "").startswith("zh"):
        return _WEASYPRINT_JUSTIFY(context, line, extra_width)
    # Pango spaces the characters of each run, WeasyPrint adds one more at a box's end: how
    # much a box widens per point of spacing is computed or measured once, so the line ends
    # flush.
    growth = sum(_growth(context, box) for box in _text_boxes(line) if _spaced_out(box))
    if growth > 0:  # else a line of Latin words and figures only: left as it is
        _spread(context, line, extra_width / growth, 0)


def _spaced_out(box) -> bool:
    """Whether a text box takes part in the spacing: Chinese text only. Figures, dates and
    Latin words are runs of their own (typography.runs) and keep their letters together: a
    justified line reads "2024年", never "2 0 2 4 年"."""
    return bool(box.text) and str(box.style["lang"] or "").startswith("zh") \
        and not _LATIN_OR_FIGURE.search(box.text)


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _spread(context, box, spacing: float, x_advance: float) -> float:
    """Move `box` right by `x_advance`, widen its Chinese text by `spacing` a character;
    return the advance for what follows (the shape of WeasyPrint's own `add_word_spacing`)."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if _spaced_out(box):
            x_advance += _letter_space(context, box, spacing)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, spacing, x_advance)
        box.width += x_advance - before
    else:  # an atomic inline (an image): moved, not widened
        box.translate(x_advance, 0)
    return x_advance


def _growth(context, box) -> float:
    """How much wider a text box becomes with 1 px more letter spacing."""
    style = _spaced(box.style, 1)
    units = _countable_units(box, style)
    width = _width(context, box, style) if units is None else _computed_width(box, units, style)
    return width - box.width


def _letter_space(context, box, spacing: float) -> float:
    """Give a text box `spacing` more letter spacing; return how much wider it became."""
    style = _spaced(box.style, spacing)
    units = _countable_units(box, style)
    if units is None:
        layout = create_layout(box.text, style, context, None, box.justification_spacing)
        width = _measure(layout, style)
    else:
        layout, width = _unlaid_layout(box), _computed_width(box, units, style)
    box.style, box.pango_layout = style, layout
    grown = width - box.width
    box.width = width
    return grown


def _countable_units(box, spaced) -> int | None:
    """The box's width in Pango units if its width at `spaced` can be computed, else None: its
    text countable and set left to right, no spacing of its own (letters, words, WeasyPrint's
    justification) and the letter spacing added not negative."""
    style = box.style
    units = float(box.width * TO_UNITS)
    if (style["letter_spacing"] != "normal" or style["word_spacing"] or style["direction"] != "ltr"
            or box.justification_spacing or spaced["letter_spacing"] < 0
            or not units.is_integer() or not _COUNTABLE.fullmatch(box.text)):
        return None
    return int(units)


def _computed_width(box, units: int, style) -> float:
    """The width `line_size` gives the box's text at `style`'s letter spacing, rounded to
    Pango units as `Layout.set_text` does."""
    spacing = style["letter_spacing"]
    return (units + (len(box.text) - 1) * int(spacing * TO_UNITS)) * FROM_UNITS + spacing


def _unlaid_layout(box):
    """What `create_layout` for the box's text, then `deactivate`, leaves: a Layout that
    drawing sets up again from the box's style (same font, so the same metrics as the box's
    layout), with no width to wrap at."""
    layout = Layout.__new__(Layout)
    vars(layout).update((name, value) for name, value in vars(box.pango_layout).items()
                        if name not in ("layout", "language", "style"))
    layout.text, layout.max_width = box.text, None
    layout.justification_spacing = box.justification_spacing
    layout.first_line_direction = 0  # left to right: the text has no right-to-left letter
    return layout


def _spaced(style, spacing: float):
    """A copy of `style` (shared by the element's other boxes) with more letter spacing."""
    spaced = style.copy()
    base = spaced["letter_spacing"]
    spaced["letter_spacing"] = (0 if base == "normal" else base) + spacing
    return spaced


def _width(context, box, style) -> float:
    return _measure(create_layout(box.text, style, context, None, box.justification_spacing),
                    style)


def _measure(layout, style) -> float:
    """The width of a layout's first line, as WeasyPrint counts it; the layout is left
    deactivated, as WeasyPrint keeps the layouts of laid-out boxes."""
    first_line, _ = layout.get_first_line()
    width, _ = line_size(first_line, style)
    layout.deactivate()
    return width
