"""The database engine and its migrations: one engine per database, safe to share.

SQLite is set up so that readers never block the writer and a commit survives a power cut;
PostgreSQL gets pre-ping. Migrations (Alembic, shipped inside the package) take turns within
one process; across processes the database's own lock serialises them.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import Any

from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

_MIGRATIONS = resources.files("quality_offer") / "migrations"
# Alembic keeps the running migration in module globals, so within one process (the app's
# threads) migrations take turns; across processes the database lock serialises them.
_UPGRADE_LOCK = threading.Lock()


def _make_engine(url: str) -> Engine:
    """An engine with the per-connection settings that make SQLite safe to share."""
    u = make_url(url)
    # hide_parameters: an error message never carries the values of a statement (evidence
    # about pupils' needs is special-category data and must not reach the server's log).
    if u.get_backend_name() != "sqlite":
        return create_engine(u, pool_pre_ping=True, hide_parameters=True)
    memory = u.database in (None, "", ":memory:")
    engine = create_engine(
        u,
        hide_parameters=True,
        connect_args={"check_same_thread": False},
        **({"poolclass": StaticPool} if memory else {}),
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, so that writes can take the
        # write lock up front (BEGIN IMMEDIATE) instead of failing to upgrade a read lock.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA busy_timeout=30000")  # wait for another writer, don't fail
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut, not just a crash
        cur.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("quality_offer_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(str(_MIGRATIONS))))
    return cfg
