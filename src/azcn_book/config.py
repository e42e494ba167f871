"""The book manifest (`book.toml`), read once into typed objects and validated whole.

Unknown keys are errors: a typo must not silently change the book.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from azcn_book.convert import is_configuration, load_converter
from azcn_book.errors import Problems
from azcn_book.names import edition_problem, id_problem
from azcn_book.readers.tomlfile import TomlFile, load_toml


@dataclass(frozen=True)
class Paper:
    """A paper size and the margins of the text block set on it, in millimetres: what book.css
    sets the pages by, and what the charts are drawn to the width of (`measure`)."""

    width: float
    height: float
    top: float
    outer: float
    bottom: float
    inner: float

    @property
    def measure(self) -> float:
        """The width of the text block."""
        return self.width - self.inner - self.outer


# Letter keeps A4's margins; A5's are a size smaller all round (a 117 mm measure).
PAPERS = {"A4": Paper(210, 297, 22, 20, 24, 24), "A5": Paper(148, 210, 16, 14, 18, 17),
          "Letter": Paper(215.9, 279.4, 22, 20, 24, 24)}
PAPER_SIZES = tuple(PAPERS)


@dataclass(frozen=True)
class EditionConfig:
    """One language edition: its id (a BCP 47 tag such as `zh-Hans`), Babel locale,
    permanent identifier (a URN, the EPUB's dc:identifier), and for an edition made from
    another at build time, that edition and the OpenCC configuration that converts it."""

    id: str
    locale: str
    identifier: str
    derive_from: str = ""
    opencc: str = ""


@dataclass(frozen=True)
class BookConfig:
    """Everything `book.toml` says, checked."""

    root: Path
    name: str
    version: str
    paper: str
    two_sided: bool
    chapters: tuple[str, ...]
    attribution: tuple[str, ...]
    licence: str
    licence_url: str
    title: dict[str, str]
    subtitle: dict[str, str]
    author: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    editions: dict[str, EditionConfig]

    @property
    def manifest(self) -> Path:
        return self.root / "book.toml"


class _Table:
    """Takes typed values out of one TOML table, reporting wrong types and leftovers."""

    def __init__(self, file: TomlFile, path: tuple[str, ...], problems: Problems):
        self.file, self.path, self.problems = file, path, problems
        value = file.data
        for part in path:
            value = value.get(part, {}) if isinstance(value, dict) else {}
        self.values: dict[str, Any] = dict(value) if isinstance(value, dict) else {}

    def take(self, key: str, kind: type, default: Any = ...) -> Any:
        if key not in self.values:
            if default is ...:
                self._report(f"missing key '{key}'", key)
            return None if default is ... else default
        value = self.values.pop(key)
        if not isinstance(value, kind):
            self._report(f"'{key}' must be a {kind.__name__}", key)
            return None if default is ... else default
        return value

    def take_strings(self, key: str) -> tuple[str, ...]:
        values = self.take(key, list) or []
        if not all(isinstance(item, str) for item in values):
            self._report(f"'{key}' must be a list of strings", key)
            return ()
        return tuple(values)

    def finish(self) -> None:
        for key in self.values:
            self._report(f"unknown key '{key}'", key)

    def _report(self, message: str, key: str) -> None:
        dotted = ".".join((*self.path, key))
        line = self.file.line_of(*self.path, key)
        self.problems.add(f"{message} ({dotted})", self.file.path, line)


def load_config(content_dir: Path) -> BookConfig:
    """Read and validate `<content_dir>/book.toml`; raise BookError listing every problem."""
    file = load_toml(content_dir / "book.toml", content_dir)
    problems = Problems()
    for key in file.data.keys() - {"book", "editions"}:
        problems.add(f"unknown table '{key}'", file.path, file.line_of(key))
    editions = _editions(file, problems)
    book = _Table(file, ("book",), problems)
    config = BookConfig(
        root=content_dir,
        name=book.take("name", str),
        version=book.take("version", str),
        paper=book.take("paper", str, "A4"),
        two_sided=book.take("two_sided", bool, False),
        chapters=book.take_strings("chapters"),
        attribution=book.take_strings("attribution"),
        licence=book.take("licence", str),
        licence_url=book.take("licence_url", str),
        title=_per_edition(file, ("book", "title"), editions, problems, str),
        subtitle=_per_edition(file, ("book", "subtitle"), editions, problems, str),
        author=_per_edition(file, ("book", "author"), editions, problems, str),
        keywords=_per_edition(file, ("book", "keywords"), editions, problems, list),
        editions=editions,
    )
    for key in ("title", "subtitle", "author", "keywords"):
        book.values.pop(key, None)
    book.finish()
    _check_values(config, file, problems)
    problems.raise_if_any()
    return config


def _editions(file: TomlFile, problems: Problems) -> dict[str, EditionConfig]:
    editions: dict[str, EditionConfig] = {}
    for edition_id in file.data.get("editions", {}):
        table = _Table(file, ("editions", edition_id), problems)
        locale = table.take("locale", str)
        identifier = table.take("identifier", str)
        derive_from = table.take("derive_from", str, "")
        opencc = table.take("opencc", str, "")
        table.finish()
        # An edition tag names a folder of the output: a bad one is left out of the book.
        if problem := edition_problem(edition_id):
            problems.add(problem, file.path, file.line_of("editions", edition_id))
            continue
        if not _check_derivation(file, edition_id, derive_from, opencc, problems):
            continue
        if identifier and not identifier.startswith("urn:"):
            problems.add("identifier must be a URN such as urn:uuid:…", file.path,
                         file.line_of("editions", edition_id, "identifier"))
        if locale and _is_locale(locale):
            editions[edition_id] = EditionConfig(edition_id, locale, identifier, derive_from,
                                                 opencc)
        elif locale:
            problems.add(f"unknown locale '{locale}'", file.path,
                         file.line_of("editions", edition_id, "locale"))
    if not editions and "editions" not in file.data:
        problems.add("no [editions] table: name at least one edition", file.path)
    return editions


def _check_derivation(file, edition_id, derive_from, configuration, problems) -> bool:
    """Whether an edition's `derive_from` and `opencc` make sense together (both or neither,
    an edition that exists, a configuration OpenCC has); report why not."""
    where = ("editions", edition_id)
    if derive_from and not configuration:
        problem, key = ("a derived edition needs 'opencc' as well, the OpenCC configuration "
                        "that converts it (such as s2tw)"), "derive_from"
    elif configuration and not derive_from:
        problem, key = ("'opencc' needs 'derive_from' as well, the edition to convert",
                        "opencc")
    elif derive_from and derive_from not in file.data.get("editions", {}):
        problem, key = f"'derive_from' names no edition: '{derive_from}'", "derive_from"
    elif configuration and not is_configuration(configuration):
        problem, key = f"unknown OpenCC configuration '{configuration}'", "opencc"
    else:
        return True
    problems.add(problem, file.path, file.line_of(*where, key))
    return False


def _per_edition(file, path, editions, problems, kind) -> dict[str, Any]:
    """A table holding one value per written edition, e.g. `[book.title]`; a derived edition
    gets its source's value converted."""
    table = _Table(file, path, problems)
    written = [edition for edition, config in editions.items() if not config.derive_from]
    values = {edition: table.take(edition, kind) for edition in written}
    table.finish()
    for edition, config in editions.items():
        if config.derive_from and values.get(config.derive_from) is not None:
            convert = load_converter(file.path.parent, edition, config.opencc)
            source = values[config.derive_from]
            values[edition] = [convert(v) for v in source] if kind is list else convert(source)
    if kind is list:
        values = {edition: tuple(value or ()) for edition, value in values.items()}
    return values


def _check_values(config: BookConfig, file: TomlFile, problems: Problems) -> None:
    # The name becomes the outputs' file name and chapter ids become file names and zip
    # entries: each must follow the one id rule, or it could lead outside its folder.
    if config.name is not None and (problem := id_problem("book", config.name)):
        problems.add(f"{problem} ([book] name)", file.path, file.line_of("book", "name"))
    for chapter_id in config.chapters or ():
        if problem := id_problem("chapter", chapter_id):
            problems.add(problem, file.path, file.line_of_item(chapter_id, "book", "chapters"))
    if config.paper not in PAPER_SIZES:
        problems.add(f"paper must be one of {', '.join(PAPER_SIZES)}, not '{config.paper}'",
                     file.path, file.line_of("book", "paper"))
    if config.chapters is not None and not config.chapters:
        problems.add("'chapters' lists no chapter", file.path, file.line_of("book", "chapters"))
    if config.chapters and len(set(config.chapters)) != len(config.chapters):
        problems.add("a chapter is listed twice in 'chapters'", file.path,
                     file.line_of("book", "chapters"))


def _is_locale(name: str) -> bool:
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return False
    return True
