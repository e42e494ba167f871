"""Hostile and broken books: nothing is read outside the book, nothing written outside --out,
every problem is one located message with exit status 1 and never a traceback, and a failed
build leaves the previous outputs exactly as they were.

Every test runs the command line in a subprocess (`run_cli`) from `tmp_path`, so the messages
name files as a user sees them: `book/book.toml:4: error: …`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from makebook import ROOT, make_book, run_cli

# The real bibliography translates titles into zh-Hans: a book without it would fail check.
EDITIONS = ("en", "zh-Hans")
ID_RULE = "must be lower-case letters, digits and hyphens ([a-z0-9][a-z0-9-]*)"


def errors(result) -> list[str]:
    """The error lines of a failed run, after asserting it failed cleanly."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def check(tmp_path: Path, book: Path):
    return run_cli("check", "--content", book.relative_to(tmp_path), cwd=tmp_path)


def build(tmp_path: Path, book: Path, out: Path, *args: str):
    return run_cli("build", "--content", book.relative_to(tmp_path), "--out",
                   out.relative_to(tmp_path) if out.is_relative_to(tmp_path) else out,
                   "--jobs", "1", *args, cwd=tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text in line)


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under `out`, hidden ones included, with its bytes; not the build cache,
    which keeps what a failed build did make, for the next build to reuse."""
    return {str(path.relative_to(out)): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and path.relative_to(out).parts[0] != ".cache"}


@pytest.fixture
def book(tmp_path) -> Path:
    return make_book(tmp_path / "book", editions=EDITIONS)


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the book whose text must never reach an output or a message."""
    path = tmp_path / "secret.md"
    path.write_text("# Secret\n\nTOP-SECRET-TEXT\n", "utf-8")
    return path


# --- 1. Reads outside the book ------------------------------------------------------------

@pytest.mark.parametrize("chapter", ["../secret", "/etc/passwd", "../../secret", "One", "a/b"])
def test_chapter_ids_that_are_paths_are_refused_at_their_line(tmp_path, book, secret, chapter):
    manifest = book / "book.toml"
    edit(manifest, 'chapters = ["one"]', f'chapters = [\n  "one",\n  "{chapter}",\n]')
    out = tmp_path / "out"
    found = errors(build(tmp_path, book, out, "--format", "html"))
    assert found == [f"book/book.toml:6: error: chapter id '{chapter}' {ID_RULE}"]
    assert not out.exists()


def test_a_chapter_symlinked_outside_the_book_is_not_read(tmp_path, book, secret):
    chapter = book / "chapters/en/one.md"
    chapter.unlink()
    chapter.symlink_to(secret)
    result = check(tmp_path, book)
    assert errors(result) == ["book/chapters/en/one.md: error: not read: the path leads outside "
                              "the book folder (through '..' or a symbolic link)"]
    assert "TOP-SECRET" not in result.stderr + result.stdout


def test_a_chapters_folder_symlinked_outside_the_book_is_not_read(tmp_path, book, secret):
    elsewhere = tmp_path / "elsewhere"
    (book / "chapters/en").rename(elsewhere)
    (book / "chapters/en").symlink_to(elsewhere, target_is_directory=True)
    assert "book/chapters/en/one.md: error: not read: the path leads outside" in "\n".join(
        errors(check(tmp_path, book)))


@pytest.mark.parametrize("name", ["data/trade.toml", "bibliography.json"])
def test_data_and_bibliography_symlinked_outside_are_not_read(tmp_path, book, name):
    target = book / name
    outside = tmp_path / Path(name).name
    if target.exists():
        target.rename(outside)
    else:
        outside.write_text('id = "trade"\n', "utf-8")
    target.symlink_to(outside)
    found = errors(check(tmp_path, book))
    assert (f"book/{name}: error: not read: the path leads outside the book folder "
            "(through '..' or a symbolic link)") in found


@pytest.mark.parametrize("tag", ["../evil", "en/../../x", "/tmp/x", "EN GB"])
def test_edition_tags_that_are_paths_are_refused(tmp_path, book, tag):
    manifest = book / "book.toml"
    with manifest.open("a", encoding="utf-8") as file:
        file.write(f'\n[editions."{tag}"]\nlocale = "en_GB"\nidentifier = "urn:x"\n')
    line = line_of(manifest, f'[editions."{tag}"]')
    found = errors(check(tmp_path, book))
    assert found == [f"book/book.toml:{line}: error: edition '{tag}' must be a BCP 47 language "
                     "tag such as en or zh-Hans"]


