"""Values read as a reader of each edition expects (CLDR data through Babel)."""

from datetime import date

import pytest
from babel import Locale

from azcn_book.l10n import Formatter
from azcn_book.model import Period

EN, ZH = Formatter(Locale.parse("en_GB")), Formatter(Locale.parse("zh_Hans_CN"))


@pytest.mark.parametrize("formatter, value, expected", [
    (EN, 368_000_000, "368 million"), (ZH, 368_000_000, "3.68亿"),
    (EN, 1_847_000_000, "1.847 billion"), (ZH, 1_165_000_000, "11.65亿"),
    (EN, 60_000, "60,000"), (ZH, 60_000, "6万"),
])
def test_amounts(formatter, value, expected):
    assert formatter.amount(value) == expected


@pytest.mark.parametrize("formatter, period, expected", [
    (EN, Period(date(1992, 4, 2), "day"), "2 April 1992"),
    (ZH, Period(date(1992, 4, 2), "day"), "1992年4月2日"),
    (EN, Period(date(2005, 3, 1), "month"), "March 2005"),
    (ZH, Period(date(2005, 3, 1), "month"), "2005年3月"),
    (ZH, Period(date(1994, 3, 7), "day", date(1994, 3, 10)), "1994年3月7日至10日"),
    (ZH, Period(date(2018, 1, 1), "month", date(2018, 11, 1)), "2018年1月至11月"),
])
def test_periods(formatter, period, expected):
    assert formatter.period(period) == expected


def test_signed_percentages():
    assert EN.percent(27.3) == "+27.3%"
    assert ZH.percent(-15.4) == "\u221215.4%"
