"""`azcn-book check`: everything that can be wrong with the book, found without typesetting."""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

from azcn_book.config import BookConfig, load_config
from azcn_book.errors import BookError, Problems
from azcn_book.l10n import catalog_path
from azcn_book.model import Chapter, Edition
from azcn_book.readers.book import read_edition, read_library
from azcn_book.render import templates_dir


def check(content: Path) -> None:
    """Raise a BookError listing every problem of the book in `content`."""
    config = load_config(content)
    problems = Problems()
    library = read_library(config, problems)
    editions = [read_edition(config, edition, library, problems) for edition in config.editions]
    check_parallel(editions, problems)
    for edition in config.editions.values():
        check_catalog(config, Locale.parse(edition.locale), problems)
    problems.raise_if_any()


def check_parallel(editions: list[Edition], problems: Problems) -> None:
    """Every edition has the same sections, tables and notes in each chapter as the first."""
    if len(editions) < 2:
        return
    first, *others = editions
    for other in others:
        for mine, theirs in zip(first.chapters, other.chapters, strict=False):
            _compare_chapters(mine, theirs, problems)


def _compare_chapters(mine: Chapter, theirs: Chapter, problems: Problems) -> None:
    my_sections = [section.id for section in mine.sections]
    their_sections = [section.id for section in theirs.sections]
    if my_sections != their_sections:
        where = _first_difference(mine.sections, theirs.sections)
        problems.add(f"sections differ from {_name(mine)}: {', '.join(my_sections) or 'none'} "
                     f"there, {', '.join(their_sections) or 'none'} here", theirs.path, where)
    my_tables = [placement.table.id for placement in mine.tables]
    their_tables = [placement.table.id for placement in theirs.tables]
    if my_tables != their_tables:
        problems.add(f"tables differ from {_name(mine)}: {my_tables} there, {their_tables} here",
                     theirs.path, theirs.tables[0].line if theirs.tables else None)
    if len(mine.notes) != len(theirs.notes):
        problems.add(f"{len(theirs.notes)} notes here, {len(mine.notes)} in {_name(mine)}",
                     theirs.path, None)


def _first_difference(mine, theirs) -> int | None:
    for my_section, their_section in zip(mine, theirs, strict=False):
        if my_section.id != their_section.id:
            return their_section.line
    longer = theirs[len(mine):]
    return longer[0].line if longer else None


def _name(chapter: Chapter) -> str:
    return f"{chapter.path.parent.name}/{chapter.path.name}"


def check_catalog(config: BookConfig, locale: Locale, problems: Problems) -> None:
    """A non-English edition needs a catalog with every message translated and none fuzzy."""
    if locale.language == "en":
        return
    path = catalog_path(templates_dir(), locale)
    if path is None:
        problems.add(f"no message catalog for locale {locale}: run 'make i18n' and translate it",
                     config.manifest)
        return
    try:
        with path.open("rb") as po_file:
            catalog = read_po(po_file)
    except Exception as error:  # babel raises several types for a malformed catalog
        problems.extend(BookError.at(f"malformed catalog: {error}", path))
        return
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            state = "fuzzy" if message.fuzzy else "untranslated"
            problems.add(f"{state} message: {message.id!r}", path, message.lineno)
