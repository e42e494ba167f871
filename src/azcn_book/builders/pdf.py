"""The print edition: the book's HTML typeset by WeasyPrint into a PDF."""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

import weasyprint

from azcn_book.builders.html import book_html
from azcn_book.builders.output import atomic_output
from azcn_book.model import Edition


def refuse_fetch(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Fetch nothing: all the book needs is inline, so no content can pull in a file or URL."""
    raise ValueError(f"azcn-book fetches no external resource ({url})")


@lru_cache(maxsize=2)
def typeset(edition: Edition) -> weasyprint.Document:
    """Lay out the edition's pages, once per build: the PDF, the EPUB's page markers and its
    cover all come from this one layout."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = weasyprint.HTML(string=book_html(edition), url_fetcher=refuse_fetch, base_url=None)
    return html.render()


def cover_png(document: weasyprint.Document, width: int = 1200) -> bytes:
    """The first page (the cover) as a PNG image, for the e-book's cover."""
    import pypdfium2

    page = pypdfium2.PdfDocument(document.copy(document.pages[:1]).write_pdf())[0]
    image = page.render(scale=width / page.get_width()).to_pil()
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def build(edition: Edition, out_dir: Path) -> tuple[Path, int]:
    """Write `<out>/<edition>/<name>.pdf`; return its path and page count."""
    target = out_dir / edition.id / f"{edition.book.name}.pdf"
    document = typeset(edition)
    with atomic_output(target) as temporary:
        document.write_pdf(temporary)
    return target, len(document.pages)
