"""Localization: gettext catalogs for interface strings, Babel's CLDR data for values.

Interface strings live in the templates and are translated through catalogs in
`templates/locales/<lang>/LC_MESSAGES/messages.po`, compiled in memory at build time so a
fresh clone needs no compile step. Numbers, money, percentages and dates are formatted here,
as plain text, by the edition's locale.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import NullTranslations, Translations

from azcn_book.errors import BookError
from azcn_book.model import Period

# The smallest amount written in words ("368 million", "6万"): below it, digits read better.
# Chinese counts in 万 (10⁴), English in millions.
_COMPACT_FROM = {"zh": 10**4}
_COMPACT_FROM_DEFAULT = 10**6
_SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}


def catalog_path(templates: Path, locale: Locale) -> Path | None:
    """The catalog for a locale: most specific first (zh_Hans_CN, zh_Hans, zh)."""
    names = [str(locale), f"{locale.language}_{locale.script}" if locale.script else "",
             locale.language]
    for name in filter(None, names):
        path = templates / "locales" / name / "LC_MESSAGES" / "messages.po"
        if path.is_file():
            return path
    return None


def load_translations(templates: Path, locale: Locale) -> NullTranslations:
    """Compile the locale's catalog in memory; English, the source language, needs none."""
    path = catalog_path(templates, locale)
    if path is None:
        return NullTranslations()
    try:
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale)
    except Exception as error:  # babel raises several types for a malformed catalog
        line = getattr(error, "lineno", None)
        raise BookError.at(f"malformed catalog: {error}", path, line) from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


class Formatter:
    """Formats data values as text for one locale; its methods become Jinja filters."""

    def __init__(self, locale: Locale):
        self.locale = locale

    def number(self, value: float) -> str:
        """A count: '40', '5 million', '500万' (large numbers in words, as amounts)."""
        return self.amount(value)

    def amount(self, value: float) -> str:
        """A money amount without its currency: '368 million', '3.68亿', '60,000'."""
        threshold = _COMPACT_FROM.get(self.locale.language, _COMPACT_FROM_DEFAULT)
        if abs(value) < threshold:
            return format_decimal(value, locale=self.locale)
        kind = "long" if "long" in self.locale.compact_decimal_formats else "short"
        return format_compact_decimal(value, format_type=kind, locale=self.locale,
                                      fraction_digits=3)

    def percent(self, value: float, signed: bool = True) -> str:
        """A change in per cent, given as 27.3 for 27.3 %: '+27.3%', '−15.4%'."""
        decimals = max(0, -Decimal(str(value)).normalize().as_tuple().exponent)
        digits = "#,##0" + ("." + "0" * decimals if decimals else "")
        pattern = f"+{digits}%;-{digits}%" if signed else f"{digits}%"
        text = format_decimal(value / 100, format=pattern, locale=self.locale)
        return text.replace("-", "\u2212")

    def period(self, period: Period) -> str:
        """A date as precise as it is known: '2 April 1992', 'March 2005', '7–10 Mar 1994'."""
        skeleton = _SKELETONS[period.precision]
        if period.end and period.end != period.start:
            return format_interval(period.start, period.end, skeleton, locale=self.locale)
        if period.precision == "day":
            return format_date(period.start, "long", locale=self.locale)
        return format_skeleton(skeleton, period.start, locale=self.locale)

    def date(self, value) -> str:
        return format_date(value, "long", locale=self.locale)

    def ordinal_form(self, value: int) -> str:
        """CLDR's ordinal category of a number ('one' for 1st, 'two', 'few', 'other')."""
        return self.locale.ordinal_form(value)

    def language_name(self, code: str) -> str:
        return self.locale.languages.get(code, code)
