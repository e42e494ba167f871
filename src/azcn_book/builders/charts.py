"""Charts drawn from the data at build time: SVG whose text stays text, in the edition's
language and face, with every value written on its bar."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from babel import Locale

from azcn_book.l10n import Formatter
from azcn_book.model import Column, Edition, FigurePlacement
from azcn_book.render import translate

# Sans faces for the charts' labels, by script; the reader's own sans if these are missing.
FAMILIES = {"Hans": "Noto Sans CJK SC", "Hant": "Noto Sans CJK TC", None: "Noto Sans"}
MONEY = {"USD": "US$%(amount)s", "CNY": "RMB %(amount)s"}  # the catalog's money patterns


def figures(edition: Edition) -> list[FigurePlacement]:
    return [figure for chapter in edition.chapters for figure in chapter.figures]


@lru_cache(maxsize=16)  # the print HTML and the EPUB of one edition draw the same chart
def chart_svg(figure: FigurePlacement, edition: Edition) -> str:
    """A grouped bar chart of the figure's series, one group per row of its table."""
    import matplotlib
    from matplotlib.figure import Figure

    locale = Locale.parse(edition.config.locale)
    settings = {"svg.fonttype": "none", "svg.hashsalt": figure.anchor, "font.size": 8,
                "font.family": [FAMILIES.get(locale.script, FAMILIES[None]), "sans-serif"]}
    with matplotlib.rc_context(settings):
        canvas = Figure(figsize=(6.2, 3.0))
        _draw(canvas.add_subplot(), figure, edition, Formatter(locale))
        canvas.tight_layout()
        output = io.StringIO()
        canvas.savefig(output, format="svg", metadata={"Date": None, "Creator": "azcn-book"})
    return output.getvalue()


def data_uri(svg: str) -> str:
    """The SVG inline, for the print HTML (which fetches no file)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _draw(axes, figure: FigurePlacement, edition: Edition, formatter: Formatter) -> None:
    chart, table = figure.chart, figure.table
    columns = [table.column(key) for key in chart.series]
    rows = [row for row in table.rows if any(row.cells.get(key) for key in chart.series)]
    width = 0.8 / len(columns)
    for index, column in enumerate(columns):
        positions = [n + (index - (len(columns) - 1) / 2) * width for n in range(len(rows))]
        values = [row.cells.get(column.key) or 0 for row in rows]
        bars = axes.bar(positions, values, width, label=column.label[edition.id])
        labels = [_value(column, row.cells.get(column.key), edition, formatter) for row in rows]
        axes.bar_label(bars, labels=labels, fontsize=6, padding=1)
    x_column = table.column(chart.x)
    axes.set_xticks(range(len(rows)),
                    [_value(x_column, row.cells.get(chart.x), edition, formatter) for row in rows])
    axes.yaxis.set_major_formatter(lambda value, _: _value(columns[0], value, edition, formatter))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False)


def _value(column: Column, value, edition: Edition, formatter: Formatter) -> str:
    """A value as the edition's tables write it ('US$1.847 billion', '18.47亿美元')."""
    if value is None:
        return ""
    if column.type == "money":
        return translate(edition, MONEY[column.currency]) % {"amount": formatter.amount(value)}
    if column.type == "date":
        return formatter.period(value)
    if column.type == "text":
        return value[edition.id]
    return formatter.number(value)
