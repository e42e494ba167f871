from azcn_book.cli import run

run()
