"""The whole build, top to bottom: configuration, the cache, reading, then each format of each
edition that changed."""

from __future__ import annotations

import importlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from azcn_book import children
from azcn_book.builders import charts
from azcn_book.builders.output import atomic_output, staged_outputs
from azcn_book.cache import (
    Cache,
    Entry,
    Key,
    output_key,
    part_key,
    setting_digest,
    sha256,
)
from azcn_book.config import BookConfig, load_config
from azcn_book.errors import BookError, Problem, Problems
from azcn_book.model import STANDARD_PRINT, Edition, PrintOptions
from azcn_book.readers.book import read_book
from azcn_book.render import templates_dir

FORMATS = ("pdf", "html", "epub")


@dataclass(frozen=True)
class Built:
    """One line of the build report; `cached` when the output was taken from the cache."""

    edition: str
    format: str
    path: Path
    pages: int | None
    seconds: float
    cached: bool = False
    warnings: tuple[Problem, ...] = ()  # of the layout preflight, printed after the line


def build(content: Path, out: Path, editions: list[str] | None, formats: list[str],
          jobs: int = 2, options: PrintOptions = STANDARD_PRINT,
          cache_dir: Path | None = None, use_cache: bool = True,
          strict: bool = False) -> list[Built]:
    """Take every unchanged output from the cache; validate the editions that changed, then
    build them (in parallel) in each format they need. Outputs are staged and reach `out`
    only if every one succeeded (and, when `strict`, none has a layout warning)."""
    config = load_config(content)
    chosen = editions or list(config.editions)
    unknown = [edition for edition in chosen if edition not in config.editions]
    if unknown:
        raise BookError.at(f"no edition {', '.join(unknown)} in book.toml "
                           f"(editions: {', '.join(config.editions)})", config.manifest)
    cache = Cache(cache_dir or out / ".cache") if use_cache else None
    lines, missing = [], {}
    # Builders write into a staging folder; --out receives the outputs only if all succeed.
    with staged_outputs(out) as stage:
        for edition in chosen:
            for name in formats:
                entry = cache and cache.get(output_key(config, edition, name, options,
                                                       templates_dir()))
                if entry:
                    lines.append(reuse(entry, out, stage, edition, name))
                else:
                    missing.setdefault(edition, []).append(name)
        if missing:
            _, read = read_book(config, list(missing))  # every problem of every edition first
            lines += build_editions(content, stage, missing, jobs, options, cache,
                                    {edition.id: edition for edition in read})
        warnings = [warning for line in lines for warning in line.warnings]
        if strict and warnings:
            raise BookError(warnings)
    order = {(edition, name): index for index, (edition, name) in
             enumerate((edition, name) for edition in chosen for name in formats)}
    lines = [replace(line, path=out / line.path.relative_to(stage))
             if line.path.is_relative_to(stage) else line for line in lines]
    return sorted(lines, key=lambda line: order[line.edition, line.format])

def build_editions(content: Path, out: Path, missing: dict[str, list[str]], jobs: int,
                   options: PrintOptions, cache: Cache | None, read: dict[str, Edition]
                   ) -> list[Built]:
    """Build the missing formats of each edition, in worker processes when there are several
    (each reads its edition again; in this process, the editions `read` serve)."""
    folder = cache.folder if cache else None
    if jobs <= 1 or len(missing) == 1:
        results = [build_edition(content, out, edition, names, options, folder, jobs, alone=True,
                                 read=read[edition])
                   for edition, names in missing.items()]
    else:
        # Each edition lays its parts out on every core as well: the last edition to finish
        # does not leave the other cores idle.
        with ProcessPoolExecutor(max_workers=min(jobs, len(missing)),
                                 initializer=children.end_with, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(build_edition, content, out, edition, names, options, folder,
                                   jobs) for edition, names in missing.items()]
            results = _gather(futures)
    return [line for lines in results for line in lines]


def _gather(futures) -> list[list[Built]]:
    """Each worker's report lines; the problems of every edition, not just the first to fail."""
    results, problems = [], Problems()
    for future in futures:
        try:
            results.append(future.result())
        except BookError as error:
            problems.extend(error)
    problems.raise_if_any()
    return results


