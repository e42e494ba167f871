"""The CJK face for e-books, subset to the characters an edition uses.

E-readers often have no Chinese font; Noto (SIL OFL) may be embedded, and subsetting keeps an
edition's EPUB to a few hundred kilobytes instead of the face's 20 MB.
"""

from __future__ import annotations

import io
import subprocess

from fontTools import subset
from fontTools.ttLib import TTFont

from azcn_book.errors import BookError

CJK_FAMILIES = {"Hans": "Noto Serif CJK SC", "Hant": "Noto Serif CJK TC"}


def cjk_family(script: str | None) -> str:
    """The Chinese face for a script: Traditional forms for Hant, Simplified otherwise."""
    return CJK_FAMILIES.get(script or "", CJK_FAMILIES["Hans"])


def locate(family: str) -> tuple[str, int]:
    """The file (and index inside a collection) fontconfig resolves a family to."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", family],
                               capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        found = ""
    families, _, rest = found.partition("|")
    if family not in families.split(","):
        raise BookError.at(f"font '{family}' is not installed (Debian: fonts-noto-cjk)")
    path, _, index = rest.partition("|")
    return path, int(index or 0)


def subset_font(family: str, text: str) -> bytes:
    """An OpenType font with just the glyphs `text` needs, layout features kept."""
    path, index = locate(family)
    font = TTFont(path, fontNumber=index, lazy=True)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(char) for char in set(text)})
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()
