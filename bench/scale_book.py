"""Write the book N times over: `python bench/scale_book.py N OUT` copies content/ to OUT with
every chapter repeated N times under renamed ids.

Copy k (k ≥ 2) of a chapter is the chapter with `-k` added to its id and to its section ids,
and without its table and figure blocks (a table is placed once in a book); its references
still point at the first copy's tables and sections, so the book stays valid.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```\{(?:table|figure)\}[^\n]*\n.*?^```\n?", re.MULTILINE | re.DOTALL)
SECTION_ID = re.compile(r"^\{#([a-z0-9][a-z0-9-]*)\}$", re.MULTILINE)
CHAPTERS = re.compile(r"^chapters = \[.*?\]", re.MULTILINE | re.DOTALL)


def copy_of(text: str, k: int) -> str:
    """Copy k of a chapter's Markdown."""
    return SECTION_ID.sub(lambda m: f"{{#{m.group(1)}-{k}}}", BLOCK.sub("", text))


def scale(times: int, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(ROOT / "content", out)
    manifest = out / "book.toml"
    text = manifest.read_text("utf-8")
    ids = re.findall(r'"([a-z0-9-]+)"', CHAPTERS.search(text).group(0))
    scaled = [chapter if k == 1 else f"{chapter}-{k}" for k in range(1, times + 1)
              for chapter in ids]
    listed = "chapters = [\n" + "".join(f'  "{chapter}",\n' for chapter in scaled) + "]"
    manifest.write_text(CHAPTERS.sub(lambda _: listed, text, count=1), "utf-8")
    for folder in (out / "chapters").iterdir():
        for chapter in ids:
            original = (folder / f"{chapter}.md").read_text("utf-8")
            for k in range(2, times + 1):
                (folder / f"{chapter}-{k}.md").write_text(copy_of(original, k), "utf-8")


if __name__ == "__main__":
    scale(int(sys.argv[1]), Path(sys.argv[2]))
