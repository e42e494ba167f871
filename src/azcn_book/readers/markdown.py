"""Reads one chapter's Markdown into model nodes, resolving notes, citations, facts and tables.

The syntax is CommonMark with: footnotes (`[^x]`), `{#id}` attribute lines above headings,
pipe tables, and MyST-style roles and directives of our own: {cite}`key, locator`,
{fact}`table.row.column`, {ref}`table-id`, and a ```{table} id``` block.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from azcn_book.errors import Problems
from azcn_book.model import (
    Cell,
    Chapter,
    Citation,
    FigurePlacement,
    Library,
    Node,
    Note,
    Section,
    TablePlacement,
)
from azcn_book.names import id_problem
from azcn_book.readers.bibliography import parse_citation

_ORPHAN_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
_DIRECTIVE = re.compile(r"^\{(\w[\w-]*)\}\s*(.*)$")
# markdown-it stops at 20 levels of nesting and silently drops what lies deeper; the book
# refuses anything deeper than this (blocks and inlines counted together), so nothing is lost.
MAX_DEPTH = 16
# Ids the templates give to parts of their own (book.html, nodes.html, epub/*): a section with
# one of them would be a second element of that id, and links would land on either.
_RESERVED_IDS = {"book-id", "colophon", "colophon-title", "contents", "contents-title", "cover",
                 "landmarks", "nav", "ncx", "page-list", "sources", "sources-title", "title",
                 "toc", "toc-title"}
_RESERVED_PREFIXES = ("call-", "chapter-", "figure-", "navpoint-", "note-", "page-",
                      "pagetarget-", "source-", "table-", "title-", "toc-")
# What a web address may hold once markdown-it has normalized it (RFC 3986: non-ASCII and
# spaces are percent-encoded by then); a host is DNS labels, IPv4 or a bracketed IPv6.
_URL_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*\Z")
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z|\[[0-9A-Fa-f:.]+\]\Z")
# The attributes markdown-it itself sets, which the templates draw; any other came from a
# '{...}' line the book does not support, and would be lost.
_MARKDOWN_ATTRS = {"heading": {"id"}, "ordered_list": {"start"}, "th": {"style"},
                   "td": {"style"}}
_INLINE_KINDS = {"em": "em", "strong": "strong", "code_inline": "code"}
_BLOCK_KINDS = {
    "paragraph": "paragraph", "bullet_list": "bullet_list", "ordered_list": "ordered_list",
    "list_item": "list_item", "blockquote": "blockquote", "hr": "hr", "table": "md_table",
    "thead": "thead", "tbody": "tbody", "tr": "tr", "th": "th", "td": "td",
}


def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect of the book; raw HTML is off and shows as text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "replacements", "smartquotes"])
    # markdown-it turns a link it deems unsafe (file:, javascript:) into plain text without a
    # word; accept every link here so that the reader refuses it with its line instead.
    md.validateLink = lambda url: True
    # Inline notes (^[text]) have no label and no definition line; the book writes [^label].
    md.use(footnote_plugin, inline=False).use(myst_role_plugin).use(attrs_block_plugin)
    md.core.ruler.before("footnote_tail", "note_definitions", _record_definitions)
    return md


def _record_definitions(state: StateCore) -> None:
    """Keep the line of every note definition before markdown-it keeps only the last one of a
    label (so that a second `[^x]:` can be reported instead of silently winning)."""
    lines = state.env.setdefault("note_lines", {})
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            lines.setdefault(token.meta["label"], []).append(token.map[0] + 1)


@dataclass
class EditionContext:
    """What every chapter of one edition shares while being read."""

    edition: str
    library: Library
    problems: Problems
    placements: dict[str, TablePlacement] = field(default_factory=dict)
    figures: dict[str, FigurePlacement] = field(default_factory=dict)
    refs: list[tuple[Node, str, Path, int | None]] = field(default_factory=list)
    anchors: dict[str, tuple[Path, int | None]] = field(default_factory=dict)
    fragments: list[tuple[str, Path, int | None]] = field(default_factory=list)
    cited: dict[str, None] = field(default_factory=dict)


def read_chapter(path: Path, chapter_id: str, text: str, context: EditionContext) -> Chapter:
    """Turn a chapter's text into a Chapter; problems go to `context.problems`."""
    reader = _ChapterReader(path, chapter_id, context)
    env: dict = {}
    tree = SyntaxTreeNode(markdown_parser().parse(text, env))
    reader.check_duplicate_definitions(env.get("note_lines", {}))
    reader.check_link_definitions(env.get("references", {}))
    return reader.read(tree)


