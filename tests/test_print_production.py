"""Print production: accessible by default, archival with its data, ready for the print shop."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from azcn_book.build import build
from azcn_book.model import PrintOptions
from conftest import ECONOMY, TRADE
from makebook import make_book

NAME = "azerbaijan-china-briefing"


@pytest.fixture(scope="module")
def variant_book(tmp_path_factory) -> Path:
    """A small book (a table, its chart, notes and citations) to build in the variants."""
    return make_book(tmp_path_factory.mktemp("variants") / "book", chapters={"economy": ECONOMY},
                     data={"trade": TRADE}, editions=("en", "zh-Hans"))


@pytest.fixture(scope="module")
def variants(variant_book) -> Path:
    """Its zh-Hans edition built in the archival and the print-shop variants."""
    out = variant_book.parent / "out"
    build(variant_book, out, ["zh-Hans"], ["pdf"], jobs=1, options=PrintOptions("pdf/a-3b"))
    build(variant_book, out, ["zh-Hans"], ["pdf"], jobs=1,
          options=PrintOptions(paper="A5", bleed=True))
    return out / "zh-Hans"


def structure_elements(reader: PdfReader):
    """Every element of the tagged PDF's structure tree."""
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not hasattr(node, "get"):
            continue
        yield node
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        pending += [kid for kid in kids if hasattr(kid, "get_object")]


def structure_tags(reader: PdfReader) -> Counter:
    """How often each structure type occurs in the structure tree."""
    return Counter(str(node["/S"]) for node in structure_elements(reader) if "/S" in node)


def structure_alts(reader: PdfReader) -> list[str]:
    """The alternative texts of the structure tree's /Figure elements."""
    return [str(node.get("/Alt", "")) for node in structure_elements(reader)
            if node.get("/S") == "/Figure"]


@pytest.mark.parametrize("edition", ["en", "zh-Hans"])
def test_default_pdf_is_tagged_for_pdf_ua(built, editions, edition):
    reader = PdfReader(built / edition / f"{NAME}.pdf")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == edition
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()
    tags = structure_tags(reader)
    for tag in ("/H1", "/H2", "/Table", "/TH", "/TD", "/Caption", "/L", "/LI", "/Figure"):
        assert tags[tag] > 0, tag
    placed = editions[edition].chapters  # whatever tables and charts the editors place
    tables = sum(len(chapter.tables) for chapter in placed)
    figures = sum(len(chapter.figures) for chapter in placed)
    assert tables and tags["/Table"] >= tables and tags["/Caption"] >= tables + figures
    assert all(alt.strip() for alt in structure_alts(reader))  # every figure has its Alt


def test_archival_pdf_carries_its_data(variant_book, variants):
    reader = PdfReader(variants / "fixture-pdf-a-3b.pdf")
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", metadata)
    assert re.search(r"pdfaid:conformance(>|=\")B", metadata)
    attached = set(reader.attachments)
    expected = {"trade.toml", "bibliography.json"}
    assert attached == expected
    assert reader.attachments["trade.toml"][0] == (variant_book / "data/trade.toml").read_bytes()
    # WeasyPrint 70 lists each associated file twice in /AF; what counts is that all are there.
    associated = {ref.idnum for ref in reader.trailer["/Root"]["/AF"]}
    assert len(associated) == len(expected)


def test_print_shop_pdf_has_bleed_and_trim(variants):
    reader = PdfReader(variants / "fixture-a5-bleed.pdf")
    bleed = 3 / 25.4 * 72
    for page in reader.pages:
        trim, bleed_box = page.trimbox, page.bleedbox
        assert round(float(trim.width)) == 420 and round(float(trim.height)) == 595  # A5
        assert float(bleed_box.width) == pytest.approx(float(trim.width) + 2 * bleed, abs=0.1)
        assert float(bleed_box.left) == pytest.approx(float(trim.left) - bleed, abs=0.1)
        assert float(page.mediabox.width) >= float(bleed_box.width)


def test_qpdf_finds_no_errors_in_any_variant(built, variants):
    files = [built / "en" / f"{NAME}.pdf", built / "zh-Hans" / f"{NAME}.pdf",
             *variants.glob("*.pdf")]
    assert len(files) == 4
    for path in files:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name}: {result.stdout}{result.stderr}"
        assert "No syntax or stream encoding errors" in result.stdout


def test_structure_tree_holds_every_footnote(built, editions):
    """WeasyPrint 70 tags a footnote's body as spans, not as /Note; its text must be tagged."""
    import pdfplumber

    from conftest import squeeze

    tagged = []
    with pdfplumber.open(built / "en" / f"{NAME}.pdf") as pdf:
        for page in pdf.pages:
            mcids = set()
            pending = list(page.structure_tree)
            while pending:
                node = pending.pop()
                mcids.update(node.get("mcids", ()))
                pending += node.get("children", [])
            tagged.append("".join(c["text"] for c in page.chars if c.get("mcid") in mcids))
    text = squeeze("".join(tagged))
    remarks = [note for chapter in editions["en"].chapters for note in chapter.notes if note.body]
    assert remarks
    for note in remarks:
        opening = squeeze("".join(node.text for node in note.body if node.kind == "text"))[:30]
        assert opening in text, opening
