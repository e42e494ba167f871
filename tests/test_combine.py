"""A book laid out in parts and joined by combine() reads as the book laid out whole: the same
pages, text, page labels, outline, tag structure and links, the cross-part links included."""

from __future__ import annotations

import subprocess
from io import BytesIO

import pikepdf
import pytest
import weasyprint
from pypdf import PdfReader

from azcn_book.builders.combine import PartPdf, combine, keep_foreign_links

STYLE = """
@page { size: A6; margin: 15mm 12mm; @bottom-center { content: counter(page) } }
body { font-family: serif; font-size: 10pt }
.note { float: footnote }
section { counter-reset: footnote }  /* notes numbered per chapter, as parts number them */
"""
HEAD = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    f"<title>Fixture book</title><style>{STYLE}{{extra}}</style></head><body>"
)
FRONT = """
<div id="cover"><p>Fixture book</p><p>A cover page</p></div>
<nav style="break-before: page"><h1 id="contents">Contents</h1><ul>
<li><a href="#ch1">Chapter one</a></li><li><a href="#ch2">Chapter two</a></li>
<li><a href="#ch3">Chapter three</a></li><li><a href="#ch3-ports">Ports of chapter three</a></li>
</ul></nav>"""
# Long enough to run chapter 2 over two pages.
LONG = " ".join(["Trade between the two countries grew every year of the decade."] * 40)


def chapter(number: int) -> str:
    """A chapter with a note, a link to the next chapter, a subheading and a small table."""
    following = number % 3 + 1
    return f"""
<section id="ch{number}" style="break-before: page"><h1>Chapter {number}</h1>
<p>Chapter {number} opens.<span class="note">A note of chapter {number}.</span>
See <a href="#ch{following}">chapter {following}</a>.</p>
<h2 id="ch{number}-ports">Ports</h2><p>{LONG if number == 2 else "Short."}</p>
<table><thead><tr><th>Year</th><th>Tons</th></tr></thead>
<tbody><tr><td>2020</td><td>{number}0</td></tr></tbody></table>
</section>"""


BODIES = [FRONT] + [chapter(number) for number in (1, 2, 3)]


def html(bodies: list[str], extra_style: str = "") -> str:
    """A document of the book's head and the given bodies."""
    return HEAD.replace("{extra}", extra_style) + "".join(bodies) + "</body></html>"


def render(source: str) -> weasyprint.Document:
    """The laid-out document, tagged."""
    return weasyprint.HTML(string=source).render(pdf_tags=True)


@pytest.fixture(scope="module")
def part_documents() -> list[tuple[weasyprint.Document, frozenset[str]]]:
    """Each part laid out alone, its folios continuing the previous part's, with its own
    anchors; the documents can be written once per PDF variant."""
    documents, first_page = [], 1
    for body in BODIES:
        folio = f"@page :first {{ counter-reset: page {first_page} }}"
        document = render(html([body], folio))
        documents.append((document, keep_foreign_links(document)))
        first_page += len(document.pages)
    return documents


@pytest.fixture(scope="module")
def front_pages(part_documents) -> int:
    """The number of front-matter pages."""
    return len(part_documents[0][0].pages)


@pytest.fixture(scope="module")
def whole(front_pages) -> PdfReader:
    """The book laid out at once, as the build writes a book laid out whole: one part through
    combine(), which gives it the book's page labels."""
    document = render(html(BODIES))
    anchors = keep_foreign_links(document)
    pdf = document.write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1")
    return PdfReader(BytesIO(combine([PartPdf(pdf, anchors)], front_pages)))


@pytest.fixture(scope="module")
def parts(part_documents) -> list[PartPdf]:
    """The parts written as PDF/UA."""
    return [
        PartPdf(document.write_pdf(pdf_tags=True, pdf_variant="pdf/ua-1"), anchors)
        for document, anchors in part_documents
    ]


@pytest.fixture(scope="module")
def combined_pdf(parts, front_pages) -> bytes:
    """The parts joined."""
    return combine(parts, front_pages)


@pytest.fixture(scope="module")
def combined(combined_pdf) -> PdfReader:
    """The joined book, for reading."""
    return PdfReader(BytesIO(combined_pdf))


