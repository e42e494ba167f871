"""The build cache, seen from the command line: what is rebuilt, what is left alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from azcn_book import cache
from azcn_book.build import build as build_book
from azcn_book.builders import pdf
from makebook import data_table, make_book, run_cli

ZH_EN = {"one": {"en": "# One\n\nA paragraph in English.{cite}`wp-en, History`\n",
                 "zh-Hans": "# 第一章\n\n一段中文。{cite}`wp-en, History`\n"}}


def english_book(folder: Path) -> Path:
    """A book of two editions, of which the tests build the English one (`--edition en`)."""
    return make_book(folder, chapters=ZH_EN, editions=("en", "zh-Hans"))


def build(book: Path, *args: str) -> dict[tuple[str, str], str]:
    """Run a build (of English only if the book has no zh-Hant); map (edition, format) to its
    report line."""
    if "zh-Hant" not in (book / "book.toml").read_text("utf-8"):
        args = ("--edition", "en", *args)
    result = run_cli("build", "--content", book, "--out", book / "out", "--jobs", "1", *args)
    assert result.returncode == 0, result.stderr
    return {tuple(line.split()[:2]): line for line in result.stdout.splitlines()
            if not line.startswith(" ")}


def cached(lines: dict[tuple[str, str], str]) -> set[tuple[str, str]]:
    return {output for output, line in lines.items() if " cached " in line}


def identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_an_unchanged_build_writes_nothing(tmp_path):
    book = english_book(tmp_path / "book")
    first = build(book, "--format", "pdf", "--format", "html")
    assert cached(first) == set()
    outputs = [book / "out" / "en" / "fixture.pdf", book / "out" / "en" / "fixture.html"]
    before = [identity(path) for path in outputs]
    entries = {path: identity(path) for path in (book / "out" / ".cache").iterdir()}
    again = build(book, "--format", "pdf", "--format", "html")
    assert cached(again) == {("en", "pdf"), ("en", "html")}
    assert again["en", "pdf"].split()[2:4] == first["en", "pdf"].split()[2:4]  # "N pages"
    assert [identity(path) for path in outputs] == before
    assert {path: identity(path) for path in (book / "out" / ".cache").iterdir()} == entries


def test_an_edit_rebuilds_only_the_editions_made_from_the_edited_file(tmp_path):
    book = make_book(tmp_path / "book", chapters=ZH_EN, editions=("en", "zh-Hans", "zh-Hant"))
    assert cached(build(book)) == set()
    entries = len(list((book / "out" / ".cache").glob("*.entry")))
    english = book / "chapters" / "en" / "one.md"
    english.write_text(english.read_text("utf-8").replace("in English", "in plain English"),
                       "utf-8")
    assert cached(build(book)) == {("zh-Hans", "pdf"), ("zh-Hant", "pdf")}
    assert "in plain English" in pdf_text(book / "out" / "en" / "fixture.pdf")
    simplified = book / "chapters" / "zh-Hans" / "one.md"
    simplified.write_text(simplified.read_text("utf-8").replace("一段中文", "另一段中文"), "utf-8")
    assert cached(build(book)) == {("en", "pdf")}
    assert "另一段中文" in pdf_text(book / "out" / "zh-Hans" / "fixture.pdf")
    assert "另一段中文" in pdf_text(book / "out" / "zh-Hant" / "fixture.pdf")
    # Each output keeps only its newest entry: the cache does not grow with every edit.
    assert len(list((book / "out" / ".cache").glob("*.entry"))) == entries


def test_a_template_or_option_change_is_not_served_from_the_cache(tmp_path):
    book = english_book(tmp_path / "book")
    build(book)
    assert cached(build(book, "--paper", "A5")) == set()
    assert cached(build(book, "--paper", "A5")) == {("en", "pdf")}
    assert cached(build(book, "--no-cache")) == set()


def test_a_damaged_cache_entry_is_rebuilt_not_trusted(tmp_path):
    book = english_book(tmp_path / "book")
    build(book)
    target = book / "out" / "en" / "fixture.pdf"
    good = target.read_bytes()
    for entry in (book / "out" / ".cache").glob("*.entry"):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2])
    target.unlink()
    assert cached(build(book)) == set()
    assert target.read_bytes() == good
    assert cached(build(book)) == {("en", "pdf")}


def test_a_deleted_output_comes_back_from_the_cache(tmp_path):
    book = english_book(tmp_path / "book")
    build(book)
    target = book / "out" / "en" / "fixture.pdf"
    good = target.read_bytes()
    target.unlink()
    assert cached(build(book)) == {("en", "pdf")}
    assert target.read_bytes() == good


def test_outputs_are_byte_reproducible_under_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = english_book(tmp_path / "book")
    build(book, "--format", "pdf", "--format", "epub")
    first = {name: (book / "out" / "en" / name).read_bytes()
             for name in ("fixture.pdf", "fixture.epub")}
    build(book, "--format", "pdf", "--format", "epub", "--no-cache", "--cache-dir",
          str(tmp_path / "elsewhere"))
    assert {name: (book / "out" / "en" / name).read_bytes() for name in first} == first


@pytest.fixture
def no_layout(tmp_path) -> dict[str, str]:
    """An environment in which any WeasyPrint layout stops the process."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import weasyprint\n"
        "def refuse(*args, **kwargs):\n"
        "    raise SystemExit('a layout was made')\n"
        "weasyprint.HTML.render = refuse\n", "utf-8")
    return {**os.environ, "PYTHONPATH": str(hooks)}


