"""Editions made from another at build time: Traditional Chinese from Simplified with OpenCC.

A derived edition is never written by hand. Its chapters, data texts and titles are the source
edition's, converted by the OpenCC configuration book.toml names, then corrected by the
edition's phrase table (`content/phrases/<edition>.toml`) where the conversion errs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import opencc

from azcn_book.errors import BookError
from azcn_book.readers.tomlfile import load_toml


class Converter:
    """Converts text of the source edition into a derived edition's script and usage."""

    def __init__(self, configuration: str, phrases: dict[str, str]):
        self.opencc = _opencc(configuration)
        # Longest first, so that a phrase wins over a shorter phrase inside it.
        self.phrases = sorted(phrases.items(), key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        converted = self.opencc.convert(text)
        for wrong, right in self.phrases:
            converted = converted.replace(wrong, right)
        return converted


@lru_cache(maxsize=8)
def _opencc(configuration: str) -> opencc.OpenCC:
    return opencc.OpenCC(configuration)


def is_configuration(name: str) -> bool:
    """Whether OpenCC knows a configuration (s2t, s2tw, s2twp, s2hk…)."""
    try:
        _opencc(name)
    except Exception:  # OpenCC raises a bare RuntimeError or ValueError for unknown names
        return False
    return True


@lru_cache(maxsize=8)  # asked for by the config, the data and every chapter: read it once
def load_converter(content: Path, edition: str, configuration: str) -> Converter:
    """The converter of a derived edition, with its phrase table if the book has one."""
    path = content / "phrases" / f"{edition}.toml"
    if not path.exists():
        return Converter(configuration, {})
    file = load_toml(path, content)
    phrases = file.data.get("replace", {})
    unknown = file.data.keys() - {"replace"}
    if unknown or not all(isinstance(value, str) for value in phrases.values()):
        key = next(iter(unknown), "replace")
        raise BookError.at("a phrase table has one [replace] table of \"wrong\" = \"right\"",
                           path, file.line_of(key))
    return Converter(configuration, phrases)
