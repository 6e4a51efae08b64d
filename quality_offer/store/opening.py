"""Opening the store from a URL someone typed, with a message instead of a traceback.

A database URL given on the command line can be wrong in many ways: a port that is not a
number, a driver that is not installed, a server that is down, a folder that does not exist.
Each becomes one :class:`CannotOpen` that says which database (password hidden) and why in
one line; the password never appears, even where a driver quotes the URL back.
"""

from __future__ import annotations

from .errors import StoreError
from .settings import database_url
from .store import Store


class CannotOpen(StoreError):
    """The database at the URL could not be opened; the message hides any password."""


def safe_url(url: str) -> str:
    """The URL as it may be shown: the password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        scheme = url.split(":", 1)[0] if ":" in url else ""
        return f"{scheme}:..." if scheme.isidentifier() else "the URL given"


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password or None
    except Exception:
        return None


def _reason(exc: BaseException, url: str) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = text[0] if text else type(exc).__name__
    if isinstance(exc, ModuleNotFoundError):
        reason = f"its driver is not installed ({exc.name})"
    elif isinstance(exc, ValueError) and "int()" in reason:
        reason = "the port is not a number"
    for secret in (url, _password(url)):
        if secret:
            reason = reason.replace(secret, "***")
    return reason


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (or the configured one), or :class:`CannotOpen`."""
    from sqlalchemy.exc import SQLAlchemyError

    url = database_url(url)
    try:
        return Store(url)
    except (SQLAlchemyError, ValueError, ImportError, OSError) as exc:
        raise CannotOpen(f"cannot open the database {safe_url(url)}: {_reason(exc, url)}"
                         ) from None
