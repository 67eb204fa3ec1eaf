from backsoon.cli import main

raise SystemExit(main())