@pytest.mark.parametrize("name", ["../../index", "/tmp/planted", "Fixture"])
def test_a_book_name_that_is_a_path_is_refused(tmp_path, book, name):
    edit(book / "book.toml", 'name = "fixture"', f'name = "{name}"')
    out = tmp_path / "out"
    found = errors(build(tmp_path, book, out, "--format", "html"))
    assert found == [f"book/book.toml:2: error: book id '{name}' {ID_RULE} ([book] name)"]
    assert not out.exists() and not (tmp_path / "index.html").exists()


TABLE = '''id = "{table}"
caption.en = "Visits"
caption.zh-Hans = "访问"

[[columns]]
key = "count"
type = "number"
label.en = "Count"
label.zh-Hans = "次数"

[[charts]]
id = "{chart}"
x = "count"
series = ["count"]
caption.en = "Visits"
caption.zh-Hans = "访问"

[[rows]]
id = "{row}"
count = {count}
'''


def table(table="visits", chart="visits-chart", row="r1", count="1") -> str:
    return TABLE.format(table=table, chart=chart, row=row, count=count)


@pytest.mark.parametrize("field, value, line", [("chart", "../../x", 12), ("row", "A B", 19)])
def test_data_ids_follow_the_id_rule(tmp_path, field, value, line):
    book = make_book(tmp_path / "book", editions=EDITIONS, data={"visits": table(**{field: value})})
    found = errors(check(tmp_path, book))
    assert found == [f"book/data/visits.toml:{line}: error: {field} id '{value}' {ID_RULE}"]


def test_a_data_file_name_follows_the_id_rule(tmp_path):
    book = make_book(tmp_path / "book", editions=EDITIONS,
                     data={"Visits": table(table="Visits")})
    found = errors(check(tmp_path, book))
    assert found == [f"book/data/Visits.toml:1: error: table id 'Visits' {ID_RULE}: "
                     "rename the file"]


def test_problems_are_sorted_by_file_line_and_message(tmp_path, book):
    manifest = book / "book.toml"
    edit(manifest, 'chapters = ["one"]', 'chapters = ["one", "Zed", "Abc"]')
    edit(manifest, 'name = "fixture"', 'name = "X"')
    found = errors(check(tmp_path, book))
    assert found == [f"book/book.toml:2: error: book id 'X' {ID_RULE} ([book] name)",
                     f"book/book.toml:4: error: chapter id 'Abc' {ID_RULE}",
                     f"book/book.toml:4: error: chapter id 'Zed' {ID_RULE}"]


def test_book_errors_survive_the_process_pool():
    import pickle

    from azcn_book.errors import BookError, Problem

    error = BookError([Problem("second", Path("b.md"), 2), Problem("first", Path("a.md"), 9)])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == [Problem("first", Path("a.md"), 9), Problem("second", Path("b.md"), 2)]
    assert str(copy) == str(error)


# --- 2-4. Writes only inside --out, all or nothing ------------------------------------------

# Runs the CLI with one builder of one edition replaced by one that fails after writing part
# of its output: the late failures a real book meets (a preflight error in one edition, a
# bug) without a book that provokes each.
FAILING_BUILDER = '''
import sys
import importlib
from azcn_book.errors import BookError

builder = importlib.import_module("azcn_book.builders.{format}")
real = builder.build

def failing(edition, out, options, **extra):
    result = real(edition, out, options, **extra)
    if edition.id != {edition!r}:
        return result
    result[0].write_bytes(b"half")
    {failure}

builder.build = failing
from azcn_book.cli import main
sys.exit(main(sys.argv[1:]))
'''
FAILURES = {
    "book error": ('raise BookError.at("preflight: line too long", edition.book.manifest, 3)',
                   "book/book.toml:3: error: preflight: line too long"),
    "bug": ('raise RuntimeError("a bug in azcn-book")', "RuntimeError: a bug in azcn-book"),
}


