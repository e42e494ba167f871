"""Reads the whole book directory: bibliography, data, then every chapter of every edition."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from azcn_book.config import BookConfig, EditionConfig
from azcn_book.convert import Converter, load_converter
from azcn_book.coverage import check_characters
from azcn_book.errors import BookError, Problems
from azcn_book.model import Chapter, Edition, Library
from azcn_book.readers.bibliography import read_bibliography
from azcn_book.readers.data import read_tables
from azcn_book.readers.markdown import EditionContext, check_fragments, read_chapter
from azcn_book.readers.tomlfile import read_text


def read_library(config: BookConfig, problems: Problems) -> Library:
    """The parts every edition shares: the bibliography and the data tables. Texts are
    written per written edition; derived editions get them converted."""
    editions = [edition for edition, e in config.editions.items() if not e.derive_from]
    try:
        references = read_bibliography(config.root, editions, problems)
    except BookError as error:
        problems.extend(error)
        references = {}
    for key in config.attribution:
        if references and key not in references:
            problems.add(f"attribution names '{key}', which is not in bibliography.json",
                         config.manifest)
    tables = read_tables(config.root / "data", editions, references, problems)
    library = Library(tables, references)
    for edition in config.editions.values():
        if edition.derive_from:
            _derive_texts(library, edition, converter(config, edition.id))
    return library


def converter(config: BookConfig, edition_id: str) -> Converter:
    edition = config.editions[edition_id]
    return load_converter(config.root, edition_id, edition.opencc)


def _derive_texts(library: Library, edition: EditionConfig, convert: Converter) -> None:
    """Give a derived edition every text of its source edition, converted."""
    source = edition.derive_from
    texts = []
    for table in library.tables.values():
        texts.append(table.caption)
        texts += [chart.caption for chart in table.charts]
        for column in table.columns:
            texts += [column.label, *column.choices.values()]
            texts += [row.cells[column.key] for row in table.rows
                      if column.type == "text" and row.cells.get(column.key)]
    titles = []
    for reference in library.references.values():
        texts += [reference.translated_notes, reference.translated_authors]
        titles += [reference.translated_titles, reference.translated_containers]
    # A source's title and its publication's are names, not prose: converted as titles.
    for fields, conversion in ((texts, convert), (titles, convert.title)):
        for text in fields:
            if source in text and edition.id not in text:
                text[edition.id] = conversion(text[source])


def read_edition(config: BookConfig, edition_id: str, library: Library,
                 problems: Problems) -> Edition:
    """Read every chapter of one edition, in the order of `book.toml`."""
    context = EditionContext(edition_id, library, problems)
    edition = config.editions[edition_id]
    # A derived edition reads its source's chapters, converted line for line, so that
    # problems still point at the file and line an editor can fix.
    folder = edition.derive_from or edition_id
    convert = converter(config, edition_id) if edition.derive_from else None
    chapters = []
    for chapter_id in config.chapters:
        path = config.root / "chapters" / folder / f"{chapter_id}.md"
        try:
            text = read_text(path, config.root)
        except BookError as error:
            problems.extend(error)
            continue
        chapters.append(read_chapter(path, chapter_id, convert(text) if convert else text,
                                     context))
    _resolve_refs(context, chapters)
    check_fragments(context, chapters)
    if not edition.derive_from:
        _check_unused_chapter_files(config, edition_id, problems)
    sources = [library.references[key] for key in context.cited]
    attribution = [library.references[key] for key in config.attribution
                   if key in library.references]
    return Edition(config.editions[edition_id], config, chapters, sources, attribution,
                   build_date())


def read_book(config: BookConfig, edition_ids: list[str]) -> tuple[Library, list[Edition]]:
    """Read everything the named editions need; raise one BookError listing every problem."""
    problems = Problems()
    library = read_library(config, problems)
    check_characters(config, problems)
    editions = [read_edition(config, edition, library, problems) for edition in edition_ids]
    problems.raise_if_any()
    return library, editions


def source_date() -> datetime | None:
    """The moment SOURCE_DATE_EPOCH names, so that builds can be reproduced; else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(epoch), tz=UTC) if epoch.isdigit() else None


def build_date() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH."""
    moment = source_date()
    return moment.date() if moment else date.today()


def _resolve_refs(context: EditionContext, chapters: list[Chapter]) -> None:
    """Point each {ref} at its table, chapter or section, now that all are read."""
    targets: dict[str, dict] = {}
    for number, chapter in enumerate(chapters, start=1):
        targets[chapter.id] = {"target": "chapter", "anchor": f"chapter-{chapter.id}",
                               "number": number, "title": chapter.title_text}
        for section in chapter.sections:
            targets.setdefault(section.id, {"target": "section", "anchor": section.id,
                                            "number": number, "title": section.title})
    for chart_id, figure in context.figures.items():
        figure.table_placement = context.placements.get(figure.table.id)
        targets[chart_id] = {"target": "figure", "anchor": figure.anchor,
                             "number": figure.number, "title": ""}
    for table_id, placement in context.placements.items():
        targets[table_id] = {"target": "table", "anchor": placement.anchor,
                             "number": placement.number, "title": ""}
    for node, target, path, line in context.refs:
        if target not in targets:
            context.problems.add(f"{{ref}} '{target}': no table, chapter or section has this id",
                                 path, line)
        node.attrs.update(targets.get(target, {}))


def _check_unused_chapter_files(config: BookConfig, edition_id: str, problems: Problems) -> None:
    folder = config.root / "chapters" / edition_id
    if not folder.is_dir():
        problems.add(f"no chapters folder for edition '{edition_id}'", folder)
        return
    for path in sorted(folder.glob("*.md")):
        if path.stem not in config.chapters:
            problems.add(f"chapter file not listed in book.toml 'chapters': {path.name}", path)


