"""`python -m leadshift`: the `leadshift` command (`leadshift serve` starts its worker so)."""

import sys

try:
    from leadshift.cli import main

    main()
except KeyboardInterrupt:
    # Ctrl-C in a terminal reaches every process of `leadshift serve`: one still starting up
    # stops as quietly as the rest.
    sys.exit(130)
