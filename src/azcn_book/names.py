"""The names a book gives to things, and the one rule each follows.

Chapter, table, chart, row and section ids become file names, zip entries and URL fragments;
edition tags become folders of the output. Whoever edits a book can choose them, so each is
checked against one pattern here, and every path the build opens or writes is checked to stay
inside its root (after symlinks) by `inside`. Everything else calls these functions.
"""

from __future__ import annotations

import re
from pathlib import Path

# Lower-case ASCII letters, digits and inner hyphens: safe as a file name, a zip entry, an
# XML id and a URL fragment on every system.
ID_PATTERN = "[a-z0-9][a-z0-9-]*"
_ID = re.compile(rf"{ID_PATTERN}\Z")
# A BCP 47 language tag as editions use them: language, then script/region/variant subtags
# (en, zh-Hans, zh-Hant-TW, pt-BR). No slashes, dots or spaces can pass.
EDITION_PATTERN = "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
_EDITION = re.compile(rf"{EDITION_PATTERN}\Z")


def id_problem(kind: str, value: object) -> str | None:
    """Why `value` cannot be the id of a `kind` (chapter, table, chart, row, section), or None."""
    if isinstance(value, str) and _ID.match(value):
        return None
    return (f"{kind} id {value!r} must be lower-case letters, digits and hyphens "
            f"({ID_PATTERN})")


def edition_problem(value: object) -> str | None:
    """Why `value` cannot be an edition tag, or None."""
    if isinstance(value, str) and _EDITION.match(value):
        return None
    return f"edition {value!r} must be a BCP 47 language tag such as en or zh-Hans"


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, with every symlink followed, lies inside `root` (also resolved)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop or an unreadable component
        return False
