"""A wheel (`pip install .`, not editable) carries the templates and message catalogs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from makebook import ROOT, make_book


def test_an_installed_wheel_builds_a_book_with_its_templates_and_catalogs(tmp_path):
    # A copy of the sources, so that building the wheel leaves nothing in the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("src", "templates"):
        shutil.copytree(ROOT / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(site), str(source)],
                   check=True, capture_output=True, timeout=300)
    make_book(tmp_path / "book", editions=("en", "zh-Hans"))
    # The installed copy, not this checkout, on the path first.
    environment = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import azcn_book; print(azcn_book.__file__)"],
                           env=environment, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site)
    result = subprocess.run([sys.executable, "-m", "azcn_book", "build", "--content", "book",
                             "--out", "out", "--edition", "zh-Hans"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(tmp_path / "out/zh-Hans/fixture.pdf").pages]
    assert any(page.startswith("目录") for page in pages)  # from the packaged zh_Hans catalog
