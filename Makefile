# azcn-book: `make pdf` sets up what is missing and builds; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Stamps let make itself see that nothing changed: a no-op `make pdf` starts no Python at all.
SYSTEM_OK := $(VENV)/.system-ok
SOURCES := pyproject.toml $(shell find content templates src -type f -not -path '*/__pycache__/*' \
  -not -path '*.egg-info/*' 2>/dev/null)
PDF_STAMP := build/.make-pdf
EPUB_STAMP := build/.make-epub
# Debian packages: Pango for WeasyPrint, HarfBuzz's subsetter (fonts subset in a fraction of a
# second instead of ~10 s per CJK PDF), the Noto faces the templates name.
# python3-venv: Debian's Python makes no virtualenv without it.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk \
  fontconfig python3-venv
# Where there is no dpkg to ask, what those packages provide is looked for directly.
LIBRARIES := libpango-1.0 libpangoft2-1.0 libharfbuzz-subset libfontconfig
LIBRARY_DIRS := /usr/lib /usr/lib64 /lib /lib64 /usr/local/lib /opt/homebrew/lib
FONT_FAMILIES := Noto Sans,Noto Serif,Noto Sans CJK SC,Noto Serif CJK SC,Noto Sans CJK TC,Noto Serif CJK TC
# What the tests add: Java for EPUBCheck, Pandoc as a real EPUB reading system.
TEST_DEB_PACKAGES := default-jre-headless pandoc qpdf

.PHONY: help setup system test-system install-debs system-without-dpkg pdf pdf-archive pdf-print \
  epub html check test i18n clean watch bench
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

pdf: $(PDF_STAMP) ## build the PDF of every edition into build/ (fails on any layout warning)

$(PDF_STAMP): $(SOURCES) $(SYSTEM_OK) $(INSTALLED)
	$(BIN)/azcn-book build --format pdf --strict
	@mkdir -p $(@D) && touch $@

epub: $(EPUB_STAMP) ## build the EPUB of every edition into build/

$(EPUB_STAMP): $(SOURCES) $(SYSTEM_OK) $(INSTALLED)
	$(BIN)/azcn-book build --format epub
	@mkdir -p $(@D) && touch $@

watch: setup ## rebuild the PDFs whenever a file of content/ or templates/ is saved
	$(BIN)/azcn-book watch --format pdf

bench: setup ## time builds against bare WeasyPrint and Pandoc; writes docs/benchmarks.md
	bench/run.sh

pdf-archive: setup ## build PDF/A-3a editions with the data and bibliography attached
	$(BIN)/azcn-book build --format pdf --pdf-variant pdf/a-3a

pdf-print: setup ## build print-shop PDFs: 3 mm bleed, crop and cross marks
	$(BIN)/azcn-book build --format pdf --bleed

html: setup ## build the HTML of every edition into build/
	$(BIN)/azcn-book build --format html

check: setup ## validate the book without typesetting
	$(BIN)/azcn-book check

test: setup test-system ## run the test suite
	$(BIN)/pytest

setup: $(SYSTEM_OK) $(INSTALLED)

# constraints.txt: the tested version of every dependency (see its header).
$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade -c constraints.txt pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@# An editable install compiles none of the package's modules, and where Python may not
	@# write its caches (PYTHONDONTWRITEBYTECODE) every run compiled them again: 0.2 s a start.
	$(BIN)/python -m compileall -q src/azcn_book
	touch $@

system: ## install the fonts and libraries (apt-get, as root) if any is missing
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEB_PACKAGES)"

# Checked once, then remembered: the check costs a dpkg-query per package on every make.
$(SYSTEM_OK): Makefile
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEB_PACKAGES)"
	@mkdir -p $(VENV) && touch $@

test-system:
	@command -v java >/dev/null && command -v pandoc >/dev/null && command -v qpdf >/dev/null || \
	  $(MAKE) --no-print-directory install-debs PACKAGES="$(TEST_DEB_PACKAGES)"

# Installs what is missing as root with apt-get; otherwise names the exact command and stops.
install-debs:
	@if ! command -v dpkg-query >/dev/null; then \
	  $(MAKE) --no-print-directory system-without-dpkg; exit $$?; fi; \
	missing=$$(for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	missing=$$(echo $$missing); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "missing system packages; run: sudo apt-get install $$missing" >&2; exit 1; \
	fi

# Not Debian: look for the libraries, fonts and venv module themselves and name what is missing.
system-without-dpkg:
	@missing=""; \
	for lib in $(LIBRARIES); do \
	  find $(LIBRARY_DIRS) -maxdepth 3 -name "$$lib.so*" -o -maxdepth 3 -name "$$lib*.dylib" \
	    2>/dev/null | grep -q . || missing="$$missing\n  the $$lib library"; done; \
	if command -v fc-list >/dev/null; then \
	  families=$$(fc-list : family); faces="$(FONT_FAMILIES)"; IFS=,; for face in $$faces; do \
	    echo "$$families" | grep -q "$$face" || missing="$$missing\n  the font $$face"; done; \
	  unset IFS; \
	else missing="$$missing\n  fontconfig (fc-list) and the Noto fonts: $(FONT_FAMILIES)"; fi; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing\n  the venv module of $(PYTHON)"; \
	if [ -n "$$missing" ]; then \
	  printf "azcn-book needs, and this system (no dpkg) lacks:$$missing\n" >&2; \
	  printf "install them with the system's package manager (Debian names: $(DEB_PACKAGES))\n" >&2; \
	  exit 1; \
	fi

i18n: setup ## extract interface strings from the templates and update the catalogs
	$(BIN)/pybabel -q extract -F babel.cfg --sort-output --no-location \
	  -k translate:2 --project azcn-book -o templates/locales/messages.pot templates src
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i templates/locales/messages.pot \
	  -d templates/locales
	@echo "translate the empty msgstr entries, then run: make check"

clean: ## remove build outputs
	rm -rf build
