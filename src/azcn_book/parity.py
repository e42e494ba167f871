"""Parity of the written editions: the same chapters, sections, tables, notes, citations and
figures, so that no edition drifts from the others. Each report names both sides.

Derived editions (Traditional Chinese) are parallel to their source by construction.
"""

from __future__ import annotations

import re
from collections import Counter

from azcn_book.errors import Problems
from azcn_book.model import Chapter, Edition, Node

# A number, but not the 19 of a name such as COVID-19.
_LITERAL = re.compile(r"(?<![A-Za-z0-9-])\d+(?:[.,]\d+)*")


def check_parity(editions: list[Edition], problems: Problems) -> None:
    """Compare every written edition with the first, chapter by chapter."""
    written = [edition for edition in editions if not edition.config.derive_from]
    if len(written) < 2:
        return
    first, *others = written
    for other in others:
        # Paired by id: a chapter file that could not be read is reported once where it is
        # read, and must not shift every later chapter onto the wrong partner.
        theirs_by_id = {chapter.id: chapter for chapter in other.chapters}
        for mine in first.chapters:
            if mine.id in theirs_by_id:
                compare_chapters(mine, theirs_by_id[mine.id], problems)


def compare_chapters(mine: Chapter, theirs: Chapter, problems: Problems) -> None:
    _compare_ids("section", [(s.id, s.line) for s in mine.sections],
                 [(s.id, s.line) for s in theirs.sections], mine, theirs, problems)
    _compare_ids("table", [(p.table.id, p.line) for p in mine.tables],
                 [(p.table.id, p.line) for p in theirs.tables], mine, theirs, problems)
    _compare_ids("figure", [(f.chart.id, f.line) for f in mine.figures],
                 [(f.chart.id, f.line) for f in theirs.figures], mine, theirs, problems)
    _compare_counts("notes", [n.line for n in mine.notes if n.body],
                    [n.line for n in theirs.notes if n.body], mine, theirs, problems)
    _compare_counts("citations", _citation_lines(mine), _citation_lines(theirs),
                    mine, theirs, problems)
    _compare_literals(mine, theirs, problems)


def _compare_ids(kind, my_ids, their_ids, mine, theirs, problems: Problems) -> None:
    """Sections or tables one side has and the other lacks, with where each stands."""
    mine_only = [item for item in my_ids if item[0] not in {i for i, _ in their_ids}]
    theirs_only = [item for item in their_ids if item[0] not in {i for i, _ in my_ids}]
    for item_id, line in mine_only:
        problems.add(f"{kind} '{item_id}' of {_name(mine)}:{line} is missing here",
                     theirs.path, _near(item_id, my_ids, their_ids))
    for item_id, line in theirs_only:
        problems.add(f"{kind} '{item_id}' is not in {_name(mine)} "
                     f"(near line {_near(item_id, their_ids, my_ids)} there)", theirs.path, line)
    common_mine = [i for i, _ in my_ids if i not in dict(mine_only)]
    common_theirs = [i for i, _ in their_ids if i not in dict(theirs_only)]
    if common_mine != common_theirs:
        line = dict(their_ids)[common_theirs[0]] if common_theirs else None
        problems.add(f"{kind}s are in another order than in {_name(mine)}: "
                     f"{', '.join(common_mine)} there", theirs.path, line)


def _near(item_id: str, having: list, lacking: list) -> int | None:
    """The line of `lacking` where `item_id` would stand: after its predecessor."""
    lines = dict(lacking)
    before = [i for i, _ in having[: [i for i, _ in having].index(item_id)] if i in lines]
    return lines[before[-1]] if before else 1


def _compare_counts(kind, my_lines, their_lines, mine, theirs, problems: Problems) -> None:
    if len(my_lines) != len(their_lines):
        problems.add(f"{len(their_lines)} {kind} here (lines {_lines(their_lines)}), "
                     f"{len(my_lines)} in {_name(mine)} (lines {_lines(my_lines)})",
                     theirs.path, _first_unmatched(my_lines, their_lines))


def _compare_literals(mine: Chapter, theirs: Chapter, problems: Problems) -> None:
    """A figure typed in one edition's prose that the other does not have is drift."""
    my_figures, their_figures = _literals(mine.blocks), _literals(theirs.blocks)
    my_count = Counter(value for value, _, _ in my_figures)
    their_count = Counter(value for value, _, _ in their_figures)
    for value, line, block in my_figures:
        if their_count[value] < my_count[value]:
            problems.add(f"figure {value} is typed at {_name(mine)}:{line} but not here; "
                         "write it as a {fact} in both", theirs.path, _line_of(theirs, block))
            my_count[value] -= 1
    for value, line, block in their_figures:
        if my_count[value] < their_count[value]:
            problems.add(f"figure {value} is typed here but not in {_name(mine)} "
                         f"(same paragraph there: line {_line_of(mine, block)}); "
                         "write it as a {fact} in both", theirs.path, line)
            their_count[value] -= 1


def _literals(blocks: list[Node]) -> list[tuple[str, int | None, int]]:
    """Numbers typed in the prose, with their line and top-level block (paragraph) index;
    facts, notes and citations are not typed text."""
    return [(value, line, index) for index, block in enumerate(blocks)
            for value, line in _typed_numbers(block, block.attrs.get("line"))]


def _typed_numbers(node: Node, line: int | None) -> list[tuple[str, int | None]]:
    here = node.attrs.get("line", line)
    found = [(m.group(), here) for m in _LITERAL.finditer(node.text)] if node.kind == "text" else []
    for child in node.children:
        found += _typed_numbers(child, here)
    return found


def _line_of(chapter: Chapter, block: int) -> int | None:
    """The line of a chapter's n-th block: editions are parallel paragraph for paragraph."""
    return chapter.blocks[block].attrs.get("line") if block < len(chapter.blocks) else None


def _citation_lines(chapter: Chapter) -> list[int | None]:
    return [note.line for note in chapter.notes for _ in note.citations] + [
        note.line for note in chapter.notes for node in note.body if node.kind == "citation"]


def _first_unmatched(my_lines: list, their_lines: list) -> int | None:
    return their_lines[min(len(my_lines), len(their_lines)) - 1] if their_lines else None


def _lines(lines: list) -> str:
    return ", ".join(str(line) for line in lines) or "none"


def _name(chapter: Chapter) -> str:
    return f"{chapter.path.parent.name}/{chapter.path.name}"
