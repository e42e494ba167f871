"""The Jinja environment of one edition: templates, its translations and its formatters."""

from __future__ import annotations

from pathlib import Path

import jinja2
from babel import Locale

from azcn_book.errors import BookError
from azcn_book.l10n import Formatter, load_translations
from azcn_book.model import Edition

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def templates_dir() -> Path:
    """The templates folder: beside `src/` in a checkout, or installed with the package."""
    installed = Path(__file__).resolve().parent / "templates"
    return installed if installed.is_dir() else TEMPLATES


def environment(edition: Edition) -> jinja2.Environment:
    """Templates with the edition's catalog installed and value formatters as filters."""
    folder = templates_dir()
    locale = Locale.parse(edition.config.locale)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(load_translations(folder, locale), newstyle=True)
    formatter = Formatter(locale)
    for name in ("number", "amount", "percent", "period", "date", "language_name"):
        env.filters[name] = getattr(formatter, name)
    return env


def render(edition: Edition, template: str, **context) -> str:
    """Render one template for an edition; template mistakes become located errors."""
    env = environment(edition)
    try:
        return env.get_template(template).render(edition=edition, **context)
    except jinja2.TemplateSyntaxError as error:
        raise BookError.at(f"template syntax: {error.message}", Path(error.filename or template),
                           error.lineno) from None
    except jinja2.UndefinedError as error:
        raise BookError.at(f"template: {error.message}", templates_dir() / template) from None
