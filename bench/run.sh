#!/usr/bin/env bash
# The benchmark of issue 11: times the build scenarios side by side with bare WeasyPrint and
# Pandoc, then writes docs/benchmarks.md (bench/report.py). Needs hyperfine and pandoc
# (Debian); about ten minutes on two quiet cores. RUNS=n sets the repetitions of the short
# scenarios. `bench/run.sh scenarios` or `bench/run.sh scale` runs one half again, keeping the
# other half's figures from the previous run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
WORK=bench/work
RUNS=${RUNS:-3}
PART=${1:-all}
for tool in hyperfine pandoc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install hyperfine pandoc time)" >&2; exit 1; }
done
[ "$PART" = all ] && rm -rf "$WORK"
mkdir -p "$WORK/json" "$WORK/time"
uptime > "$WORK/load-before.txt"
hf() { local name=$1; shift; hyperfine --style basic --export-json "$WORK/json/$name.json" "$@"; }
timed() {  # timed NAME ARGS...: one `azcn-book build ARGS` under /usr/bin/time -v, report kept
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/time/$name.txt" "$BIN/azcn-book" build "$@" > "$WORK/time/$name.out"
}
build() { "$BIN/azcn-book" build "$@"; }

scenarios() {
git rev-parse --short HEAD > "$WORK/revision-scenarios.txt"
$BIN/python bench/scale_book.py 1 "$WORK/book-1"
echo "== no-op make pdf"
make --no-print-directory pdf >/dev/null
hf noop --warmup 1 --runs 10 'make --no-print-directory pdf'
hf noop-cli --warmup 1 --runs "$RUNS" "$BIN/azcn-book build --format pdf"

echo "== full cold build of three editions vs bare WeasyPrint on the same HTML, one after another"
build --content "$WORK/book-1" --out "$WORK/html" --format html >/dev/null
hf cold --runs "$RUNS" \
  --prepare "rm -rf $WORK/out" "$BIN/azcn-book build --content $WORK/book-1 --out $WORK/out" \
  --prepare "true" "for e in en zh-Hans zh-Hant; do $BIN/weasyprint --pdf-variant pdf/ua-1 $WORK/html/\$e/*.html $WORK/weasyprint-\$e.pdf; done"

echo "== one paragraph edited in one English chapter"
hf edit --runs "$RUNS" --prepare "$BIN/python bench/edit.py $WORK/book-1" \
  "$BIN/azcn-book build --content $WORK/book-1 --out $WORK/out"

echo "== EPUB after PDF (the print layout cached)"
hf epub-after --runs "$RUNS" --prepare "$BIN/python bench/forget.py epub $WORK/out/.cache" \
  "$BIN/azcn-book build --content $WORK/book-1 --out $WORK/out --format epub"
$BIN/python bench/edit.py "$WORK/book-1"
build --content "$WORK/book-1" --out "$WORK/out" --format pdf --format epub > "$WORK/pdf-epub.out"

echo "== zh-Hans EPUB alone vs Pandoc on the same chapters"
hf epub-zh --runs "$RUNS" \
  "$BIN/azcn-book build --content $WORK/book-1 --out $WORK/out-epub --edition zh-Hans --format epub --no-cache" \
  "pandoc --metadata title=x -o $WORK/pandoc.epub $WORK/book-1/chapters/zh-Hans/*.md"

}

scale() {
git rev-parse --short HEAD > "$WORK/revision-scale.txt"
echo "== scale: English PDF at 1x, 4x, 16x the book, cold, then one paragraph edited"
for times in 1 4 16; do
  $BIN/python bench/scale_book.py "$times" "$WORK/scaled-$times"
  rm -rf "$WORK/out-$times"
  timed "cold-$times" --content "$WORK/scaled-$times" --out "$WORK/out-$times" --edition en --jobs 1
  $BIN/python bench/edit.py "$WORK/scaled-$times"
  timed "edit-$times" --content "$WORK/scaled-$times" --out "$WORK/out-$times" --edition en --jobs 1
done
}

case "$PART" in
  all) scenarios; scale ;;
  scenarios|scale) "$PART" ;;
  *) echo "usage: bench/run.sh [all|scenarios|scale]" >&2; exit 2 ;;
esac
uptime > "$WORK/load-after.txt"
$BIN/python bench/report.py "$WORK" docs/benchmarks.md
echo "bench: wrote docs/benchmarks.md"
