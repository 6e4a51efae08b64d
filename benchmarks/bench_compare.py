"""Time the local authority's comparison: a folder of audit files, and the database.

    .venv/bin/python benchmarks/bench_compare.py              # 1,000 schools, shipped framework
    .venv/bin/python benchmarks/bench_compare.py --schools 300 --framework mini
    .venv/bin/python benchmarks/bench_compare.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test

Two figures are judged against floors (shared/DESIGN.md, ):

- loading N audit files must take within about 2x the time that only parsing the same YAML
  with PyYAML's C loader takes, measured here in the same run on the same files (the floor);
- the comparison of 1,000 schools computed from the database in under a second;
- the comparison workbook (``to_xlsx``) within 1.5x of XlsxWriter alone writing the same
  cells in constant-memory mode, and the whole ``quality-offer compare FOLDER --xlsx OUT``
  within 3x of parsing the files, with its peak memory (max RSS) under 300 MB.

The audits are synthetic but shaped like real ones: every applicable criterion answered,
evidence on most, actions on gaps, a few "not applicable" and a few moderated. Both the
files and the database hold the same audits, and the two comparisons are checked to agree.
Prints figures only; no assertion on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.audit import Audit
from quality_offer.compare import from_store, load_folder
from quality_offer.compare.loading import PARALLEL_MIN_FILES
from quality_offer.framework import Framework
from quality_offer.store import Store
from quality_offer.store.db import AuditRow, ResponseRow, SchoolRow
from quality_offer.store.rows import response_columns
from quality_offer.store.scratch import scratch_schema

try:
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    sys.exit("PyYAML without libyaml: the floor would not be the C parser")

ROOT = Path(__file__).resolve().parent.parent
YEAR = "2026/27"
KINDS = [("primary", "maintained"), ("primary", "academy"), ("secondary", "academy"),
         ("secondary", "maintained"), ("special", "maintained"), ("all-through", "free-school"),
         ("16-plus", "16-19-academy"), ("nursery", "maintained")]
EVIDENCE = ["SEN policy and SEN information report on the website, reviewed by governors",
            "Provision map for the autumn term; pupil progress meeting notes",
            "Learning walk records with a SEN focus; pupil voice survey summary",
            "Minutes of the parent forum and annual review paperwork"]


def pick_framework(name: str) -> Framework:
    if name == "mini":
        return frameworks.load(ROOT / "tests" / "fixtures" / "frameworks" / "mini")
    try:
        return frameworks.default()
    except Exception as exc:  # the shipped criteria may be mid-edit
        if name == "shipped":
            raise
        print(f"(shipped framework not valid: {str(exc).splitlines()[0]}; using mini)")
        return frameworks.load(ROOT / "tests" / "fixtures" / "frameworks" / "mini")


def synthetic_audit(fw: Framework, n: int, rng: random.Random) -> Audit:
    """School ``n``: every applicable criterion answered, most with evidence."""
    phase, school_type = KINDS[n % len(KINDS)]
    responses: dict[str, Any] = {}
    crits = [c for c in fw.active if c.applies_to.includes(phase, school_type)]
    for i, crit in enumerate(crits):
        levels = fw.scale_of(crit).level_ids
        resp: dict[str, Any] = {}
        if crit.na_allowed and rng.random() < 0.04:
            resp["not_applicable_reason"] = "No pupils in this group this year."
        else:
            weights = [1, 2, 4, 2][:len(levels)] if len(levels) == 4 else [1, 2, 5]
            rating = rng.choices(levels, weights)[0]
            resp["rating"] = rating
            resp["evidence"] = {"text": EVIDENCE[(n + i) % 4], "location": "SEN shared drive",
                                "kind": "document"}
            if not fw.scale_of(crit).level(rating).meets_expectation:
                resp["action"] = {"what": "Training for all staff, then a learning walk to "
                                          "check it is in place", "owner": "SENCO",
                                  "due": "2027-03-31"}
            if rng.random() < 0.02:
                resp["moderated_rating"] = rng.choice(levels)
                resp["moderation_note"] = "Moderated at the autumn visit."
        responses[crit.id] = resp
    return Audit.model_validate({
        "framework": {"id": fw.id, "version": fw.version},
        "school": {"urn": f"{100000 + n}", "name": f"School {n:04d}", "la_code": "919",
                   "phase": phase, "type": school_type, "area": f"DSPL {n % 9 + 1}"},
        "academic_year": YEAR, "status": "submitted", "responses": responses,
    })


def write_files(audits: list[Audit], folder: Path) -> list[Path]:
    paths = []
    for a in audits:
        path = folder / f"{a.school.urn}.yaml"
        path.write_text(yaml.dump(auditfile.to_data(a), Dumper=Dumper, sort_keys=False,
                                  allow_unicode=True, width=100), encoding="utf-8")
        paths.append(path)
    return paths


def fill_database(store: Store, audits: list[Audit]) -> None:
    """Bulk insert through the store's own tables (the store's API saves one at a time)."""
    now = dt.datetime.now(dt.UTC)
    schools, heads, rows = [], [], []
    for i, a in enumerate(audits, 1):
        schools.append(a.school.model_dump())
        heads.append({"id": i, "urn": a.school.urn, "academic_year": a.academic_year,
                      "framework_id": a.framework.id, "framework_version": a.framework.version,
                      "status": a.status, "completed_by": None, "carried_forward_from": None,
                      "sign_offs": [], "created_at": now, "updated_at": now, "version": 1})
        for pos, (cid, r) in enumerate(a.responses.items()):
            rows.append({"audit_id": i, "criterion_id": cid, "position": pos,
                         **response_columns(r), "version": 1,
                         "updated_at": now, "updated_by": "bench"})
    with store.engine.begin() as conn:
        conn.execute(insert(SchoolRow), schools)
        conn.execute(insert(AuditRow), heads)
        conn.execute(insert(ResponseRow), rows)


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """A fresh SQLite file, or a throwaway schema of the given PostgreSQL database."""
    if url is None or not url.startswith("postgresql"):
        yield url or f"sqlite:///{folder / 'bench.db'}"
        return
    with scratch_schema(url, "qo_bench") as scoped:
        yield scoped


def parse_only(paths: list[Path]) -> None:
    """The floor: read each file and parse it with libyaml, nothing else."""
    for p in paths:
        yaml.load(p.read_bytes(), Loader=Loader)


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--framework", choices=["shipped", "mini", "auto"], default="auto")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; best is kept")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--no-database", action="store_true",
                        help="files and workbook only, no database figures")
    args = parser.parse_args()

    fw = pick_framework(args.framework)
    rng = random.Random(args.seed)
    print(f"framework: {fw.id} {fw.version} ({len(fw.active)} criteria); "
          f"{args.schools} schools; Python {sys.version.split()[0]}; load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "audits"
        folder.mkdir()
        start = time.perf_counter()
        audits = [synthetic_audit(fw, n, rng) for n in range(args.schools)]
        paths = write_files(audits, folder)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} files, {size / len(paths) / 1024:.1f} KiB each, "
              f"in {time.perf_counter() - start:.1f} s")

        parse_only(paths)  # warm the page cache for every contender
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        contenders: dict[str, Callable[[], Any]] = {
            "floor": lambda: parse_only(paths),
            "load": lambda: load_folder([folder], frameworks=[fw]),
        }
        if cpus > 1 and len(paths) >= PARALLEL_MIN_FILES:
            contenders["parallel"] = lambda: load_folder([folder], frameworks=[fw],
                                                         workers=cpus)
        # Interleaved, best of each: on a shared machine the load changes from one second
        # to the next, and a ratio of figures taken minutes apart would measure that.
        best: dict[str, float] = dict.fromkeys(contenders, float("inf"))
        comp: Any = None
        for _ in range(args.repeat):
            for key, fn in contenders.items():
                seconds, out = best_of(1, fn)
                best[key] = min(best[key], seconds)
                comp = out if key == "load" else comp
        floor, load = best["floor"], best["load"]
        print(f"parse only (floor, yaml CSafeLoader): {floor:.2f} s "
              f"({floor / len(paths) * 1000:.2f} ms a file)")
        print(f"load_folder (read, check, analyse, compare): {load:.2f} s "
              f"({load / len(paths) * 1000:.2f} ms a file); {len(comp.results)} loaded, "
              f"{len(comp.skipped)} skipped")
        print(f"ratio load / floor: {load / floor:.2f}x (target: within 2x)")
        if "parallel" in best:
            par = best["parallel"]
            print(f"load_folder(workers={cpus}), opt-in process pool: {par:.2f} s; "
                  f"ratio {par / floor:.2f}x")

        gc.collect()
        tracemalloc.start()
        kept = load_folder([folder], frameworks=[fw])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python memory while loading (tracemalloc, untimed run): "
              f"{peak / 2**20:.1f} MiB; process max RSS so far: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        del kept

        xlsx_figures(folder, paths, comp, args.repeat)
        if args.no_database:
            return

        with database(args.database, Path(tmp)) as url:
            store = Store(url)
            try:
                db_figures(store, audits, comp, fw, args.repeat)
            finally:
                store.close()


def workbook_cells(comp: Any) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's cells as the comparison workbook holds them (texts already safe)."""
    from quality_offer.compare import tables

    guard = tables.cell_guard()
    sheets = [("About", [["Framework", comp.framework.title]])]
    for title, rows_of in [("Sections", tables.section_rows), ("Common gaps", tables.gap_rows),
                           ("Duties not met", tables.duty_rows),
                           ("Distribution", tables.distribution_rows),
                           ("Responses", tables.response_rows),
                           ("Skipped files", tables.skipped_rows)]:
        head, rows = rows_of(comp)
        sheets.append((title, [[guard(v) for v in row] for row in [head, *rows]]))
    return sheets


