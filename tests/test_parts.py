"""A book laid out part by part (front matter, each chapter, sources, colophon) and joined is
the book laid out whole; a build lays out again only the parts an edit changed, and what it
keeps of the others in its cache is checked before it is used."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from azcn_book.builders import pdf
from azcn_book.config import load_config
from azcn_book.readers.book import read_book
from makebook import data_table, make_book, run_cli
from test_combine import links, outline, qpdf_check

EPOCH = "1700000000"
_FILLER = ("Caravans crossed the steppe with silk, tea and porcelain, and came back with "
           "horses, wool and news of distant courts.")


def _paragraphs(count: int) -> str:
    return "\n\n".join([_FILLER] * count)


# Four chapters: the first refers to a table of the third, the second runs over two pages and
# has a note, the last has a note of its own; each has a section.
CHAPTERS = {
    "roads": "# Roads\n\nThe roads are counted in {ref}`tolls`.{cite}`wp-en, History`\n\n"
             f"{{#passes}}\n## Passes\n\n{_paragraphs(2)}\n",
    "markets": f"# Markets\n\n{{#fairs}}\n## Fairs\n\n{_paragraphs(8)}[^fair]\n\n"
               f"{{#ledgers}}\n## Ledgers\n\n{_paragraphs(8)}{{cite}}`wp-en, History`\n\n"
               "[^fair]: Fairs were held each spring.{cite}`wp-en, History`\n",
    "tolls": "# Tolls\n\n{#gates}\n## Gates\n\nEach gate took a tenth.\n\n```{table} tolls\n```\n",
    "ports": f"# Ports\n\n{{#harbours}}\n## Harbours\n\n{_paragraphs(2)}[^port]\n\n"
             "[^port]: Ports froze in winter.\n",
}


@pytest.fixture(scope="module", autouse=True)
def environment():
    """Every build reproducible (SOURCE_DATE_EPOCH)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """The fixture book, never built in place: tests that edit it edit a copy (`copy_of`)."""
    return make_book(tmp_path_factory.mktemp("parts") / "book", chapters=CHAPTERS,
                     data={"tolls": data_table("tolls", 4)}, editions=("en", "zh-Hans"),
                     book="two_sided = false")


def copy_of(book: Path, folder: Path) -> Path:
    return Path(shutil.copytree(book, folder / "book"))


def build(book: Path, out: Path, *args: str) -> str:
    """Build the English PDF; return the build's progress line ("… pages laid out in …")."""
    result = run_cli("build", "--content", book, "--out", out, "--edition", "en",
                     "--format", "pdf", *args)
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if " laid out in " in line]
    return line


def layouts(line: str) -> tuple[int, int]:
    """How many layouts a build made and how many parts it laid out, by its progress line."""
    found = re.search(r"\((\d+) layouts?: (\d+) parts? laid out, \d+ unchanged\)", line)
    assert found, line
    return int(found.group(1)), int(found.group(2))


def the_pdf(out: Path) -> Path:
    return out / "en" / "fixture.pdf"


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def reference(book, tmp_path_factory) -> bytes:
    """The book built from nothing (no cache) in the default two processes."""
    out = tmp_path_factory.mktemp("reference")
    build(book, out, "--no-cache")
    return the_pdf(out).read_bytes()


# ----- the book joined from its parts reads as the book laid out whole -----


@pytest.fixture(scope="module")
def printed(book) -> dict[bool, bytes]:
    """The English edition laid out in parts and joined (True), and laid out whole (False)."""
    config = load_config(book)
    _, (edition,) = read_book(config, ["en"])
    pdf.lay_out_with(2)  # in two processes, without a store (another test may have set one)
    yield {split: pdf.print_edition(edition, split=split).pdf for split in (True, False)}
    pdf.lay_out_with(1)  # as this process's other tests expect


@pytest.fixture(scope="module")
def combined(printed) -> PdfReader:
    return PdfReader(BytesIO(printed[True]))


@pytest.fixture(scope="module")
def whole(printed) -> PdfReader:
    return PdfReader(BytesIO(printed[False]))


