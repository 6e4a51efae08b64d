"""Backing up the whole database, and restoring a backup into an empty one.

A backup is always one SQLite file holding the schema, every row of every table and the
schema's revision, whatever database it was taken from:

- from SQLite, with SQLite's online backup API, so the copy is consistent even while the app
  keeps saving;
- from PostgreSQL, every table read in one read-only ``REPEATABLE READ`` transaction, so the
  copy is one moment of the database even with audits in progress.

One format means a backup restores into either: a school's trial on a laptop can move to the
authority's PostgreSQL server, and a backup can be opened with any SQLite tool to look inside.

A restore copies every table into the target in one transaction, so it either lands whole or
changes nothing. It refuses a target that already holds data unless asked to replace it, and
a backup made by an older version is brought up to date on a copy first (never in place: the
backup file itself is only read).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import (
    Engine,
    Table,
    create_engine,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url

from .store import Store
from .store.db import Base

#: Every table of the store, parents before children (the order rows are inserted in).
TABLES: tuple[Table, ...] = tuple(Base.metadata.sorted_tables)
_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 2000


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, for the operator."""


class NotEmpty(BackupError):
    """The target already holds data, and replacing it was not asked for."""


@dataclass(frozen=True)
class Summary:
    """What a backup or restore copied: rows per table, and the schema revision."""

    revision: str
    rows: dict[str, int]

    def describe(self) -> str:
        return f"{counted(self.rows)} (schema revision {self.revision})"


# Each table's rows in words, singular and plural.
_NOUNS = {"schools": ("school", "schools"), "audits": ("audit", "audits"),
          "responses": ("answer", "answers"), "changes": ("recorded change", "recorded changes"),
          "memberships": ("membership", "memberships"),
          "membership_changes": ("membership change", "membership changes"),
          "framework_moves": ("move to a new framework version",
                              "moves to a new framework version"),
          "cycles": ("collection setting", "collection settings")}


def counted(rows: dict[str, int]) -> str:
    """Rows per table in words: "1 school, 2 audits, ..." for the tables in ``rows``."""
    names = [*_NOUNS, *sorted(set(rows) - set(_NOUNS))]
    parts = []
    for name in names:
        if name in rows:
            one, many = _NOUNS.get(name, (name, name))
            parts.append(f"{rows[name]} {one if rows[name] == 1 else many}")
    return ", ".join(parts)


# --- revisions ----------------------------------------------------------------------------


def _scripts() -> ScriptDirectory:
    from .store.engine import _alembic_config

    return ScriptDirectory.from_config(_alembic_config())


def head_revision() -> str:
    """The schema revision this version of the tool builds."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    """Whether this version of the tool knows ``revision`` (a newer version's is unknown)."""
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def current_revision(conn: Any) -> str | None:
    """The revision recorded in a database, or None when it has no Quality Offer tables."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


# --- helpers ------------------------------------------------------------------------------


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another backend."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    if u.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(u.database)


def _engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        return create_engine(u, connect_args={"connect_timeout": 10})
    return create_engine(u)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def _single_file(path: Path) -> None:
    """Leave a SQLite file self-contained (no ``-wal`` beside it), so it can be copied."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def _count(conn: Any) -> dict[str, int]:
    """Rows per table, for the tables the database has (an older schema has fewer)."""
    present = set(inspect(conn).get_table_names())
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in TABLES if t.name in present}


def _copy_rows(source: Any, target: Any) -> None:
    """Every row of every table from one open connection to another, in key order.

    Into PostgreSQL the rows go through ``COPY ... FROM STDIN`` (psycopg's copy API): one
    stream a table instead of statements of a thousand rows each, about twice as fast for an
    authority's backup (benchmarks/bench_backup.py). Elsewhere, inserts of ``_CHUNK`` rows.
    """
    copy = target.dialect.name == "postgresql" and target.dialect.driver == "psycopg"
    for table in TABLES:
        query = select(table).order_by(*table.primary_key.columns)
        result = source.execution_options(yield_per=_CHUNK).execute(query)
        if copy:
            _copy_table(result, table, target)
            continue
        for chunk in result.partitions():
            target.execute(insert(table), [dict(row._mapping) for row in chunk])


def _copy_table(result: Any, table: Table, target: Any) -> None:
    """One table's rows into PostgreSQL with COPY, inside ``target``'s transaction.

    Each value goes through its column type's bind processing first (the same as an INSERT
    would: timestamps to aware UTC, JSON wrapped for psycopg), so COPY stores what an INSERT
    would have stored.
    """
    from psycopg import sql

    dialect = target.dialect
    columns = list(table.columns)
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    pairs = [(i, f) for i, f in enumerate(processors) if f is not None]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c.name) for c in columns))
    raw = target.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as stream:
        for chunk in result.partitions():
            for row in chunk:
                values = list(row)
                for i, process in pairs:
                    values[i] = process(values[i])
                stream.write_row(values)


@contextmanager
def _workdir(near: Path) -> Iterator[Path]:
    """A temporary folder beside ``near``, so the final rename stays on one filesystem."""
    folder = Path(tempfile.mkdtemp(prefix=".quality-offer-", dir=near))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- backup -------------------------------------------------------------------------------


