"""`python -m tools synth|eval`."""

import sys

from tools.cli import main

sys.exit(main())
