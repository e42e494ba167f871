"""Where outputs go, and how one build's outputs reach --out all together or not at all.

Every output path is made by `output_path`, inside the folder a builder is given. The build
gives the builders a private staging folder inside --out (`.azcn-book-staging/<run>/`) and
only when every requested output of every edition is written does `staged_outputs` move them
into place, each by an atomic rename within one file system. A build that fails at any point
leaves --out as it was; the staging folder of a build killed outright is removed by the next.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from azcn_book.errors import BookError
from azcn_book.model import Edition
from azcn_book.names import edition_problem, id_problem, inside

STAGING = ".azcn-book-staging"
OUTSIDE = "not written: the path leads outside the output folder (through '..' or a symbolic link)"
# What the builders of azcn-book 0.1 left beside an output when killed: '.<name>.' and
# mkstemp's eight random characters.
_OLD_TEMPORARY = r"\.{name}\.[a-z0-9_]{{8}}"


def output_path(out_dir: Path, edition: Edition, suffix: str) -> Path:
    """`<out_dir>/<edition>/<book name><suffix>`: the one place an output's path is made,
    refused unless it stays inside `out_dir` (book.toml's ids are checked already; this holds
    whatever a later change lets through)."""
    path = out_dir / edition.id / f"{edition.book.name}{suffix}"
    unsafe = edition_problem(edition.id) or id_problem("book", edition.book.name)
    if unsafe or "/" in suffix or not inside(out_dir, path):
        raise BookError.at(OUTSIDE, path)
    return path


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield the path to write `target` at; a half-written file is removed if the block fails.
    (Outputs are written in the staging folder, so --out never sees one half-written.)"""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        yield target
    except BaseException:
        target.unlink(missing_ok=True)
        raise


@contextmanager
def staged_outputs(out: Path) -> Iterator[Path]:
    """Yield a fresh staging folder inside `out`; publish what it holds if the block succeeds.
    On any failure the staging folder goes, and `out` stays byte for byte as it was."""
    created = prepare_out(out)
    staging = out / STAGING
    remove_stale(staging)
    run = staging / f"{os.getpid()}-{secrets.token_hex(4)}"
    run.mkdir(parents=True)
    published = False
    try:
        yield run
        publish(run, out)
        published = True
    finally:
        shutil.rmtree(run, ignore_errors=True)
        with suppress(OSError):  # another build may be staging beside us
            staging.rmdir()
        if created and not published:
            with suppress(OSError):
                out.rmdir()


def prepare_out(out: Path) -> bool:
    """Make sure `out` is a folder we can write in; return whether it was created now."""
    if out.is_dir():
        return False
    blocking = next((parent for parent in out.parents if parent.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise BookError.at(f"--out cannot be created: {blocking} is a file, not a folder", out)
    try:
        out.mkdir(parents=True)
    except FileExistsError:
        if out.is_dir():  # a build running beside this one made it first: share it
            return False
        raise BookError.at("--out names a file; give a folder for the outputs", out) from None
    except OSError as error:
        raise BookError.at(f"--out cannot be created: {error.strerror}", out) from None
    return True


def remove_stale(staging: Path) -> None:
    """Remove staging folders whose build is no longer running (killed with SIGKILL, or the
    machine stopped); those of builds running now, into the same --out, stay."""
    if not staging.is_dir():
        return
    for folder in staging.iterdir():
        pid = folder.name.split("-", 1)[0]
        # Our own pid in a folder not yet ours: a killed build had it before.
        if not (pid.isdigit() and int(pid) != os.getpid() and _running(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def publish(run: Path, out: Path) -> None:
    """Move every file of the staging folder `run` to the same place under `out`."""
    moves = [(staged, out / staged.relative_to(run))
             for staged in sorted(run.rglob("*")) if staged.is_file()]
    for _, target in moves:  # check all before moving any
        if not inside(out, target):  # e.g. out/en is a symlink to elsewhere
            raise BookError.at(OUTSIDE, target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BookError.at(f"cannot create the folder: {error.strerror}",
                               target.parent) from None
    for done, (staged, target) in enumerate(moves):
        try:
            os.replace(staged, target)
        except OSError as error:
            raise BookError.at(f"cannot move the output into place: {error.strerror}", target,
                               written=[target for _, target in moves[:done]]) from None
        _remove_old_temporaries(target)


def _remove_old_temporaries(target: Path) -> None:
    pattern = re.compile(_OLD_TEMPORARY.format(name=re.escape(target.name)))
    for sibling in target.parent.iterdir():
        if pattern.fullmatch(sibling.name) and sibling.is_file():
            sibling.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and someone else's
        return True
    return True
