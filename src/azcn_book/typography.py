"""Where the print edition cuts a text into runs that are set differently.

WeasyPrint sets a whole text box one way, so what needs its own setting becomes its own run
(the template wraps each in a span): capitalised words in Latin text are never hyphenated (names:
no "Jin-ping"), and in Chinese the first of two adjacent full-width punctuation marks is set at
half width ("halt", as CLREQ describes for "）。" or "》（"); in a table cell, a Chinese title
《…》 stays on one line. Offsets stay those of the original text, for the e-book's page markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A capitalised word, or several in a row ("Xi Jinping", "Azerbaijan’s").
_NAME = re.compile(r"[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*")
_FULL_WIDTH_PUNCTUATION = "，。、；：！？）」』》〉】〕”’（「『《〈【〔“‘"
# A mark followed by another: the first is compressed.
_ADJACENT_MARK = re.compile(f"[{_FULL_WIDTH_PUNCTUATION}](?=[{_FULL_WIDTH_PUNCTUATION}])")
# A book or document title of up to 16 characters, kept on one line in a table cell (a longer
# one would starve the other columns of an A5 page).
_TITLE = re.compile(r"《[^《》]{1,14}》")
# A Chinese date: "1994年3月", "5月20日", "2019年4月25日" — never broken across lines.
_CJK_DATE = re.compile(r"\d{1,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
# A person's name ending a table cell after the title before it (委员长栗战书, 外交部长王毅,
# 总统盖达尔·阿利耶夫): Chinese writes titles before names, and a name is never broken.
# Two to six characters, or a transliteration joined by "·"; kept whole like a title.
_CELL_NAME = re.compile(r"(?<=[长席理统使记任])(?:[\u4e00-\u9fff]{2,6}|"
                        r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6})$")

# What is set apart in Chinese prose, and in a Chinese table cell (compiled once: every text
# of the model goes through `runs`).
_CJK_SPECIAL = re.compile(f"{_CJK_DATE.pattern}|{_ADJACENT_MARK.pattern}")
_CJK_CELL_SPECIAL = re.compile(f"{_TITLE.pattern}|{_CELL_NAME.pattern}|{_CJK_SPECIAL.pattern}")


@dataclass(frozen=True)
class Run:
    """`text` at `offset` of the original; kind "" (plain), "space", "name", "halt", "title"
    or "keep" (a Chinese date, a name in a table cell)."""

    offset: int
    text: str
    kind: str = ""


def runs(text: str, cjk: bool, titles: bool = False) -> list[Run]:
    """The runs of one text of the model, in order; together they are the whole text. With
    `titles` (table cells), a Chinese title 《…》 is a run ("title") never broken, and so is
    a name that ends the cell ("keep")."""
    special = (_CJK_CELL_SPECIAL if titles else _CJK_SPECIAL) if cjk else _NAME
    found: list[Run] = []
    at = 0
    for match in special.finditer(text):
        found += _plain(text, at, match.start())
        found.append(Run(match.start(), match.group(), _kind(match.group(), cjk)))
        at = match.end()
    found += _plain(text, at, len(text))
    # Spaces stay U+0020 (copied and searched as spaces): Chinese lines are justified between
    # characters (builders/justify.py), so a space widens no more than the gap beside it.
    return found


def _kind(special: str, cjk: bool) -> str:
    if not cjk:
        return "name"
    if special.startswith("《"):
        return "title"
    return "halt" if special in _FULL_WIDTH_PUNCTUATION else "keep"


def keeps_title(title: str) -> bool:
    """Whether a table cell keeps this title 《…》 on one line (a longer one may wrap)."""
    return bool(_TITLE.fullmatch(title))


def _plain(text: str, start: int, end: int) -> list[Run]:
    """Plain text, its trailing spaces a run of their own: WeasyPrint 70 mis-breaks a justified
    line after a hyphenated one where a text box ends in a space before the next inline box
    ("cul-ture," then a forced-looking break); a space between boxes does not trigger it."""
    words = text[start:end].rstrip()
    plain = [Run(start, words)] if words else []
    spaces = text[start + len(words):end]
    return plain + ([Run(start + len(words), spaces, "space")] if spaces else [])
