"""`python -m bench [--peer] [--s3] [SIZE ...]`."""

import sys

from bench.run import main

sys.exit(main())
