"""`python -m adapters.cli`: the `tyhy` command without its installed script."""

from adapters.cli.main import main

raise SystemExit(main())