def backup(url: str, out: Path) -> Summary:
    """Copy the database at ``url`` to the SQLite file ``out``, written only when complete."""
    out = Path(out)
    if out.is_dir():
        raise BackupError(f"{out}: is a folder; give the name of the backup file to write")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent}: no such folder")
    with _workdir(out.parent) as work:
        part = work / "backup.sqlite"
        source_file = _sqlite_file(url)
        if source_file is not None:
            _backup_sqlite(source_file, part)
        else:
            _backup_server(url, part)
        _single_file(part)
        summary = _summarise(part)
        part.replace(out)
    return summary


def _backup_sqlite(source: Path, part: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: no such database file")
    # A plain connection, not a read-only one: reading a database in WAL mode may need to
    # create its shared-memory file. The backup API itself only reads.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(part)) as dst:
        src.backup(dst)


def _backup_server(url: str, part: Path) -> None:
    source = _engine(url)
    try:
        with source.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SET TRANSACTION READ ONLY"))
                revision = current_revision(conn)
                head = head_revision()
                if revision != head:
                    raise BackupError(
                        f"the database is at schema revision {revision or '(none)'}, and this "
                        f"version of Quality Offer makes backups at revision {head}: back it "
                        "up with the version that last opened it, or upgrade it with this "
                        "version's `quality-offer migrate` (the app servers run it as they "
                        "start)")
                Store(_sqlite_url(part)).close()  # the backup's schema, at ``head``
                target = create_engine(_sqlite_url(part))
                try:
                    with target.begin() as out:
                        _copy_rows(conn, out)
                finally:
                    target.dispose()
    finally:
        source.dispose()


def _summarise(path: Path) -> Summary:
    engine = create_engine(_sqlite_url(path))
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
            if revision is None:
                raise BackupError("the database has no Quality Offer tables: nothing to back up")
            return Summary(revision, _count(conn))
    finally:
        engine.dispose()


# --- restore ------------------------------------------------------------------------------


def read_backup(path: Path) -> Summary:
    """What a backup file holds, or a :class:`BackupError` saying why it is not one."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as f:
        if f.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise BackupError(f"{path}: not a Quality Offer backup (not a SQLite database)")
    try:
        with closing(sqlite3.connect(path)) as conn:
            names = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = (conn.execute("SELECT version_num FROM alembic_version").fetchone()
                   if "alembic_version" in names else None)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a readable backup: {exc}") from None
    if row is None:
        raise BackupError(f"{path}: not a Quality Offer backup (no schema revision in it)")
    revision = str(row[0])
    if not known_revision(revision):
        raise BackupError(f"{path}: made by a newer version of Quality Offer (schema revision "
                          f"{revision}); restore it with that version or a later one")
    missing = sorted(t.name for t in TABLES if t.name not in names)
    if missing and revision == head_revision():
        raise BackupError(f"{path}: incomplete backup, these tables are missing: "
                          + ", ".join(missing))
    return Summary(revision, {})


def restore(path: Path, url: str, *, force: bool = False) -> Summary:
    """Copy the backup ``path`` into the database at ``url``, in one transaction.

    Refused with :class:`NotEmpty` (and nothing changed) when the target holds any row, unless
    ``force``, which replaces everything in it.
    """
    path = Path(path)
    found = read_backup(path)
    with tempfile.TemporaryDirectory(prefix="quality-offer-restore-") as work:
        copy = Path(work) / "backup.sqlite"
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
        if found.revision != head_revision():
            Store(_sqlite_url(copy)).close()  # an older backup, upgraded on the copy
        source = create_engine(_sqlite_url(copy))
        try:
            target_store = Store(url)  # creates or upgrades the target's schema
            try:
                return _restore_into(source, target_store.engine, force=force)
            finally:
                target_store.close()
        finally:
            source.dispose()


def _restore_into(source: Engine, target: Engine, *, force: bool) -> Summary:
    # On SQLite, take the write lock before reading the counts (see the store's engine).
    writer = target.execution_options(quality_offer_write=True)
    with source.connect() as src, writer.begin() as dst:
        held = {name: n for name, n in _count(dst).items() if n}
        if held and not force:
            raise NotEmpty(
                f"the database already holds {counted(held)}; nothing was changed. Restore "
                "into an empty database, or add --force to replace everything in it with the "
                "backup")
        for table in reversed(TABLES):
            dst.execute(delete(table))
        _copy_rows(src, dst)
        if dst.dialect.name == "postgresql":
            _reset_sequences(dst)
        rows = _count(dst)
        expected = _count(src)
        if rows != expected:  # pragma: no cover - the copy is row for row
            raise BackupError(f"the restore copied {rows} rows, the backup holds {expected}")
        return Summary(head_revision(), rows)


def _reset_sequences(conn: Any) -> None:
    """Let new rows take ids after the restored ones (PostgreSQL numbers rows by sequence)."""
    for table in TABLES:
        if "id" not in table.c or len(table.primary_key.columns) != 1:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:name, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"),
            {"name": table.name})
