"""How every command speaks to the user: located problems on stderr, one line each, exit 1."""

from __future__ import annotations

import sys

from ..errors import InputError


def err(message: str) -> None:
    print(message, file=sys.stderr)


def fail(exc: InputError) -> int:
    for problem in exc.problems:
        err(str(problem))
    n = len(exc.problems)
    err(f"{n} problem{'s' if n != 1 else ''} found.")
    return 1
