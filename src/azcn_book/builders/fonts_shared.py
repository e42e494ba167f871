"""One subset of each face in a PDF joined from parts (combine.py), as WeasyPrint makes for a book
laid out whole.

Each part's PDF embeds its own subset of every face it uses: joined as they are, a 20-page
Chinese edition would carry twelve subsets of Noto Serif CJK, four times the file. WeasyPrint
subsets with HarfBuzz keeping the font's glyph ids (RETAIN_GIDS) and maps CIDs to them one to
one, so every part's text draws the same glyph ids: the parts' copies of a face are replaced by
one subset of the installed font for the union of their glyphs, with the union of their widths
and Unicode maps — what WeasyPrint writes when it sees every page at once.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
import uharfbuzz
from pikepdf import Array, Dictionary, Name, Pdf

# WeasyPrint 70's subsetting (pdf/fonts.py, Font._harfbuzz_subset), repeated on the union.
_DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH",
                   "PCLT", "SVG ")
_IDENTITY = Name("/Identity-H")  # a font with missing glyphs has a CMap of WeasyPrint's own
_SAMPLE = 1 << 16  # bytes from each end of a font file that identify it with its size


@dataclass(frozen=True)
class FontSource:
    """The installed font file a part's font was subset from: its family (for fontconfig to
    find candidates), face index in a collection, size, and a digest of its two ends."""

    family: str
    index: int
    size: int
    digest: str

    def report(self) -> list:
        return [self.family, self.index, self.size, self.digest]

    @classmethod
    def from_report(cls, report: list) -> FontSource:
        """A source as `report` wrote it (TypeError, ValueError if damaged)."""
        family, index, size, digest = report
        return cls(str(family), int(index), int(size), str(digest))


def font_sources(document) -> dict[str, FontSource]:
    """The source file of each font a part's PDF embeds, by base font name; call after
    write_pdf. WeasyPrint internals: Document.fonts holds the Font objects of the write, whose
    hb_face is still the installed face (the subset only replaced file_content)."""
    sources = {}
    for font in document.fonts.values():
        if found := _face_identity(font.hb_face):
            sources[font.name.decode().lstrip("/")] = FontSource(font.family, font.index,
                                                                 *found)
    return sources


def _face_identity(hb_face) -> tuple[int, str] | None:
    """The size and _ends_digest of the file a HarfBuzz face was read from, reading only its
    ends (a CJK face is 20 MB: a copy of it took 25 ms a part). WeasyPrint internals: its
    cffi handles and declarations of HarfBuzz, as text/fonts.py get_hb_object_data uses them."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_blob(hb_face)
    try:
        with ffi.new("unsigned int *") as length:
            data = harfbuzz.hb_blob_get_data(blob, length)
            if data == ffi.NULL:
                return None
            view = ffi.buffer(data, int(length[0]))  # the face's memory, not a copy
            return len(view), _ends_digest(view)
    finally:
        harfbuzz.hb_blob_destroy(blob)


def share_fonts(book: Pdf, sources: dict[str, FontSource]) -> None:
    """Replace the copies of each face in `book` by one subset of their union. A face whose
    file cannot be found as it was, or whose copies WeasyPrint wrote with missing glyphs (a
    CMap of its own), keeps its copies: a bigger file, never a wrong glyph."""
    resources = list(_font_resources(book))
    copies: dict[str, list[Dictionary]] = {}
    seen: set[tuple[int, int]] = set()
    for font in _type0_fonts(resources):
        if font.objgen not in seen:
            seen.add(font.objgen)
            copies.setdefault(str(font.BaseFont).lstrip("/"), []).append(font)
    kept: dict[tuple[int, int], Dictionary] = {}  # each merged copy's object → the one kept
    for name, fonts in copies.items():
        source = sources.get(name)
        path = source and _installed_file(source)
        plain = all(font.get("/Encoding") == _IDENTITY for font in fonts)
        if len(fonts) > 1 and path and plain:
            _merge(book, fonts, path, source.index)
            kept.update({font.objgen: fonts[0] for font in fonts[1:]})
    for dictionary in resources:
        for key, font in list(dictionary.Font.items()):
            if font.objgen in kept:
                dictionary.Font[key] = kept[font.objgen]


def _type0_fonts(resources: list[Dictionary]):
    for dictionary in resources:
        for font in dictionary.Font.values():
            if font.get("/Subtype") == Name.Type0:
                yield font


def _font_resources(book: Pdf):
    """Every dictionary with a /Font resource dictionary: pages', and those of the forms and
    patterns their resources hold (found from the pages, not among all of the book's objects:
    a long book has hundreds of thousands, most of them structure elements). One missed
    would keep its own copies of its fonts, never draw with another's."""
    seen: set[tuple[int, int]] = set()  # indirect objects walked (a form may draw itself)
    stack = [page.obj for page in reversed(book.pages)]
    while stack:
        thing = stack.pop()
        if thing.is_indirect and thing.objgen in seen:
            continue
        seen.add(thing.objgen)
        if isinstance(thing, pikepdf.Stream):
            thing = thing.stream_dict
        resources = thing.get("/Resources")
        if not isinstance(resources, Dictionary) or (resources.is_indirect
                                                     and resources.objgen in seen):
            continue
        seen.add(resources.objgen)
        if isinstance(resources.get("/Font"), Dictionary):
            yield resources
        for kind in ("/XObject", "/Pattern"):
            found = resources.get(kind)
            if isinstance(found, Dictionary):
                stack.extend(found[key] for key in sorted(found.keys(), reverse=True))


