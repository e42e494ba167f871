"""The one error type of the build, and the one place that words it for the user.

Policy: anything wrong with the book's own files is a `BookError` naming file and line; the
build collects as many as it can, reports them all through `report`, and exits non-zero.
Anything else escaping is a bug in azcn-book, not in the book.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the book, located as precisely as we can."""

    message: str
    path: Path | None = None
    line: int | None = None
    severity: str = "error"  # or "warning": printed, fails only a --strict build

    def report(self) -> dict:
        """The problem as JSON holds it (the build cache keeps the preflight's warnings)."""
        return {"message": self.message, "path": str(self.path) if self.path else "",
                "line": self.line, "severity": self.severity}

    @classmethod
    def from_report(cls, report: dict) -> Problem:
        return cls(report["message"], Path(report["path"]) if report["path"] else None,
                   report["line"], report["severity"])

    def __str__(self) -> str:
        where = _relative(self.path) if self.path else "azcn-book"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


class BookError(Exception):
    """The book's files cannot be built as they are; carries every problem found, in a
    stable order (by file, line, then message) so that two runs report alike."""

    def __init__(self, problems: list[Problem], written: list[Path] | tuple = ()):
        self.problems = sorted(problems, key=_order)
        # The outputs already in place when the error came (only a failure while moving the
        # finished outputs into --out leaves any): the report must not say "nothing".
        self.written = tuple(written)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Workers of the process pool send errors back pickled. Exception's own pickling
        # would call BookError(message) with the joined text, and the problems would become
        # one character each.
        return (type(self), (self.problems, self.written))

    @classmethod
    def at(cls, message: str, path: Path | None = None, line: int | None = None,
           written: list[Path] | tuple = ()) -> BookError:
        """Make an error of a single problem."""
        return cls([Problem(message, path, line)], written)


def progress(message: str) -> None:
    """Tell the user, on stderr, how long work is going (stdout is the build's report)."""
    print(f"azcn-book: {message}", file=sys.stderr, flush=True)


class Problems:
    """Collects problems so that one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self.found.append(Problem(message, path, line))

    def extend(self, error: BookError) -> None:
        self.found.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.found:
            # A derived edition reads its source's files: the same problem is found twice.
            raise BookError(list(set(self.found)))


def _order(problem: Problem) -> tuple[str, int, str]:
    return (str(problem.path or ""), problem.line or 0, problem.message)


def _relative(path: Path) -> str:
    """The path as short as it reads clearly: relative below the working folder, else
    absolute (`../../tmp/out` says less than `/tmp/out`)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return os.path.abspath(path) if relative.startswith("..") else relative
