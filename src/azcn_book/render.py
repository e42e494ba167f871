"""The Jinja environment of one edition: templates, its translations and its formatters."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale
from babel.support import NullTranslations

from azcn_book import typography
from azcn_book.errors import BookError
from azcn_book.l10n import Formatter, load_translations
from azcn_book.model import Edition

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def templates_dir() -> Path:
    """The templates folder, beside `src/` (the package is installed editable from it)."""
    return TEMPLATES


@lru_cache(maxsize=8)
def environment(locale_name: str) -> jinja2.Environment:
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
    env.install_gettext_translations(translations(locale_name), newstyle=True)
    formatter = Formatter(locale)
    for name in ("number", "amount", "percent", "period", "date", "language_name", "ordinal_form"):
        env.filters[name] = getattr(formatter, name)
    env.filters["runs"] = typography.runs
    return env


@lru_cache(maxsize=8)
def translations(locale_name: str) -> NullTranslations:
    return load_translations(templates_dir(), Locale.parse(locale_name))


def translate(edition: Edition, message: str) -> str:
    """An interface string in the edition's language, for data that is not a template."""
    return translations(edition.config.locale).gettext(message)


def render(edition: Edition, template: str, **context) -> str:
    """Render one template for an edition; template mistakes become located errors."""
    env = environment(edition.config.locale)
    try:
        return env.get_template(template).render(edition=edition, **context)
    except jinja2.TemplateSyntaxError as error:
        raise BookError.at(f"template syntax: {error.message}", Path(error.filename or template),
                           error.lineno) from None
    except jinja2.UndefinedError as error:
        raise BookError.at(f"template: {error.message}", templates_dir() / template) from None
