"""Shared fixtures: the real book built once per test session, and a copy to break."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from azcn_book.build import build
from azcn_book.config import load_config
from azcn_book.readers.book import read_book

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Build every edition as PDF and HTML, as `make pdf` does."""
    out = tmp_path_factory.mktemp("build")
    build(CONTENT, out, None, ["pdf", "html", "epub"])
    return out


@pytest.fixture(scope="session")
def editions():
    """The document model of every edition, by id."""
    config = load_config(CONTENT)
    _, models = read_book(config, list(config.editions))
    return {edition.id: edition for edition in models}


@pytest.fixture(scope="session")
def pdf_pages(built):
    """The text of every page of each edition's PDF, by edition id."""
    def pages(edition: str) -> list[str]:
        reader = PdfReader(built / edition / "azerbaijan-china-briefing.pdf")
        return [page.extract_text() for page in reader.pages]
    return {edition: pages(edition) for edition in ("en", "zh-Hans", "zh-Hant")}


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the book to damage."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def squeeze(text: str) -> str:
    """Text compared across line breaks: no whitespace, no hyphens (English is hyphenated)."""
    return re.sub(r"[\s\-‐­]", "", text)
