"""Charts drawn from the data at build time: SVG in the edition's language and face, with
every value written beside its bar.

Horizontal bars: each bar has a row of its own, so a value label beside it can meet neither
another bar nor another label, however close the values (tests measure the boxes)."""

from __future__ import annotations

import base64
import io
import multiprocessing
import os
import signal
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

from babel import Locale

from azcn_book import children
from azcn_book.config import PAPERS
from azcn_book.l10n import Formatter
from azcn_book.model import STANDARD_PRINT, Column, Edition, FigurePlacement, Period, Row
from azcn_book.render import translate

# Sans faces for the charts' labels, by script; the reader's own sans if these are missing.
FAMILIES = {"Hans": "Noto Sans CJK SC", "Hant": "Noto Sans CJK TC", None: "Noto Sans"}
MONEY = {"USD": "US$%(amount)s", "CNY": "RMB %(amount)s"}  # the catalog's money patterns
# The book's accent navy, an ochre and a pale blue: apart in hue, and in lightness too, so
# that the series stay apart in a greyscale print.
PALETTE = ("#0b3a66", "#c98b2b", "#9dbbdb")
INK, RULE = "#1b1f24", "#8a94a0"  # print.css's --ink and --rule
# Bars of a period that covers part of a year only: diagonal lines this far apart, this wide.
HATCH_INCHES, HATCH_WIDTH = 0.07, 0.9
LABEL_SIZE, TICK_SIZE = 7, 8  # the tables are set in 8.5 pt on A4, 7.5 on A5 (book.css)
BAR_INCHES, GAP_INCHES = 0.17, 0.14  # one bar's height, the space between two periods
MM_PER_INCH = 25.4
# A legend entry's key with the gap to its label, and the gap to the next entry, in ems (the
# legend's handlelength, and matplotlib's handletextpad and columnspacing); a line's height.
LEGEND_KEY_EMS, LEGEND_GAP_EMS, LEGEND_LINE_INCHES = 2.0, 2.0, TICK_SIZE * 1.7 / 72


def e_book_chart(edition: Edition) -> tuple[str, bool]:
    """The paper and the outlining of the e-book's charts: as wide as the standard print's,
    whose pages it marks, and their words drawn as paths (see chart_svg)."""
    return STANDARD_PRINT.paper_for(edition.book), True


def figures(edition: Edition) -> list[FigurePlacement]:
    return [figure for chapter in edition.chapters for figure in chapter.figures]


@lru_cache(maxsize=16)  # the print HTML and the EPUB of one edition draw the same chart
def chart_svg(figure: FigurePlacement, edition: Edition, paper: str,
              outlined: bool = False) -> str:
    """The chart as SVG, as wide as the text block on `paper`, so that its words are set at
    their size. Print keeps its words as text (selectable, set by WeasyPrint in the book's
    face); `outlined` draws them as paths, for the EPUB, whose reading systems may have no CJK
    face to draw an SVG's text with (the image's alt text carries the words there). Taken
    from the process that drew it aside (drawn_aside), if it did."""
    aside = _aside.get(edition)
    if aside is not None and (figure.anchor, paper, outlined) in aside.wanted:
        drawn = aside.drawn()
        if (figure.anchor, paper, outlined) in drawn:
            return drawn[figure.anchor, paper, outlined]
    return _drawn_svg(figure, edition, paper, outlined)


def _drawn_svg(figure: FigurePlacement, edition: Edition, paper: str, outlined: bool) -> str:
    canvas = draw_chart(figure, edition, paper)
    settings = {"svg.fonttype": "path" if outlined else "none", "svg.hashsalt": figure.anchor}
    output = io.StringIO()
    import matplotlib

    with matplotlib.rc_context(settings):
        canvas.savefig(output, format="svg", metadata={"Date": None, "Creator": "azcn-book"})
    return output.getvalue()


class _Aside:
    """A process that draws charts while this one goes on, and the charts it sent back."""

    def __init__(self, edition: Edition, wanted: list[tuple[FigurePlacement, str, bool]]):
        # Forked: the child has the edition without its being pickled.
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_draw_into, daemon=True,
                                       args=(sender, edition, wanted, os.getpid()))
        # Forked with Ctrl-C blocked, which the child keeps: the build answers Ctrl-C and ends
        # the child (close), which prints no traceback of its own. Here it is held back only
        # until the fork is done.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        sender.close()
        self.wanted = {(figure.anchor, paper, outlined) for figure, paper, outlined in wanted}
        self.charts: dict[tuple[str, str, bool], str] | None = None

    def drawn(self) -> dict[tuple[str, str, bool], str]:
        """The charts, by anchor, paper and outlining: none where the process failed (the caller
        then draws them itself, and meets the failure with its own message)."""
        if self.charts is None:
            try:
                self.charts = self.receiver.recv()
            except (EOFError, OSError):
                self.charts = {}
        return self.charts

    def close(self) -> None:
        self.receiver.close()
        self.process.kill()  # a child whose charts were never asked for: blocked sending them
        self.process.join()


