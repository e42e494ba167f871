"""Where the print edition cuts a text into runs that are set differently.

WeasyPrint sets a whole text box one way, so what needs its own setting becomes its own run
(the template wraps each in a span): capitalised words in Latin text are never hyphenated (names:
no "Jin-ping"), and in Chinese the first of two adjacent full-width punctuation marks is set at
half width ("halt", as CLREQ describes for "）。" or "》（"). A Chinese table cell's narrow
lines keep whole what a reader must not see split: a title 《…》 (a long one never inside its
last words, the document's kind: 联合声明》), a name, a date, and the two characters that begin
or end a clause (no character of a clause alone on a line). Text in another language than the
edition's — Chinese quoted in the English edition, an English title in a Chinese one — is a run
with its `lang`, so that it is set in the face of its script (Traditional characters in the TC
face) and read in its language. Offsets stay those of the original text, for the e-book's
page markers.
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
# A book or document title kept on one line in a table cell: up to 16 characters with its
# marks (a longer one would starve the other columns of an A5 page). A longer title keeps whole
# what follows its last joint — 关于, 的, or the conjunction 和 (not 共和, 和平…), the words
# that join 《[parties]关于[subject]的[kind]》 — so that it breaks before the document's kind
# (《中阿关于进一步发展和深化友好合作关系的|联合声明》), or where a narrow column must, in
# the words before it; never in the kind (联合声|明》, 谅解备忘|录》).
TITLE_CHARACTERS = 16
_TITLE = f"《[^《》]{{1,{TITLE_CHARACTERS - 2}}}》"
_LONG_TITLE = "《[^《》]+》"
_TITLE_JOINT = re.compile(r"关于|關於|的|(?<!共)和(?![平谐諧睦解约約好])")
# A Chinese date: "1994年3月", "5月20日", "2019年4月25日" — never broken across lines.
_CJK_DATE = r"\d{1,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日"
# A name in a table cell, kept whole where its ends are certain (Traditional forms included):
# - a person's name ending the cell after the title before it (委员长栗战书, 外交部长王毅), with
#   the delegation it leads (委员长王丙乾率代表团): two to six characters, or a transliteration
#   joined by "·" (总统盖达尔·阿利耶夫);
# - a transliteration joined by "·" anywhere, from a mark, a title or 会见 before it to a mark,
#   the cell's end or a title after it (（盖达尔·阿利耶夫总统访华…, 会见伊利哈姆·阿利耶夫总统);
# - a state's name in 共和国, from a mark or the conjunction 和 (中华人民共和国政府和阿塞拜疆
#   共和国政府).
_HAN_CHARACTER = "[\u4e00-\u9fff]"
_TITLE_END = "长長席理统統使记記任"  # the last character of a title written before a name
_TITLE_AFTER = "总统|總統|主席|总理|總理|部长|部長|大使|上将|上將"
_CELL_NAME = "|".join([
    f"(?<=[{_TITLE_END}])(?:{_HAN_CHARACTER}{{2,6}}|"
    f"{_HAN_CHARACTER}{{1,6}}·{_HAN_CHARACTER}{{1,6}})(?:率代表团|率代表團|率团|率團)?$",
    f"(?:(?<!{_HAN_CHARACTER})|(?<=[{_TITLE_END}见見]))"
    f"{_HAN_CHARACTER}{{1,4}}·{_HAN_CHARACTER}{{1,6}}?(?=[^\u4e00-\u9fff]|$|{_TITLE_AFTER})",
    f"(?:(?<!{_HAN_CHARACTER})|(?<=[^共]和)){_HAN_CHARACTER}{{2,6}}?共和[国國]",
])
# The first two characters of a clause in a table cell, after its mark, and the last two,
# before its mark, a parenthesis or the cell's end: a narrow column never leaves one character
# of a clause alone on a line (会|谈；, 峰|会；, 公|司（SOCAR）, 之|一）, 、国|家开发银行).
_CLAUSE_MARKS = "，。；、：！？）」』”"
_CLAUSE = (f"(?<=[{_CLAUSE_MARKS}]){_HAN_CHARACTER}{{2}}|"
           f"{_HAN_CHARACTER}{{2}}(?=[{_CLAUSE_MARKS}（「『“]|$)")

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
_CJK_NUMBER = r"[0-9]+(?:[.,][0-9]+)*%?"
# Two names joined by a full-width dash (中国－阿塞拜疆关系): no line begins with the dash.
_CJK_JOINED = r"[\u4e00-\u9fff]－[\u4e00-\u9fff]"
# Each rule is a named group: the match's `lastgroup` is the run's rule (see RULES).
_PROSE_RULES = {"date": _CJK_DATE, "halt": _ADJACENT_MARK.pattern, "number": _CJK_NUMBER,
                "joined": _CJK_JOINED}
_CELL_RULES = {"title": _TITLE, "long_title": _LONG_TITLE, "name": _CELL_NAME, **_PROSE_RULES,
               "clause": _CLAUSE}
_CJK_SPECIAL = re.compile("|".join(f"(?P<{rule}>{pattern})"
                                   for rule, pattern in _PROSE_RULES.items()))
_CJK_CELL_SPECIAL = re.compile("|".join(f"(?P<{rule}>{pattern})"
                                        for rule, pattern in _CELL_RULES.items()))
# What each rule keeps whole, as the preflight names a line break inside it.
RULES = {"title": "a book title", "name": "a name", "date": "a date",
         "number": "a number", "joined": "two names joined by a dash",
         "clause": "the two characters that begin or end a clause"}


@dataclass(frozen=True)
class Run:
    """`text` at `offset` of the original; kind "" (plain), "space", "name", "halt", "title"
    or "keep" (a Chinese date, a name in a table cell); `lang` the language of a run in
    another language than the edition's ("en", "zh-Hans", "zh-Hant" or, undecided, "zh");
    `rule` the rule of RULES that set a Chinese run apart."""

    offset: int
    text: str
    kind: str = ""
    lang: str = ""
    rule: str = ""


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
        if match.lastgroup == "long_title":
            found += _title_parts(text, match.start(), match.end(), lang)
        else:
            found.append(_special(match, lang))
        at = match.end()
    return found + _plain(text, at, end, lang)


def _special(match: re.Match, lang: str) -> Run:
    rule = match.lastgroup or ""
    kind = {"": "name", "title": "title", "halt": "halt"}.get(rule, "keep")
    return Run(match.start(), match.group(), kind, lang, rule)


def _title_parts(text: str, start: int, end: int, lang: str) -> list[Run]:
    """A title too long for one line: the words up to its last joint, set as prose is (no
    clause ends inside a title), then the rest, kept whole if short enough."""
    cut = max((joint.end() for joint in _TITLE_JOINT.finditer(text, start + 1, end - 1)),
              default=start)
    if end - cut > TITLE_CHARACTERS:
        return _runs(text, start, end, True, False, lang)
    return (_runs(text, start, cut, True, False, lang)
            + [Run(cut, text[cut:end], "title", lang, "title")])


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


def unbroken(cell: str) -> list[tuple[int, int, str]]:
    """(start, end, rule) of each part of a Chinese table cell's text that is set on one line."""
    return [(run.offset, run.offset + len(run.text), run.rule)
            for run in runs(cell, cjk=True, titles=True) if run.kind in ("title", "keep")]


def _plain(text: str, start: int, end: int, lang: str = "") -> list[Run]:
    """Plain text, its trailing spaces a run of their own: WeasyPrint 70 mis-breaks a justified
    line after a hyphenated one where a text box ends in a space before the next inline box
    ("cul-ture," then a forced-looking break); a space between boxes does not trigger it."""
    words = text[start:end].rstrip()
    plain = [Run(start, words, "", lang)] if words else []
    spaces = text[start + len(words):end]
    return plain + ([Run(start + len(words), spaces, "space", lang)] if spaces else [])