def structure(reader: PdfReader) -> list:
    """The structure tree in pre-order: each element's type; for each marked-content leaf, the
    index of its page."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    found = []

    def walk(element, page) -> None:
        element = element.get_object()
        if isinstance(element, int):
            found.append(("MCID", pages[page.idnum]))
            return
        page = element.raw_get("/Pg") if "/Pg" in element else page
        if element.get("/Type") == "/MCR":
            found.append(("MCID", pages[page.idnum]))
        elif element.get("/Type") == "/OBJR":
            found.append(("OBJR", pages[page.idnum]))
        else:
            found.append(str(element.get("/S")))
            kids = element.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found


def test_joined_parts_have_the_pages_and_text_of_the_whole_book(whole, combined):
    assert len(combined.pages) == len(whole.pages) >= 9
    assert [page.extract_text() for page in combined.pages] == [
        page.extract_text() for page in whole.pages]


def test_joined_parts_have_the_page_labels_of_the_whole_book(whole, combined):
    assert combined.page_labels == whole.page_labels
    assert combined.page_labels[:4] == ["i", "ii", "iii", "1"]


def test_joined_parts_have_the_outline_of_the_whole_book(whole, combined):
    assert outline(combined) == outline(whole)
    titles = [item if isinstance(item, list) else item[0] for item in outline(combined)]
    assert titles[1:9] == ["Chapter 1 Roads", [("Passes", 3)], "Chapter 2 Markets",
                           [("Fairs", 4), ("Ledgers", 4)], "Chapter 3 Tolls", [("Gates", 6)],
                           "Chapter 4 Ports", [("Harbours", 7)]]


def test_joined_parts_have_the_structure_of_the_whole_book(whole, combined):
    assert structure(combined) == structure(whole)
    assert structure(combined).count("/Document") == 1


def test_joined_parts_link_where_the_whole_book_links(whole, combined):
    assert links(combined) == links(whole)
    # The reference in the first chapter leads to the table, in another part.
    texts = [page.extract_text() for page in combined.pages]
    roads = next(i for i, text in enumerate(texts) if "The roads are counted in" in text)
    tolls = next(i for i, text in enumerate(texts) if "Each gate took a tenth" in text)
    assert tolls in {target for _, target in links(combined)[roads]}


def test_joined_parts_embed_each_face_once_as_the_whole_book_does(printed):
    """Each part embeds its own subset of every face; joined, they are one subset again, and
    the file is the size of the whole book's, not one subset per chapter bigger."""
    def programs(data: bytes) -> dict[str, int]:
        counts: dict[str, int] = {}
        with pikepdf.open(BytesIO(data)) as document:
            for thing in document.objects:
                if isinstance(thing, pikepdf.Dictionary) and thing.get("/FontFile2") \
                        or isinstance(thing, pikepdf.Dictionary) and thing.get("/FontFile3"):
                    name = str(thing.FontName).split("+")[-1]
                    counts[name] = counts.get(name, 0) + 1
        return counts

    assert programs(printed[True]) == programs(printed[False])
    assert set(programs(printed[True]).values()) == {1}
    assert len(printed[True]) < 1.1 * len(printed[False])


