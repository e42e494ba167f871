"""One paragraph edited in one English chapter, as an author saves it: `python bench/edit.py
BOOK` adds a word to the first paragraph of the middle chapter, differently on every call."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path


def edit(book: Path) -> None:
    chapters = tomllib.loads((book / "book.toml").read_text("utf-8"))["book"]["chapters"]
    path = book / "chapters" / "en" / f"{chapters[len(chapters) // 2]}.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace(" the ", " the very ", 1), "utf-8")


if __name__ == "__main__":
    edit(Path(sys.argv[1]))
