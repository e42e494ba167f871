"""The `azcn-book` command: build the editions, or check the book without typesetting."""

from __future__ import annotations

import argparse
import gc
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
    watch = commands.add_parser("watch", help="build, then rebuild what changed on every save")
    for command in (build, watch):
        _build_options(command)
    check = commands.add_parser("check", help="validate the book without typesetting")
    check.add_argument("--content", type=Path, default=Path("content"),
                       help="the book directory (default: content)")
    return main


def _build_options(build: argparse.ArgumentParser) -> None:
    """The options of `build`, which `watch` passes on to each build it runs."""
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
    build.add_argument("--strict", action="store_true",
                       help="fail on layout warnings too (short pages, hyphen ladders, ...)")
    build.add_argument("--content", type=Path, default=Path("content"),
                       help="the book directory (default: content)")
    build.add_argument("--out", type=Path, default=Path("build"),
                       help="output directory (default: build)")
    build.add_argument("--cache-dir", type=Path,
                       help="where unchanged outputs are kept (default: OUT/.cache)")
    build.add_argument("--no-cache", action="store_true",
                       help="build every output again, ignoring the cache")


def run() -> None:
    """The command's entry point: `main`, then an exit that leaves what the build made to the
    operating system. Python's last collection walks every object still alive, a tenth of a
    second after a build that did nothing and a quarter after a layout; frozen, they are
    skipped, and the process's memory goes back all at once."""
    status = main()
    gc.freeze()
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "watch":
            return _watch(args, argv)
        return _check(args)
    except BookError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        outcome = (f"only {len(error.written)} output(s) were written: "
                   + ", ".join(map(os.path.relpath, error.written))
                   if error.written else "nothing was written")
        print(f"azcn-book: {_count(error.problems)}; {outcome}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _build(args: argparse.Namespace) -> int:
    from azcn_book.build import build  # WeasyPrint loads slowly; `check` does not need it
    from azcn_book.model import PrintOptions

    formats = list(dict.fromkeys(args.format or ["pdf"]))
    options = PrintOptions(args.pdf_variant, args.paper, args.bleed)
    lines = build(args.content, args.out, args.edition, formats, args.jobs, options,
                  args.cache_dir, not args.no_cache, args.strict)
    for line in lines:
        print_line(line)
    return 0


def print_line(line) -> None:
    """One output of the build report: edition, format, pages, seconds or 'cached', path;
    then the layout preflight's warnings on stderr, as `file:line: warning: …`."""
    pages = f"{line.pages:4d} pages" if line.pages is not None else " " * 10
    seconds = "  cached" if line.cached else f"{line.seconds:6.1f} s"
    print(f"{line.edition:8} {line.format:5} {pages} {seconds}  {os.path.relpath(line.path)}",
          flush=True)
    for warning in line.warnings:
        print(warning, file=sys.stderr, flush=True)


def _watch(args: argparse.Namespace, argv: list[str]) -> int:
    from azcn_book.watch import watch

    at = argv.index("watch")  # each round runs `build` with the watch's own options
    watch(args.content, [*argv[:at], "build", *argv[at + 1:]])
    return 0


def _count(problems) -> str:
    """'2 errors', '1 error and 3 warnings': what stopped the build."""
    counts = [(sum(p.severity == kind for p in problems), kind) for kind in ("error", "warning")]
    return " and ".join(f"{n} {kind}{'s' if n > 1 else ''}" for n, kind in counts if n)


def _check(args: argparse.Namespace) -> int:
    from azcn_book.check import check

    check(args.content)
    print("azcn-book check: no problems found")
    return 0
