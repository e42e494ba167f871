"""`--bleed` (`make pdf-print`): what a print shop checks before it prints: the page boxes,
the bleed filled by the cover's colour, and crop and registration marks in the slug outside
the bleed, never inside it."""

from __future__ import annotations

import pypdfium2
import pytest
from pypdf import PdfReader

from makebook import make_book, run_cli

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
SCALE = 4  # pixels per point when the pages are rendered
NAVY = (11, 58, 102)  # the cover's colour, print.css's --accent


@pytest.fixture(scope="module")
def print_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print-shop")
    book = make_book(folder / "book", editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", book, "--out", folder / "out", "--edition", "en",
                     "--bleed", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return folder / "out" / "en" / "fixture-bleed.pdf"


def box(rectangle) -> tuple[float, float, float, float]:
    return tuple(float(value) for value in (rectangle.left, rectangle.bottom, rectangle.right,
                                            rectangle.top))


def test_boxes_are_the_trim_three_millimetres_of_bleed_and_a_slug(print_pdf):
    for page in PdfReader(print_pdf).pages:
        trim, bleed, media = box(page.trimbox), box(page.bleedbox), box(page.mediabox)
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4, abs=0.1)
        assert bleed == pytest.approx((trim[0] - 3 * MM, trim[1] - 3 * MM,
                                       trim[2] + 3 * MM, trim[3] + 3 * MM), abs=0.05)
        slug = min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2],
                   media[3] - bleed[3])
        assert slug >= 6 * MM, "room for marks of normal length beyond the bleed"


class Sheet:
    """A page rendered over its whole MediaBox, read in PDF coordinates (points)."""

    def __init__(self, path, index):
        reader = PdfReader(path)
        self.media = box(reader.pages[index].mediabox)
        self.trim, self.bleed = box(reader.pages[index].trimbox), box(reader.pages[index].bleedbox)
        page = pypdfium2.PdfDocument(path)[index]
        self.image = page.render(scale=SCALE).to_pil().convert("RGB")

    def colour(self, x, y):
        return self.image.getpixel((round((x - self.media[0]) * SCALE),
                                    round((self.media[3] - y) * SCALE) - 1))

    def inked(self, x0, y0, x1, y1, step=0.25) -> list[tuple[float, float]]:
        """The points of a region that are not white."""
        found = []
        steps_x, steps_y = int((x1 - x0) / step), int((y1 - y0) / step)
        for i in range(steps_x):
            for j in range(steps_y):
                x, y = x0 + i * step, y0 + j * step
                if sum(self.colour(x, y)) < 600:
                    found.append((x, y))
        return found


def test_marks_are_in_the_slug_and_of_normal_length(print_pdf):
    sheet = Sheet(print_pdf, 1)  # the title page: white, so any ink near its edge is a mark
    (tx0, ty0, tx1, ty1), (bx0, by0, bx1, by1) = sheet.trim, sheet.bleed
    # nothing drawn in the bleed, all the way round (the band between trim and bleed box)
    for band in ((bx0, by0, tx0, by1), (tx1, by0, bx1, by1), (bx0, by0, bx1, ty0),
                 (bx0, ty1, bx1, by1)):
        assert not sheet.inked(*band, step=0.5), "a mark inside the bleed"
    # a crop mark at each corner, on the trim line, outside the bleed, 3–10 mm long
    mx0, my0, mx1, my1 = sheet.media
    for y, (left, right) in ((ty0, (mx0, bx0)), (ty1, (mx0, bx0)), (ty0, (bx1, mx1)),
                             (ty1, (bx1, mx1))):
        ink = sheet.inked(left, y - 0.3, right, y + 0.3)
        assert ink, f"no crop mark at y={y:.0f}"
        length = max(x for x, _ in ink) - min(x for x, _ in ink)
        assert 3 * MM <= length <= 10 * MM, length / MM
    for x, (low, high) in ((tx0, (my0, by0)), (tx1, (my0, by0)), (tx0, (by1, my1)),
                           (tx1, (by1, my1))):
        ink = sheet.inked(x - 0.3, low, x + 0.3, high)
        assert ink, f"no crop mark at x={x:.0f}"
        length = max(y for _, y in ink) - min(y for _, y in ink)
        assert 3 * MM <= length <= 10 * MM, length / MM
    # a registration target in the slug at the middle of each side
    middle_x, middle_y = (tx0 + tx1) / 2, (ty0 + ty1) / 2
    for region in ((middle_x - 5, my0, middle_x + 5, by0), (middle_x - 5, by1, middle_x + 5, my1),
                   (mx0, middle_y - 5, bx0, middle_y + 5), (bx1, middle_y - 5, mx1, middle_y + 5)):
        assert sheet.inked(*region, step=0.5), f"no registration mark in {region}"


def test_cover_colour_fills_the_bleed_but_not_the_slug(print_pdf):
    sheet = Sheet(print_pdf, 0)
    (tx0, ty0, tx1, ty1), (bx0, _, bx1, _) = sheet.trim, sheet.bleed
    quarter = ty0 + (ty1 - ty0) / 4
    assert sheet.colour((bx0 + tx0) / 2, quarter) == pytest.approx(NAVY, abs=3)
    assert sheet.colour((bx1 + tx1) / 2, quarter) == pytest.approx(NAVY, abs=3)
    assert sheet.colour(bx0 - 3 * MM, quarter) == (255, 255, 255)
    assert sheet.colour(bx1 + 3 * MM, quarter) == (255, 255, 255)
