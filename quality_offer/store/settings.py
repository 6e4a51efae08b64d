"""Where the database is: one rule, so the app, the command line and the tests agree.

The URL given wins, then ``QUALITY_OFFER_DATABASE_URL`` (a shared PostgreSQL deployment sets
this once for every replica), then a SQLite file in the data folder, so a single school can
run the tool with nothing to install.
"""

from __future__ import annotations

import os
from pathlib import Path

URL_ENV = "QUALITY_OFFER_DATABASE_URL"
DATA_DIR_ENV = "QUALITY_OFFER_DATA_DIR"
DB_FILE = "quality-offer.db"


def data_dir() -> Path:
    """The data folder (``QUALITY_OFFER_DATA_DIR`` or ``./data``), created if missing."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or "data")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url(url: str | None = None) -> str:
    """The database URL to use: the argument, else the environment, else the SQLite file."""
    if url:
        return url
    from_env = os.environ.get(URL_ENV)
    if from_env:
        return from_env
    return f"sqlite:///{(data_dir() / DB_FILE).resolve()}"


#: What a database address looks like, for messages.
URL_EXAMPLES = ("sqlite:///data/quality-offer.db or "
                "postgresql+psycopg://user@host:5432/database")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a database address for this program, in plain words; None if it
    can. Only the address is judged here (its form and its kind of database), not whether a
    server answers at it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return f"is not a database address; use one like {URL_EXAMPLES}"
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        return (f"names a {parsed.get_backend_name()!r} database; this program keeps its data "
                f"in SQLite or PostgreSQL: use an address like {URL_EXAMPLES}")
    try:
        dialect = parsed.get_dialect()
        if getattr(dialect, "is_async", False):
            raise ImportError
        dialect.import_dbapi()
    except (NoSuchModuleError, ImportError):
        return (f"needs a database driver this program does not use ({parsed.drivername}); "
                "for PostgreSQL use postgresql+psycopg://")
    return None
