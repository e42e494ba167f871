from azcn_book.cli import main

raise SystemExit(main())