def page_index(reader: PdfReader) -> dict[int, int]:
    """The page index of each page object number."""
    return {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}


def kids(element) -> list:
    """An element's /K as a list (it may be one object)."""
    value = element.get("/K", [])
    return list(value) if isinstance(value, list) else [value]


def structure(reader: PdfReader) -> list[tuple]:
    """The structure tree in pre-order: each element's type, and for each marked-content
    leaf its page index and MCID (for each annotation reference its page index)."""
    pages = page_index(reader)
    found = []

    def walk(element, page):
        element = element.get_object()
        if isinstance(element, int):
            found.append(("MCID", pages[page.idnum], element))
            return
        page = element.raw_get("/Pg") if "/Pg" in element else page
        if element.get("/Type") == "/MCR":
            found.append(("MCID", pages[page.idnum], element["/MCID"]))
        elif element.get("/Type") == "/OBJR":
            found.append(("OBJR", pages[page.idnum]))
        else:
            found.append(element.get("/S"))
            for kid in kids(element):
                walk(kid, page)

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    for kid in kids(root):
        walk(kid, None)
    return found


def parent_tree(reader: PdfReader) -> list[tuple]:
    """Each ParentTree key with the (type, page index) of the element(s) it resolves to."""
    pages = page_index(reader)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]

    def described(element):
        element = element.get_object()
        return str(element["/S"]), pages[element.raw_get("/Pg").idnum]

    entries = []
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        value = value.get_object()
        if isinstance(value, list):
            entries.append((key, [described(element) for element in value]))
        else:
            entries.append((key, described(value)))
    return entries


def links(reader: PdfReader) -> list[list[tuple[str, int]]]:
    """For each page, its internal links' anchor names and the page index they lead to."""
    destinations = reader.named_destinations
    found = []
    for page in reader.pages:
        page_links = []
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                target = reader.get_destination_page_number(destinations[name])
                page_links.append((name, target))
        found.append(page_links)
    return found


def outline(reader: PdfReader, items=None) -> list:
    """The outline as nested (title, page index) items."""
    items = reader.outline if items is None else items
    return [
        outline(reader, item)
        if isinstance(item, list)
        else (item.title, reader.get_destination_page_number(item))
        for item in items
    ]


def qpdf_check(pdf: bytes, tmp_path) -> subprocess.CompletedProcess:
    """`qpdf --check` of the PDF."""
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)


def test_same_pages_and_text(whole, combined):
    assert len(combined.pages) == len(whole.pages) > 5
    assert [page.extract_text() for page in combined.pages] == [
        page.extract_text() for page in whole.pages
    ]


def test_page_labels_roman_then_arabic(whole, combined, front_pages):
    assert combined.page_labels == whole.page_labels
    assert combined.page_labels[: front_pages + 1] == ["i", "ii", "1"]


def test_same_outline(whole, combined):
    assert outline(combined) == outline(whole)
    titles = [item[0] for item in outline(whole) if isinstance(item, tuple)]
    assert titles == ["Contents", "Chapter 1", "Chapter 2", "Chapter 3"]


def test_same_structure_tree(whole, combined):
    assert structure(combined) == structure(whole)


def test_parent_tree_resolves_as_in_whole(whole, combined):
    assert parent_tree(combined) == parent_tree(whole)
    pages = [page.get("/StructParents") for page in combined.pages]
    assert pages == list(range(len(combined.pages)))


def test_links_lead_where_they_do_in_whole(whole, combined):
    assert links(combined) == links(whole)
    contents_links = links(combined)[1]
    assert ("ch3-ports", links(whole)[1][-1][1]) in contents_links  # front → another part


def test_only_the_parts_own_anchors_are_named(whole, combined):
    assert list(combined.named_destinations) == list(whole.named_destinations)


def test_one_structure_root_and_document(combined_pdf):
    with pikepdf.open(BytesIO(combined_pdf)) as book:
        types = [
            (obj.get("/Type"), obj.get("/S"))
            for obj in book.objects
            if isinstance(obj, pikepdf.Dictionary)
        ]
    assert sum(kind == "/StructTreeRoot" for kind, _ in types) == 1
    assert sum(tag == "/Document" for _, tag in types) == 1
    assert sum(kind == "/Catalog" for kind, _ in types) == 1


