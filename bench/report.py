"""Turn a benchmark run (bench/run.sh) into docs/benchmarks.md: `report.py WORK OUT`."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

GOALS = {"noop": 0.3, "cold": 0.8, "edit": 0.35, "epub-zh": 3.0, "edit-scale": 2.0}


NOTES = [
    "- The cache decides per output: an edit to an English chapter re-lays out the English "
    "edition only, an edit to zh-Hans re-lays out zh-Hans and zh-Hant; an unchanged build "
    "lays out nothing and rewrites no file, and `make pdf` does not even start Python.",
    "- Each part of the book (front matter, each chapter, sources, colophon) begins a page, "
    "so each is laid out on its own: in parallel processes when one edition is built "
    "(`--jobs`), and the parts' PDFs are joined with pikepdf into the PDF a layout of the whole "
    "book gives (one structure tree, outline, links, page labels; each face's subsets merged "
    "back into one). Laid-out parts are kept in the cache under a key of their HTML: an edit "
    "lays out the edited chapter again, and the parts after it only if its number of pages "
    "changed.",
    "- What only a layout can tell (page numbers of the contents and references, same-page "
    "references, table breaks) is printed as text and checked by the next layout; a build "
    "starts from what the edition's last build found, so after most edits one layout settles, "
    "and a build from nothing takes two: the first writes no part that prints a page number "
    "(it printed placeholders), the second lays out only those again. Each worker process "
    "parses the stylesheet once for all the parts it lays out, and a page's footnote area is "
    "measured one note at a time (WeasyPrint lays out all the page's notes again for each "
    "new one: half the layout time of this book, whose pages carry five or six notes).",
    "- The EPUB reuses the print layout (page map and cover) that the PDF build leaves in the "
    "cache; what remains of an EPUB is templates, the chart SVGs and the font subset "
    "(HarfBuzz, a few hundredths of a second for a CJK face). A separate `azcn-book build "
    "--format epub` process also pays Python's start and the imports of WeasyPrint and "
    "matplotlib, about 1.5 CPU-seconds (WeasyPrint is loaded without cffi asking gcc and ld "
    "where its libraries are: a third of a second less at every start).",
    "- An EPUB built alone and cold (`--no-cache`) still needs the print layout for its page "
    "markers, which Pandoc does not make: its parts are laid out on both cores without their "
    "folios (printed in the margins, they move no line) and nothing is written but the "
    "cover page; but the parts that print a page number are still laid out twice (their "
    "wording, \"Table 3 below\" or \"on page 13\", depends on where the first layout put "
    "them). The chart's layout needs only its size (an empty image takes its place); the "
    "chart itself is drawn once, for the e-book, in a process forked when the edition has "
    "been read, while the build loads WeasyPrint; the worker that lays out the front matter "
    "makes the cover image, and each layout after the first hands out the longest parts "
    "first. On two cores the build is bound by its CPU seconds (the row below its wall "
    "time): the least wall time it could take is half of them.",
]


def hyperfine(work: Path, name: str) -> list[dict]:
    return json.loads((work / "json" / f"{name}.json").read_text())["results"]


def seconds(result: dict) -> str:
    return f"{result['mean']:.2f} ± {result['stddev'] or 0:.2f} s"


def cpu(result: dict) -> float:
    return result["user"] + result["system"]


def time_v(work: Path, name: str) -> dict:
    """Wall, CPU seconds, peak RSS and pages of one /usr/bin/time -v run."""
    text = (work / "time" / f"{name}.txt").read_text()
    wall = text.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split("\n")[0]
    parts = [float(part) for part in wall.split(":")]
    pages = re.search(r"(\d+) pages", (work / "time" / f"{name}.out").read_text())
    return {"wall": sum(value * 60 ** index for index, value in enumerate(reversed(parts))),
            "cpu": _field(text, "User time (seconds)") + _field(text, "System time (seconds)"),
            "rss": _field(text, "Maximum resident set size (kbytes)") / 1024,
            "pages": int(pages.group(1)) if pages else 0}


def _field(text: str, label: str) -> float:
    return float(re.search(rf"{re.escape(label)}: ([\d.]+)", text).group(1))


def verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "not met"


def machine(work: Path) -> list[str]:
    cpu_model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return [f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {cpu_model}, {os.cpu_count()} cores, {memory} MiB; "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
            f"- Versions: azcn-book {revisions(work)}, "
            f"{_version(['.venv/bin/weasyprint', '--version'])}, "
            f"{_version(['pandoc', '--version'])}, {_version(['hyperfine', '--version'])}"]


def revisions(work: Path) -> str:
    """The commit each half of the benchmark measured (`bench/run.sh scale` runs one half
    again and keeps the other's figures)."""
    found = {half: (work / f"revision-{half}.txt").read_text().strip()
             for half in ("scenarios", "scale") if (work / f"revision-{half}.txt").exists()}
    if len(set(found.values())) == 1:
        return next(iter(found.values()))
    return ", ".join(f"{revision} ({half})" for half, revision in found.items()) or \
        _git("rev-parse", "--short", "HEAD")


def _version(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0]


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def scenarios(work: Path) -> list[str]:
    noop, noop_cli = hyperfine(work, "noop")[0], hyperfine(work, "noop-cli")[0]
    cold, weasy = hyperfine(work, "cold")
    edit, epub_after = hyperfine(work, "edit")[0], hyperfine(work, "epub-after")[0]
    epub_zh, pandoc = hyperfine(work, "epub-zh")
    rows = [
        ("no-op `make pdf`", seconds(noop), "", "", f"≤ {GOALS['noop']} s",
         verdict(noop["mean"], GOALS["noop"])),
        ("no-op `azcn-book build` (everything cached)", seconds(noop_cli), "", "", "", ""),
        ("full cold build, three editions (wall)", seconds(cold),
         f"bare WeasyPrint, three HTML files one after another: {seconds(weasy)}",
         f"{cold['mean'] / weasy['mean']:.2f}×", f"≤ {GOALS['cold']}×",
         verdict(cold["mean"] / weasy["mean"], GOALS["cold"])),
        ("— the same, CPU seconds", f"{cpu(cold):.1f} s", f"{cpu(weasy):.1f} s",
         f"{cpu(cold) / cpu(weasy):.2f}×", "", ""),
        ("one paragraph edited in one English chapter, `build` of all editions", seconds(edit),
         f"the full cold build: {seconds(cold)}", f"{edit['mean'] / cold['mean']:.0%}",
         f"≤ {GOALS['edit']:.0%}", verdict(edit["mean"] / cold["mean"], GOALS["edit"])),
        ("— the same, CPU seconds", f"{cpu(edit):.1f} s", f"{cpu(cold):.1f} s",
         f"{cpu(edit) / cpu(cold):.0%}", "", ""),
        ("EPUB of three editions after their PDF (whole process)", seconds(epub_after), "", "",
         "", ""),
        ("zh-Hans EPUB alone, cold", seconds(epub_zh),
         f"Pandoc on the same chapters: {seconds(pandoc)}",
         f"{epub_zh['mean'] / pandoc['mean']:.0f}×", f"≤ {GOALS['epub-zh']} s",
         verdict(epub_zh["mean"], GOALS["epub-zh"])),
        ("— the same, CPU seconds", f"{cpu(epub_zh):.1f} s", f"{cpu(pandoc):.1f} s", "", "",
         ""),
    ]
    lines = ["| Scenario | azcn-book | Peer, side by side | Ratio | Goal | |",
             "| --- | --- | --- | --- | --- | --- |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def report_lines(work: Path) -> list[str]:
    text = (work / "pdf-epub.out").read_text().rstrip()
    return ["One build of PDF and EPUB after an edit to the English edition (the per-output",
            "seconds the build reports; the EPUB takes the layout the PDF just made):", "",
            "```", text, "```"]


def scale(work: Path) -> list[str]:
    lines = ["| Book | Pages | Wall | CPU | CPU s/page | Peak RSS | Edit, wall | Edit vs 1× |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    base = time_v(work, "edit-1")["wall"]
    for times in (1, 4, 16):
        cold, edit = time_v(work, f"cold-{times}"), time_v(work, f"edit-{times}")
        lines.append(f"| {times}× | {cold['pages']} | {cold['wall']:.1f} s | {cold['cpu']:.1f} s"
                     f" | {cold['cpu'] / max(cold['pages'], 1):.3f} | {cold['rss']:.0f} MiB"
                     f" | {edit['wall']:.1f} s | {edit['wall'] / base:.1f}× |")
    return lines


def main(work: Path, out: Path) -> None:
    load = [(work / name).read_text().strip() for name in ("load-before.txt", "load-after.txt")]
    text = ["# Benchmarks", "",
            "Made by `make bench` (bench/run.sh, then bench/report.py); every figure below comes "
            "from one run on this machine, peers measured side by side in the same run. "
            "Timings are never asserted by the test suite.", "", *machine(work),
            f"- Load: before `{load[0]}`; after `{load[1]}` (the machine may be shared: "
            "compare ratios measured in the same run rather than absolute times)", "",
            "## Scenarios", "", *scenarios(work), "", *report_lines(work), "",
            "## Scale (English PDF; the book's chapters repeated, `bench/scale_book.py`)", "",
            *scale(work), "",
            "Cold: a fresh output folder (empty cache), `--jobs 1` (one process: CPU seconds "
            "and peak memory per process). Edit: one paragraph of the middle English chapter "
            "changed (`bench/edit.py`), then the same build: the chapter is laid out again, "
            "the other parts come from the cache.",
            "", "## Reading the figures", "", *NOTES, ""]
    out.write_text("\n".join(text), "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
