"""Time restoring one backup into PostgreSQL with COPY against the inserts it replaced.

    .venv/bin/python benchmarks/bench_restore.py --schools 300 --database postgresql+psycopg://postgres@127.0.0.1:5432/test

Builds N synthetic schools' audits (as bench_backup.py) with five recorded changes an answer,
backs them up once, then restores that backup into fresh throwaway schemas, alternating the
shipped COPY path with the earlier inserts of 2,000 rows, ``--rounds`` times each. Each
schema is created before the clock starts, so only the restore is timed. Prints figures only.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from quality_offer import backup as B
from quality_offer.store import Store
from quality_offer.store.scratch import scratch_schema

sys.path.insert(0, str(Path(__file__).parent))
from bench_backup import add_changes
from bench_compare import fill_database, pick_framework, synthetic_audit


def insert_rows(source: Any, target: Any) -> None:
    """The restore's copy before COPY: inserts of ``_CHUNK`` rows, for comparison."""
    for table in B.TABLES:
        query = select(table).order_by(*table.primary_key.columns)
        result = source.execution_options(yield_per=B._CHUNK).execute(query)
        for chunk in result.partitions():
            target.execute(insert(table), [dict(row._mapping) for row in chunk])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", required=True, help="PostgreSQL SQLAlchemy URL")
    args = parser.parse_args()
    copy_rows = B._copy_rows
    with tempfile.TemporaryDirectory() as tmp:
        source = f"sqlite:///{Path(tmp) / 'source.db'}"
        fw = pick_framework("auto")
        rng = random.Random(2026)
        with Store(source) as store:
            fill_database(store, [synthetic_audit(fw, n, rng) for n in range(args.schools)])
        add_changes(source)
        summary = B.backup(source, Path(tmp) / "backup.sqlite")
        print(f"{args.schools} schools: {summary.describe()}")
        try:
            for n in range(args.rounds):
                for name, fn in (("inserts", insert_rows), ("COPY", copy_rows)):
                    B._copy_rows = fn
                    with scratch_schema(args.database, "qo_bench_restore") as target:
                        Store(target).close()
                        start = time.perf_counter()
                        B.restore(Path(tmp) / "backup.sqlite", target)
                        print(f"  round {n + 1}, {name:7s}: {time.perf_counter() - start:5.2f} s")
        finally:
            B._copy_rows = copy_rows


if __name__ == "__main__":
    main()