# The charts being drawn aside, by edition (drawn_aside).
_aside: dict[Edition, _Aside] = {}


@contextmanager
def drawn_aside(edition: Edition, kinds: set[tuple[str, bool]]) -> Iterator[None]:
    """Within this block, the edition's charts of each kind (paper, outlined) are drawn in a
    process of their own, forked now; chart_svg takes them from there. matplotlib's import and
    the drawing take most of a second, which this process spends meanwhile on loading WeasyPrint
    and laying out the pages. Where processes cannot be forked, chart_svg draws them."""
    wanted = [(figure, *kind) for figure in figures(edition) for kind in sorted(kinds)]
    if not wanted or edition in _aside or "fork" not in multiprocessing.get_all_start_methods():
        yield
        return
    _aside[edition] = aside = _Aside(edition, wanted)
    try:
        yield
    finally:
        del _aside[edition]
        aside.close()


def _draw_into(sender, edition: Edition, wanted: list[tuple[FigurePlacement, str, bool]],
               parent: int) -> None:
    """Draw the `wanted` charts and send them back, all of them or none."""
    children.end_with(parent)
    try:
        drawn = {(figure.anchor, paper, outlined): _drawn_svg(figure, edition, paper, outlined)
                 for figure, paper, outlined in wanted}
    except Exception:  # noqa: BLE001 (chart_svg draws them again and reports what failed)
        drawn = {}
    sender.send(drawn)


def data_uri(svg: str) -> str:
    """The SVG inline, for the print HTML (which fetches no file)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def draw_chart(figure: FigurePlacement, edition: Edition, paper: str):
    """A grouped horizontal bar chart (a matplotlib Figure), one group per row of the table,
    top to bottom in the table's order, its labels fitted inside the canvas."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    locale = Locale.parse(edition.config.locale)
    style = {"font.size": TICK_SIZE, "text.color": INK, "axes.edgecolor": RULE,
             "font.family": [FAMILIES.get(locale.script, FAMILIES[None]), "sans-serif"]}
    rows = _charted_rows(figure)
    with matplotlib.rc_context(style):
        canvas = Figure(figsize=chart_inches(figure, edition, paper), layout="constrained")
        FigureCanvasAgg(canvas)  # measures text as the SVG will draw it
        axes = canvas.add_subplot()
        _draw(axes, figure, rows, edition, Formatter(locale))
        _legend(canvas, legend_columns(figure, edition, paper))
        canvas.draw_without_rendering()  # constrained layout places the axes _fit_labels reads
        _fit_labels(axes)
    return canvas


def chart_inches(figure: FigurePlacement, edition: Edition, paper: str
                 ) -> tuple[float, float]:
    """The chart's width and height: the measure of the paper's text block; a row for each
    bar, and one for each line of the legend after the first."""
    rows = _charted_rows(figure)
    bars = sum(1 for row in rows for key in figure.chart.series if row.cells.get(key))
    series = len(figure.chart.series)
    legend_lines = -(-series // legend_columns(figure, edition, paper))
    return (PAPERS[paper].measure / MM_PER_INCH,
            0.55 + bars * BAR_INCHES + len(rows) * GAP_INCHES
            + (legend_lines - 1) * LEGEND_LINE_INCHES)


def chart_points(figure: FigurePlacement, edition: Edition, paper: str) -> tuple[str, str]:
    """The chart's width and height in points, written as the SVG of chart_svg writes them
    (matplotlib's backend_svg: fixed-point, trailing zeros dropped)."""
    return tuple(f"{inches * 72:f}".rstrip("0").rstrip(".")
                 for inches in chart_inches(figure, edition, paper))


def legend_columns(figure: FigurePlacement, edition: Edition, paper: str) -> int:
    """The legend in one row if it fits the measure, else one series a line. Decided from the
    labels' lengths, not by drawing: the layouts that find where pages break set an empty
    image of the chart's size (chart_points), without matplotlib. An em a wide character,
    0.6 em any other (Noto Sans averages less), with the keys and the gaps between entries:
    an estimate that errs on the side of the narrower legend."""
    labels = [figure.table.column(key).label[edition.id] for key in figure.chart.series]
    ems = sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6
              for label in labels for char in label)
    ems += len(labels) * (LEGEND_KEY_EMS + LEGEND_GAP_EMS)
    fits = ems * TICK_SIZE / 72 <= PAPERS[paper].measure / MM_PER_INCH
    return len(labels) if fits else 1


def _charted_rows(figure: FigurePlacement) -> list[Row]:
    series = figure.chart.series
    return [row for row in figure.table.rows if any(row.cells.get(key) for key in series)]


