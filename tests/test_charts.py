"""Charts drawn from the data: localized labels, every value, text kept as text."""

from __future__ import annotations

import os
import re
import zipfile
from base64 import b64decode
from html import unescape
from math import hypot
from pathlib import Path

import pytest
from pypdf import PdfReader

from azcn_book.build import build
from azcn_book.builders import charts, pdf
from azcn_book.builders.charts import chart_svg, draw_chart, figures
from azcn_book.builders.html import chart_sources
from azcn_book.config import load_config
from azcn_book.model import PrintOptions
from azcn_book.readers.book import read_book
from conftest import ECONOMY, TRADE
from makebook import make_book, run_cli, toml_table

EDITIONS = ("en", "zh-Hans", "zh-Hant")


def svg_texts(svg: str) -> str:
    """What the chart writes as text: with svg.fonttype none, its <text> elements."""
    return " ".join(unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.mark.parametrize("edition", EDITIONS)
def test_chart_has_localized_labels_and_every_value(editions, edition):
    model = editions[edition]
    (figure,) = figures(model)
    svg = chart_svg(figure, model, "A4")
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
def test_chart_is_in_the_epub_as_svg_with_alternative_text(built, editions, edition):
    charts = [figure.chart.id for figure in figures(editions[edition])]
    assert charts
    with zipfile.ZipFile(built / edition / "azerbaijan-china-briefing.epub") as package:
        names = package.namelist()
        xhtml = "".join(package.read(name).decode() for name in names if name.endswith(".xhtml"))
    for chart in charts:
        assert f"OEBPS/images/{chart}.svg" in names
        image = re.search(rf'<img src="images/{chart}.svg" alt="([^"]+)"', xhtml)
        assert image and len(image.group(1)) > 10


def test_print_chart_is_a_figure_with_alt(built, editions):
    from test_print_production import structure_alts

    reader = PdfReader(built / "en" / "azerbaijan-china-briefing.pdf")
    alts = structure_alts(reader)
    for figure in figures(editions["en"]):  # the alt text names the table of its figures
        assert any(f"Table {figure.table_placement.number}" in alt for alt in alts), alts


# A table whose values are close and whose labels are long: bars of nearly one length, value
# labels that would touch each other in a grouped column chart; one period is part of a year.
CLOSE_VALUES = """id = "close"
caption.en = "Close values"
caption.zh-Hans = "相近的数值"
[[columns]]
key = "period"
type = "date"
label.en = "Period"
label.zh-Hans = "时期"
{series_columns}
{rows}
[[charts]]
id = "close-chart"
x = "period"
series = ["a", "b", "c"]
caption.en = "Close values, by period"
caption.zh-Hans = "相近的数值（按时期）"
"""
SERIES = "".join(f'[[columns]]\nkey = "{key}"\ntype = "money"\ncurrency = "USD"\n'
                 f'label.en = "Series {key}"\nlabel.zh-Hans = "系列{key}"\n' for key in "abc")
PERIODS = ["2015", "2016", "2017-01/2017-06", "2018", "2019"]


def close_book(folder):
    rows = "".join(f'[[rows]]\nid = "r{n}"\nperiod = "{period}"\na = {1_001_000_000 + n}\n'
                   f'b = {1_002_000_000 + n}\nc = {999_000_000 + n}\n'
                   for n, period in enumerate(PERIODS))
    chapter = ("# Close\n\nValues.{cite}`wp-en, History`\n\n```{table} close\n```\n\n"
               "```{figure} close-chart\n```\n")
    return make_book(folder, chapters={"close": chapter},
                     data={"close": CLOSE_VALUES.format(series_columns=SERIES, rows=rows)},
                     editions=("en", "zh-Hans"))


def read_editions(folder):
    config = load_config(folder)
    _, models = read_book(config, list(config.editions))
    return {model.id: model for model in models}


def overlaps(one, other) -> bool:
    """Two display boxes share ink (touching edges do not count)."""
    return (one.x0 < other.x1 - 0.01 and other.x0 < one.x1 - 0.01
            and one.y0 < other.y1 - 0.01 and other.y0 < one.y1 - 0.01)


@pytest.mark.parametrize("edition", ("en", "zh-Hans"))
def test_value_labels_meet_no_bar_and_no_other_label(tmp_path, edition):
    model = read_editions(close_book(tmp_path / "book"))[edition]
    (figure,) = figures(model)
    assert_legible(draw_chart(figure, model, "A4"), 3 * len(PERIODS))


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_book_chart_is_legible(editions, edition, paper):
    """Whatever the book's figures and labels: nothing cut off, nothing overlapping."""
    model = editions[edition]
    for figure in figures(model):
        bars = sum(1 for row in figure.table.rows for key in figure.chart.series
                   if row.cells.get(key))
        assert_legible(draw_chart(figure, model, paper), bars)


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_legend_of_several_lines_does_not_squeeze_the_bars(editions, edition):
    """A legend too wide for the measure (English on A5) is set a series a line, and the chart
    is as much taller: its bars keep the thickness they have where the legend is one row."""
    model = editions[edition]
    thickness = {}
    for paper in ("A4", "A5"):
        for figure in figures(model):
            canvas = draw_chart(figure, model, paper)
            canvas.canvas.draw()
            renderer = canvas.canvas.get_renderer()
            thickness[paper] = min(bar.get_window_extent(renderer).height
                                   for bar in canvas.axes[0].patches if bar.get_width())
    assert thickness["A5"] == pytest.approx(thickness["A4"], rel=0.03)


def assert_legible(canvas, bar_count):
    canvas.canvas.draw()
    renderer = canvas.canvas.get_renderer()
    (axes,) = canvas.axes
    labels = [text.get_window_extent(renderer) for text in axes.texts]
    bars = [bar.get_window_extent(renderer) for bar in axes.patches]
    assert len(labels) == len(bars) == bar_count
    frame = canvas.bbox
    for index, label in enumerate(labels):
        assert frame.x0 <= label.x0 and label.x1 <= frame.x1, "a value label is cut off"
        assert not any(overlaps(label, bar) for bar in bars), "a label meets a bar"
        assert not any(overlaps(label, other) for other in labels[index + 1:]), "labels meet"
    (legend,) = [legend.get_window_extent(renderer) for legend in canvas.legends]
    assert frame.x0 <= legend.x0 and legend.x1 <= frame.x1, "the legend is cut off"
    assert not any(overlaps(legend, box) for box in labels + bars), "the legend covers bars"


def test_partial_period_is_marked_in_the_chart(tmp_path):
    models = read_editions(close_book(tmp_path / "book"))
    for edition, words in (("en", "(part of the year)"), ("zh-Hans", "（非全年）")):
        (figure,) = figures(models[edition])
        svg = chart_svg(figure, models[edition], "A4")
        ticks = [text for text in svg_text_list(svg) if words in text]
        assert len(ticks) == 1, f"{edition}: one period is part of a year"
        assert sorted(hatch_areas(svg)) == sorted(white_bars(svg)) and len(white_bars(svg)) == 3, \
            "the three bars of the partial period, white, are hatched across their whole area"
        # A tiled SVG pattern shows a seam where its tiles meet in a PDF; lines do not.
        assert "<pattern" not in svg


def white_bars(svg: str) -> list[tuple[float, ...]]:
    """x, y, width, height of each white bar (a closed path of four corners)."""
    found = []
    for d in re.findall(r'<path d="([^"]*)"[^>]*clip-path[^>]*style="fill: #ffffff', svg):
        points = [map(float, pair) for pair in re.findall(r"([-\d.]+) ([-\d.]+)", d)]
        xs, ys = zip(*points, strict=True)
        found.append(tuple(round(v, 1) for v in (min(xs), min(ys), max(xs) - min(xs),
                                                  max(ys) - min(ys))))
    return found


def hatch_areas(svg: str) -> list[tuple[float, ...]]:
    """The rectangle each set of unfilled lines (a hatch) is clipped to."""
    clips = dict(re.findall(r'<clipPath id="(\w+)">\s*<rect ([^/]*)/>', svg))
    found = []
    for clip in re.findall(r'clip-path="url\(#(\w+)\)" style="fill: none; stroke: #', svg):
        rect = dict(re.findall(r'(\w+)="([-\d.]+)"', clips[clip]))
        found.append(tuple(round(float(rect[k]), 1) for k in ("x", "y", "width", "height")))
    return found


def svg_text_list(svg: str) -> list[str]:
    """Each line of text the chart writes (a two-line tick label is two <text> or tspans)."""
    return [unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_epub_chart_draws_its_words_as_paths(tmp_path):
    model = read_editions(close_book(tmp_path / "book"))["zh-Hans"]
    (figure,) = figures(model)
    outlined = chart_svg(figure, model, "A4", outlined=True)
    assert "<text" not in outlined and "font-family" not in outlined
    assert "系列a" in svg_texts(chart_svg(figure, model, "A4"))  # print keeps the words as text


@pytest.mark.parametrize("edition, caption", [
    ("en", r"Figure 1 Close values, by period \(figures: Table 1[^()]*\)"),
    ("zh-Hans", r"图1 相近的数值（按时期；数据见[^（）()]*表1）"),  # one parenthesis, not two
])
def test_figure_caption_names_its_table_in_the_edition_s_punctuation(tmp_path, edition, caption):
    book = close_book(tmp_path / "book")
    result = run_cli("build", "--content", book, "--out", tmp_path / "out", "--edition", edition,
                     "--format", "pdf", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    pages = PdfReader(tmp_path / "out" / edition / "fixture.pdf").pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    assert re.search(caption, text), text


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_chart_s_space_is_the_size_of_the_chart(editions, edition):
    """A layout that writes no page (the EPUB's print layout) sets each chart as an empty
    image: it must take the drawn chart's place exactly."""
    for figure in figures(editions[edition]):
        for paper in ("A4", "A5"):
            drawn = svg_size(chart_svg(figure, editions[edition], paper))
            space = chart_sources(editions[edition], paper, drawn=False)[figure.anchor]
            assert svg_size(b64decode(space.partition(",")[2]).decode()) == drawn


def svg_size(svg: str) -> tuple[str, str, str]:
    """An SVG's width, height and viewBox, as written."""
    root = re.search(r"<svg\b[^>]*>", svg).group(0)
    return tuple(re.search(rf'\b{name}="([^"]+)"', root).group(1)
                 for name in ("width", "height", "viewBox"))


def chart_book(folder: Path) -> Path:
    """A book of three chapters (laid out part by part), the first with a chart followed by
    forty one-line paragraphs that run onto the next page."""
    filler = "\n\n".join(["Exchanges between the two countries went on."] * 40)
    trade = ECONOMY["en"].replace("```{figure} trade-chart\n```\n",
                                  f"```{{figure}} trade-chart\n```\n\n{filler}\n")
    others = {name: f"# {name.title()}\n\nA paragraph.{{cite}}`wp-en, History`\n"
              for name in ("roads", "ports")}
    return make_book(folder, chapters={"trade": trade, **others}, data={"trade": TRADE},
                     editions=("en", "zh-Hans"), book="two_sided = false")


def test_the_epub_s_print_layout_draws_no_chart(tmp_path, monkeypatch):
    """The page map lays out each chart as the space it takes, without matplotlib."""
    _, (edition,) = read_book(load_config(chart_book(tmp_path / "book")), ["en"])

    def draws(*args):
        raise AssertionError("a chart was drawn for a layout that writes no page")

    monkeypatch.setattr(charts, "chart_svg", draws)
    pdf.lay_out_with(1)
    layout = pdf.page_map(edition)
    assert layout.pages == len(layout.pagination.starts) > 4


def test_an_epub_built_alone_breaks_its_print_pages_around_the_chart_s_space(tmp_path,
                                                                             monkeypatch):
    """Built without its PDF, the EPUB lays out its print pages with an empty image in each
    chart's place; lines after the chart run onto the next page, so a space even a line
    higher or lower would move the page markers."""
    book = chart_book(tmp_path / "book")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    epubs = []
    for name, formats in (("alone", ["epub"]), ("both", ["epub", "pdf"])):
        args = [arg for each in formats for arg in ("--format", each)]
        result = run_cli("build", "--content", book, "--out", tmp_path / name, "--no-cache",
                         "--edition", "en", *args)
        assert result.returncode == 0, result.stderr
        epubs.append((tmp_path / name / "en" / "fixture.epub").read_bytes())
    assert epubs[0] == epubs[1]
    pdf = PdfReader(tmp_path / "both" / "en" / "fixture.pdf")
    pages = [page.extract_text() for page in pdf.pages]
    chart = next(index for index, text in enumerate(pages) if "Trade by year" in text)
    assert "Exchanges between" in pages[chart]  # the text after the chart runs over the break
    assert "Exchanges between" in pages[chart + 1]


def test_a_build_draws_its_charts_aside(tmp_path, monkeypatch):
    """An edition built with more than one process draws its charts in a process of their
    own, forked before WeasyPrint loads: the building process draws none, for its PDF or its
    EPUB, and the EPUB carries the chart it would have drawn."""
    book = chart_book(tmp_path / "book")
    parent, draw = os.getpid(), charts._drawn_svg  # noqa: SLF001

    def drawn_aside_only(*args):
        assert os.getpid() != parent, "the building process drew a chart"
        return draw(*args)

    monkeypatch.setattr(charts, "_drawn_svg", drawn_aside_only)
    chart_svg.cache_clear()
    build(book, tmp_path / "out", ["zh-Hans"], ["epub", "pdf"], jobs=2, use_cache=False)
    monkeypatch.undo()
    _, (edition,) = read_book(load_config(book), ["zh-Hans"])
    (figure,) = figures(edition)
    with zipfile.ZipFile(tmp_path / "out" / "zh-Hans" / "fixture.epub") as epub:
        packed = epub.read(f"OEBPS/images/{figure.chart.id}.svg").decode()
    assert packed == draw(figure, edition, "A4", True)
    assert not charts._aside  # noqa: SLF001 (and its process was ended)


def test_charts_drawn_aside_are_those_drawn_here(editions):
    model = editions["en"]
    (figure,) = figures(model)
    chart_svg.cache_clear()
    with charts.drawn_aside(model, {("A4", True), ("A5", False)}):
        aside = charts._aside[model]  # noqa: SLF001
        assert (chart_svg(figure, model, "A4", outlined=True)
                == charts._drawn_svg(figure, model, "A4", True))  # noqa: SLF001
        assert chart_svg(figure, model, "A5") == charts._drawn_svg(figure, model, "A5", False)
        assert set(aside.drawn()) == {(figure.anchor, "A4", True), (figure.anchor, "A5", False)}
    aside.process.join(5)
    assert not aside.process.is_alive()


def test_a_chart_the_side_process_fails_to_draw_is_drawn_here(editions, monkeypatch):
    model = editions["en"]
    (figure,) = figures(model)
    parent, draw = os.getpid(), charts._drawn_svg  # noqa: SLF001

    def fails_aside(*args):
        if os.getpid() != parent:
            raise RuntimeError("no fonts here")
        return draw(*args)

    monkeypatch.setattr(charts, "_drawn_svg", fails_aside)
    chart_svg.cache_clear()
    with charts.drawn_aside(model, {("A4", True)}):
        assert charts._aside[model].drawn() == {}  # noqa: SLF001
        assert chart_svg(figure, model, "A4", outlined=True) == draw(figure, model, "A4", True)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_chart_s_words_are_printed_at_their_size_on_every_paper(tmp_path, economy_book,
                                                                  paper):
    """The chart is drawn as wide as the text block it is printed in: on A5 its value labels
    are not shrunk with it (they were 5.2 pt instead of 7)."""
    build(economy_book, tmp_path / "out", ["en"], ["pdf"], jobs=1, use_cache=False,
          options=PrintOptions(paper=paper))
    sizes = []

    def label_size(text, cm, tm, font, size):  # pypdf: the text's size after both matrices
        if "US$368 million" in text:
            sizes.append(round(size * hypot(tm[2], tm[3]) * hypot(cm[2], cm[3]), 2))

    for page in PdfReader(next((tmp_path / "out" / "en").glob("*.pdf"))).pages:
        page.extract_text(visitor_text=label_size)
    # The amount is also in the text (10.5 pt on A4) and in the table (8.5 pt): the chart's
    # label is the smallest.
    assert min(sizes) == charts.LABEL_SIZE, sizes


def test_a_page_that_begins_with_a_chart_or_a_table_is_marked_before_it_in_the_epub(tmp_path):
    """The e-book's page marker of a print page that opens with a figure or a table stands
    before the figure or the table's caption, not at the first line of text after them. The
    chart (eight periods) and the table (six rows of long text, never split) are each too tall
    for what the text before them leaves of its page."""
    years = [{"id": f'"y{year}"', "year": f'"{year}"', "total": f"{year - 2000}_000_000"}
             for year in range(2006, 2014)]
    trade = toml_table("trade", [("year", "date", "Year", "年份"),
                                 ("total", "money", "Total", "总额")], years)
    trade += ('\n[[charts]]\nid = "trade-chart"\nx = "year"\nseries = ["total"]\n'
              'caption.en = "Trade by year"\ncaption.zh-Hans = "历年贸易额"\n')
    long_text = '"' + " ".join(["An agreement that the two governments signed."] * 6) + '"'
    deals = toml_table("deals", [("year", "date", "Year", "年份"),
                                 ("text", "text", "What", "事项")],
                       [{"id": f'"d{n}"', "year": f'"{2000 + n}"', "text.en": long_text,
                         "text.zh-Hans": long_text} for n in range(6)])
    filler = lambda lines: "\n\n".join(["Exchanges went on."] * lines)  # noqa: E731
    chapter = (f"# Trade\n\n{filler(24)}\n\n```{{figure}} trade-chart\n```\n\n{filler(12)}\n\n"
               "```{table} deals\n```\n\nA paragraph.{cite}`wp-en, History`\n\n"
               f"{filler(2)}\n")  # not the chapter's end: a table there takes text along
    book = make_book(tmp_path / "book", chapters={"trade": {"en": chapter, "zh-Hans": chapter}},
                     data={"trade": trade, "deals": deals}, editions=("en", "zh-Hans"),
                     book="two_sided = false")
    build(book, tmp_path / "out", ["en"], ["pdf", "epub"], jobs=1, use_cache=False)
    reader = PdfReader(tmp_path / "out/en/fixture.pdf")
    pages, labels = [page.extract_text() for page in reader.pages], reader.page_labels
    figure = next(index for index, text in enumerate(pages) if "Figure 1" in text)
    table = next(index for index, text in enumerate(pages) if "Table 1" in text)
    assert "Exchanges" not in pages[figure].split("Figure 1")[0], "the chart opens no page"
    assert "Exchanges" not in pages[table].split("Table 1")[0], "the table opens no page"
    with zipfile.ZipFile(tmp_path / "out/en/fixture.epub") as epub:
        xhtml = "".join(epub.read(name).decode() for name in epub.namelist()
                        if name.endswith(".xhtml"))
    assert re.search(rf'aria-label="{labels[figure]}"></span><img src="images/trade-chart',
                     xhtml)
    assert re.search(rf'<caption><span epub:type="pagebreak"[^>]*aria-label="{labels[table]}"',
                     xhtml)
