"""Time the store's main jobs: one save (a rating click) and an LA-wide read of 1,000 schools.

    .venv/bin/python benchmarks/bench_store.py                 # SQLite file in a temp folder
    .venv/bin/python benchmarks/bench_store.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test

Prints figures only; the floors they are judged against are in shared/DESIGN.md (a click's
server rerun well under 100 ms; a comparison of 1,000 schools in under a second). On
PostgreSQL the benchmark works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from quality_offer.audit import Audit, Evidence, FrameworkRef, Response, School
from quality_offer.store import Store
from quality_offer.store.db import AuditRow, ResponseRow
from quality_offer.store.scratch import scratch_schema

CRITERIA = [f"C{i:02d}" for i in range(1, 46)]
LEVELS = ["not-in-place", "emerging", "established", "exemplary"]
YEAR = "2026/27"


def audit_for(n: int) -> Audit:
    """School ``n`` with an answer, some evidence and a varied rating for all 45 criteria."""
    return Audit(
        framework=FrameworkRef(id="bench", version="1.0.0"),
        school=School(urn=f"{100000 + n}", name=f"School {n:04d}", la_code="919",
                      phase="primary" if n % 3 else "secondary", type="maintained",
                      area=f"DSPL {n % 9 + 1}"),
        academic_year=YEAR,
        responses={cid: Response(rating=LEVELS[(n + i) % 4],
                                 evidence=Evidence(text=f"Evidence {n}/{cid}",
                                                   kind="document"))
                   for i, cid in enumerate(CRITERIA)},
    )


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """The URL to benchmark on: a fresh SQLite file, or a throwaway PostgreSQL schema."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    with scratch_schema(url, "qo_bench") as scoped:
        yield scoped


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """The best of ``repeat`` runs in milliseconds, and the result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--schools", type=int, default=1000)
    args = parser.parse_args()

    with database(args.database) as url:
        start = time.perf_counter()
        store = Store(url)
        print(f"backend: {store.dialect}")
        print(f"open (with migration check): {(time.perf_counter() - start) * 1000:.1f} ms")

        store.create_audit(audit_for(0), user="bench")
        urn = audit_for(0).school.urn
        version = store.response_version(urn, YEAR, "C01")
        times = []
        for i in range(args.saves):
            response = Response(rating=LEVELS[i % 4],
                                evidence=Evidence(text=f"Evidence, edit {i}", kind="data"))
            start = time.perf_counter()
            version = store.save_response(urn, YEAR, "C01", response, "bench", version)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"save_response x{args.saves}: median {statistics.median(times):.2f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1]:.2f} ms, max {times[-1]:.2f} ms")

        start = time.perf_counter()
        for n in range(1, args.schools):
            store.create_audit(audit_for(n), user="bench")
        print(f"create {args.schools - 1} audits x {len(CRITERIA)} answers: "
              f"{time.perf_counter() - start:.1f} s")

        ms, summaries = timed(store.list_audits)
        print(f"list_audits ({len(summaries)} audits): {ms:.1f} ms")
        ms, _ = timed(lambda: store.get_audit(urn, YEAR), repeat=20)
        print(f"get_audit (one school, {len(CRITERIA)} answers): {ms:.2f} ms")

        grid = (select(AuditRow.urn, ResponseRow.criterion_id, ResponseRow.rating)
                .join(AuditRow, AuditRow.id == ResponseRow.audit_id)
                .where(AuditRow.academic_year == YEAR, AuditRow.framework_id == "bench"))
        counts = (select(ResponseRow.criterion_id, ResponseRow.rating, func.count())
                  .join(AuditRow, AuditRow.id == ResponseRow.audit_id)
                  .where(AuditRow.academic_year == YEAR)
                  .group_by(ResponseRow.criterion_id, ResponseRow.rating))
        with store.engine.connect() as conn:
            ms, rows = timed(lambda: conn.execute(grid).all())
            print(f"comparison grid in SQL ({len(rows):,} school x criterion ratings): "
                  f"{ms:.1f} ms")
            ms, rows = timed(lambda: conn.execute(counts).all())
            print(f"ratings per criterion in SQL ({len(rows)} groups): {ms:.1f} ms")
        ms, audits = timed(lambda: store.get_audits(academic_year=YEAR), repeat=3)
        print(f"get_audits ({len(audits)} full audits as pydantic models): {ms:.0f} ms")
        store.close()
    print("load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} CPUs; peak memory (max RSS) "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
