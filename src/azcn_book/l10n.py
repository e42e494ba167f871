"""Localization: gettext catalogs for interface strings, Babel's CLDR data for values.

Interface strings live in the templates and are translated through catalogs in
`templates/locales/<lang>/LC_MESSAGES/messages.po`, compiled in memory at build time so a
fresh clone needs no compile step. Numbers, money, percentages and dates are formatted here,
as plain text, by the edition's locale.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import NullTranslations, Translations
from num2words import num2words

from azcn_book.convert import opencc_configuration
from azcn_book.errors import BookError
from azcn_book.model import Period

# The smallest amount written in words ("368 million", "6万"): below it, digits read better.
# Chinese counts in 万 (10⁴), English in millions.
_COMPACT_FROM = {"zh": 10**4}
_COMPACT_FROM_DEFAULT = 10**6
_SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}
# Intervals are built from CLDR's patterns of these skeletons. CLDR has no interval with full
# month names and day (yMMMMd) for en_GB or zh, so days take yMMMd's and spell the month out.
_INTERVAL_SKELETONS = {"day": "yMMMd", "month": "yMMMM", "year": "y"}
_ABBREVIATED_MONTH = re.compile(r"(?<!M)MMM(?!M)")
# A range has one closed en dash ("7–10 March 1994"); CLDR spaces it between longer parts.
_SPACED_DASH = re.compile(r"\s*–\s*")
# House style over CLDR for Chinese year ranges: CLDR gives "2007–2008年" (zh_Hans) and
# "2007至2008" (zh_Hant, without 年); Chinese writes 2007至2008年 and never an en dash.
_YEAR_RANGES = {"zh": ["y至", "y年"]}
# House style spells out counts and ordinals under ten in prose. num2words spells English;
# Chinese needs only its nine numerals, and counts with 两 where the numeral is 二 (两次, 第二次).
_SPELLED_UP_TO = 9
_NUM2WORDS = {"en": "en"}
_CHINESE_NUMERALS = "〇一二三四五六七八九"


def catalog_path(templates: Path, locale: Locale) -> Path | None:
    """The catalog for a locale: most specific first (zh_Hans_CN, zh_Hans, zh)."""
    names = [str(locale), f"{locale.language}_{locale.script}" if locale.script else "",
             locale.language]
    for name in filter(None, names):
        path = templates / "locales" / name / "LC_MESSAGES" / "messages.po"
        if path.is_file():
            return path
    return None


def load_translations(templates: Path, locale: Locale,
                      convert: Callable[[str], str] | None = None) -> NullTranslations:
    """Compile the locale's catalog in memory; English, the source language, needs none.

    With `convert`, every translation is converted: a derived edition's catalog is made
    from its source edition's at build time (zh_Hant from zh_Hans), never kept by hand."""
    path = catalog_path(templates, locale)
    if path is None:
        return NullTranslations()
    try:
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale)
    except Exception as error:  # babel raises several types for a malformed catalog
        line = getattr(error, "lineno", None)
        raise BookError.at(f"malformed catalog: {error}", path, line) from None
    for message in catalog if convert else ():
        if isinstance(message.string, str):
            message.string = convert(message.string)
        elif message.string:
            message.string = tuple(convert(form) for form in message.string)
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
            # Chinese writes four figures without a separator: 约2000年前, not 2,000.
            return format_decimal(value, locale=self.locale,
                                  group_separator=self.locale.language != "zh")
        kind = "long" if "long" in self.locale.compact_decimal_formats else "short"
        return format_compact_decimal(value, format_type=kind, locale=self.locale,
                                      fraction_digits=3)

    def percent(self, value: float) -> str:
        """A percentage without its sign, given as 27.3 for 27.3 %: '27.3%' for ±27.3.

        The sign of a change is worded by the catalog ('+27.3%', '增长27.3%')."""
        decimals = max(0, -Decimal(str(value)).normalize().as_tuple().exponent)
        digits = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(abs(value) / 100, format=f"{digits}%", locale=self.locale)

    def spelled(self, value: float) -> str | None:
        """The numeral in words if house style writes it so (one to nine), else None."""
        if value != int(value) or not 1 <= value <= _SPELLED_UP_TO:
            return None
        if self.locale.language in _NUM2WORDS:
            return num2words(int(value), lang=_NUM2WORDS[self.locale.language])
        if self.locale.language == "zh":
            return _CHINESE_NUMERALS[int(value)]
        return None

    def count(self, value: float, prose: bool = False) -> str:
        """A count: 'two' / '两' in prose, '2' in tables, '40' and '5 million' everywhere."""
        words = self.spelled(value) if prose else None
        if words and self.locale.language == "zh" and value == 2:
            # counting with a measure word: 两次, 两所, 为期两个月 (兩 in Traditional script)
            return "兩" if self.locale.script == "Hant" else "两"
        return words or self.number(value)

    def ordinal_words(self, value: float) -> str | None:
        """'fourth' where the language has ordinal words and house style spells it out.

        Chinese has none: its ordinal is 第 before the numeral (第四), a catalog pattern."""
        language = self.locale.language
        if language not in _NUM2WORDS or self.spelled(value) is None:
            return None
        return num2words(int(value), lang=_NUM2WORDS[language], to="ordinal")

    def period(self, period: Period) -> str:
        """A date as precise as it is known: '2 April 1992', 'March 2005', '7–10 March 1994'."""
        if period.end and period.end != period.start:
            return self.interval(period)
        if period.precision == "day":
            return format_date(period.start, "long", locale=self.locale)
        return format_skeleton(_SKELETONS[period.precision], period.start, locale=self.locale)

    def interval(self, period: Period) -> str:
        """'7–10 March 1994', 'January–November 2018', '2007至2008年': CLDR's interval
        pattern for the first field that differs, months in full, one closed en dash."""
        start, end = period.start, period.end
        field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        parts = self.interval_parts(period.precision, field)
        text = "".join(format_date(day, part, locale=self.locale)
                       for day, part in zip((start, end), parts, strict=True))
        return _SPACED_DASH.sub("–", text)

    def interval_parts(self, precision: str, field: str) -> list[str]:
        """The two date patterns of an interval whose largest differing field is `field`."""
        if precision == "year" and self.locale.language in _YEAR_RANGES:
            return _YEAR_RANGES[self.locale.language]
        skeleton = _INTERVAL_SKELETONS[precision]
        patterns = self.locale.interval_formats[skeleton]
        parts = patterns.get(field) or patterns[next(iter(patterns))]
        return [_ABBREVIATED_MONTH.sub("MMMM", part) for part in parts]

    def date(self, value) -> str:
        return format_date(value, "long", locale=self.locale)

    def ordinal_form(self, value: int) -> str:
        """CLDR's ordinal category of a number ('one' for 1st, 'two', 'few', 'other')."""
        return self.locale.ordinal_form(value)

    def in_script(self, text: str) -> str:
        """A name quoted from a source, in the edition's script: a section of the Chinese
        article, titled 歷史 and 外部連結 there, is cited as 历史 and 外部链接 in Simplified
        Chinese (OpenCC's tw2sp, which also gives the mainland's terms)."""
        if self.locale.language == "zh" and self.locale.script == "Hans":
            return opencc_configuration("tw2sp").convert(text)
        return text

    def language_name(self, code: str) -> str:
        return self.locale.languages.get(code, code)


# What closes a sentence in the book's languages, and what may follow its stop (”, 」, ）).
_SENTENCE_STOPS = (".", "!", "?", "。", "！", "？", "…")
_CLOSERS = "”’」』）)\"'"


def ends_sentence(nodes: list) -> bool:
    """Whether inline nodes end with a full stop, so that nothing needs adding after them."""
    text = _last_text(nodes).rstrip().rstrip(_CLOSERS)
    return text.endswith(_SENTENCE_STOPS)


def _last_text(nodes: list) -> str:
    for node in reversed(nodes):
        if node.kind == "text" and node.text.strip():
            return node.text
        if node.kind in ("fact", "ref", "noteref"):
            return ""  # a value or a reference closes no sentence
        if node.children:
            return _last_text(node.children)
    return ""
