"""A dbt process that loads dbt first and is told what to run afterwards (`chorus.build.process`).

Run as `python -m chorus.build.worker`: imports dbt, then reads one JSON line from stdin with the
command's arguments, environment and working folder, runs it with dbt's programmatic runner and
exits with dbt's code (0 success, 1 failed nodes or tests, 2 an error dbt raised). A closed
stdin without a command (the parent went away or did not need it) exits quietly.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    from dbt.cli.main import dbtRunner  # the slow part (~2 s), done before the command arrives

    line = sys.stdin.readline()
    if not line.strip():
        return 0
    request = json.loads(line)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    result = dbtRunner().invoke(request["args"])
    if result.success:
        return 0
    if result.exception is None:
        return 1
    print(f"dbt: {result.exception}", file=sys.stderr)  # dbt prints its own errors, not bad usage
    return 2


if __name__ == "__main__":
    sys.exit(main())
