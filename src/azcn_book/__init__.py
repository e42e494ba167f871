"""azcn-book: one book, typeset to print-ready PDF and EPUB in several languages."""

__version__ = "0.1.0"
