"""Charts drawn from the data: localized labels, every value, text kept as text."""

from __future__ import annotations

import re
import zipfile
from html import unescape

import pytest
from pypdf import PdfReader

from azcn_book.builders.charts import chart_svg, figures

EDITIONS = ("en", "zh-Hans", "zh-Hant")


def svg_texts(svg: str) -> str:
    """What the chart writes as text: with svg.fonttype none, its <text> elements."""
    return " ".join(unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.mark.parametrize("edition", EDITIONS)
def test_chart_has_localized_labels_and_every_value(editions, edition):
    model = editions[edition]
    (figure,) = figures(model)
    svg = chart_svg(figure, model)
    texts = svg_texts(svg)
    assert "<path" in svg and "<text" in svg
    for key in figure.chart.series:
        assert figure.table.column(key).label[edition] in texts
    money = {"en": "US$1.847 billion", "zh-Hans": "18.47亿美元", "zh-Hant": "18.47億美元"}
    assert money[edition] in texts
    values = [row.cells[key] for row in figure.table.rows for key in figure.chart.series
              if row.cells.get(key)]
    assert texts.count("US$" if edition == "en" else "美元") >= len(values)


@pytest.mark.parametrize("edition", EDITIONS)
def test_chart_is_in_the_epub_as_svg_with_alternative_text(built, edition):
    with zipfile.ZipFile(built / edition / "azerbaijan-china-briefing.epub") as package:
        names = package.namelist()
        chapter = next(name for name in names if name.endswith("economy.xhtml"))
        xhtml = package.read(chapter).decode()
    assert "OEBPS/images/trade-chart.svg" in names
    image = re.search(r'<img src="images/trade-chart.svg" alt="([^"]+)"', xhtml)
    assert image and len(image.group(1)) > 10


def test_print_chart_is_a_figure_with_alt(built):
    from test_print_production import structure_alts

    reader = PdfReader(built / "en" / "azerbaijan-china-briefing.pdf")
    alts = structure_alts(reader)
    assert any("Table 2" in alt for alt in alts), alts
