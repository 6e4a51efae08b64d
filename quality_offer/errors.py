"""Errors that users read: each names the file, line, column and field.

The command line and the app print these instead of tracebacks, so an LA officer who
mistypes a key, or a SENCO who uploads a damaged audit file, learns exactly where to look.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class InputError(Exception):
    """Raised with every problem found in an input, never a partial result."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FontNotFoundError(RuntimeError):
    """DejaVu Sans is not installed: the PDF cannot embed a font that prints every name.

    Here, not beside the font code, so that every command can say it plainly without
    importing reportlab at start-up."""
