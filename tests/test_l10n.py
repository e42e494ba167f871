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
    (EN, 2_000, "2,000"), (ZH, 2_000, "2000"),  # Chinese: four figures, no separator
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


def test_percentages_leave_the_sign_to_the_wording():
    assert EN.percent(27.3) == "27.3%" and ZH.percent(-15.4) == "15.4%"


HANT = Formatter(Locale.parse("zh_Hant_TW"))


@pytest.mark.parametrize("formatter, period, expected", [
    (EN, Period(date(1994, 3, 7), "day", date(1994, 3, 10)), "7–10 March 1994"),
    (EN, Period(date(1994, 3, 30), "day", date(1994, 4, 2)), "30 March–2 April 1994"),
    (EN, Period(date(2018, 1, 1), "month", date(2018, 11, 1)), "January–November 2018"),
    (EN, Period(date(2007, 1, 1), "year", date(2008, 1, 1)), "2007–2008"),
    (ZH, Period(date(2007, 1, 1), "year", date(2008, 1, 1)), "2007至2008年"),
    (HANT, Period(date(2007, 1, 1), "year", date(2008, 1, 1)), "2007至2008年"),
])
def test_ranges_in_house_style(formatter, period, expected):
    assert formatter.period(period) == expected


@pytest.mark.parametrize("formatter, value, prose, expected", [
    (EN, 8, True, "eight"), (EN, 8, False, "8"), (EN, 40, True, "40"),
    (ZH, 2, True, "两"), (HANT, 2, True, "兩"), (ZH, 8, True, "八"), (ZH, 16, True, "16"),
    (EN, 4_000_000, True, "4 million"),
])
def test_counts_under_ten_are_words_in_prose(formatter, value, prose, expected):
    assert formatter.count(value, prose) == expected


def test_section_names_of_a_source_in_the_editions_script():
    assert ZH.in_script("外部連結") == "外部链接" and ZH.in_script("History") == "History"
    assert HANT.in_script("歷史") == "歷史" and EN.in_script("歷史") == "歷史"
