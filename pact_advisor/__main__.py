"""`python -m pact_advisor` runs the same command line as `pact-advisor`."""

import sys

from pact_advisor.cli import main

sys.exit(main())
