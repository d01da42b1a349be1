"""Errors that Chorus reports to users as one clear line."""

from __future__ import annotations


class ChorusError(Exception):
    """A failure the user can act on; the CLI prints it as one line, no traceback."""


class InputError(ChorusError):
    """An input file (or one of its lines) cannot be used."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class ValidationFailed(ChorusError):
    """A data-quality gate closed: nothing was published."""


class TransientError(ChorusError):
    """A failure that may pass on its own (storage or network unreachable, the home busy): a
    scheduler retries it. Every other ChorusError is terminal: the same input gives the same
    answer, so retrying only repeats the work."""
