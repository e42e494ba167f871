"""Drop the cached outputs of one format: `python bench/forget.py epub CACHE_DIR`, so the next
build makes them again (while keeping the print layouts and the other formats)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def forget(extension: str, cache: Path) -> None:
    for entry in cache.glob("*.entry"):
        with entry.open("rb") as file:
            report = json.loads(file.readline())["report"]
        if str(report.get("file", "")).endswith(f".{extension}"):
            entry.unlink()


if __name__ == "__main__":
    forget(sys.argv[1], Path(sys.argv[2]))