def test_one_outline_root(combined_pdf):
    with pikepdf.open(BytesIO(combined_pdf)) as book:
        roots = [
            obj
            for obj in book.objects
            if isinstance(obj, pikepdf.Dictionary) and "/First" in obj and "/Title" not in obj
        ]
    assert len(roots) == 1


def test_same_xmp_metadata_unfiltered(whole, combined_pdf):
    expected = whole.trailer["/Root"]["/Metadata"].get_object().get_data()
    with pikepdf.open(BytesIO(combined_pdf)) as book:
        assert "/Filter" not in book.Root.Metadata
        assert book.Root.Metadata.read_bytes() == expected


def test_link_to_an_anchor_no_part_defines_is_reported(parts, front_pages, caplog):
    document = render(html(['<p><a href="#nowhere">Nowhere</a></p>']))
    stray = PartPdf(document.write_pdf(pdf_tags=True), keep_foreign_links(document))
    combine([*parts, stray], front_pages)
    assert "No anchor #nowhere" in caplog.text


def test_qpdf_finds_nothing_wrong(combined_pdf, tmp_path):
    check = qpdf_check(combined_pdf, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "WARNING" not in check.stdout + check.stderr


def test_same_parts_give_same_bytes(parts, front_pages, combined_pdf):
    assert combine(parts, front_pages) == combined_pdf


def test_one_part_is_a_valid_pdf(parts, tmp_path):
    pdf = combine(parts[:1], len(PdfReader(BytesIO(parts[0].pdf)).pages))
    assert qpdf_check(pdf, tmp_path).returncode == 0
    assert PdfReader(BytesIO(pdf)).page_labels == ["i", "ii"]


def test_keep_foreign_links_returns_only_own_anchors(part_documents):
    front_anchors = part_documents[0][1]
    assert front_anchors == {"cover", "contents"}
    assert "ch3-ports" in part_documents[0][0].pages[0].anchors  # the placeholder


@pytest.fixture(scope="module")
def archival_pdf(part_documents, front_pages) -> bytes:
    """The parts written as PDF/A-3a, an attachment on the front part, then joined."""
    attachment = weasyprint.Attachment(string="year,tons\n2020,10\n", base_url="data.csv")
    parts = [
        PartPdf(
            document.write_pdf(
                pdf_tags=True,
                pdf_variant="pdf/a-3a",
                attachments=[attachment] if index == 0 else None,
            ),
            anchors,
        )
        for index, (document, anchors) in enumerate(part_documents)
    ]
    return combine(parts, front_pages)


@pytest.fixture(scope="module")
def archival(archival_pdf) -> pikepdf.Pdf:
    """The joined PDF/A-3a book, for reading."""
    with pikepdf.open(BytesIO(archival_pdf)) as book:
        yield book


def test_pdf_a_passes_qpdf_check(archival_pdf, tmp_path):
    check = qpdf_check(archival_pdf, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "WARNING" not in check.stdout + check.stderr


def test_pdf_a_keeps_attachment_output_intent_and_plain_xmp(archival):
    assert list(archival.attachments) == ["data.csv"]
    assert "/AF" in archival.Root
    assert archival.Root.OutputIntents[0].S == "/GTS_PDFA1"
    metadata = archival.Root.Metadata
    assert "/Filter" not in metadata
    assert b"pdfaid" in metadata.read_raw_bytes()


def test_table_header_ids_stay_unique(combined_pdf):
    # WeasyPrint names header IDs after object numbers, which two parts can share.
    with pikepdf.open(BytesIO(combined_pdf)) as book:
        elements = [obj for obj in book.objects if isinstance(obj, pikepdf.Dictionary)]
        ids = [str(element.ID) for element in elements if "/ID" in element]
        headers = {
            str(header)
            for element in elements
            if element.get("/S") == "/TD"
            for header in element.A.Headers
        }
    assert len(ids) == len(set(ids)) == 6
    assert headers == set(ids)