def xlsxwriter_floor(sheets: list[tuple[str, list[list[Any]]]], constant_memory: bool = True
                     ) -> bytes:
    """The floor: XlsxWriter alone, constant-memory mode, writing the same cells, no styles.

    ``constant_memory=False``: the same with XlsxWriter's shared-string table, the way
    ``to_xlsx`` writes, so its own cost beyond XlsxWriter's shows apart from the mode's."""
    import io

    import xlsxwriter

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        book = xlsxwriter.Workbook(buf, {"constant_memory": constant_memory, "in_memory": False,
                                         "tmpdir": tmp})
        for title, rows in sheets:
            ws = book.add_worksheet(title)
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    if isinstance(v, str):
                        if v:
                            ws.write_string(r, c, v)
                    elif v is not None:
                        ws.write_number(r, c, v)
        book.close()
    return buf.getvalue()


#: Runs a command and prints its seconds, exit status and max RSS. A child started straight
#: from this benchmark would report the benchmark's own RSS as its peak (Linux keeps the
#: larger of the old and new memory at exec, and the benchmark holds 1,000 audits), so the
#: command is started from this small Python instead.
_LAUNCHER = """import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _run_cli(args: list[str]) -> tuple[float, float]:
    """Seconds and peak memory (max RSS, MiB) of one ``quality-offer`` run."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", _LAUNCHER, sys.executable, "-m",
                          "quality_offer.cli", *args], capture_output=True, text=True,
                         check=True).stdout.split()
    seconds, code, rss = float(out[0]), int(out[1]), int(out[2])
    if code != 0:
        raise SystemExit(f"quality-offer {' '.join(args)} failed ({code})")
    return seconds, rss / 1024


