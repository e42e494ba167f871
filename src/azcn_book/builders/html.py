"""The book as one HTML document: what WeasyPrint typesets, and a preview for a browser."""

from __future__ import annotations

from pathlib import Path

from azcn_book import __version__
from azcn_book.builders.output import atomic_output
from azcn_book.model import Edition
from azcn_book.render import render


def book_html(edition: Edition) -> str:
    """Render the whole edition through `book.html`."""
    return render(edition, "book.html", version=__version__)


def build(edition: Edition, out_dir: Path) -> tuple[Path, int | None]:
    """Write `<out>/<edition>/<name>.html`."""
    target = out_dir / edition.id / f"{edition.book.name}.html"
    with atomic_output(target) as temporary:
        temporary.write_text(book_html(edition), encoding="utf-8")
    return target, None
