"""The whole build, top to bottom: configuration, reading, then each format of each edition."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from azcn_book.builders import epub, html, pdf
from azcn_book.builders.output import staged_outputs
from azcn_book.builders.preflight import enforce
from azcn_book.config import load_config
from azcn_book.errors import BookError, Problem, Problems
from azcn_book.model import STANDARD_PRINT, PrintOptions
from azcn_book.readers.book import read_book

BUILDERS = {"pdf": pdf.build, "html": html.build, "epub": epub.build}


@dataclass(frozen=True)
class Built:
    """One line of the build report."""

    edition: str
    format: str
    path: Path
    pages: int | None
    seconds: float
    warnings: tuple[Problem, ...] = ()  # of the layout preflight, printed after the line


def build(content: Path, out: Path, editions: list[str] | None, formats: list[str],
          jobs: int = 2, options: PrintOptions = STANDARD_PRINT,
          strict: bool = False) -> list[Built]:
    """Validate everything first, then build each edition (in parallel) in each format."""
    config = load_config(content)
    chosen = editions or list(config.editions)
    unknown = [edition for edition in chosen if edition not in config.editions]
    if unknown:
        raise BookError.at(f"no edition {', '.join(unknown)} in book.toml "
                           f"(editions: {', '.join(config.editions)})", config.manifest)
    read_book(config, chosen)  # every problem of every edition before any typesetting
    # Builders write into a staging folder; --out receives the outputs only if all succeed.
    with staged_outputs(out) as stage:
        if jobs <= 1 or len(chosen) == 1:
            results = [build_edition(content, stage, e, formats, options, strict)
                       for e in chosen]
        else:
            with ProcessPoolExecutor(max_workers=min(jobs, len(chosen))) as pool:
                futures = [pool.submit(build_edition, content, stage, e, formats, options,
                                       strict) for e in chosen]
                results = _gather(futures)
    return [replace(line, path=out / line.path.relative_to(stage))
            for lines in results for line in lines]


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
                  options: PrintOptions = STANDARD_PRINT, strict: bool = False) -> list[Built]:
    """Read one edition and write each requested format (runs in a worker process)."""
    config = load_config(content)
    _, (edition,) = read_book(config, [edition_id])
    lines = []
    for name in formats:
        started = time.perf_counter()
        # The PDF's layout preflight: errors stop the build, warnings too when strict.
        warnings = enforce(pdf.layout_findings(edition, options), strict) if name == "pdf" else []
        path, pages = BUILDERS[name](edition, out, options)
        lines.append(Built(edition_id, name, path, pages, time.perf_counter() - started,
                           tuple(warnings)))
    return lines