def test_the_epub_after_the_pdf_lays_nothing_out(tmp_path, no_layout):
    book = make_book(tmp_path / "book", chapters=ZH_EN, editions=("en", "zh-Hans"))
    build(book, "--edition", "zh-Hans", "--format", "pdf")  # and English
    command = [sys.executable, "-m", "azcn_book", "build", "--content", str(book), "--out",
               str(book / "out"), "--jobs", "1", "--format", "epub"]
    result = subprocess.run(command, env=no_layout, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (book / "out" / "zh-Hans" / "fixture.epub").stat().st_size > 0
    # The same command without a PDF built before it must lay out: the hook does bite.
    (tmp_path / "fresh").mkdir()
    command[command.index("--out") + 1] = str(tmp_path / "fresh")
    refused = subprocess.run(command, env=no_layout, capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "a layout was made" in refused.stderr


def test_a_cached_output_replays_the_warnings_of_its_build(tmp_path, monkeypatch):
    from azcn_book import build as orchestration
    from azcn_book.builders import html
    from azcn_book.errors import Problem

    real = html.build
    found = Problem("the preflight found something", tmp_path / "book" / "x.md", 3, "warning")

    def with_warning(edition, out, options):  # a builder whose preflight found something
        path, pages = real(edition, out, options)
        return path, pages, [found]

    book = english_book(tmp_path / "book")
    monkeypatch.setattr(html, "build", with_warning)
    (first,) = orchestration.build(book, tmp_path / "out", ["en"], ["html"], jobs=1)
    monkeypatch.setattr(html, "build", real)  # were it built again, it would warn of nothing
    (again,) = orchestration.build(book, tmp_path / "out", ["en"], ["html"], jobs=1)
    assert not first.cached and again.cached
    assert again.warnings == first.warnings == (found,)
    assert str(again.warnings[0]).endswith("x.md:3: warning: the preflight found something")


def test_two_builds_at_once_share_the_cache_safely(tmp_path):
    book = english_book(tmp_path / "book")
    command = [sys.executable, "-m", "azcn_book", "build", "--content", str(book), "--out",
               str(book / "out"), "--edition", "en", "--jobs", "1"]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for process in both:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    assert cached(build(book)) == {("en", "pdf")}
    assert "A paragraph in English" in pdf_text(book / "out" / "en" / "fixture.pdf")
    assert not [path for path in (book / "out").rglob(".*") if path.is_file()]  # no temporaries


# ----- layouts that start from the last build's -----

_FILLER = ("The delegations discussed trade, transport, energy and culture at length, and "
           "agreed to meet again the next year.")


def _paragraphs(count: int) -> str:
    return "\n\n".join([_FILLER] * count)


def settling_book(folder: Path) -> Path:
    """Long tables that straddle page breaks (parts captioned "(continued)"), references to
    them from other pages and from their own, and a table of contents: everything a layout
    prints that only a layout can tell."""
    chapters = {
        "guide": "# Guide\n\nThe rows are in {ref}`long-a` and {ref}`long-b`.{cite}`wp-en, lead`\n",
        "alpha": f"# Alpha\n\n{_paragraphs(9)}\n\n```{{table}} long-a\n```\n\n{_paragraphs(3)}\n",
        "beta": f"# Beta\n\n{_paragraphs(5)} See {{ref}}`long-b`.\n\n```{{table}} long-b\n```\n\n"
                f"{_paragraphs(2)}\n"}
    data = {"long-a": data_table("long-a", 16), "long-b": data_table("long-b", 16)}
    return make_book(folder, chapters=chapters, data=data, editions=("en", "zh-Hans"))


def layouts_made(book: Path, out: Path, *args: str) -> int:
    """Build the English PDF; how many layouts it took (the build's progress line says)."""
    result = run_cli("build", "--content", book, "--out", out, "--edition", "en", *args)
    assert result.returncode == 0, result.stderr
    return int(re.search(r"laid out in [\d.]+ s \((\d+) layouts?:", result.stderr).group(1))


def test_a_table_set_otherwise_than_when_its_hints_were_cached_is_laid_out_afresh(
        tmp_path, monkeypatch):
    """Guessed table widths hold only for the setting they were found in: after a change of
    templates, code, libraries or fonts (here the stylesheet's cell padding), a build that
    starts from the cached hints makes the PDF a build from nothing makes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = settling_book(tmp_path / "book")
    build_book(book, tmp_path / "out", ["en"], ["pdf"])
    assert "(continued)" in pdf_text(tmp_path / "out" / "en" / "fixture.pdf")
    stylesheet = pdf.book_stylesheet
    monkeypatch.setattr(pdf, "book_stylesheet", lambda *args: stylesheet(*args)
                        + "table.data td, table.data th { padding: 1mm 4mm; }")
    monkeypatch.setattr(cache, "environment_inputs", lambda templates: "another setting")
    build_book(book, tmp_path / "out", ["en"], ["pdf"])
    build_book(book, tmp_path / "fresh", ["en"], ["pdf"], use_cache=False)
    warm, fresh = ((tmp_path / out / "en" / "fixture.pdf").read_bytes()
                   for out in ("out", "fresh"))
    assert warm == fresh


def test_a_layout_starts_from_what_the_last_build_found_and_ends_as_a_fresh_one(
        tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = settling_book(tmp_path / "book")
    pdf = book / "out" / "en" / "fixture.pdf"
    assert layouts_made(book, book / "out") == 2  # placeholders first, then the true pages
    assert "(continued)" in pdf_text(pdf), "no table met a page break: the fixture tests nothing"

    def fresh_build() -> bytes:  # the same book built from nothing, elsewhere
        out = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
        layouts_made(book, out, "--no-cache")
        return (out / "en" / "fixture.pdf").read_bytes()

    # An edit that moves nothing: the pages, references and breaks of the last build hold.
    alpha = book / "chapters" / "en" / "alpha.md"
    alpha.write_text(alpha.read_text("utf-8") + "\n\n", "utf-8")
    assert layouts_made(book, book / "out") == 1
    assert pdf.read_bytes() == fresh_build()
    # A split table's rows changed: its guessed widths and breaks were for other text.
    table = book / "data" / "long-a.toml"
    table.write_text(table.read_text("utf-8").replace(
        'text.en = "Row 3 of long-a"', f'text.en = "Row 3 of long-a: {_FILLER}"'), "utf-8")
    assert layouts_made(book, book / "out") >= 2
    assert pdf.read_bytes() == fresh_build()
    # An edit that moves everything after it: the guessed breaks leave room, and fall.
    alpha.write_text(alpha.read_text("utf-8").replace("# Alpha\n", "# Alpha\n\n" +
                                                      _paragraphs(6) + "\n"), "utf-8")
    assert layouts_made(book, book / "out") >= 2
    assert pdf.read_bytes() == fresh_build()