def _draw(axes, figure: FigurePlacement, rows: list[Row], edition: Edition,
          formatter: Formatter) -> None:
    chart, table = figure.chart, figure.table
    columns = [table.column(key) for key in chart.series]
    partial = partial_rows(rows, chart.x)
    slots = _slots(rows, chart.series)
    for index, column in enumerate(columns):
        color = PALETTE[index % len(PALETTE)]
        drawn = [row for row in rows if row.cells.get(column.key)]
        bars = axes.barh([slots[row.id, column.key] for row in drawn],
                         [row.cells[column.key] for row in drawn], 0.92,
                         label=column.label[edition.id], color=color, edgecolor=color,
                         linewidth=0.6)
        for bar, row in zip(bars, drawn, strict=True):
            if row.id in partial:  # hatched on white: not comparable with whole years
                bar.set_facecolor("white")
                _hatch(axes, bar, color)
        labels = [_value(column, row.cells[column.key], edition, formatter) for row in drawn]
        axes.bar_label(bars, labels=labels, fontsize=LABEL_SIZE, padding=2)
    x_column = table.column(chart.x)
    centres = [sum(slot for (row_id, _), slot in slots.items() if row_id == row.id)
               / sum(1 for row_id, _ in slots if row_id == row.id) for row in rows]
    axes.set_yticks(centres, [_period_label(x_column, row, row.id in partial, edition,
                                                     formatter) for row in rows])
    axes.invert_yaxis()  # the table's first row on top
    axes.tick_params(axis="y", length=0, pad=4)
    axes.xaxis.set_visible(False)  # every value is written on its bar
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    axes.set_xlim(0, max((row.cells.get(key) or 0) for row in rows for key in chart.series))


def _hatch(axes, bar, color: str) -> None:
    """Diagonal lines across the bar, drawn as one line clipped to it. Not matplotlib's hatch:
    that is an SVG pattern of square tiles, whose edges show as a seam across the bar when a
    PDF viewer or printer draws them side by side."""
    from matplotlib.lines import Line2D

    width, height = axes.figure.get_size_inches()
    xs, ys = [], []
    for step in range(int((width + height) / HATCH_INCHES) + 2):
        x = step * HATCH_INCHES  # a line at 45° across the whole canvas, in inches
        xs += [x - height, x, float("nan")]  # nan: lift the pen
        ys += [0, height, float("nan")]
    lines = Line2D(xs, ys, transform=axes.figure.dpi_scale_trans, color=color,
                   linewidth=HATCH_WIDTH, solid_capstyle="butt", zorder=bar.get_zorder())
    axes.add_line(lines)
    lines.set_clip_path(bar)


def _slots(rows: list[Row], series: list[str]) -> dict[tuple[str, str], float]:
    """Where each bar goes, by (row id, series key): a row's bars one under the other, with
    no empty slot for a value the table does not give, and a gap between rows."""
    slots, position = {}, 0.0
    for row in rows:
        for key in series:
            if row.cells.get(key):
                slots[row.id, key] = position
                position += 1
        position += GAP_INCHES / BAR_INCHES
    return slots


def _legend(canvas, columns: int) -> None:
    """The legend above the bars from the canvas's left edge, in `columns` (legend_columns;
    constrained layout makes room for it, chart_inches made the canvas as much taller)."""
    canvas.legend(loc="outside upper left", ncols=columns, frameon=False, fontsize=TICK_SIZE,
                  handlelength=LEGEND_KEY_EMS - 0.8)


def _fit_labels(axes) -> None:
    """Widen the value axis until the longest label ends inside the axes."""
    renderer = axes.figure.canvas.get_renderer()
    for _ in range(4):
        inside = axes.get_window_extent(renderer)
        reach = max(text.get_window_extent(renderer).x1 for text in axes.texts)
        if reach <= inside.x1:
            return
        low, high = axes.get_xlim()
        bar_space = inside.width - (reach - inside.x1) * 1.05
        axes.set_xlim(low, low + (high - low) * inside.width / max(bar_space, inside.width / 4))


def partial_rows(rows: list[Row], x_key: str) -> set[str]:
    """Ids of the rows whose period is part of a year, where other rows are whole years:
    the data says so by the period itself ('2018-01/2018-11' among '2017' and '2020')."""
    periods = {row.id: row.cells.get(x_key) for row in rows}
    if not any(isinstance(p, Period) and _whole_years(p) for p in periods.values()):
        return set()
    return {row_id for row_id, period in periods.items()
            if isinstance(period, Period) and not _whole_years(period)}


def _whole_years(period: Period) -> bool:
    if period.precision == "year":
        return True
    end = period.end or period.start
    last = date(end.year, 12, 31 if period.precision == "day" else 1)
    return period.start == date(period.start.year, 1, 1) and end == last


def _period_label(column: Column, row: Row, partial: bool, edition: Edition,
                  formatter: Formatter) -> str:
    label = _value(column, row.cells.get(column.key), edition, formatter)
    if not partial:
        return label
    return label + "\n" + translate(edition, "(part of the year)")


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
