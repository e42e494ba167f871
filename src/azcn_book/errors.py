"""The one error type of the build, and the one place that words it for the user.

Policy: anything wrong with the book's own files is a `BookError` naming file and line; the
build collects as many as it can, reports them all through `report`, and exits non-zero.
Anything else escaping is a bug in azcn-book, not in the book.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the book, located as precisely as we can."""

    message: str
    path: Path | None = None
    line: int | None = None
    severity: str = "error"  # or "warning": printed, fails only a --strict build

    def __str__(self) -> str:
        where = _relative(self.path) if self.path else "azcn-book"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


class BookError(Exception):
    """The book's files cannot be built as they are; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __reduce__(self):
        # Rebuilt from its problems when it crosses from a worker process to the main one.
        return (type(self), (self.problems,))

    @classmethod
    def at(cls, message: str, path: Path | None = None, line: int | None = None) -> BookError:
        """Make an error of a single problem."""
        return cls([Problem(message, path, line)])


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
            raise BookError(sorted(set(self.found), key=_order))


def _order(problem: Problem) -> tuple[str, int]:
    return (str(problem.path or ""), problem.line or 0)


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
