"""A page's notes stay on its page: a paragraph that does not fit moves, not the notes above it.

When a paragraph's line does not fit at the foot of a page, and breaking before it would leave
fewer lines on the page than `orphans` (the book's 2) while breaking after it would not,
WeasyPrint 70 makes room for the line by pushing the page's last notes to the next page, then
keeps the line. Those notes belong to lines already on the page (a line's own notes join the
page only after this test), so the reader finds a call on one page and its note on the next:
"…aggression and fascism.⁷" at the foot of page 5, note 7 on page 6. A book never does that.
With the deferral off, WeasyPrint does what it does for any paragraph too short to break
there (`_break_line`): the paragraph goes to the next page, or, at the top of a page, breaks
before the line. A note too tall for the room under its own line is another case, left to
WeasyPrint: the style sheet's `footnote-policy: line` moves that line with its note.

WeasyPrint internals (pinned to 70, see pyproject.toml): `layout.block._linebox_layout` lays
out a block's lines and is called by its module-global name from `block_container_layout`
only; in its `if overflow:` branch the line `report = not context.in_column and
can_break_now and not could_break_before` decides the deferral (LayoutContext.report_footnote
of `current_page_footnotes[-1]` until the line fits).

That one line is replaced in WeasyPrint's own source, which is compiled again in `block`'s
globals (and with block.py's line numbers, so a traceback still points into WeasyPrint's
file). A copy of the whole function would be 140 lines of WeasyPrint's line layout kept as
ours, silently out of date after an upgrade; the replaced line is checked to occur exactly
once, so an upgrade that changes it stops the import, naming this module. A traceback through
that line shows WeasyPrint's original text, read from block.py, though `report = False` runs.
"""

from __future__ import annotations

import ast
import inspect

import azcn_book.builders.engine  # noqa: F401 (loads WeasyPrint: see there)

from weasyprint.layout import block

_WEASYPRINT_ORIGINAL = block._linebox_layout
_DEFERS = "report = not context.in_column and can_break_now and not could_break_before"
_KEEPS = "report = False  # azcn-book: footnote_defer.py"


def install() -> None:
    """Keep every note on its call's page in every layout this process makes."""
    block._linebox_layout = _linebox_layout


def _without_deferral(function):
    """`function` (WeasyPrint's _linebox_layout) compiled again with _DEFERS replaced."""
    lines, first_line = inspect.getsourcelines(function)
    source = "".join(lines)
    if source.count(_DEFERS) != 1:
        raise RuntimeError(f"WeasyPrint's {function.__qualname__} no longer holds {_DEFERS!r} "
                           f"once: azcn_book/builders/footnote_defer.py is written for "
                           f"WeasyPrint 70")
    tree = ast.parse(source.replace(_DEFERS, _KEEPS))
    ast.increment_lineno(tree, first_line - 1)
    code = compile(tree, inspect.getsourcefile(function), "exec", dont_inherit=True)
    defined: dict = {}
    exec(code, vars(block), defined)  # its globals are block's: it runs as WeasyPrint's own
    return defined[function.__name__]


_linebox_layout = _without_deferral(_WEASYPRINT_ORIGINAL)