class _ChapterReader:
    def __init__(self, path: Path, chapter_id: str, context: EditionContext):
        self.path, self.chapter_id, self.context = path, chapter_id, context
        self.definitions: dict[str, tuple[list[SyntaxTreeNode], int | None]] = {}
        self.notes: list[Note] = []
        self.called: set[str] = set()
        self.sections: list[Section] = []
        self.tables: list[TablePlacement] = []
        self.figures: list[FigurePlacement] = []
        self.line: int | None = None
        self.in_note = False
        self.in_link = False
        self.texts = 0

    def read(self, tree: SyntaxTreeNode) -> Chapter:
        self.check_depth(tree)
        body = [node for node in tree.children if node.type != "footnote_block"]
        for block in tree.children:
            if block.type == "footnote_block":
                self.collect_definitions(block)
        title = self.chapter_title(body)
        blocks = [converted for node in body[1:] for converted in self.block(node)]
        self.check_definitions_used()
        title_nodes = self.inlines(body[0].children[0]) if title else []
        return Chapter(self.chapter_id, title_nodes, title, blocks, self.sections, self.notes,
                       self.tables, self.path, self.figures)

    # ----- structure

    def chapter_title(self, body: list[SyntaxTreeNode]) -> str:
        first = body[0] if body else None
        if first is None or first.type != "heading" or first.tag != "h1":
            self.report("a chapter begins with its title: '# Title'", _line(first) or 1)
            body.insert(0, SyntaxTreeNode())
            return ""
        if first.attrs:
            self.report("the chapter title takes no '{...}' line: the chapter's id is its "
                        "file name", _line(first))
        for later in body[1:]:
            if later.type == "heading" and later.tag == "h1":
                self.report("a chapter has one '# Title'; use '##' for sections", _line(later))
        return _plain_text(first)

    def block(self, node: SyntaxTreeNode) -> list[Node]:
        self.line = _line(node) or self.line
        self.check_attributes(node)
        if node.type == "heading":
            return [self.heading(node)]
        if node.type == "fence":
            return self.directive(node)
        if node.type in ("code_block", "html_block"):
            self.report("code blocks are not part of this book's Markdown", _line(node))
            return []
        kind = _BLOCK_KINDS.get(node.type)
        if kind is None:
            self.report(f"unsupported Markdown block '{node.type}'", _line(node))
            return []
        if node.type in ("th", "td") or (node.type == "paragraph" and node.children):
            children = self.inlines(node.children[0]) if node.children else []
        else:
            children = [child for sub in node.children for child in self.block(sub)]
        attrs = {key: node.attrs[key] for key in _MARKDOWN_ATTRS.get(node.type, ())
                 if key in node.attrs}
        attrs["line"] = _line(node)
        return [Node(kind, children, attrs=attrs)]

    def heading(self, node: SyntaxTreeNode) -> Node:
        level, line = int(node.tag[1]), _line(node)
        section_id = str(node.attrs.get("id", ""))
        if level > 3:
            self.report("headings go down to '###'", line)
        if not section_id:
            self.report("a section needs an id: put '{#some-id}' on the line above it", line)
        elif problem := id_problem("section", section_id) or _reserved_problem(section_id):
            self.report(problem, line)
        else:
            self.claim_anchor(section_id, line)
        title = self.inlines(node.children[0])
        self.sections.append(Section(section_id, _plain_text(node), level, line))
        return Node("heading", title, attrs={"level": level, "id": section_id, "line": line})

    def directive(self, node: SyntaxTreeNode) -> list[Node]:
        found = _DIRECTIVE.match(node.info.strip())
        line = _line(node)
        if found and node.content.strip():
            self.report(f"a '```{{{found.group(1)}}}' block holds nothing: write its text after "
                        "the closing '```'", line)
        if found and found.group(1) == "figure":
            return self.figure(found.group(2).strip(), line)
        if not found or found.group(1) != "table":
            self.report("block directives are '```{table} id' and '```{figure} chart-id'", line)
            return []
        table_id = found.group(2).strip()
        table = self.context.library.tables.get(table_id)
        if table is None:
            self.report(f"no data table '{table_id}' in data/", line)
            return []
        if table_id in self.context.placements:
            self.report(f"table '{table_id}' is placed twice", line)
            return []
        number = len(self.context.placements) + 1
        placement = TablePlacement(number, f"table-{table_id}", table, line)
        self.context.placements[table_id] = placement
        self.tables.append(placement)
        self.claim_anchor(placement.anchor, line)
        return [Node("table", placement=placement)]

    def figure(self, chart_id: str, line: int | None) -> list[Node]:
        charts = {chart.id: (chart, table) for table in self.context.library.tables.values()
                  for chart in table.charts}
        if chart_id not in charts:
            self.report(f"no chart '{chart_id}' in data/ (a [[charts]] entry of a table)", line)
            return []
        if chart_id in self.context.figures:
            self.report(f"figure '{chart_id}' is placed twice", line)
            return []
        chart, table = charts[chart_id]
        number = len(self.context.figures) + 1
        placement = FigurePlacement(number, f"figure-{chart_id}", chart, table, line)
        self.context.figures[chart_id] = placement
        self.figures.append(placement)
        self.claim_anchor(placement.anchor, line)
        return [Node("figure", figure=placement)]

    # ----- inline content

    def inlines(self, inline: SyntaxTreeNode) -> list[Node]:
        return [converted for child in inline.children for converted in self.inline(child)]

    def inline(self, node: SyntaxTreeNode) -> list[Node]:
        kind = node.type
        if kind in ("softbreak", "hardbreak"):
            self.line = (self.line or 0) + 1
            return [Node(kind)]
        if kind == "text":
            self.check_orphan_calls(node.content)
            self.texts += 1
            # A stable id per text, so a print page's first line can be found again in the EPUB;
            # its source line, so the layout preflight can say where a defective line comes from.
            return [Node("text", text=node.content,
                         attrs={"t": f"{self.chapter_id}/{self.texts}", "line": self.line})]
        if kind in _INLINE_KINDS:
            if kind == "code_inline":
                return [Node("code", text=node.content)]
            return [Node(_INLINE_KINDS[kind], self.inlines_of(node))]
        if kind == "link":
            return [self.link(node)]
        if kind == "footnote_ref":
            return self.note_call(node.meta["label"])
        if kind == "myst_role":
            return self.role(node.meta["name"], node.content)
        if kind == "image":
            self.report("images are not part of this book's Markdown", self.line)
            return []
        self.report(f"unsupported Markdown '{kind}'", self.line)
        return []

    def inlines_of(self, node: SyntaxTreeNode) -> list[Node]:
        return [converted for child in node.children for converted in self.inline(child)]

    def link(self, node: SyntaxTreeNode) -> Node:
        href = str(node.attrs.get("href", ""))
        if problem := link_problem(href):
            # A relative or file: link could make a reader fetch a file from this machine.
            self.report(problem, self.line)
            href = ""
        elif href.startswith("#"):
            self.context.fragments.append((href[1:], self.path, self.line))
        self.in_link = True
        children = self.inlines_of(node)
        self.in_link = False
        return Node("link", children, attrs={"href": href})

    def refused_in_link(self, what: str) -> bool:
        """A note call or {ref} is a link itself, and a link cannot hold a link (XHTML)."""
        if self.in_link:
            self.report(f"a link's text cannot hold {what}: put it after the link", self.line)
        return self.in_link

    def role(self, name: str, content: str) -> list[Node]:
        if name in ("cite", "ref") and self.refused_in_link(f"a {{{name}}}"):
            return []
        if name == "cite":
            citations = self.citations(content)
            if self.in_note:
                return [Node("citation", citations=citations)]
            return [self.new_note(citations=citations)] if citations else []
        if name == "fact":
            cell = self.fact(content)
            return [Node("fact", cell=cell)] if cell else []
        if name == "ref":
            node = Node("ref")
            self.context.refs.append((node, content.strip(), self.path, self.line))
            return [node]
        self.report(f"unknown role '{{{name}}}': use cite, fact or ref", self.line)
        return []

    # ----- notes and citations

    def collect_definitions(self, block: SyntaxTreeNode) -> None:
        for footnote in block.children:
            paragraphs = [child for child in footnote.children if child.type == "paragraph"]
            line = _line(paragraphs[0]) if paragraphs else None
            label = footnote.meta["label"]
            for other in footnote.children:
                if other.type not in ("paragraph", "footnote_anchor"):
                    self.report(f"note [^{label}] may hold paragraphs only, not "
                                f"'{other.type}'", _line(other) or line)
            if not any(p.children and p.children[0].children for p in paragraphs):
                self.report(f"note [^{label}] is empty", line)
            self.definitions[label] = (paragraphs, line)

    def note_call(self, label: str) -> list[Node]:
        if self.refused_in_link("a note call"):
            return []
        if label in self.called:
            self.report(f"note [^{label}] is called twice; write a second note", self.line)
            return []
        self.called.add(label)
        paragraphs, line = self.definitions[label]
        call_line, self.in_note = self.line, True
        body: list[Node] = []
        for paragraph in paragraphs:
            self.line = _line(paragraph)
            body += ([Node("text", text=" ")] if body else []) + self.inlines(paragraph.children[0])
        self.line, self.in_note = call_line, False
        return [self.new_note(body=body, line=line)]

    def new_note(self, body=None, citations=None, line=None) -> Node:
        number = len(self.notes) + 1
        note = Note(number, f"note-{self.chapter_id}-{number}", body or [], citations or [],
                    line or self.line)
        self.notes.append(note)
        return Node("noteref", note=note, attrs={"line": self.line})  # the call's line

    def citations(self, content: str) -> list[Citation]:
        citations = []
        for part in filter(None, (part.strip() for part in content.split(";"))):
            citation, key = parse_citation(part, self.context.library.references)
            if citation is None:
                self.report(f"unknown citation key '{key}' (not in bibliography.json)", self.line)
                continue
            self.context.cited.setdefault(key)
            citations.append(citation)
        if not citations and content.strip() == "":
            self.report("an empty {cite}", self.line)
        return citations

    def fact(self, path: str) -> Cell | None:
        table_id, _, rest = path.strip().partition(".")
        row_id, _, column_key = rest.rpartition(".")
        table = self.context.library.tables.get(table_id)
        row = table.row(row_id) if table else None
        column = table.column(column_key) if table else None
        if table is None:
            self.report(f"fact '{path}': no data table '{table_id}'", self.line)
        elif row is None or column is None:
            missing = f"row '{row_id}'" if row is None else f"column '{column_key}'"
            self.report(f"fact '{path}': table '{table_id}' has no {missing}", self.line)
        elif row.cells.get(column_key) is None:
            self.report(f"fact '{path}': the cell is empty in {table.path.name}", self.line)
        else:
            return Cell(column, row.cells[column_key])
        return None

    # ----- checks

    def check_duplicate_definitions(self, note_lines: dict[str, list[int]]) -> None:
        for label, lines in note_lines.items():
            if len(lines) > 1:
                at = ", ".join(str(line) for line in lines[:-1]) + f" and {lines[-1]}"
                self.report(f"note [^{label}] is defined {_times(len(lines))}, at lines {at}",
                            lines[1])

    def check_link_definitions(self, references: dict[str, dict]) -> None:
        """A link definition ('[label]: address') is checked where it stands, used or not."""
        for reference in references.values():
            if problem := link_problem(reference["href"]):
                self.report(problem, reference["map"][0] + 1)

    def check_attributes(self, node: SyntaxTreeNode) -> None:
        """A '{...}' line gives a block attributes; the book draws only a heading's id."""
        stray = sorted(set(node.attrs) - _MARKDOWN_ATTRS.get(node.type, set()))
        if stray:
            self.report(f"attributes ({', '.join(stray)}) are not drawn here: the book takes "
                        "only '{#id}' on the line above a '##' or '###' heading", _line(node))

    def check_depth(self, tree: SyntaxTreeNode) -> None:
        """Report each top-level block nested deeper than MAX_DEPTH, at the line where the
        nesting goes too deep."""
        for block in tree.children:
            if (line := _too_deep(block, 1, _line(block))) is not None:
                self.report(f"Markdown nested more than {MAX_DEPTH} levels deep (lists, quotes, "
                            "emphasis) is not supported: markdown-it would drop what lies deeper",
                            line or _line(block))

    def check_definitions_used(self) -> None:
        for label, (_, line) in self.definitions.items():
            if label not in self.called:
                self.report(f"note [^{label}] is defined but never called", line)

    def check_orphan_calls(self, text: str) -> None:
        for found in _ORPHAN_NOTE_CALL.finditer(text):
            self.report(f"note [^{found.group(1)}] is called but not defined", self.line)

    def claim_anchor(self, anchor: str, line: int | None) -> None:
        if anchor in self.context.anchors:
            other, other_line = self.context.anchors[anchor]
            self.report(f"id '{anchor}' is already used at {other.name}:{other_line}", line)
        self.context.anchors[anchor] = (self.path, line)

    def report(self, message: str, line: int | None) -> None:
        self.context.problems.add(message, self.path, line)