def run_failing(tmp_path, book, out, format, edition, failure, *args):
    script = FAILING_BUILDER.format(format=format, edition=edition, failure=failure)
    return subprocess.run(
        [sys.executable, "-c", script, "build", "--content", str(book), "--out", str(out),
         *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """A book and a good build of both editions in HTML and PDF, made once for the module."""
    folder = tmp_path_factory.mktemp("built")
    book = make_book(folder / "book", editions=EDITIONS)
    result = build(folder, book, folder / "out", "--format", "html", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def previous(tmp_path, book, built_once) -> tuple[Path, dict[str, bytes]]:
    """The test's own copy of that build, and the bytes of every file it wrote."""
    out = tmp_path / "out"
    shutil.copytree(built_once / "out", out)
    return out, snapshot(out)


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_late_failure_leaves_every_previous_output_as_it_was(tmp_path, book, previous,
                                                               failure, jobs):
    out, before = previous
    edit(book / "chapters/en/one.md", "A paragraph.", "A changed paragraph.")
    edit(book / "chapters/zh-Hans/one.md", "A paragraph.", "A changed paragraph.")
    code, message = FAILURES[failure]
    result = run_failing(tmp_path, book, out, "pdf", "zh-Hans", code, "--jobs", jobs,
                         "--format", "html", "--format", "pdf")
    assert result.returncode == 1 and message in result.stderr
    if failure == "book error":
        assert "Traceback" not in result.stderr
        assert result.stderr.endswith("azcn-book: 1 error; nothing was written\n")
    assert snapshot(out) == before


def test_a_successful_build_leaves_no_staging_behind(tmp_path, book, previous):
    out, before = previous
    assert sorted(before) == ["en/fixture.html", "en/fixture.pdf", "zh-Hans/fixture.html",
                              "zh-Hans/fixture.pdf"]
    assert sorted(path.name for path in out.iterdir()) == [".cache", "en", "zh-Hans"]


def test_outputs_of_a_killed_build_are_cleared_by_the_next(tmp_path, book, previous):
    out, before = previous
    staging = out / ".azcn-book-staging"
    process = subprocess.Popen(
        [sys.executable, "-m", "azcn_book", "build", "--content", str(book), "--out", str(out),
         "--jobs", "1", "--format", "html", "--format", "pdf", "--format", "epub"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(staging.glob("*/*/*.html")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert list(staging.glob("*/*/*.html")), "the build ended before it could be killed"
    # Nothing of the killed build sits beside the outputs.
    assert {name: data for name, data in snapshot(out).items()
            if not name.startswith(".azcn-book-staging")} == before
    result = build(tmp_path, book, out, "--format", "html", "--edition", "en")
    assert result.returncode == 0, result.stderr
    assert not staging.exists()


def test_the_temporary_files_of_older_builds_are_removed(tmp_path, book, previous):
    out, _ = previous
    leftover = out / "en" / ".fixture.html.ab3_k9z1"
    leftover.write_bytes(b"half")
    assert build(tmp_path, book, out, "--format", "html", "--edition", "en").returncode == 0
    assert not leftover.exists()


def test_a_failed_build_creates_no_output_folder(tmp_path, book):
    out = tmp_path / "new" / "out"
    result = run_failing(tmp_path, book, out, "html", "en", FAILURES["book error"][0],
                         "--format", "html", "--edition", "en")
    assert "book/book.toml:3: error: preflight" in result.stderr
    assert not out.exists()


def test_an_output_folder_symlinked_elsewhere_is_not_written(tmp_path, book, previous):
    out, before = previous
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(out / "en")
    (out / "en").symlink_to(elsewhere, target_is_directory=True)
    found = errors(build(tmp_path, book, out, "--format", "html", "--edition", "en"))
    assert found == ["out/en/fixture.html: error: not written: the path leads outside the "
                     "output folder (through '..' or a symbolic link)"]
    assert list(elsewhere.iterdir()) == []


def test_out_that_is_a_file(tmp_path, book):
    (tmp_path / "out.pdf").write_bytes(b"%PDF")
    found = errors(build(tmp_path, book, tmp_path / "out.pdf", "--format", "html"))
    assert found == ["out.pdf: error: --out names a file; give a folder for the outputs"]
    assert (tmp_path / "out.pdf").read_bytes() == b"%PDF"


def test_out_whose_parent_is_a_file(tmp_path, book):
    (tmp_path / "file").write_bytes(b"x")
    found = errors(build(tmp_path, book, tmp_path / "file" / "out", "--format", "html"))
    assert found == ["file/out: error: --out cannot be created: file is a file, not a folder"]


def test_out_that_cannot_be_created(tmp_path, book):
    found = errors(build(tmp_path, book, Path("/proc/azcn-book-out"), "--format", "html"))
    assert found == ["/proc/azcn-book-out: error: --out cannot be created: "
                     "No such file or directory"]


# --- 5. Data values, derived editions, bibliography ----------------------------------------

@pytest.mark.parametrize("count, message", [
    ("1e300", "'count' is too large: figures stay below 10^15 in size"),
    ("-1_000_000_000_000_000_000", "'count' is too large: figures stay below 10^15 in size"),
    ("nan", "'count' must be a finite number, not nan"),
    ("-inf", "'count' must be a finite number, not -inf"),
])
def test_numbers_the_book_cannot_print(tmp_path, count, message):
    book = make_book(tmp_path / "book", editions=EDITIONS, data={"visits": table(count=count)})
    assert errors(check(tmp_path, book)) == [f"book/data/visits.toml:20: error: {message}"]


CHOICES = '''id = "moves"
caption.en = "Moves"
caption.zh-Hans = "动向"

[[columns]]
key = "direction"
type = "choice"
label.en = "Direction"
label.zh-Hans = "方向"
choices = ["to-china", "to-azerbaijan"]

[[rows]]
id = "r1"
direction = "to-china"
'''


def test_choices_that_are_not_a_table(tmp_path):
    book = make_book(tmp_path / "book", editions=EDITIONS, data={"moves": CHOICES})
    found = errors(check(tmp_path, book))
    assert found[0] == ("book/data/moves.toml:10: error: 'choices' must be a table: for each "
                        'choice, a label per edition (choices.<choice>.<edition> = "…")')


@pytest.mark.parametrize("derivation, key, message", [
    ('derive_from = "zh-Hans"\nopencc = "s2xx"', "opencc",
     "unknown OpenCC configuration 's2xx'"),
    ('derive_from = "zh-Hans"', "derive_from",
     "a derived edition needs 'opencc' as well, the OpenCC configuration that converts it "
     "(such as s2tw)"),
    ('opencc = "s2tw"', "opencc", "'opencc' needs 'derive_from' as well, the edition to convert"),
])
def test_derived_editions_that_cannot_be_derived(tmp_path, book, derivation, key, message):
    manifest = book / "book.toml"
    with manifest.open("a", encoding="utf-8") as file:
        file.write(f'[editions.zh-Hant]\nlocale = "zh_Hant_TW"\nidentifier = "urn:x"\n'
                   f"{derivation}\n")
    line = line_of(manifest, f"{key} = ")
    assert errors(check(tmp_path, book)) == [f"book/book.toml:{line}: error: {message}"]


@pytest.mark.parametrize("field, value, message", [
    ("author", ["Wikipedia contributors"],
     "'author' must be a list of names such as {\"family\": \"…\", \"given\": \"…\"} or "
     "{\"literal\": \"…\"}"),
    ("custom", "阿塞拜疆",
     "'custom' must be an object of translations such as {\"title\": {\"<edition>\": \"…\"}}"),
    ("issued", {"date-parts": [[1994, 13]]}, "'issued' is not a date: 1994-13"),
    ("issued", {"date-parts": [["1994"]]},
     "'issued' must be {\"date-parts\": [[year, month, day]]} with month and day optional"),
])
def test_bibliography_fields_of_the_wrong_shape(tmp_path, book, field, value, message):
    path = book / "bibliography.json"
    entries = json.loads(path.read_text("utf-8"))
    entries[2][field] = value  # a document the articles cite: no note to translate
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2), "utf-8")
    lines = path.read_text("utf-8").splitlines()
    third_id = [n for n, line in enumerate(lines, 1) if line.strip().startswith('"id"')][2]
    line = next(n for n, text in enumerate(lines, 1) if n > third_id - 3
                and text.strip().startswith(f'"{field}"'))
    assert errors(check(tmp_path, book)) == [f"book/bibliography.json:{line}: error: {message}"]


@pytest.mark.parametrize("key", ["wp en", "WP-EN", "x\" onload=\"y", "../wp"])
def test_a_bibliography_key_that_cannot_be_an_anchor(tmp_path, book, key):
    path = book / "bibliography.json"
    entries = json.loads(path.read_text("utf-8"))
    entries[2]["id"] = key  # a document the articles cite: no chapter cites it by key
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2), "utf-8")
    lines = path.read_text("utf-8").splitlines()
    line = [n for n, text in enumerate(lines, 1) if text.strip().startswith('"id"')][2]
    assert errors(check(tmp_path, book)) == [
        f"book/bibliography.json:{line}: error: entry id {key!r} must be lower-case letters, "
        "digits and hyphens ([a-z0-9][a-z0-9-]*)"]


# --- 6. Template errors ---------------------------------------------------------------------

# Runs the CLI with the templates taken from a copy in which one template is spoilt: the
# templates belong to azcn-book, not to the book, so no book can provoke this by itself.
SPOILT_TEMPLATES = '''
import sys
from pathlib import Path
from azcn_book import render
render.templates_dir = lambda: Path({folder!r})
from azcn_book.cli import main
sys.exit(main(sys.argv[1:]))
'''
SPOILS = {
    "missing variable": ("{% if first_folio %}", "{{ no_such_value }}{% if first_folio %}",
                         "template error: UndefinedError: 'no_such_value' is undefined"),
    "syntax": ("{% if first_folio %}", "{% if %}{% if first_folio %}",
               "template syntax: Expected an expression, got 'end of statement block'"),
    "missing template": ('{%- import "nodes.html"', '{%- import "gone.html"',
                         "template not found: gone.html"),
    "failing filter": ("{% if first_folio %}", '{{ "many" | number }}{% if first_folio %}',
                       "template error: "),
}


@pytest.mark.parametrize("spoil", SPOILS)
@pytest.mark.parametrize("command", ["check", "build"])
def test_template_errors_name_the_template_and_line(tmp_path, book, spoil, command):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    old, new, message = SPOILS[spoil]
    edit(folder / "book.html", old, new)
    line = line_of(folder / "book.html", new.split("{% if first_folio")[0] or new)
    script = SPOILT_TEMPLATES.format(folder=str(folder))
    out = tmp_path / "out"
    args = ["--out", str(out), "--format", "html"] if command == "build" else []
    result = subprocess.run([sys.executable, "-c", script, command, "--content", "book", *args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    found = errors(result)
    assert len(found) == 1 and found[0].startswith(f"templates/book.html:{line}: error: {message}")
    assert not out.exists()


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name: state, parent, … (none: gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _children(pid: int) -> set[int]:
    """The processes azcn-book forked from `pid` (not the programs it runs, such as fc-match)."""
    return {int(path.name) for path in Path("/proc").glob("[0-9]*")
            if _stat(int(path.name))[1:2] == [str(pid)] and _forked(int(path.name))}


def _forked(pid: int) -> bool:
    try:
        return b"azcn_book" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _running(pid: int) -> bool:
    return _stat(pid)[:1] not in ([], ["Z"])  # a zombie has ended


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_workers_of_a_killed_build_end_with_it(tmp_path):
    """A build killed outright (SIGKILL: no chance to shut its pool down) leaves no worker
    process behind, waiting for ever for a task."""
    book = make_book(tmp_path / "book", {f"c{n}": f"# C{n}\n\nText {n}.\n" for n in range(6)})
    process = subprocess.Popen(
        [sys.executable, "-m", "azcn_book", "build", "--content", str(book), "--out",
         str(tmp_path / "out"), "--jobs", "2", "--format", "epub", "--no-cache"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while (len(workers := _children(process.pid)) < 2 and process.poll() is None
           and time.monotonic() < deadline):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(workers) >= 2, "the build ended before its workers were seen"
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _running(pid)], "workers outlived their build"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_while_a_chart_is_drawn_aside_ends_the_build_quietly(tmp_path, economy_book):
    """Ctrl-C reaches every process of the terminal's group: the build ends with status 130,
    and nothing but its progress is printed, by itself or by the process drawing its charts
    (no traceback, not even "Process ForkProcess-1:")."""
    process = subprocess.Popen(
        [sys.executable, "-m", "azcn_book", "build", "--content", str(economy_book), "--out",
         str(tmp_path / "out"), "--edition", "zh-Hans", "--format", "epub", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not _children(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the build ended before its chart process was seen"
    time.sleep(0.2)  # inside matplotlib
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert all(line.startswith("azcn-book: ") for line in stderr.splitlines()), stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's prctl")
@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_workers_started_any_way_python_starts_them_live_while_their_build_does(method):
    """Python 3.14 starts a pool's workers from a forkserver, whose process is their parent:
    they must not take it for their build having died."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from azcn_book import children

    with ProcessPoolExecutor(1, mp_context=get_context(method), initializer=children.end_with,
                             initargs=(os.getpid(),)) as pool:
        assert pool.submit(os.getpid).result(timeout=60) != os.getpid()
