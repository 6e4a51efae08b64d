"""Alembic environment for the store, run programmatically by ``Store`` on open.

There is no alembic.ini: the store passes the open connection in ``config.attributes``, so the
migration runs inside the caller's transaction (on SQLite a ``BEGIN IMMEDIATE`` one), and two
app replicas starting at once cannot both migrate: on PostgreSQL an advisory lock queues them.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from quality_offer.store.db import Base

# Any fixed number: app replicas opening the same database take turns to migrate it.
MIGRATION_LOCK = 7_140_212_026


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # pragma: no cover - the store always passes one
        raise RuntimeError("run migrations through quality_offer.store.Store, which opens "
                           "the database and passes the connection")
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": MIGRATION_LOCK})
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
