"""The build cache: each output kept under a key made of exactly what determines it.

A key is a SHA-256 over the files an output is made from (the edition's chapters — a derived
edition's are its source's —, the data, the bibliography, the phrase table, book.toml), the
templates with their CSS and catalogs, the package's own code, the versions of the libraries
that shape the output, the identity of the installed fonts, the build options and the build
date (SOURCE_DATE_EPOCH or today). Nothing else goes into an output, so an equal key means an
equal output, and the build neither lays it out again nor rewrites the file.

Each output has a slot (book folder, edition, format, options) holding only its newest entry, so
the cache stays the size of one build however many edits it has seen. An entry is one file,
`<slot>-<key>.entry`: a JSON header line (what the builder reported — pages,
warnings —, the payload's size and SHA-256), then the payload. It is written to a temporary
file and renamed into place, so concurrent builds never see half an entry; a reader checks size
and checksum and treats a damaged entry as missing, so it is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from azcn_book import __version__
from azcn_book.config import BookConfig

# The libraries whose version can change an output's bytes.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "uharfbuzz",
             "pypdfium2", "pillow", "jinja2", "markdown-it-py", "mdit-py-plugins", "babel",
             "opencc", "matplotlib")
PACKAGE = Path(__file__).resolve().parent
# fontconfig rewrites its caches whenever a font directory changes (Debian runs fc-cache on
# every font package install or upgrade), so their identity stands for the installed faces'.
FONTCONFIG_CACHES = (Path("/var/cache/fontconfig"), Path.home() / ".cache" / "fontconfig")


@dataclass(frozen=True)
class Key:
    """Where an output's entries live (`slot`) and what its current inputs hash to."""

    slot: str
    digest: str

    @property
    def file(self) -> str:
        return f"{self.slot}-{self.digest}.entry"


@dataclass(frozen=True)
class Entry:
    """A cached output: what its builder reported, and its bytes."""

    report: dict
    payload: bytes
    digest: str = field(default="")


class Cache:
    """Entries in one folder (default `build/.cache`), shared by every build using it."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, key: Key) -> Entry | None:
        """The entry stored under `key`, or None if there is none or it is damaged."""
        try:
            raw = (self.folder / key.file).read_bytes()
        except OSError:
            return None
        header, newline, payload = raw.partition(b"\n")
        try:
            meta = json.loads(header)
            size, digest, report = meta["size"], meta["sha256"], meta["report"]
        except (ValueError, KeyError, TypeError):
            return None
        if not newline or len(payload) != size or sha256(payload) != digest:
            return None
        return Entry(report, payload, digest)

    def latest(self, key: Key) -> Entry | None:
        """The newest entry of `key`'s slot, whatever inputs it was made from: what an earlier
        build left, for a guess that is checked before it is used (pdf.guess_hints)."""
        for path in self.folder.glob(f"{key.slot}-*.entry"):
            entry = self.get(Key(key.slot, path.name[len(key.slot) + 1:-len(".entry")]))
            if entry:
                return entry
        return None

    def put(self, key: Key, report: dict, payload: bytes) -> None:
        """Store an entry atomically (a reader sees the whole entry or none), replacing the
        slot's older entries."""
        self.folder.mkdir(parents=True, exist_ok=True)
        header = json.dumps({"size": len(payload), "sha256": sha256(payload), "report": report},
                            ensure_ascii=False, sort_keys=True).encode("utf-8")
        handle, temporary = tempfile.mkstemp(prefix=f".{key.slot}.", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + b"\n" + payload)
            os.replace(temporary, self.folder / key.file)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        for older in self.folder.glob(f"{key.slot}-*.entry"):
            if older.name != key.file:
                older.unlink(missing_ok=True)  # a concurrent build may have removed it


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_key(config: BookConfig, edition_id: str, kind: str, options: object,
               templates: Path) -> Key:
    """The key of one output (`kind`: pdf, epub, html, or the print layout)."""
    slot = _hash(str(config.root.resolve()), edition_id, kind, repr(options))[:20]
    return Key(slot, _hash(slot, edition_inputs(config, edition_id),
                           environment_inputs(templates), build_day()))


def part_key(config: BookConfig, edition_id: str, part: str | None, options: object,
             html_digest: str, sources_digest: str, templates: Path) -> Key:
    """The key of one part of an edition laid out on its own (pdf.py): its HTML says all that
    shapes its pages; `sources_digest`, where its content was written (the preflight's findings
    name those files and lines: preflight.source_digest)."""
    slot = _hash(str(config.root.resolve()), edition_id, "part", part or "", repr(options))[:20]
    return Key(slot, _hash(slot, html_digest, sources_digest, environment_inputs(templates)))


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def edition_inputs(config: BookConfig, edition_id: str) -> str:
    """A digest of the book's files one edition is read from."""
    root = config.root
    edition = config.editions[edition_id]
    files = [root / "book.toml", root / "bibliography.json"]
    files += sorted((root / "data").glob("*.toml"))
    if edition.derive_from:
        files += sorted((root / "chapters" / edition.derive_from).glob("*.md"))
        files.append(root / "phrases" / f"{edition_id}.toml")
    else:  # every file, as one not listed in book.toml is an error of this edition
        files += sorted((root / "chapters" / edition_id).glob("*"))
    return files_digest(root, files)


@lru_cache(maxsize=4)
def environment_inputs(templates: Path) -> str:
    """A digest of what every edition shares: templates, code, libraries, fonts."""
    files = sorted(path for path in templates.rglob("*") if path.is_file()
                   and path.suffix != ".mo")
    code = sorted(PACKAGE.rglob("*.py"))
    return "|".join((files_digest(templates, files), files_digest(PACKAGE, code),
                     __version__, library_versions(), font_identity()))


def setting_digest(templates: Path) -> str:
    """environment_inputs in short: what sets the book's text, but the book."""
    return sha256(environment_inputs(templates).encode("utf-8"))


def files_digest(root: Path, files: list[Path]) -> str:
    """Names and contents of `files` (a missing file counts as missing, not as an error)."""
    digest = hashlib.sha256()
    for path in dict.fromkeys(files):
        digest.update(os.fsencode(os.path.relpath(path, root)) + b"\0")
        try:
            digest.update(sha256(path.read_bytes()).encode("ascii"))
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def library_versions() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return ",".join(versions)


def font_identity() -> str:
    """Path, size and modification time of fontconfig's cache files."""
    entries = []
    for folder in FONTCONFIG_CACHES:
        for path in sorted(folder.glob("*")) if folder.is_dir() else ():
            stat = path.stat()
            entries.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return sha256("\n".join(entries).encode("utf-8"))


def build_day() -> str:
    """SOURCE_DATE_EPOCH, or today's date: the date printed in the book."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return f"epoch:{epoch}"
    from azcn_book.readers.book import build_date

    return f"day:{build_date().isoformat()}"
