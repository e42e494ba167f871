"""The Jinja environment of one edition: templates, its translations and its formatters."""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale
from babel.support import NullTranslations

from azcn_book import typography
from azcn_book.convert import load_converter
from azcn_book.errors import BookError
from azcn_book.l10n import Formatter, ends_sentence, load_translations
from azcn_book.model import Edition, by_source

# An installed wheel carries the templates inside the package; a checkout (and an editable
# install of one) has them at the top of the repository, beside src/.
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
REPOSITORY_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def templates_dir() -> Path:
    """The folder of the templates and their message catalogs."""
    return PACKAGED_TEMPLATES if PACKAGED_TEMPLATES.is_dir() else REPOSITORY_TEMPLATES


def catalog_of(edition: Edition) -> tuple:
    """What an edition's interface strings come from: its locale's catalog or, for a derived
    edition, its source edition's catalog and the conversion (root, edition, OpenCC)."""
    config = edition.config
    if not config.derive_from:
        return (config.locale,)
    source = edition.book.editions[config.derive_from]
    return (source.locale, str(edition.book.root), config.id, config.opencc)


def environment(edition: Edition) -> jinja2.Environment:
    return _environment(edition.config.locale, catalog_of(edition))


@lru_cache(maxsize=8)
def _environment(locale_name: str, catalog: tuple) -> jinja2.Environment:
    """Templates with the locale's catalog installed and value formatters as filters."""
    folder = templates_dir()
    locale = Locale.parse(locale_name)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(catalog), newstyle=True)
    formatter = Formatter(locale)
    for name in ("number", "amount", "percent", "period", "date", "language_name", "ordinal_form",
                 "count", "spelled", "ordinal_words", "in_script"):
        env.filters[name] = getattr(formatter, name)
    env.filters["ends_sentence"] = ends_sentence
    env.filters["runs"] = typography.runs
    env.filters["by_source"] = by_source
    return env


@lru_cache(maxsize=8)
def translations(catalog: tuple) -> NullTranslations:
    """The compiled catalog `catalog_of` names, converted for a derived edition."""
    locale_name, *derivation = catalog
    convert = load_converter(Path(derivation[0]), *derivation[1:]) if derivation else None
    return load_translations(templates_dir(), Locale.parse(locale_name), convert)


def translate(edition: Edition, message: str) -> str:
    """An interface string in the edition's language, for data that is not a template."""
    return translations(catalog_of(edition)).gettext(message)


def render(edition: Edition, template: str, **context) -> str:
    """Render one template for an edition; a mistake of any kind in the templates (syntax,
    a missing template or variable, a filter that fails) becomes an error naming the
    template and its line, never a traceback."""
    env = environment(edition)
    try:
        return env.get_template(template).render(edition=edition, **context)
    except BookError:
        raise
    except jinja2.TemplateSyntaxError as error:
        raise BookError.at(f"template syntax: {error.message}", Path(error.filename or template),
                           error.lineno) from None
    except jinja2.TemplateNotFound as error:
        path, line = _template_line(error, template)
        raise BookError.at(f"template not found: {error.name}", path, line) from None
    except Exception as error:  # UndefinedError, or a filter or macro raising
        path, line = _template_line(error, template)
        raise BookError.at(f"template error: {type(error).__name__}: {error}", path,
                           line) from None


def _template_line(error: Exception, template: str) -> tuple[Path, int | None]:
    """The innermost template file and line in the error's traceback (Jinja rewrites its
    frames to point at template source), else the template being rendered."""
    folder = str(templates_dir())
    found: tuple[Path, int | None] = (templates_dir() / template, None)
    for frame, line in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.startswith(folder):
            found = (Path(frame.f_code.co_filename), line)
    return found