def _merge(book: Pdf, fonts: list[Dictionary], path: Path, index: int) -> None:
    """Make the first copy the union of all (share_fonts points every resource at it)."""
    widths: dict[int, float] = {}
    text: dict[int, str] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0].W))
        text.update(_to_unicode(font.ToUnicode.read_bytes()))
    kept = fonts[0]
    descendant = kept.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    program_key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
    program = _subset(path, index, sorted(widths))
    extra = {"Subtype": Name.OpenType} if program_key == "/FontFile3" else {
        "Length1": len(program)}
    descriptor[program_key] = book.make_stream(program, **extra)  # qpdf compresses it
    box = list(descriptor.FontBBox)
    descriptor.FontBBox = Array([box[0], box[1], max(widths.values(), default=0), box[3]])
    descendant.W = _width_array(widths)
    if "/CIDSet" in descriptor:
        descriptor.CIDSet = book.make_stream(_cid_set(widths))
    kept.ToUnicode = book.make_stream(_cmap(text))


def _subset(path: Path, index: int, glyphs: list[int]) -> bytes:
    """The font at `path` (face `index`) cut to `glyphs`, as WeasyPrint cuts it: glyph ids
    kept, no layout tables, no hinting, then the empty glyphs after the last dropped."""
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)), index)  # mapped, not read
    first = uharfbuzz.SubsetInput()
    first.glyph_set.update(glyphs)
    first.flags = (uharfbuzz.SubsetFlags.RETAIN_GIDS
                   | uharfbuzz.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                   | uharfbuzz.SubsetFlags.DESUBROUTINIZE)
    _drop_tables(first)
    cut = uharfbuzz.subset(face, first)
    second = uharfbuzz.SubsetInput()
    second.glyph_set.update(range(max(glyphs) + 1))
    second.flags = (uharfbuzz.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | uharfbuzz.SubsetFlags.DESUBROUTINIZE
                    | uharfbuzz.SubsetFlags.NO_HINTING)
    return uharfbuzz.subset(cut, second).blob.data


def _drop_tables(subset_input) -> None:
    tags = subset_input.sets(uharfbuzz.SubsetInputSets.DROP_TABLE_TAG)
    tags.update(int.from_bytes(tag.encode("ascii"), "big") for tag in _DROPPED_TABLES)


def _widths(array: Array) -> dict[int, float]:
    """A CIDFont's /W array as {cid: width} (both forms: c [w…] and c_first c_last w)."""
    items, widths, position = list(array), {}, 0
    while position < len(items):
        first = int(items[position])
        if isinstance(items[position + 1], Array):
            for offset, width in enumerate(items[position + 1]):
                widths[first + offset] = float(width)
            position += 2
        else:
            last, width = int(items[position + 1]), float(items[position + 2])
            widths.update(dict.fromkeys(range(first, last + 1), width))
            position += 3
    return widths


def _width_array(widths: dict[int, float]) -> Array:
    """{cid: width} as /W runs of consecutive cids, as WeasyPrint writes them."""
    runs: list = []
    for cid in sorted(widths):
        if cid - 1 not in widths:
            runs += [cid, []]
        runs[-1].append(widths[cid])
    return Array([Array(run) if isinstance(run, list) else run for run in runs])


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """The glyph → text pairs of the bfchar blocks WeasyPrint writes."""
    found = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in _BFCHAR.findall(block):
            found[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return found


def _cmap(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap in WeasyPrint's words (pdf/fonts.py), batches of 100 pairs."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    pairs = sorted(text.items())
    for start in range(0, len(pairs), 100):
        batch = pairs[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{value.encode('utf-16-be').hex()}>".encode()
                  for glyph, value in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _cid_set(widths: dict[int, float]) -> bytes:
    """PDF/A's /CIDSet: one bit per CID present, the high bit first."""
    bits = bytearray((max(widths) + 8) // 8)
    for cid in widths:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


@lru_cache(maxsize=64)
def _installed_file(source: FontSource) -> Path | None:
    """The installed file `source` came from, or None if no file of its family matches."""
    for candidate in _family_files(source.family):
        try:
            if (candidate.stat().st_size == source.size
                    and _file_digest(candidate) == source.digest):
                return candidate
        except OSError:
            continue
    return None


def _family_files(family: str) -> list[Path]:
    """The files fontconfig knows for a family (the ones Pango chose from)."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file}\n", f":family={family}"],
                                capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line) for line in dict.fromkeys(listed.splitlines()) if line]


def _file_digest(path: Path) -> str:
    """_ends_digest of a file, reading only its ends."""
    size = path.stat().st_size
    if size <= 2 * _SAMPLE:
        return _ends_digest(path.read_bytes())
    with path.open("rb") as file:
        head = file.read(_SAMPLE)
        file.seek(size - _SAMPLE)
        return _digest(head + file.read(_SAMPLE))


def _ends_digest(data) -> str:
    """A digest of the first and last 64 KiB (the whole, if smaller): with the size, enough
    to tell installed font files apart without reading 20 MB of each."""
    return _digest(data[:_SAMPLE] + data[-_SAMPLE:] if len(data) > 2 * _SAMPLE else data[:])


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
