"""Time every school's PDF from the database: the background job against the old in-page way.

    .venv/bin/python benchmarks/bench_report_jobs.py                    # 40 schools, 2 cores
    .venv/bin/python benchmarks/bench_report_jobs.py --schools 1000 --processes 2

Compare's "every school's PDF report" used to render each audit in the page's own run, one
after another, with the page waiting; it is now a job (:mod:`quality_offer.jobs`) that runs
in a thread and renders on worker processes. This script stores ``--schools`` typical audits
(those of ``bench_reports.py``) in a scratch SQLite database and makes the zip both ways:

- in-page: what the page did before (read, analyse, render, zip, one audit at a time);
- job: ``Registry.start`` (how long the page is held: the time to return) and the time
  until the zip is ready.

Prints figures and the load average; no assertion.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
import zipfile
from pathlib import Path

from bench_reports import build_audit

from quality_offer import framework as frameworks
from quality_offer.gaps import analyse
from quality_offer.jobs import Item, Registry, selection_key
from quality_offer.reports.pdf import render_pdf
from quality_offer.store import Store


def in_page(store: Store, items: list[Item]) -> int:
    """The old page's way, kept here as the baseline: one audit after another."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in items:
            audit = store.get_audit(item.urn, item.year)
            fw = frameworks.get(audit.framework.id, audit.framework.version)
            zf.writestr(item.file_name, render_pdf(analyse(fw, audit)))
    return len(buf.getvalue())


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=40)
    parser.add_argument("--processes", type=int, default=2, help="the job's worker processes")
    parser.add_argument("--skip-in-page", action="store_true", help="time the job only")
    args = parser.parse_args()
    fw = frameworks.default()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        items = []
        for n in range(args.schools):
            audit = build_audit(fw, n)
            store.create_audit(audit, "bench")
            items.append(Item(audit.school.urn, audit.academic_year, audit.school.name))
        print(f"{args.schools} schools, framework {fw.id} {fw.version}; load {_load()}")
        if not args.skip_in_page:
            start = time.perf_counter()
            size = in_page(store, items)
            took = time.perf_counter() - start
            print(f"in-page, one at a time: {took:.1f} s ({took / len(items) * 1000:.0f} ms a "
                  f"school, page held throughout); zip {size / 1e6:.1f} MB; load {_load()}")
        reg = Registry(Path(tmp) / "jobs")
        start = time.perf_counter()
        job = reg.start(("bench", "bench"), selection_key(items), items, store.get_audit,
                        workers=args.processes)
        held = time.perf_counter() - start
        job.wait()
        took = time.perf_counter() - start
        s = job.status()
        print(f"job, {args.processes} processes: start returned in {held * 1000:.0f} ms; "
              f"zip ready in {took:.1f} s ({took / len(items) * 1000:.0f} ms a school); "
              f"{s.made} PDFs, {len(s.failures)} left out; zip "
              f"{job.zip_path.stat().st_size / 1e6:.1f} MB; load {_load()}")
        store.close()


if __name__ == "__main__":
    main()
