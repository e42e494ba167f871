"""Long work is announced on stderr; stdout keeps one report line per output."""

from __future__ import annotations

import re

from makebook import make_book, run_cli


def test_layout_is_announced_once_per_edition_and_the_report_is_unchanged(tmp_path):
    make_book(tmp_path / "book", editions=("en", "zh-Hans"))
    result = run_cli("build", "--content", "book", "--out", "out", "--edition", "en",
                     "--format", "pdf", "--format", "epub", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    progress = result.stderr.splitlines()
    assert progress[0] == "azcn-book: en: laying out the pages…"
    laid_out = (r"azcn-book: en: (\d+) pages laid out in \d+\.\d s "
                r"\((1 layout|\d layouts): \d+ parts? laid out, \d+ unchanged\)")
    assert re.fullmatch(laid_out, progress[1])
    assert len(progress) == 2  # the EPUB takes its page numbers from the same layout
    pages = re.search(r"(\d+) pages laid", progress[1]).group(1)
    report = result.stdout.splitlines()
    assert [line.split()[:4] for line in report] == [["en", "pdf", pages, "pages"],
                                                     ["en", "epub", pages, "pages"]]
    assert report[0].endswith("s  out/en/fixture.pdf")