def _reserved_problem(section_id: str) -> str | None:
    if section_id in _RESERVED_IDS or section_id.startswith(_RESERVED_PREFIXES):
        return (f"section id '{section_id}' is one the book gives to a part of its own; "
                f"choose another (reserved: {', '.join(sorted(_RESERVED_IDS))}, and ids "
                f"beginning {', '.join(_RESERVED_PREFIXES)})")
    return None


def link_problem(href: str) -> str | None:
    """Why `href` cannot be a link of the book, or None: a link is a web address (http, https,
    mailto) that EPUBCheck and every reader accept as a URL, or a #fragment of this book."""
    scheme, _, rest = href.partition(":")
    if href.startswith("#"):
        return None if len(href) > 1 else "a link to '#' names no part of the book"
    if scheme.lower() not in ("http", "https", "mailto") or not rest:
        return ("links must be web addresses (http, https, mailto) or a #fragment of this "
                f"book: '{href}'")
    if not _URL_CHARS.match(href) or not _valid_authority(scheme.lower(), rest):
        return f"'{href}' is not a valid web address"
    return None


def _valid_authority(scheme: str, rest: str) -> bool:
    """Whether the host (after '@' for mailto) and port are ones a URL parser accepts."""
    if scheme == "mailto":
        address = rest.split("?", 1)[0]
        return "@" in address and bool(_HOST.match(address.rpartition("@")[2]))
    if not rest.startswith("//"):
        return False
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].rpartition("@")[2]
    host, colon, port = authority.rpartition(":")
    if not colon or authority.endswith("]"):  # no port; an IPv6 host has colons of its own
        host, port = authority, ""
    elif not port.isdigit() or int(port) > 65535:
        return False
    return bool(_HOST.match(host)) and (not host.startswith("[") or _ipv6(host[1:-1]))


def _ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _too_deep(node: SyntaxTreeNode, depth: int, line: int | None) -> int | None:
    """The line (or 0 if unknown) of the first node deeper than MAX_DEPTH, or None."""
    line = _line(node) or line
    if depth > MAX_DEPTH:
        return line or 0
    for child in node.children:
        found = _too_deep(child, depth + 1, line)
        if found is not None:
            return found
    return None


def _times(count: int) -> str:
    return {2: "twice", 3: "three times"}.get(count, f"{count} times")


def _line(node: SyntaxTreeNode | None) -> int | None:
    return node.map[0] + 1 if node is not None and node.map else None


def _plain_text(node: SyntaxTreeNode) -> str:
    """The text of a node without markup, e.g. a heading's for the contents and metadata."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain_text(child) for child in node.children)


def check_fragments(context: EditionContext, chapters: list[Chapter]) -> None:
    """Every `#fragment` link of the edition must name a chapter, section, table or figure."""
    targets = set(context.anchors)
    targets.update(f"chapter-{chapter.id}" for chapter in chapters)
    for fragment, path, line in context.fragments:
        if fragment not in targets:
            context.problems.add(f"link to '#{fragment}': no chapter, section, table or figure "
                                 "of the book has this id", path, line)
