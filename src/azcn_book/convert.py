"""Editions made from another at build time: Traditional Chinese from Simplified with OpenCC.

A derived edition is never written by hand. Its chapters, data texts and titles are the source
edition's, converted by the OpenCC configuration book.toml names, then corrected by the
edition's phrase table (`content/phrases/<edition>.toml`) where the conversion errs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc

from azcn_book.errors import BookError
from azcn_book.readers.tomlfile import load_toml

# Taiwan and Hong Kong quote with corner brackets: “” → 「」 and, inside them, ‘’ → 『』.
# A ’ between two Latin letters is an apostrophe (People’s) and stays.
_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『"})
_CLOSING_SINGLE = re.compile(r"’(?![A-Za-z])|(?<![A-Za-z])’")
_CORNER_QUOTE_CONFIGURATIONS = ("s2t", "s2tw", "s2twp", "s2hk")


class Converter:
    """Converts text of the source edition into a derived edition's script and usage."""

    def __init__(self, configuration: str, phrases: dict[str, str], suspicious: str = "",
                 accepted: tuple[str, ...] = ()):
        self.opencc = opencc_configuration(configuration)
        # A title or a quotation keeps its own words: converted character by character, never
        # phrase by phrase (s2twp would print 亞塞拜然 inside the embassy's name).
        self.verbatim = opencc_configuration(verbatim_configuration(configuration))
        # Rare variants a dictionary conversion may pick by mistake (一箇 for 一个), and the
        # phrases in which the book accepts them: the corrections and the `accept` list.
        self.suspicious = suspicious
        self.accepted = tuple(phrases.values()) + accepted
        self.corner_quotes = configuration in _CORNER_QUOTE_CONFIGURATIONS
        # Longest first, so that a phrase wins over a shorter phrase inside it.
        self.phrases = sorted(phrases.items(), key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        """The text converted: its titles 《…》 and quotations “…” character by character, the
        rest with the configuration's usage too."""
        converted = "".join(self.verbatim.convert(part) if _QUOTED.fullmatch(part)
                            else self.opencc.convert(part) for part in _QUOTED_PARTS.split(text))
        return self._finish(converted)

    def title(self, text: str) -> str:
        """A title as a whole (a source's), converted character by character."""
        return self._finish(self.verbatim.convert(text))

    def _finish(self, converted: str) -> str:
        if self.corner_quotes:
            converted = _CLOSING_SINGLE.sub("』", converted.translate(_QUOTES))
        for wrong, right in self.phrases:
            converted = converted.replace(wrong, right)
        return converted


    def suspicious_phrases(self, converted: str) -> list[str]:
        """Each rare variant of converted text that no accepted phrase covers, in context."""
        found = []
        for at, character in enumerate(converted):
            if character in self.suspicious and not self._accepted_at(converted, at):
                found.append(converted[max(0, at - 2):at + 3])
        return found

    def _accepted_at(self, text: str, at: int) -> bool:
        for phrase in self.accepted:
            for offset, character in enumerate(phrase):
                if character == text[at] and text.startswith(phrase, at - offset):
                    return True
        return False


# A title or a quotation, in the source edition's marks.
_QUOTED = re.compile(r"《[^《》\n]*》|“[^“”\n]*”")
_QUOTED_PARTS = re.compile(f"({_QUOTED.pattern})")


def verbatim_configuration(configuration: str) -> str:
    """The configuration that converts characters only: s2twp (with Taiwan's phrases) → s2tw."""
    plain = configuration[:-1]
    return plain if configuration.endswith("p") and is_configuration(plain) else configuration


@lru_cache(maxsize=8)
def opencc_configuration(configuration: str) -> opencc.OpenCC:
    return opencc.OpenCC(configuration)


def is_configuration(name: str) -> bool:
    """Whether OpenCC knows a configuration (s2t, s2tw, s2twp, s2hk…)."""
    try:
        opencc_configuration(name)
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
    variants = file.data.get("suspicious", {})
    unknown = file.data.keys() - {"replace", "suspicious"}
    if unknown or not all(isinstance(value, str) for value in phrases.values()):
        key = next(iter(unknown), "replace")
        raise BookError.at("a phrase table has a [replace] table of \"wrong\" = \"right\" "
                           "and a [suspicious] table", path, file.line_of(key))
    characters, accepted = variants.get("characters", ""), variants.get("accept", [])
    if variants.keys() - {"characters", "accept"} or not isinstance(characters, str) \
            or not all(isinstance(phrase, str) for phrase in accepted):
        raise BookError.at("[suspicious] has characters = \"…\" and accept = [\"…\"]",
                           path, file.line_of("suspicious"))
    return Converter(configuration, phrases, characters, tuple(accepted))
