"""`python -m tools synth|eval|sqllint`."""

import sys

from tools.cli import main

sys.exit(main())