def xlsx_figures(folder: Path, paths: list[Path], comp: Any, repeat: int) -> None:
    """The comparison workbook against XlsxWriter alone, and the whole command."""
    from quality_offer.compare.tables import to_xlsx

    sheets = workbook_cells(comp)
    cells = sum(len(r) for _, rows in sheets for r in rows)
    best: dict[str, float] = {"floor": float("inf"), "shared": float("inf"),
                              "to_xlsx": float("inf"),
                              "parse": float("inf"), "json": float("inf"),
                              "xlsx": float("inf")}
    rss: dict[str, float] = {}
    out = folder.parent / "cmp.xlsx"
    for _ in range(repeat):
        best["floor"] = min(best["floor"], best_of(1, lambda: xlsxwriter_floor(sheets))[0])
        best["shared"] = min(best["shared"],
                             best_of(1, lambda: xlsxwriter_floor(sheets, False))[0])
        best["to_xlsx"] = min(best["to_xlsx"], best_of(1, lambda: to_xlsx(comp))[0])
        best["parse"] = min(best["parse"], best_of(1, lambda: parse_only(paths))[0])
        seconds, rss["json"] = _run_cli(["compare", str(folder), "--format", "json"])
        best["json"] = min(best["json"], seconds)
        seconds, rss["xlsx"] = _run_cli(["compare", str(folder), "--xlsx", str(out)])
        best["xlsx"] = min(best["xlsx"], seconds)
    print(f"load average {_load()}")
    print(f"XlsxWriter alone, constant memory, the same {cells:,} cells (floor): "
          f"{best['floor']:.2f} s")
    print(f"XlsxWriter alone, shared strings (to_xlsx's mode), the same cells: "
          f"{best['shared']:.2f} s")
    print(f"to_xlsx (rows, neutralising, styles, writing): {best['to_xlsx']:.2f} s; "
          f"ratio {best['to_xlsx'] / best['floor']:.2f}x (goal: within 1.5x); "
          f"{best['to_xlsx'] / best['shared']:.2f}x XlsxWriter alone in the same mode")
    print(f"quality-offer compare FOLDER --format json: {best['json']:.2f} s, "
          f"peak memory {rss['json']:.0f} MiB")
    print(f"quality-offer compare FOLDER --xlsx OUT: {best['xlsx']:.2f} s, "
          f"peak memory {rss['xlsx']:.0f} MiB (goal: under 300 MB); ratio to parsing the "
          f"files ({best['parse']:.2f} s): {best['xlsx'] / best['parse']:.2f}x (goal: within 3x)")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def db_figures(store: Store, audits: list[Audit], comp: Any, fw: Framework,
               repeat: int) -> None:
    """The comparison from the database, cold and with the dashboard's cache."""
    start = time.perf_counter()
    fill_database(store, audits)
    print(f"database filled (bulk insert, {store.dialect}): {time.perf_counter() - start:.1f} s")
    db_time, db_comp = best_of(repeat, lambda: from_store(store, frameworks=[fw]))
    print(f"from_store, {len(db_comp.results)} schools x {len(fw.active)} criteria: "
          f"{db_time * 1000:.0f} ms (target: under 1,000 ms)")
    cache: dict = {}
    from_store(store, frameworks=[fw], cache=cache)
    warm, _ = best_of(repeat, lambda: from_store(store, frameworks=[fw], cache=cache))
    print(f"from_store again with the caller's cache (a dashboard rerun): {warm * 1000:.0f} ms")
    views, _ = best_of(repeat, lambda: (db_comp.common_gaps(), db_comp.distribution(),
                                        db_comp.duties_not_met(), db_comp.heatmap()))
    print(f"views (common gaps, distribution, duties, heatmap): {views * 1000:.0f} ms")
    same = ({r.urn: r.shares for r in comp.results}
            == {r.urn: r.shares for r in db_comp.results}
            and [g.to_json() for g in comp.common_gaps()]
            == [g.to_json() for g in db_comp.common_gaps()])
    print(f"files and database give the same comparison: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
