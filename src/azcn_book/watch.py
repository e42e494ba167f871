"""`azcn-book watch`: build, then build again whenever a file of the book or a template is saved.

Each round is `azcn-book check`, then `azcn-book build` with the watch's own options, each in a
fresh process: the catalogs, phrase tables and templates are cached per process, and a new
process sees every edit without this module having to know those caches. The build cache makes
a round cost only what changed. A round that fails prints its errors and leaves the last good
outputs where they are (builds write nothing when they fail), and the watch goes on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import watchfiles

from azcn_book.render import templates_dir


def watch(content: Path, build_argv: list[str]) -> None:
    """Run a round now and after every batch of saves, until interrupted."""
    folders = [content, templates_dir()]
    batches = watchfiles.watch(*folders, watch_filter=_edited, debounce=300, step=50,
                               rust_timeout=500, yield_on_timeout=True)
    next(batches)  # starts the watcher: a save made from now on, even mid-build, is seen
    run_round(content, build_argv)
    say(f"watching {', '.join(map(_shown, folders))} (Ctrl-C stops)")
    for changes in batches:
        if changes:  # an empty batch is a timeout, there to let the first step return
            say(f"changed: {', '.join(sorted({_shown(Path(path)) for _, path in changes}))}")
            run_round(content, build_argv)


def run_round(content: Path, build_argv: list[str]) -> bool:
    """Check the book, then build it; print what happened; return whether all went well."""
    started = time.perf_counter()
    ok = _run(["check", "--content", str(content)], quiet=True) and _run(build_argv)
    outcome = "done" if ok else "failed; the last good outputs are kept"
    say(f"{outcome} in {time.perf_counter() - started:.1f} s")
    return ok


def _run(argv: list[str], quiet: bool = False) -> bool:
    """`azcn-book ARGV` in a fresh process; its report and errors go straight to the terminal."""
    result = subprocess.run([sys.executable, "-m", "azcn_book", *argv],
                            stdout=subprocess.DEVNULL if quiet else None)
    return result.returncode == 0


_EDITOR_FILES = watchfiles.DefaultFilter()  # swap, backup and lock files of common editors


def _edited(change: watchfiles.Change, path: str) -> bool:
    """Files an editor saves, not its swap and backup files or hidden temporary files."""
    return _EDITOR_FILES(change, path) and not os.path.basename(path).startswith(".")


def _shown(path: Path) -> str:
    return os.path.relpath(path)


def say(message: str) -> None:
    print(f"watch: {message}", flush=True)
