"""The `azcn-book` command: build the editions, or check the book without typesetting."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from azcn_book import __version__
from azcn_book.config import PAPER_SIZES
from azcn_book.errors import BookError

PDF_VARIANTS = ["pdf/ua-1", "pdf/a-3a", "pdf/a-3b", "pdf/a-3u"]


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="azcn-book", description=__doc__)
    main.add_argument("--version", action="version", version=f"azcn-book {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build PDF (and other formats) of the editions")
    build.add_argument("--edition", action="append", help="edition id (default: all)")
    build.add_argument("--format", action="append", choices=["pdf", "epub", "html"],
                       help="output format (default: pdf); repeat for several")
    build.add_argument("--jobs", type=int, default=2, help="editions built at once (default 2)")
    build.add_argument("--pdf-variant", default="pdf/ua-1", choices=PDF_VARIANTS,
                       help="pdf/ua-1 (accessible, the default) or PDF/A-3 for archives, "
                            "with the data and bibliography attached")
    build.add_argument("--paper", choices=PAPER_SIZES, help="paper size (default: book.toml)")
    build.add_argument("--bleed", action="store_true",
                       help="for the print shop: 3 mm bleed, crop and registration marks in "
                            "a slug beyond it")
    check = commands.add_parser("check", help="validate the book without typesetting")
    for command in (build, check):
        command.add_argument("--content", type=Path, default=Path("content"),
                             help="the book directory (default: content)")
    build.add_argument("--out", type=Path, default=Path("build"),
                       help="output directory (default: build)")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        return _check(args)
    except BookError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"azcn-book: {count} error{'s' if count > 1 else ''}; nothing was written",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _build(args: argparse.Namespace) -> int:
    from azcn_book.build import build  # WeasyPrint loads slowly; `check` does not need it
    from azcn_book.model import PrintOptions

    formats = list(dict.fromkeys(args.format or ["pdf"]))
    options = PrintOptions(args.pdf_variant, args.paper, args.bleed)
    for line in build(args.content, args.out, args.edition, formats, args.jobs, options):
        pages = f"{line.pages:4d} pages" if line.pages is not None else " " * 10
        print(f"{line.edition:8} {line.format:5} {pages} {line.seconds:6.1f} s  "
              f"{os.path.relpath(line.path)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from azcn_book.check import check

    check(args.content)
    print("azcn-book check: no problems found")
    return 0
