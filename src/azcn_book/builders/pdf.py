"""The print edition: the book's HTML typeset by WeasyPrint into a PDF."""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

import pydyf
import weasyprint

from azcn_book.builders.html import book_html
from azcn_book.builders.output import atomic_output
from azcn_book.builders.pagination import front_matter_length, layout_hints
from azcn_book.model import STANDARD_PRINT, Edition, PrintOptions

# PDF/A-3 carries the book's sources inside it, so the figures travel with the briefing.
ARCHIVAL = ("pdf/a-3a", "pdf/a-3b", "pdf/a-3u")


def fetcher() -> weasyprint.URLFetcher:
    """Fetch nothing from a file or the network: all the book needs is inline (charts are
    data: URLs the build makes, and content can write no image or HTML of its own)."""
    return weasyprint.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


@lru_cache(maxsize=4)
def typeset(edition: Edition, options: PrintOptions = STANDARD_PRINT) -> weasyprint.Document:
    """Lay out the edition's pages, once per build and page setup: the PDF, the EPUB's page
    markers and its cover all come from this one layout."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = _layout(book_html(edition, options))
    # A reference on its target's page says "above"/"below", a split table "(continued)": one
    # more layout, only if the first has either.
    hints = layout_hints(document)
    return _layout(book_html(edition, options, hints)) if hints else document


def _layout(html: str) -> weasyprint.Document:
    return weasyprint.HTML(string=html, url_fetcher=fetcher(), base_url=None).render(
        pdf_tags=True)


def cover_png(document: weasyprint.Document, width: int = 1200) -> bytes:
    """The first page (the cover) as a PNG image, for the e-book's cover."""
    import pypdfium2

    page = pypdfium2.PdfDocument(document.copy(document.pages[:1]).write_pdf())[0]
    image = page.render(scale=width / page.get_width()).to_pil()
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def build(edition: Edition, out_dir: Path, options: PrintOptions = STANDARD_PRINT
          ) -> tuple[Path, int]:
    """Write the edition's PDF in the requested variant; return its path and page count."""
    target = out_dir / edition.id / f"{edition.book.name}{options.suffix}.pdf"
    document = typeset(edition, options)
    attachments = source_files(edition) if options.variant in ARCHIVAL else None
    with atomic_output(target) as temporary:
        document.write_pdf(temporary, pdf_variant=options.variant, attachments=attachments,
                           pdf_tags=True, finisher=label_pages)
    return target, len(document.pages)


def label_pages(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """Give the PDF /PageLabels, so a viewer shows the printed folio (ii, 1, 2…), not the
    sheet count: roman on the front matter, arabic from 1 at the first chapter, the rule of
    pagination.page_labels. A WeasyPrint finisher: it edits the catalog before the file is
    written, so the PDF/UA and PDF/A structure WeasyPrint made stays as it is."""
    front = front_matter_length(document)
    ranges = [(0, "r")] if front else []
    ranges += [(front, "D")] if front < len(document.pages) else []
    numbers = []
    for first_page, style in ranges:
        numbers += [first_page, pydyf.Dictionary({"S": "/" + style})]
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(numbers)})


def source_files(edition: Edition) -> list[weasyprint.Attachment]:
    """The data tables and the bibliography, as files associated with the PDF."""
    root = edition.book.root
    paths = sorted((root / "data").glob("*.toml")) + [root / "bibliography.json"]
    return [weasyprint.Attachment(file_obj=io.BytesIO(path.read_bytes()), name=path.name,
                                  description=f"azcn-book source: {path.relative_to(root)}",
                                  relationship="Source", url_fetcher=fetcher())
            for path in paths]
