"""Join the PDFs of parts laid out apart into the one tagged PDF WeasyPrint writes of the book.

WeasyPrint's laid-out pages cannot be pickled, so chapters laid out in worker processes come
back as PDF bytes. Each part is a whole tagged PDF of its own: its pages, named destinations,
outline and structure tree (a StructTreeRoot over one Document element, a ParentTree numbered
page by page and then annotation by annotation). `combine` copies every part's pages into the
front part's PDF (qpdf maps each foreign object once, so the structure elements' /Pg and /Obj
land on the copied pages and annotations) and rebuilds what WeasyPrint numbers across the
whole book: the Document's kids, the ParentTree keys, the named destinations and the outline.
The front part's catalog (Lang, Metadata, OutputIntents, attachments) is the book's.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from itertools import pairwise

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from azcn_book.builders import fonts_shared

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartPdf:
    """A PDF WeasyPrint wrote of one part (with pdf_tags=True) and the anchors it defines."""

    pdf: bytes
    anchors: frozenset[str]
    fonts: dict = field(default_factory=dict)  # fonts_shared.FontSource by base font name


def keep_foreign_links(document) -> frozenset[str]:
    """Give the part a placeholder for every anchor it links to but lacks; return its own.

    WeasyPrint drops a link to an anchor missing from the document (with its annotation and
    the Link element's OBJR), so before write_pdf each missing target becomes an anchor of
    the first page; combine() drops those placeholders and the book's real anchor serves.
    """
    own = frozenset(name for page in document.pages for name in page.anchors)
    targets = {
        target
        for page in document.pages
        for link_type, target, _, _ in page.links
        if link_type == "internal"
    }
    for name in sorted(targets - own):
        document.pages[0].anchors[name] = (0, 0, 0, 0)
    return own


def combine(parts: list[PartPdf], front_pages: int) -> bytes:
    """One PDF of the parts' pages in order."""
    if not parts:
        raise ValueError("combine() needs at least one part")
    book = pikepdf.open(BytesIO(parts[0].pdf))  # its catalog and document info: the book's
    try:
        page_counts, catalogs = [len(book.pages)], [book.Root]
        for part in parts[1:]:
            # One part open at a time: qpdf holds a table of every object of an open PDF,
            # hundreds of MiB for the parts of a long book.
            with pikepdf.open(BytesIO(part.pdf)) as source:
                catalogs.append(_adopt(book, source))
                page_counts.append(len(source.pages))
        if "/StructTreeRoot" in book.Root:
            _join_structure(book, catalogs, page_counts)
        _join_destinations(book, catalogs, [part.anchors for part in parts])
        _join_outlines(book, catalogs)
        book.Root.PageLabels = page_labels(front_pages, len(book.pages))
        fonts_shared.share_fonts(book, {name: source for part in parts
                                        for name, source in part.fonts.items()})
        return _save(book)
    finally:
        book.close()


def _adopt(book: Pdf, source: Pdf) -> Dictionary:
    """Copy the source's pages into the book, then its catalog (after the pages, so qpdf points
    its page references at the copies), and the data of the streams the pages draw with: qpdf
    would read it from the source when the book is saved, and the source is closed before."""
    first = len(book.pages)
    with warnings.catch_warnings():
        # pikepdf warns that named destinations are not copied: _join_destinations does.
        warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
        book.pages.extend(source.pages)
    catalog = book.copy_foreign(source.Root)
    for stream in _streams_of(page.obj for page in book.pages[first:]):
        stream.write(stream.read_raw_bytes(), filter=stream.get("/Filter"),
                     decode_parms=stream.get("/DecodeParms"))
    return catalog


def _streams_of(pages) -> Iterator[pikepdf.Stream]:
    """Every stream the pages reach (contents, fonts, forms, annotations' appearances), not
    climbing to their parents (the page tree, an annotation's page)."""
    stack, seen = list(pages), set()
    while stack:
        thing = stack.pop()
        if not isinstance(thing, (Dictionary, Array, pikepdf.Stream)):
            continue
        if thing.is_indirect:
            if thing.objgen in seen:
                continue
            seen.add(thing.objgen)
        if isinstance(thing, pikepdf.Stream):
            yield thing
            thing = thing.stream_dict
        if isinstance(thing, Dictionary):
            stack.extend(value for key, value in thing.items() if key not in ("/Parent", "/P"))
        elif isinstance(thing, Array):
            stack.extend(thing)


def page_labels(front_pages: int, page_count: int) -> Dictionary:
    """The /PageLabels number tree: i, ii, … on the front pages, then 1, 2, …"""
    nums = Array()
    if front_pages > 0:
        nums.extend([0, Dictionary(S=Name.r)])
    if front_pages < page_count:
        nums.extend([front_pages, Dictionary(S=Name.D)])
    return Dictionary(Nums=nums)


def _save(book: Pdf) -> bytes:
    """The PDF's bytes, the same for the same input.

    qpdf writes the catalog's XMP stream unfiltered whatever its filter was (PDF/A forbids
    one), and leaves its content alone unless pikepdf is asked to edit the packet.
    """
    out = BytesIO()
    book.save(
        out,
        deterministic_id=True,
        fix_metadata_version=False,  # pikepdf would reserialize the XMP packet
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return out.getvalue()


def _as_list(value) -> list:
    """A PDF value that may be one object or an array of them, as a list."""
    return list(value) if isinstance(value, Array) else [value]


def _join_structure(book: Pdf, catalogs: list[Dictionary], page_counts: list[int]) -> None:
    """One Document element over every part's elements and one ParentTree numbered as
    WeasyPrint numbers a whole book: page i is i, annotations follow from the page count."""
    roots = [catalog.StructTreeRoot for catalog in catalogs]
    part_documents = [root.K[0] if isinstance(root.K, Array) else root.K for root in roots]
    document = part_documents[0]
    document.K = Array(kid for part in part_documents for kid in _as_list(part.K))
    parent_trees = [dict(_number_tree_items(root.ParentTree)) for root in roots]
    _adopt_elements(parent_trees, part_documents)
    _rename_table_header_ids(roots)
    _renumber_parent_tree(book, roots, parent_trees, page_counts)


def _adopt_elements(parent_trees: list[dict], part_documents: list[Dictionary]) -> None:
    """Make the book's Document the parent of every element a part's Document parented.

    Besides the Document's kids, WeasyPrint parents to it elements it leaves out of its /K
    (a page's margin boxes, reachable only from the ParentTree); their /P must move too, or
    the parts' old Documents and roots stay in the file.
    """
    document, old_documents = part_documents[0], {part.objgen for part in part_documents}
    elements = _as_list(document.K)
    for parent_tree in parent_trees:
        for value in parent_tree.values():
            elements.extend(_as_list(value))
    climbed: set[tuple[int, int]] = set()  # elements whose ancestors were seen to already
    for element in elements:
        while isinstance(element, Dictionary) and "/P" in element:
            if element.objgen in climbed:
                break
            climbed.add(element.objgen)
            if element.P.objgen in old_documents:
                element.P = document
                break
            element = element.P


def _renumber_parent_tree(book: Pdf, roots: list[Dictionary], parent_trees: list[dict],
                         page_counts: list[int]) -> None:
    """Rewrite the ParentTree keys (`parent_trees`: each root's, read), the pages'
    /StructParents and the annotations' /StructParent from part-local numbers to book
    numbers."""
    total_pages = sum(page_counts)
    page_entries, annotation_entries = [], []
    first_page = 0
    for entries, count in zip(parent_trees, page_counts, strict=True):
        pages = book.pages[first_page : first_page + count]
        renumber = {}
        for local in sorted(entries):
            if local < count:
                renumber[local] = first_page + local
                page_entries.append(entries[local])
            else:
                renumber[local] = total_pages + len(annotation_entries)
                annotation_entries.append(entries[local])
        for page in pages:
            _renumber_page(page.obj, renumber)
        first_page += count
    nums = Array()
    for key, value in enumerate(page_entries + annotation_entries):
        nums.extend([key, value])
    roots[0].ParentTree = book.make_indirect(Dictionary(Nums=nums))
    if "/ParentTreeNextKey" in roots[0]:
        roots[0].ParentTreeNextKey = len(page_entries) + len(annotation_entries)


def _renumber_page(page: Dictionary, renumber: dict[int, int]) -> None:
    """Give the page and its annotations their book numbers in the ParentTree."""
    if "/StructParents" in page:
        page.StructParents = renumber[int(page.StructParents)]
    for annotation in page.get("/Annots", Array()):
        if "/StructParent" in annotation:
            annotation.StructParent = renumber[int(annotation.StructParent)]


def _number_tree_items(node: Dictionary) -> Iterator[tuple[int, object]]:
    """The (key, value) pairs of a number tree, leaves and kids alike."""
    nums = node.get("/Nums", Array())
    for index in range(0, len(nums), 2):
        yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", Array()):
        yield from _number_tree_items(kid)


def _rename_table_header_ids(roots: list[Dictionary]) -> None:
    """Keep table header IDs unique in the book: WeasyPrint names them after the table's
    object number, which parts reuse, so later parts' IDs and /Headers get a part prefix."""
    for number, root in enumerate(roots[1:], start=1):
        for element in _structure_elements(root):
            if "/ID" in element:
                element.ID = String(f"p{number}-{element.ID}")
            for attributes in _as_list(element.get("/A", Array())):
                if isinstance(attributes, Dictionary) and "/Headers" in attributes:
                    attributes.Headers = Array(
                        String(f"p{number}-{header}") for header in attributes.Headers
                    )


def _structure_elements(root: Dictionary) -> Iterator[Dictionary]:
    """Every structure element under a StructTreeRoot, in pre-order."""
    stack = list(reversed(_as_list(root.get("/K", Array()))))
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.get("/Type") in (Name.MCR, Name.OBJR):
            continue
        yield element
        stack.extend(reversed(_as_list(element.get("/K", Array()))))


def _join_destinations(
    book: Pdf, catalogs: list[Dictionary], anchors: list[frozenset[str]]
) -> None:
    """The named destinations of every part's own anchors, sorted as WeasyPrint sorts them;
    the placeholders keep_foreign_links added give way to the parts that own the anchors."""
    destinations = {}
    for catalog, own in zip(catalogs, anchors, strict=True):
        if "/Names" not in catalog or "/Dests" not in catalog.Names:
            continue
        for name, destination in pikepdf.NameTree(catalog.Names.Dests).items():
            if name in own and name not in destinations:
                destinations[name] = destination
    _warn_of_missing_targets(book, destinations)
    names = Array()
    for name in sorted(destinations):
        names.extend([String(name), destinations[name]])
    if "/Names" not in book.Root:
        book.Root.Names = Dictionary()
    if names:
        book.Root.Names.Dests = Dictionary(Names=names)
    elif "/Dests" in book.Root.Names:
        del book.Root.Names.Dests


def _warn_of_missing_targets(book: Pdf, destinations: dict) -> None:
    """Say, as WeasyPrint does, which links point at an anchor no part defines."""
    for page in book.pages:
        for annotation in page.obj.get("/Annots", Array()):
            target = annotation.get("/Dest")
            if isinstance(target, String) and str(target) not in destinations:
                LOGGER.error("No anchor #%s for internal URI reference", target)


def _join_outlines(book: Pdf, catalogs: list[Dictionary]) -> None:
    """Chain every part's top-level bookmarks, in order, under one /Outlines root."""
    items, count = [], 0
    for catalog in catalogs:
        outlines = catalog.get("/Outlines")
        if outlines is None or "/First" not in outlines:
            continue
        count += int(outlines.get("/Count", 0))
        item = outlines.First
        while item is not None:
            items.append(item)
            item = item.get("/Next")
    if not items:
        if "/Outlines" in book.Root:
            del book.Root.Outlines
        return
    root = book.Root.get("/Outlines") or book.make_indirect(Dictionary())
    for previous, item in pairwise(items):
        previous.Next, item.Prev = item, previous
    for edge, key in ((items[0], "/Prev"), (items[-1], "/Next")):
        if key in edge:
            del edge[key]
    for item in items:
        item.Parent = root
    root.First, root.Last, root.Count = items[0], items[-1], count
    book.Root.Outlines = root
