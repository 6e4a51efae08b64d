"""The ``quality-offer`` command: a thin layer over the package.

Every command prints clear, located messages for bad input and exits 1; no traceback
reaches the user. Output files are written only after everything they need has been built,
so a failure never leaves a half-written report.
"""


from __future__ import annotations

import os
from collections.abc import Sequence

from ..errors import FontNotFoundError, InputError
from .output import err, fail
from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "database"):
        from ..store.opening import safe_url
        from ..store.settings import URL_ENV, url_problem

        given = args.database or os.environ.get(URL_ENV)
        problem = url_problem(given) if given else None
        if problem:
            where = "--database" if args.database else URL_ENV
            shown = safe_url(given)  # an unreadable address may hold a password anywhere
            address = "the address given" if shown == "the URL given" else f"the address {shown}"
            err(f"cannot open the database given by {where}: {address} {problem}. Nothing "
                 "was done.")
            return 1
    from sqlalchemy.exc import SQLAlchemyError

    from ..store.opening import CannotOpen

    try:
        return args.func(args)
    except InputError as exc:
        return fail(exc)
    except CannotOpen as exc:  # every command that opens the database says it the same way
        err(str(exc))
        return 1
    except SQLAlchemyError as exc:
        err(f"cannot open the database: {exc}")
        return 1
    except OSError as exc:
        err(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}")
        return 1
    except FontNotFoundError as exc:  # a server without DejaVu Sans: say what to install
        err(f"nothing written: {exc}")
        return 1
