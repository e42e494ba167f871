"""Small books written for one test each, and the command line run as a user runs it.

`make_book` writes a minimal, valid book (one chapter by default) into a folder; a test then
adds or spoils exactly what it is about. `run_cli` runs `azcn-book` in a subprocess, so a test
sees the messages, the exit status and any traceback exactly as a user would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

_TITLES = {
    "en": ("Fixture", "A test book", "The azcn-book tests", '["test"]'),
    "zh-Hans": ("测试", "测试用书", "azcn-book 测试", '["测试"]'),
}
_LOCALES = {"en": "en_GB", "zh-Hans": "zh_Hans_CN", "zh-Hant": "zh_Hant_TW"}
_IDENTIFIERS = {"en": "urn:uuid:00000000-0000-4000-8000-000000000001",
                "zh-Hans": "urn:uuid:00000000-0000-4000-8000-000000000002",
                "zh-Hant": "urn:uuid:00000000-0000-4000-8000-000000000003"}


def make_book(folder: Path, chapters: dict[str, str | dict[str, str]] | None = None,
              data: dict[str, str] | None = None, editions: tuple[str, ...] = ("en",),
              book: str = "") -> Path:
    """Write a book into `folder` and return it.

    `chapters` maps a chapter id to its Markdown (the same for every written edition) or to a
    dict of Markdown per edition; `data` maps a table id to the text of its TOML file; `book`
    is appended to the `[book]` table of book.toml. 'zh-Hant' in `editions` is derived from
    'zh-Hans' as in the real book. The bibliography is the real book's."""
    chapters = chapters or {"one": "# One\n\nA paragraph.{cite}`wp-en, History`\n"}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bibliography.json").write_text(_bibliography(editions), "utf-8")
    (folder / "data").mkdir(exist_ok=True)
    for table_id, text in (data or {}).items():
        (folder / "data" / f"{table_id}.toml").write_text(text, "utf-8")
    written = [edition for edition in editions if edition != "zh-Hant"]
    for edition in written:
        (folder / "chapters" / edition).mkdir(parents=True, exist_ok=True)
        for chapter_id, text in chapters.items():
            body = text if isinstance(text, str) else text[edition]
            (folder / "chapters" / edition / f"{chapter_id}.md").write_text(body, "utf-8")
    (folder / "book.toml").write_text(_manifest(list(chapters), editions, written, book), "utf-8")
    return folder


def _bibliography(editions: tuple[str, ...]) -> str:
    """The real book's bibliography with only the translations the fixture's editions have
    (a translation for an edition the book lacks is an error)."""
    entries = json.loads((CONTENT / "bibliography.json").read_text("utf-8"))
    for entry in entries:
        for texts in entry.get("custom", {}).values():
            for edition in set(texts) - set(editions):
                del texts[edition]
    return json.dumps(entries, ensure_ascii=False, indent=2)


def _manifest(chapter_ids, editions, written, extra) -> str:
    lines = ["[book]", 'name = "fixture"', 'version = "1.0"',
             f"chapters = [{', '.join(repr(c).replace(chr(39), chr(34)) for c in chapter_ids)}]",
             'attribution = ["wp-en"]', 'licence = "CC BY-SA 4.0"',
             'licence_url = "https://creativecommons.org/licenses/by-sa/4.0/"', extra]
    for index, table in enumerate(("title", "subtitle", "author", "keywords")):
        lines.append(f"[book.{table}]")
        for edition in written:
            value = _TITLES[edition][index]
            quoted = value if table == "keywords" else f'"{value}"'
            lines.append(f"{edition} = {quoted}")
    for edition in editions:
        lines += [f"[editions.{edition}]", f'locale = "{_LOCALES[edition]}"',
                  f'identifier = "{_IDENTIFIERS[edition]}"']
        if edition == "zh-Hant":
            lines += ['derive_from = "zh-Hans"', 'opencc = "s2tw"']
    return "\n".join(lines) + "\n"


def run_cli(*args: str | Path, cwd: Path | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`azcn-book ARGS` in a fresh process; the result carries returncode, stdout, stderr."""
    return subprocess.run([sys.executable, "-m", "azcn_book", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


# The columns of a small trade table: when, and how much in US dollars.
TRADE_COLUMNS = [("when", "date", "When", "时间"), ("total", "money", "Total", "总额")]
# A choice column's one choice, in each written edition (a key "way", or as the test names it).
DIRECTION = ("China → Azerbaijan", "中国 → 阿塞拜疆")


def toml_table(table_id: str, columns: list[tuple[str, str, str, str]],
               rows: list[dict[str, str]], caption: tuple[str, str] = ("A table", "表"),
               choice: str = "way") -> str:
    """A data file as an editor writes it. `columns` are (key, type, English label, Chinese
    label): a money column is in US dollars, a choice column offers the one choice `choice`
    (DIRECTION); each row maps a key to its TOML value as written ('"text"', 2006, 1_000)."""
    lines = [f'id = "{table_id}"', f'caption.en = "{caption[0]}"',
             f'caption.zh-Hans = "{caption[1]}"']
    for key, kind, english, chinese in columns:
        lines += ["", "[[columns]]", f'key = "{key}"', f'type = "{kind}"',
                  f'label.en = "{english}"', f'label.zh-Hans = "{chinese}"']
        lines += ['currency = "USD"'] if kind == "money" else []
        lines += ([f'choices.{choice}.en = "{DIRECTION[0]}"',
                   f'choices.{choice}.zh-Hans = "{DIRECTION[1]}"'] if kind == "choice" else [])
    for row in rows:
        lines += ["", "[[rows]]", *(f"{key} = {value}" for key, value in row.items())]
    return "\n".join(lines) + "\n"


def data_table(table_id: str, rows: int, groups: int = 0) -> str:
    """A data table of `rows` rows: a date and a text column, or, with `groups`, a period and
    `groups` pairs of an amount and a change whose heading recurs (as in a trade table)."""
    columns = [("period", "date", "Period of the figures")]
    if groups:
        for group in range(groups):
            columns += [(f"value-{group}", "money", f"Exports of the group number {group}"),
                        (f"change-{group}", "percent", "Change on the previous year")]
    else:
        columns.append(("text", "text", "What happened"))
    columns.append(("source", "source", "Source"))
    table_rows = []
    for row in range(rows):
        cells = {"id": f'"r{row}"', "period": f'"{2000 + row}-11"', "source": '"wp-en, History"'}
        for group in range(groups):
            cells |= {f'"value-{group}"': "1_234_000_000", f'"change-{group}"': "-0.153"}
        if not groups:
            cells |= {f"text.{lang}": f'"Row {row} of {table_id}"' for lang in ("en", "zh-Hans")}
        table_rows.append(cells)
    return toml_table(table_id, [(key, kind, label, label) for key, kind, label in columns],
                      table_rows, caption=(f"Table {table_id}", f"表格 {table_id}"))
