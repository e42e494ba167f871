"""The print shop's sheet: the trimmed page, 3 mm of bleed round it, and beyond the bleed a
slug that carries the crop and registration marks.

WeasyPrint 70 draws CSS `marks` inside the bleed itself, half the bleed long, over artwork
that is cut away (and over the cover's colour). So the book asks WeasyPrint for the bleed
only (book.html) and draws the marks here, outside the bleed, at their usual length."""

from __future__ import annotations

import math

import pydyf

MM = 72 / 25.4
BLEED_MM = 3  # what book.html's `bleed` asks for; the PDF's BleedBox says the same
SLUG = 10 * MM  # how far the sheet (MediaBox) reaches beyond the trim
MARK_OFFSET = BLEED_MM * MM + 0.5 * MM  # marks start just outside the bleed...
MARK_LENGTH = 5 * MM  # ...and are as long as print shops draw them
TARGET_RADIUS = 1.5 * MM  # the circle of a registration target
HAIRLINE = 0.25  # pt


def add_slug_and_marks(document, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher (`write_pdf(finisher=...)`), run on its pydyf objects before they
    are written: widen each page to the slug, make its BleedBox exactly the bleed, and draw
    the marks. This reads WeasyPrint's page dictionaries, whose boxes are [x0 y0 x1 y1] in
    PDF space with the trim at the origin, and whose content stream starts with an
    unbalanced flip of the y axis (hence the q … Q put round it)."""
    for page in (obj for obj in pdf.objects
                 if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"):
        trim = _box(page["TrimBox"])
        page["MediaBox"] = pydyf.Array(_grow(trim, SLUG))
        page["BleedBox"] = pydyf.Array(_grow(trim, BLEED_MM * MM))
        save, marks = pydyf.Stream(), pydyf.Stream()
        save.push_state()
        marks.pop_state()
        _draw_marks(marks, trim)
        pdf.add_object(save)
        pdf.add_object(marks)
        page["Contents"] = pydyf.Array([save.reference, page["Contents"], marks.reference])


def _box(array) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in array)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _grow(box, by: float) -> list[float]:
    x0, y0, x1, y1 = box
    return [x0 - by, y0 - by, x1 + by, y1 + by]


def _draw_marks(stream: pydyf.Stream, trim) -> None:
    """Crop marks at the four corners, registration targets at the middle of each side; all
    an artifact to tagged-PDF readers, in black hairlines."""
    x0, y0, x1, y1 = trim
    stream.begin_marked_content("Artifact")
    stream.push_state()
    stream.set_line_width(HAIRLINE)
    stream.set_color_rgb(0, 0, 0, stroke=True)
    for x, y, out_x, out_y in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1),
                               (x1, y1, 1, 1)):
        _line(stream, x + out_x * MARK_OFFSET, y, x + out_x * (MARK_OFFSET + MARK_LENGTH), y)
        _line(stream, x, y + out_y * MARK_OFFSET, x, y + out_y * (MARK_OFFSET + MARK_LENGTH))
    middle = MARK_OFFSET + MARK_LENGTH / 2
    for x, y in (((x0 + x1) / 2, y0 - middle), ((x0 + x1) / 2, y1 + middle),
                 (x0 - middle, (y0 + y1) / 2), (x1 + middle, (y0 + y1) / 2)):
        _target(stream, x, y)
    stream.pop_state()
    stream.end_marked_content()


def _line(stream: pydyf.Stream, xa: float, ya: float, xb: float, yb: float) -> None:
    stream.move_to(xa, ya)
    stream.line_to(xb, yb)
    stream.stroke()


def _target(stream: pydyf.Stream, x: float, y: float) -> None:
    """A circle crossed by two lines as long as a crop mark."""
    half = MARK_LENGTH / 2
    _line(stream, x - half, y, x + half, y)
    _line(stream, x, y - half, x, y + half)
    k = TARGET_RADIUS * 4 / 3 * math.tan(math.pi / 8)  # four Bézier quarter circles
    r = TARGET_RADIUS
    stream.move_to(x + r, y)
    stream.curve_to(x + r, y + k, x + k, y + r, x, y + r)
    stream.curve_to(x - k, y + r, x - r, y + k, x - r, y)
    stream.curve_to(x - r, y - k, x - k, y - r, x, y - r)
    stream.curve_to(x + k, y - r, x + r, y - k, x + r, y)
    stream.stroke()