def test_qpdf_finds_nothing_wrong_in_the_joined_book(printed, tmp_path):
    check = qpdf_check(printed[True], tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "WARNING" not in check.stdout + check.stderr


def test_a_later_chapter_has_its_running_head_and_its_own_folio(combined):
    texts = [page.extract_text() for page in combined.pages]
    # The second page of "Markets", the second chapter: a body page with no chapter opening.
    opening = next(i for i, text in enumerate(texts) if "Markets\nFairs" in text)
    page = opening + 1
    assert "Ledgers" in texts[page] or _FILLER[:20] in texts[page]
    lines = texts[page].splitlines()
    assert "Fixture" in lines[-2] and "Markets" in lines[-2]  # the running head
    assert lines[-1] == combined.page_labels[page] == "3"  # the folio printed at the foot
    for index, text in enumerate(texts[3:], start=3):  # every body page's folio is its label
        assert text.splitlines()[-1].endswith(combined.page_labels[index]), index


# ----- a build lays out again only the parts that changed -----


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_an_edit_to_one_chapter_lays_out_only_that_chapter(book, tmp_path):
    book = copy_of(book, tmp_path)
    out = tmp_path / "out"
    build(book, out)
    before = page_texts(the_pdf(out))
    edit(book / "chapters" / "en" / "ports.md", "Ports froze", "Harbours froze")
    line = build(book, out)
    after = page_texts(the_pdf(out))
    changed = [index for index, (old, new) in enumerate(zip(before, after, strict=True))
               if old != new]
    assert changed == [index for index, text in enumerate(after) if "Harbours froze" in text]
    assert layouts(line) == (1, 1)  # Ports; not the front matter, sources or colophon


def test_a_chapter_grown_by_a_page_moves_the_parts_after_it(book, tmp_path):
    book = copy_of(book, tmp_path)
    out = tmp_path / "out"
    build(book, out)
    before = page_texts(the_pdf(out))
    edit(book / "chapters" / "en" / "markets.md", "## Ledgers\n",
         "## Ledgers\n\n" + _paragraphs(20) + "\n")
    _, laid = layouts(build(book, out))
    after = page_texts(the_pdf(out))
    labels = PdfReader(the_pdf(out)).page_labels
    assert len(after) == len(before) + 1
    assert laid >= 5  # Markets and every part after it, whose folios moved
    tolls = next(index for index, text in enumerate(after) if "Each gate took a tenth" in text)
    assert labels[tolls] == "5" and after[tolls].splitlines()[-1] == "5"
    assert "counted in Table 1 on page 5" in "".join(after).replace("\n", " ")
    contents = next(text for text in after if text.startswith("Contents"))
    assert re.search(r"Tolls[ .]+5\b", contents), contents
    fresh = tmp_path / "fresh"
    build(book, fresh, "--no-cache")
    assert the_pdf(out).read_bytes() == the_pdf(fresh).read_bytes()


def part_entries(cache: Path) -> dict[str, Path]:
    """The build cache's entry of each laid-out part, by part name."""
    found = {}
    for path in cache.glob("*.entry"):
        with path.open("rb") as file:
            report = json.loads(file.readline())["report"]
        if isinstance(report, dict) and "part" in report:
            found[report["part"]] = path
    return found


def test_a_damaged_part_entry_is_laid_out_again_not_trusted(book, tmp_path, reference):
    book = copy_of(book, tmp_path)
    out = tmp_path / "out"
    build(book, out)
    entries = part_entries(out / ".cache")
    assert {"front", "chapter-markets", "sources", "colophon"} <= set(entries)
    damaged = entries["chapter-markets"]
    damaged.write_bytes(damaged.read_bytes()[:1000])
    # The PDF's own entry goes too, so the build does not serve the whole PDF from the cache.
    for path in out.joinpath(".cache").glob("*.entry"):
        if "file" in json.loads(path.read_bytes().partition(b"\n")[0])["report"]:
            path.unlink()
    the_pdf(out).unlink()
    assert layouts(build(book, out)) == (1, 1)
    assert the_pdf(out).read_bytes() == reference


def test_a_build_from_nothing_writes_each_part_once(book, tmp_path, reference):
    """A first layout prints placeholders for page numbers: the parts that print any are
    written only when laid out again with the true ones, the others are final at once."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import sys, weasyprint\n"
        "write = weasyprint.Document.write_pdf\n"
        "def counted(document, *args, **kwargs):\n"
        "    print('a part written', file=sys.stderr)\n"
        "    return write(document, *args, **kwargs)\n"
        "weasyprint.Document.write_pdf = counted\n", "utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "azcn_book", "build", "--content", str(book), "--out",
               str(out), "--edition", "en", "--no-cache", "--jobs", "1"]
    result = subprocess.run(command, env={**os.environ, "PYTHONPATH": str(hooks)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    parts = len(CHAPTERS) + 3  # the front matter, the chapters, the sources, the colophon
    assert result.stderr.count("a part written") == parts
    assert layouts(result.stderr)[0] == 2  # the contents and Roads' reference: laid out again
    assert the_pdf(out).read_bytes() == reference


def test_an_epub_built_alone_has_the_page_markers_of_the_printed_book(book, tmp_path):
    """Without its PDF, the EPUB's print layout lays its parts out without their folios (they
    move no line) and writes none but the cover's: a part that prints no page number is laid
    out once. Its page markers and cover are those of the build that makes the PDF too."""
    alone = run_cli("build", "--content", book, "--out", tmp_path / "alone", "--edition", "en",
                    "--format", "epub", "--no-cache")
    assert alone.returncode == 0, alone.stderr
    both = run_cli("build", "--content", book, "--out", tmp_path / "both", "--edition", "en",
                   "--format", "epub", "--format", "pdf", "--no-cache")
    assert both.returncode == 0, both.stderr
    epub = Path("en") / "fixture.epub"
    assert (tmp_path / "alone" / epub).read_bytes() == (tmp_path / "both" / epub).read_bytes()
    parts = len(CHAPTERS) + 3
    assert layouts(alone.stderr) == (2, parts + 2)  # the contents and Roads print page numbers


def test_builds_are_byte_identical_whatever_the_number_of_processes(book, tmp_path, reference):
    build(book, tmp_path / "one", "--no-cache", "--jobs", "1")
    assert the_pdf(tmp_path / "one").read_bytes() == reference


def test_the_archival_variant_keeps_its_attachments_and_output_intent(book, tmp_path,
                                                                     reference):
    out = tmp_path / "out"
    build(book, out, "--pdf-variant", "pdf/a-3a", "--no-cache")
    (path,) = (out / "en").glob("*.pdf")
    with pikepdf.open(path) as joined:
        assert sorted(joined.attachments) == ["bibliography.json", "tolls.toml"]
        assert joined.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert len(joined.pages) == len(PdfReader(BytesIO(reference)).pages)
    check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
