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
