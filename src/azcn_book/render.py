"""The Jinja environment of one edition: templates, its translations and its formatters."""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
from babel import Locale
from babel.support import NullTranslations

from azcn_book.errors import BookError
from azcn_book.l10n import Formatter, load_translations
from azcn_book.model import Edition

# An installed wheel carries the templates inside the package; a checkout (and an editable
# install of one) has them at the top of the repository, beside src/.
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
REPOSITORY_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def templates_dir() -> Path:
    """The folder of the templates and their message catalogs."""
    return PACKAGED_TEMPLATES if PACKAGED_TEMPLATES.is_dir() else REPOSITORY_TEMPLATES


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
    return env


@lru_cache(maxsize=8)
def translations(locale_name: str) -> NullTranslations:
    return load_translations(templates_dir(), Locale.parse(locale_name))


def translate(edition: Edition, message: str) -> str:
    """An interface string in the edition's language, for data that is not a template."""
    return translations(edition.config.locale).gettext(message)


def render(edition: Edition, template: str, **context) -> str:
    """Render one template for an edition; a mistake of any kind in the templates (syntax,
    a missing template or variable, a filter that fails) becomes an error naming the
    template and its line, never a traceback."""
    env = environment(edition.config.locale)
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
