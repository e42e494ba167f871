"""`azcn-book watch`, run as a user runs it: edit a file, read what the watch prints."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time

import pypdf

from makebook import make_book

BOOK = {"one": {"en": "# One\n\nThe first wording.{cite}`wp-en, History`\n",
                "zh-Hans": "# 第一章\n\n一段中文。{cite}`wp-en, History`\n"}}
WAIT = 120  # seconds any one step may take on a busy machine


class Watch:
    """A running `azcn-book watch`, its output read line by line in the background."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen([sys.executable, "-m", "azcn_book", "watch", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, marker: str) -> list[str]:
        """The lines printed up to and including the first one containing `marker`."""
        seen, deadline = [], time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                seen.append(self.lines.get(timeout=1))
            except queue.Empty:
                continue
            if marker in seen[-1]:
                return seen
        raise AssertionError(f"no {marker!r} within {WAIT} s; printed: {seen}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def test_watch_rebuilds_on_save_reports_errors_and_keeps_going(tmp_path):
    book = make_book(tmp_path / "book", chapters=BOOK, editions=("en", "zh-Hans"))
    chapter = book / "chapters" / "en" / "one.md"
    target = tmp_path / "out" / "en" / "fixture.pdf"
    watch = Watch("--content", str(book), "--out", str(tmp_path / "out"), "--edition", "en",
                  "--jobs", "1")
    try:
        first = watch.until("watch: watching")
        assert any(line.startswith("en ") and " pdf " in line for line in first), first
        chapter.write_text(chapter.read_text("utf-8").replace("first", "second"), "utf-8")
        rebuilt = watch.until("watch: done")
        assert any("one.md" in line for line in rebuilt if line.startswith("watch: changed"))
        assert [line for line in rebuilt if line.startswith("en ") and " s " in line], rebuilt
        assert "second wording" in "".join(page.extract_text()
                                           for page in pypdf.PdfReader(target).pages)
        good = target.read_bytes()

        chapter.write_text(chapter.read_text("utf-8").replace("wp-en", "no-such-key"), "utf-8")
        failed = watch.until("watch: failed")
        assert any("one.md:3: error:" in line and "no-such-key" in line for line in failed)
        assert watch.process.poll() is None  # still watching
        assert target.read_bytes() == good  # the last good PDF is kept

        chapter.write_text(chapter.read_text("utf-8").replace("no-such-key", "wp-en"), "utf-8")
        assert any(line.startswith("en ") for line in watch.until("watch: done"))
    finally:
        watch.stop()
