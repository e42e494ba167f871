"""`azcn-book check`: everything that can be wrong with the book, found without typesetting."""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

from azcn_book.config import BookConfig, EditionConfig, load_config
from azcn_book.coverage import book_text_files, check_characters
from azcn_book.errors import BookError, Problems
from azcn_book.l10n import catalog_path
from azcn_book.model import Edition, Library
from azcn_book.parity import check_parity
from azcn_book.readers.bibliography import key_line
from azcn_book.readers.book import converter, read_edition, read_library
from azcn_book.readers.tomlfile import read_text
from azcn_book.render import templates_dir


def check(content: Path) -> None:
    """Raise a BookError listing every problem of the book in `content`."""
    config = load_config(content)
    problems = Problems()
    library = read_library(config, problems)
    check_characters(config, problems)
    editions = [read_edition(config, edition, library, problems) for edition in config.editions]
    check_parity(editions, problems)
    for edition in config.editions.values():
        if edition.derive_from:  # its catalog is its source's, converted at build time
            check_variants(config, edition, problems)
        else:
            check_catalog(config, Locale.parse(edition.locale), problems)
            check_descriptions(library, edition, problems, config.root / "bibliography.json")
    if not problems.found:  # templates can assume a sound book; else errors would cascade
        check_templates(editions, problems)
    problems.raise_if_any()


def check_templates(editions: list[Edition], problems: Problems) -> None:
    """Render each edition's book HTML (no typesetting), so a template error fails check
    as it would fail the build."""
    from azcn_book.builders.html import book_html  # loads matplotlib: only when it is needed

    for edition in editions:
        try:
            book_html(edition)
        except BookError as error:
            problems.extend(error)


def check_variants(config: BookConfig, edition: EditionConfig, problems: Problems) -> None:
    """Every converted phrase with a rare variant character (一箇), at its source's line."""
    convert = converter(config, edition.id)
    # The derived edition's texts: its source's chapters, the data, titles and bibliography.
    for path in book_text_files(config, [edition.derive_from]):
        try:
            lines = read_text(path, config.root).splitlines()
        except BookError:  # reported already by the readers
            continue
        for number, line in enumerate(lines, start=1):
            for phrase in convert.suspicious_phrases(convert(line)):
                problems.add(f"{edition.id} reads '{phrase}', a rare variant: correct it in "
                             f"phrases/{edition.id}.toml, or accept it there", path, number)


def check_descriptions(library: Library, edition: EditionConfig, problems: Problems,
                       path: Path) -> None:
    """A source's description (`note`) is English; every other written edition needs its own."""
    if Locale.parse(edition.locale).language == "en":
        return
    for reference in library.references.values():
        if reference.note and edition.id not in reference.translated_notes:
            problems.add(f"source '{reference.key}': its note is not translated for "
                         f"{edition.id} (custom.note.{edition.id})", path,
                         key_line(read_text(path, path.parent), reference.key))


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
