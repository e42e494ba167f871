"""Readers turn the book's files into the document model; nothing after them reads a file."""
