"""Time a backup and a restore of an authority's database against reading it once.

    .venv/bin/python benchmarks/bench_backup.py                      # 400 schools, SQLite
    .venv/bin/python benchmarks/bench_backup.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test

The database holds N synthetic schools' audits of the shipped framework (every applicable
criterion answered, as in bench_compare.py) and five recorded changes per answer. The floor is
reading every row of every table once in one transaction, the least any backup must do; with
PostgreSQL, pg_dump of the same schema is timed too when it is installed. The restore goes into
a new, empty database (a SQLite file, or another throwaway schema) and is checked row for row.
Prints figures only; no assertion on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import make_url

from quality_offer.backup import TABLES, backup, restore
from quality_offer.store import Store
from quality_offer.store.db import ChangeRow

sys.path.insert(0, str(Path(__file__).parent))
from bench_compare import database, fill_database, pick_framework, synthetic_audit

FIELDS = ("rating", "evidence.text", "evidence.location", "evidence.kind", "action.what")


def add_changes(url: str) -> int:
    """Five recorded changes per stored answer, as a year of saves leaves behind."""
    engine = create_engine(url)
    now = dt.datetime.now(dt.UTC)
    rows = []
    with engine.begin() as conn:
        answers = conn.execute(select(TABLES_BY_NAME["responses"].c.audit_id,
                                      TABLES_BY_NAME["responses"].c.criterion_id,
                                      TABLES_BY_NAME["audits"].c.urn).join_from(
            TABLES_BY_NAME["responses"], TABLES_BY_NAME["audits"])).all()
        for audit_id, cid, urn in answers:
            for v, field in enumerate(FIELDS, 1):
                rows.append({"audit_id": audit_id, "urn": urn, "criterion_id": cid,
                             "field": field, "old_value": None, "new_value": "a value of "
                             "about the length people type", "user": "Ms Example (SENCO)",
                             "at": now, "version": v})
        conn.execute(insert(ChangeRow), rows)
    engine.dispose()
    return len(rows)


TABLES_BY_NAME = {t.name: t for t in TABLES}


def read_everything(url: str) -> int:
    engine = create_engine(url)
    n = 0
    with engine.connect() as conn, conn.begin():
        for table in TABLES:
            n += len(conn.execute(select(table)).all())
    engine.dispose()
    return n


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=400)
    parser.add_argument("--framework", choices=["shipped", "mini", "auto"], default="auto")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    fw = pick_framework(args.framework)
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        into = (database(args.database, folder) if args.database
                else nullcontext(f"sqlite:///{folder / 'restored.db'}"))
        with database(args.database, folder) as url, into as target:
            with Store(url) as store:
                fill_database(store, [synthetic_audit(fw, n, rng) for n in range(args.schools)])
            changes = add_changes(url)
            floor, rows = timed(read_everything, url)
            took, summary = timed(backup, url, folder / "backup.sqlite")
            size = (folder / "backup.sqlite").stat().st_size
            back, restored = timed(restore, folder / "backup.sqlite", target)
            assert restored.rows == summary.rows
            print(f"{args.schools} schools, {fw.id} {fw.version}: {summary.describe()}")
            print(f"  {rows:,} rows ({changes:,} changes), backup file {size / 1e6:.1f} MB")
            print(f"  floor, read every row once:  {floor:6.2f} s")
            print(f"  backup:                      {took:6.2f} s  ({took / floor:.1f}x the floor)")
            print(f"  restore into an empty db:    {back:6.2f} s  ({back / floor:.1f}x the floor)")
            if make_url(url).get_backend_name() == "postgresql" and shutil.which("pg_dump"):
                schema = make_url(url).query["options"].split("=")[-1]
                u = make_url(url)
                cmd = ["pg_dump", "-Fc", "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432),
                       "-U", u.username or "postgres", "-n", schema, "-f",
                       str(folder / "dump.pgc"), u.database or "test"]
                dump, _ = timed(subprocess.run, cmd, check=True)
                print(f"  pg_dump -Fc of the schema:   {dump:6.2f} s  (for reference)")


if __name__ == "__main__":
    main()