def build_edition(content: Path, out: Path, edition_id: str, formats: list[str],
                  options: PrintOptions = STANDARD_PRINT, cache_folder: Path | None = None,
                  jobs: int = 1, alone: bool = False, read: Edition | None = None
                  ) -> list[Built]:
    """Read one edition (unless it was `read`) and write each requested format, its parts
    laid out in `jobs` processes (`alone`: no other edition is built meanwhile); store each
    output, with what its builder reported, in the cache."""
    edition = read or read_book(load_config(content), [edition_id])[1][0]
    # Forked before WeasyPrint is loaded, while a core is still free (charts.drawn_aside): the
    # e-book's, outlined and as wide as the standard print's, and the PDF's or HTML's.
    kinds = {charts.e_book_chart(edition) if name == "epub"
             else (options.paper_for(edition.book), False) for name in formats}
    aside = charts.drawn_aside(edition, kinds)
    with aside if jobs > 1 else nullcontext():
        return _build_formats(edition, out, formats, options, cache_folder, jobs, alone)


def _build_formats(edition: Edition, out: Path, formats: list[str], options: PrintOptions,
                   cache_folder: Path | None, jobs: int, alone: bool) -> list[Built]:
    """build_edition, the edition read."""
    edition_id, config = edition.id, edition.book
    cache = Cache(cache_folder) if cache_folder else None
    if {"pdf", "epub"} & set(formats):
        from azcn_book.builders import pdf

        pdf.lay_out_with(jobs, PartStore(cache, config) if cache else None, alone)
        if cache:
            guess_layouts(cache, config, edition_id, options)
    lines = []
    # Without its standard PDF, the EPUB's layout need not make one (pdf.page_map).
    pages_only = "pdf" not in formats or options != STANDARD_PRINT
    for name in formats:
        started = time.perf_counter()
        extra = ({"layout": cached_print_layout(config, edition, cache, pages_only)}
                 if name == "epub" else {})
        path, pages, *more = builder(name)(edition, out, options, **extra)
        # A builder may report warnings (preflight) after path and pages.
        warnings = tuple(more[0]) if more else ()
        line = Built(edition_id, name, path, pages, time.perf_counter() - started,
                     warnings=warnings)
        if cache:
            store(cache, config, edition, line, out, options)
        lines.append(line)
    if cache and {"pdf", "epub"} & set(formats):
        keep_layout_hints(cache, config, edition_id, options)
    return lines


def guess_layouts(cache: Cache, config: BookConfig, edition_id: str,
                  options: PrintOptions) -> None:
    """Start each layout of the edition from the hints its last build settled on (page
    numbers, same-page references, table breaks): after most edits they still hold, and one
    layout does instead of two. The guess is checked (pdf._settle), so a wrong one costs a
    layout, never a wrong page."""
    from azcn_book.builders import pdf
    from azcn_book.builders.pagination import LayoutHints

    # A derived edition never built has its source's pages as the best guess: the same
    # anchors, the same text but for the characters' shapes (zh-Hant from zh-Hans); not its
    # table breaks, which hold only for the same text.
    # Nor does a table's set in other templates, code, libraries or fonts: its widths would be
    # imposed on it, and the pages would be those of the old setting, not of a fresh build.
    source = config.editions[edition_id].derive_from
    for setup in dict.fromkeys((options, STANDARD_PRINT)):
        own = cache.latest(hints_key(config, edition_id, setup))
        entry = own or (cache.latest(hints_key(config, source, setup)) if source else None)
        try:
            if entry:
                hints = LayoutHints.from_report(entry.report["hints"])
                if not own or entry.report["setting"] != setting_digest(templates_dir()):
                    hints = hints.without_tables(set(hints.table_breaks))
                pdf.guess_hints(edition_id, setup, hints)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged guess is no guess: the layout starts from nothing


