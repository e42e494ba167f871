"""The e-book: an EPUB 3 package of XHTML chapters, drawn by the same macros as the print
edition, carrying the print edition's page numbers and cover."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale

from azcn_book import __version__
from azcn_book.builders import charts, fonts, pdf
from azcn_book.builders.output import atomic_output, output_path
from azcn_book.builders.pagination import Pagination
from azcn_book.model import STANDARD_PRINT, Chapter, Edition, PrintOptions
from azcn_book.readers.book import source_date
from azcn_book.render import render, translate

XHTML = "application/xhtml+xml"


@dataclass(frozen=True)
class Part:
    """One content document of the package, in reading order."""

    id: str
    kind: str  # cover | title | chapter | sources | colophon
    title: str
    landmark: str = ""
    chapter: Chapter | None = None
    number: int | None = None

    @property
    def file(self) -> str:
        return f"{self.id}.xhtml"


@dataclass(frozen=True)
class Resource:
    """A file of the package other than the navigation documents."""

    id: str
    href: str
    media_type: str
    data: bytes
    properties: str = ""


def build(edition: Edition, out_dir: Path, options: PrintOptions = STANDARD_PRINT,
          layout: pdf.PrintLayout | None = None) -> tuple[Path, int]:
    """Write `<out>/<edition>/<name>.epub`; return its path and its number of print pages.

    Page numbers and cover come from the standard print edition, whatever `options` say:
    `layout` if the build has it (cached), else laid out now."""
    layout = layout or pdf.print_layout(edition)
    target = output_path(out_dir, edition, ".epub")
    parts = book_parts(edition)
    anchor_files = _anchor_files(edition, parts)
    pagination = layout.pagination
    paper, outlined = charts.e_book_chart(edition)
    svgs = {figure: charts.chart_svg(figure, edition, paper, outlined=outlined)
            for figure in charts.figures(edition)}
    shared = {"text_marks": pagination.text_marks, "block_marks": pagination.block_marks,
              "chart_src": {figure.anchor: f"images/{figure.chart.id}.svg" for figure in svgs},
              "anchor_files": anchor_files}
    documents = content_documents(edition, parts, shared)
    text = "".join(document.data.decode("utf-8") for document in documents)
    resources = documents + [
        Resource("css", "css/epub.css", "text/css", _template_bytes(edition, "epub/epub.css")),
        Resource("font-cjk", "fonts/cjk.otf", "font/otf",
                 fonts.subset_font(fonts.cjk_family(_script(edition)), text)),
        Resource("cover-image", "images/cover.png", "image/png", layout.cover,
                 "cover-image"),
    ] + [Resource(f"chart-{figure.chart.id}", f"images/{figure.chart.id}.svg", "image/svg+xml",
                  svg.encode("utf-8")) for figure, svg in svgs.items()]
    context = {"parts": parts, "resources": resources, "modified": _modified(edition),
               "page_breaks": page_list(pagination, anchor_files), **shared}
    entries = [("META-INF/container.xml", _template_bytes(edition, "epub/container.xml")),
               ("OEBPS/package.opf", _template_bytes(edition, "epub/package.opf", **context)),
               ("OEBPS/nav.xhtml", _template_bytes(edition, "epub/nav.xhtml", **context)),
               ("OEBPS/toc.ncx", _template_bytes(edition, "epub/toc.ncx", **context))]
    entries += [(f"OEBPS/{resource.href}", resource.data) for resource in resources]
    with atomic_output(target) as temporary:
        _write_zip(temporary, entries, edition)
    return target, layout.pages


def book_parts(edition: Edition) -> list[Part]:
    """Cover, title page, one document per chapter, sources, colophon."""
    parts = [Part("cover", "cover", edition.title, "cover"),
             Part("title", "title", edition.title, "titlepage")]
    for number, chapter in enumerate(edition.chapters, start=1):
        parts.append(Part(f"chapter-{number:02d}-{chapter.id}", "chapter", chapter.title_text,
                          "bodymatter" if number == 1 else "", chapter, number))
    parts.append(Part("sources", "sources", translate(edition, "Sources"), "bibliography"))
    parts.append(Part("colophon", "colophon", translate(edition, "Colophon")))
    return parts


def content_documents(edition: Edition, parts: list[Part], shared: dict) -> list[Resource]:
    """One XHTML document per part; `shared` holds page marks, chart files and link targets."""
    return [Resource(part.id, part.file, XHTML,
                     _template_bytes(edition, "epub/document.xhtml", part=part,
                                     notes_as="aside", version=__version__, **shared))
            for part in parts]


@dataclass(frozen=True)
class PageBreak:
    """An entry of the page list: the marker of print page `number` (printed `label`)."""

    number: int
    label: str
    file: str

    @property
    def anchor(self) -> str:
        return f"page-{self.label}"


def page_list(pagination: Pagination, files: dict[str, str]) -> list[PageBreak]:
    return [PageBreak(number, start.label,
                      files[start.text.split("/")[0] if start.text else start.block])
            for number, start in enumerate(pagination.starts, start=1)]


def _anchor_files(edition: Edition, parts: list[Part]) -> dict[str, str]:
    """Which file holds each link target and page-start block once the book is split."""
    files = {part.kind: part.file for part in parts if part.chapter is None}
    files["contents"] = "nav.xhtml"
    files.update({f"source-{ref.key}": files["sources"] for ref in edition.sources})
    for part in parts:
        if part.chapter is None:
            continue
        chapter = part.chapter
        anchors = [chapter.id, f"chapter-{chapter.id}"] + [s.id for s in chapter.sections]
        anchors += [placement.anchor for placement in chapter.tables]
        anchors += [figure.anchor for figure in chapter.figures]
        anchors += [f"{placement.anchor}/{row.id}" for placement in chapter.tables
                    for row in placement.table.rows]
        anchors += [note.anchor for note in chapter.notes]
        files.update({anchor: part.file for anchor in anchors})
        files[f"toc-{chapter.id}"] = "nav.xhtml"
    return files


def _script(edition: Edition) -> str | None:
    return Locale.parse(edition.config.locale).script


def _template_bytes(edition: Edition, template: str, **context) -> bytes:
    return render(edition, template, **context).encode("utf-8")


def _modified(edition: Edition) -> str:
    """dcterms:modified: SOURCE_DATE_EPOCH when set, else the newest file of the book."""
    moment = source_date() or datetime.fromtimestamp(
        max(path.stat().st_mtime for path in edition.book.root.rglob("*") if path.is_file()),
        tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_zip(path: Path, entries: list[tuple[str, bytes]], edition: Edition) -> None:
    """`mimetype` first and stored, then every entry in a fixed order with a fixed date."""
    stamp = edition.build_date.timetuple()[:6]
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype", stamp), b"application/epub+zip",
                         compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            package.writestr(zipfile.ZipInfo(name, stamp), data,
                             compress_type=zipfile.ZIP_DEFLATED)
