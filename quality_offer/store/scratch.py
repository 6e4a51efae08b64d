"""A throwaway PostgreSQL schema, for tests and benchmarks that must not collide.

Each run gets a schema of its own in the given database, dropped afterwards, so parallel or
repeated runs against the shared server never see each other's tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def scratch_schema(url: str, prefix: str = "qo_scratch") -> Iterator[str]:
    """A URL whose connections use a new, empty schema of ``url``'s database."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
