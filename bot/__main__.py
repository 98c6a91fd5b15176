"""`python -m bot` runs the same command line as `pact-advisor`."""

import sys

from bot.cli import main

sys.exit(main())
