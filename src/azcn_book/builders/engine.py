"""WeasyPrint, loaded without asking a C compiler where its libraries are.

WeasyPrint 70 opens each C library it needs (GLib, Pango, HarfBuzz, fontconfig) by trying a
list of names for every platform. For each name that is no file, cffi asks
`ctypes.util.find_library`, which on Linux runs ldconfig, then gcc and ld: some 200 programs
started, a third of a second at every start of azcn-book. Each list also holds the library's
Linux soname (libpango-1.0.so.0, ...), which the dynamic loader opens itself from the places
ldconfig knows and LD_LIBRARY_PATH: on Linux that search is skipped while WeasyPrint loads.
A library that is missing still fails as WeasyPrint reports it.

Every module that imports WeasyPrint imports this module first (a section of its own in the
import order: pyproject.toml, tool.ruff.lint.isort).
"""

from __future__ import annotations

import ctypes.util
import sys


def _load() -> None:
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


_load()
