"""One module per output format; each takes an Edition and writes one file."""
