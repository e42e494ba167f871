"""Where the print edition cuts a text into runs that are set differently.

WeasyPrint sets a whole text box one way, so what needs its own setting becomes its own run
(the template wraps each in a span): capitalised words in Latin text are never hyphenated (names:
no "Jin-ping"), and in Chinese the first of two adjacent full-width punctuation marks is set at
half width ("halt", as CLREQ describes for "）。" or "》（"); in a table cell, a Chinese title
《…》 stays on one line. Text in another language than the edition's — Chinese quoted in the
English edition, an English title in a Chinese one — is a run with its `lang`, so that it is set
in the face of its script (Traditional characters in the TC face) and read in its language.
Offsets stay those of the original text, for the e-book's page markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from azcn_book.convert import opencc_configuration

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
# 总统盖达尔·阿利耶夫, and the Traditional forms 長, 統, 記 of the zh-Hant edition): Chinese
# writes titles before names, and a name is never broken.
# Two to six characters, or a transliteration joined by "·"; kept whole like a title.
_CELL_NAME = re.compile(r"(?<=[长長席理统統使记記任])(?:[\u4e00-\u9fff]{2,6}|"
                        r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6})$")

# Chinese in a Latin text: from its first Chinese character or mark to its last, figures and
# middle dots (盖达尔·阿利耶夫) included; curly quotes around it stay the text's own.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = f"\u2e80-\u2fdf\u3000-\u303f{_HAN}\uff00-\uffef"
_CHINESE = re.compile(f"[{_CJK}](?:[{_CJK}0-9·]*[{_CJK}])?")
# Latin words in a Chinese text ("Azerbaijan–China relations", "2000-present", "People’s"),
# with the spaces and commas between them: English wherever the book has them.
_LATIN_WORD = r"(?:[0-9]+[-–‐/.]?)?[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9’'\-–‐./&]*"
_LATIN = re.compile(f"{_LATIN_WORD}(?:[ ,:]+{_LATIN_WORD})*")

# What is set apart in Chinese prose, and in a Chinese table cell (compiled once: every text
# of the model goes through `runs`).
# A figure in Chinese text ("11.9%", "2007"): a run of its own, never broken, and never spaced
# out when a line is justified between its characters (builders/justify.py spaces Chinese only).
_CJK_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?")
# Two names joined by a full-width dash (中国－阿塞拜疆关系): no line begins with the dash.
_CJK_JOINED = re.compile(r"[\u4e00-\u9fff]－[\u4e00-\u9fff]")
_CJK_SPECIAL = re.compile(f"{_CJK_DATE.pattern}|{_ADJACENT_MARK.pattern}|{_CJK_NUMBER.pattern}|"
                          f"{_CJK_JOINED.pattern}")
_CJK_CELL_SPECIAL = re.compile(f"{_TITLE.pattern}|{_CELL_NAME.pattern}|{_CJK_SPECIAL.pattern}")


@dataclass(frozen=True)
class Run:
    """`text` at `offset` of the original; kind "" (plain), "space", "name", "halt", "title"
    or "keep" (a Chinese date, a name in a table cell); `lang` the language of a run in
    another language than the edition's ("en", "zh-Hans", "zh-Hant" or, undecided, "zh")."""

    offset: int
    text: str
    kind: str = ""
    lang: str = ""


def runs(text: str, cjk: bool, titles: bool = False) -> list[Run]:
    """The runs of one text of the model, in order; together they are the whole text. With
    `titles` (table cells), a Chinese title 《…》 is a run ("title") never broken, and so is
    a name that ends the cell ("keep"). A part in the other script is set by its own rules,
    its runs marked with its language (spaces between runs are the text's own)."""
    found: list[Run] = []
    at = 0
    for start, end, lang in foreign(text, cjk):
        found += _runs(text, at, start, cjk, titles, "")
        found += _runs(text, start, end, not cjk, titles, lang)
        at = end
    found += _runs(text, at, len(text), cjk, titles, "")
    # Spaces stay U+0020 (copied and searched as spaces): Chinese lines are justified between
    # characters (builders/justify.py), so a space widens no more than the gap beside it.
    return found


def _runs(text: str, start: int, end: int, cjk: bool, titles: bool, lang: str) -> list[Run]:
    special = (_CJK_CELL_SPECIAL if titles else _CJK_SPECIAL) if cjk else _NAME
    found: list[Run] = []
    at = start
    for match in special.finditer(text, start, end):
        found += _plain(text, at, match.start(), lang)
        found.append(Run(match.start(), match.group(), _kind(match.group(), cjk), lang))
        at = match.end()
    return found + _plain(text, at, end, lang)


def foreign(text: str, cjk: bool) -> list[tuple[int, int, str]]:
    """(start, end, lang) of each part of a text in the other script than its edition's:
    Latin words in Chinese are English; Chinese in English is Traditional or Simplified by
    its characters, a part whose characters are common to both by the rest of the text (a
    section "文化" of the article "中國－阿塞拜疆關係"), else plain "zh"."""
    if cjk:
        return [(match.start(), match.end(), "en") for match in _LATIN.finditer(text)]
    parts = [match for match in _CHINESE.finditer(text) if re.search(f"[{_HAN}]", match.group())]
    scores = [sum(map(_traditional, match.group())) for match in parts]
    overall = sum(scores)
    return [(match.start(), match.end(), _script(score or overall))
            for match, score in zip(parts, scores, strict=True)]


def _script(score: int) -> str:
    return "zh-Hant" if score > 0 else "zh-Hans" if score < 0 else "zh"


@lru_cache(maxsize=4096)
def _traditional(character: str) -> int:
    """1 for a character only Traditional Chinese writes (國, 關), -1 for one only Simplified
    writes (国, 关), 0 for one both share (中, 史) or no Chinese character."""
    if not re.match(f"[{_HAN}]", character):
        return 0
    simplified = opencc_configuration("t2s").convert(character)
    traditional = opencc_configuration("s2t").convert(character)
    if simplified != character and traditional == character:
        return 1
    return -1 if traditional != character and simplified == character else 0


def _kind(special: str, cjk: bool) -> str:
    if not cjk:
        return "name"
    if special.startswith("《"):
        return "title"
    return "halt" if special in _FULL_WIDTH_PUNCTUATION else "keep"


def keeps_title(title: str) -> bool:
    """Whether a table cell keeps this title 《…》 on one line (a longer one may wrap)."""
    return bool(_TITLE.fullmatch(title))


def _plain(text: str, start: int, end: int, lang: str = "") -> list[Run]:
    """Plain text, its trailing spaces a run of their own: WeasyPrint 70 mis-breaks a justified
    line after a hyphenated one where a text box ends in a space before the next inline box
    ("cul-ture," then a forced-looking break); a space between boxes does not trigger it."""
    words = text[start:end].rstrip()
    plain = [Run(start, words, "", lang)] if words else []
    spaces = text[start + len(words):end]
    return plain + ([Run(start + len(words), spaces, "space", lang)] if spaces else [])