def keep_layout_hints(cache: Cache, config: BookConfig, edition_id: str,
                      options: PrintOptions) -> None:
    from azcn_book.builders import pdf

    for setup in dict.fromkeys((options, STANDARD_PRINT)):
        hints = pdf.settled_hints(edition_id, setup)
        if hints is not None:
            cache.put(hints_key(config, edition_id, setup),
                      {"hints": hints.report(), "setting": setting_digest(templates_dir())}, b"")


def hints_key(config: BookConfig, edition_id: str, options: PrintOptions) -> Key:
    return output_key(config, edition_id, "hints", options, templates_dir())


def builder(name: str):
    """The `build` function of a format; imported on demand, as WeasyPrint loads slowly and a
    build whose outputs all come from the cache does not need it."""
    assert name in FORMATS
    return importlib.import_module(f"azcn_book.builders.{name}").build


def reuse(entry: Entry, out: Path, stage: Path, edition: str, name: str) -> Built:
    """The report line of a cached output; the file is staged (to be published with the
    others) only if it is missing from `out` or differs from the cached bytes."""
    report = entry.report
    target = out / report["file"]
    try:
        unchanged = sha256(target.read_bytes()) == entry.digest
    except OSError:
        unchanged = False
    if not unchanged:
        target = stage / report["file"]
        with atomic_output(target) as temporary:
            temporary.write_bytes(entry.payload)
    warnings = tuple(Problem.from_report(warning) for warning in report["warnings"])
    return Built(edition, name, target, report["pages"], 0.0, cached=True, warnings=warnings)


def store(cache: Cache, config: BookConfig, edition: Edition, line: Built, out: Path,
          options: PrintOptions) -> None:
    """Keep a freshly built output; a standard PDF also leaves the layout an EPUB needs."""
    payload = line.path.read_bytes()
    report = {"file": line.path.relative_to(out).as_posix(), "pages": line.pages,
              "warnings": [warning.report() for warning in line.warnings]}
    cache.put(output_key(config, line.edition, line.format, options, templates_dir()),
              report, payload)
    standard_pdf = line.format == "pdf" and options == STANDARD_PRINT
    if standard_pdf and not cache.get(layout_key(config, line.edition)):
        from azcn_book.builders import pdf

        keep_print_layout(cache, edition, pdf.print_layout(edition))  # the one just written


def cached_print_layout(config: BookConfig, edition: Edition, cache: Cache | None,
                        pages_only: bool):
    """The standard print layout the EPUB takes page numbers and cover from: cached, or laid
    out now (and cached; `pages_only` when no standard PDF is built)."""
    from azcn_book.builders import pdf

    key = layout_key(config, edition.id)
    entry = cache.get(key) if cache else None
    if entry:
        return pdf.PrintLayout.from_report(entry.report, entry.payload)
    layout = pdf.print_layout(edition, pages_only)
    if cache:
        keep_print_layout(cache, edition, layout)
    return layout


def keep_print_layout(cache: Cache, edition: Edition, layout) -> None:
    """Cache the standard print layout of the edition (pdf.PrintLayout) for its EPUB."""
    cache.put(layout_key(edition.book, edition.id), layout.report(), layout.cover)


class PartStore:
    """The parts of the book laid out on their own (pdf.py), kept in the build cache: after an
    edit to one chapter, the others are taken from here, not laid out again."""

    def __init__(self, cache: Cache, config: BookConfig):
        self.cache, self.config = cache, config

    def key(self, edition: Edition, options: PrintOptions, part: str | None, html: str,
            html_digest: str) -> Key:
        from azcn_book.builders.preflight import source_digest

        return part_key(self.config, edition.id, part, options, html_digest,
                        source_digest(edition, html), templates_dir())

    def get(self, key: Key):
        from azcn_book.builders import pdf

        entry = self.cache.get(key)
        try:
            return entry and pdf.PartLayout.from_report(entry.report, entry.payload)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a damaged entry is laid out again, never trusted

    def put(self, key: Key, layout) -> None:
        self.cache.put(key, layout.report(), layout.pdf)


def layout_key(config: BookConfig, edition_id: str) -> Key:
    return output_key(config, edition_id, "layout", STANDARD_PRINT, templates_dir())
