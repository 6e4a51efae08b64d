"""How quick a rating click on the checklist is, against the floors in DESIGN.md.

(a) Server side: Streamlit's AppTest drives the checklist and times the rerun after each
    rating click (median of N). AppTest always reruns the whole page, so this is an upper
    bound: in a browser the click reruns only the criterion's fragment. Goal: well under
    100 ms.
(b) In Chromium: click-to-idle for a rating click on the real checklist, and for one click on
    a bare Streamlit app with a single radio, started the same way and measured in the same
    run. Goal: the checklist within 1.5x the bare app (median of 30 clicks, load average
    printed beside it: on a loaded machine both slow down, not alike).

    The clicks cycle through every level; then the same is printed for clicks that keep the
    answer a gap (c: only the card's fragment reruns) and for clicks that change whether it
    is a gap (d: the task list's fragment reruns with the card's, as its counts change).

In the same run, the app server times each of its script runs (a small hook loaded by
PYTHONPATH into the server process only); the fragment reruns the clicks caused are printed
apart. Goal: under 30 ms.

Run from the project folder:

    .venv/bin/python benchmarks/bench_app.py            # both, 30 clicks each
    .venv/bin/python benchmarks/bench_app.py --clicks 50 --skip-browser

It uses the shipped framework when it validates (else the tests' mini framework) and temporary
databases only; nothing in ./data is touched. No assertion: it prints the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quality_offer import framework as frameworks  # noqa: E402
from quality_offer.audit import Audit, FrameworkRef, School, applicable  # noqa: E402
from quality_offer.errors import InputError  # noqa: E402
from quality_offer.store import Store  # noqa: E402

URN, YEAR = "123456", "2026/27"
BARE_APP = '''import streamlit as st
st.radio("Rating", ["Not met", "Partly met", "Met"], index=None, key="r")
'''


def pick_framework() -> tuple[frameworks.Framework, Path | None]:
    """The shipped framework if it validates, else the mini one (and its criteria folder)."""
    try:
        return frameworks.default(), None
    except (InputError, KeyError, IndexError):
        folder = ROOT / "tests" / "fixtures" / "frameworks"
        return frameworks.load(folder / "mini"), folder


def seed(url: str, fw: frameworks.Framework) -> list[str]:
    """An empty audit of ``fw``; returns the first section's criterion ids."""
    audit = Audit(framework=FrameworkRef(id=fw.id, version=fw.version),
                  school=School(urn=URN, name="Benchmark Primary School", phase="primary",
                                type="maintained"), academic_year=YEAR)
    with Store(url) as store:
        store.create_audit(audit, "benchmark")
    first = fw.sections[0].id
    return [c.id for c in applicable(fw, audit) if fw.section_of(c.id) == first]


def summary(times_ms: list[float]) -> str:
    times = sorted(times_ms)
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    return (f"median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   "
            f"min {times[0]:6.1f} ms   (n={len(times)})")


def bench_server(fw: frameworks.Framework, clicks: int) -> list[float]:
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["QUALITY_OFFER_DATABASE_URL"] = url
        frameworks.shipped.cache_clear()
        original = frameworks.shipped
        frameworks.shipped = lambda: {(fw.id, fw.version): fw}  # type: ignore[assignment]
        try:
            cids = seed(url, fw)
            at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
            at.run()
            at._page_hash = calc_hash("checklist")
            at.run()
            at._page_hash = ""
            times = []
            for i in range(clicks + 3):
                cid = cids[i % len(cids)]
                levels = fw.scale_of(fw.criterion(cid)).level_ids
                radio = at.radio(key=f"rating::{cid}")
                radio.set_value(levels[(i // len(cids)) % len(levels)])
                start = time.perf_counter()
                at.run()
                elapsed = (time.perf_counter() - start) * 1000
                if at.exception:
                    raise RuntimeError(at.exception[0].message)
                if i >= 3:  # the first clicks warm caches and the SQLite file
                    times.append(elapsed)
            with Store(url) as store:
                saved = store.get_audit(URN, YEAR)
            assert saved is not None and saved.responses, "the clicks were not saved"
            return times
        finally:
            frameworks.shipped = original  # type: ignore[assignment]
            os.environ.pop("QUALITY_OFFER_DATABASE_URL", None)


# Loaded into the app server (by PYTHONPATH) to time each script run on the server: full
# reruns and fragment reruns apart, one line each in the file QO_BENCH_RUN_LOG names.
RUN_TIMER = '''
import os, time
from streamlit.runtime.scriptrunner import script_runner

_run = script_runner.ScriptRunner._run_script


def _timed(self, rerun_data):
    start = time.perf_counter()
    try:
        return _run(self, rerun_data)
    finally:
        kind = "fragment" if rerun_data.fragment_id_queue else "full"
        with open(os.environ["QO_BENCH_RUN_LOG"], "a") as log:
            log.write(f"{kind} {(time.perf_counter() - start) * 1000:.2f}\\n")


script_runner.ScriptRunner._run_script = _timed
'''


def server_runs(log: Path) -> dict[str, list[float]]:
    runs: dict[str, list[float]] = {"full": [], "fragment": []}
    if log.is_file():
        for line in log.read_text().splitlines():
            kind, ms = line.split()
            runs[kind].append(float(ms))
    return runs


CLICK_JS = """([group, label]) => {
  const g = document.querySelector(`[role="radiogroup"][aria-label="${group}"]`);
  const target = [...g.querySelectorAll('label')].find(l => l.innerText.trim().startsWith(label));
  const before = window.__qoRuns;
  const t0 = performance.now();
  target.click();
  return [t0, before];
}"""


WAIT_RUN_JS = "(n) => window.__qoRuns > n"


def click_to_idle(page, group: str, labels: list[str], clicks: int) -> list[float]:
    """Click through the options; the time from each click to the end of its script run.

    A run whose start and end fell in one browser frame leaves no trace in the DOM; such a
    click is not timed (and would only have been fast), and the number skipped is printed.
    """
    from tests.browser.helpers import IDLE_JS

    times, missed = [], 0
    for i in range(clicks + 3):
        t0, before = page.evaluate(CLICK_JS, [group, labels[i % len(labels)]])
        try:
            page.wait_for_function(WAIT_RUN_JS, arg=before, timeout=5_000)
        except Exception:
            missed += 1
            page.wait_for_function(IDLE_JS)
            continue
        page.wait_for_function(IDLE_JS)
        done = page.evaluate(f"() => window.__qoDone[{before}]")
        if i >= 3:
            times.append(done - t0)
    if missed:
        print(f"    ({missed} click(s) on '{group}' finished too quickly to time)")
    return times


def bench_browser(fw: frameworks.Framework, criteria: Path | None, clicks: int
                  ) -> tuple[list[float], ...]:
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import AppServer, chromium_missing, launch, prepare, wait_idle

    why = chromium_missing()
    if why:
        raise SystemExit(f"(b) skipped: {why}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        data.mkdir()
        cids = seed(f"sqlite:///{(data / 'quality-offer.db').resolve()}", fw)
        bare_script = tmp_path / "bare_app.py"
        bare_script.write_text(BARE_APP)
        hook = tmp_path / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(RUN_TIMER)
        run_log = tmp_path / "runs.log"
        saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "QO_BENCH_RUN_LOG")}
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(hook), saved["PYTHONPATH"]) if p)
        os.environ["QO_BENCH_RUN_LOG"] = str(run_log)
        try:
            app = AppServer(ROOT / "streamlit_app.py", data, criteria=criteria).start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        bare = AppServer(bare_script, tmp_path / "bare").start()
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                prepare(context)
                page = context.new_page()
                page.goto(bare.url)
                page.get_by_role("radiogroup", name="Rating", exact=True).wait_for(timeout=180_000)
                wait_idle(page)
                bare_times = click_to_idle(page, "Rating", ["Not met", "Partly met", "Met"],
                                           clicks)
                page.goto(f"{app.url}/checklist")
                runs_before = len(server_runs(run_log)["fragment"])
                group = f"Rating for {cids[0]}"
                page.get_by_role("radiogroup", name=group, exact=True).wait_for(timeout=180_000)
                wait_idle(page)
                scale = fw.scale_of(fw.criterion(cids[0]))
                labels = [lv.label for lv in scale.levels]
                app_times = click_to_idle(page, group, labels, clicks)
                fragment = server_runs(run_log)["fragment"][runs_before:][3:]
                # The same clicks between two levels below expected: the answer stays a gap,
                # so the task list's counts do not change and only the fragment reruns.
                below = [lv.label for lv in scale.levels
                         if scale.level_ids.index(lv.id)
                         < scale.level_ids.index(scale.expected.id)][:2]
                runs_before = len(server_runs(run_log)["fragment"])
                same_times = click_to_idle(page, group, below, clicks) if len(below) == 2 else []
                same_fragment = server_runs(run_log)["fragment"][runs_before:][3:]
                # Between the level below expected and the expected one: every click changes
                # whether the answer is a gap, so the task list's counts change each time.
                across = [scale.level(lid).label for lid in (
                    scale.level_ids[scale.level_ids.index(scale.expected.id) - 1],
                    scale.expected.id)]
                runs_before = len(server_runs(run_log)["fragment"])
                gap_times = click_to_idle(page, group, across, clicks)
                gap_fragment = server_runs(run_log)["fragment"][runs_before:][3:]
                browser.close()
        finally:
            app.stop()
            bare.stop()
        return (app_times, bare_times, fragment, same_times, same_fragment, gap_times,
                gap_fragment)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    fw, criteria = pick_framework()
    first = fw.sections[0]
    print(f"Framework: {fw.title} {fw.version} ({len(fw.active)} criteria; first section "
          f"'{first.title}' has {len(fw.in_section(first.id))}). CPUs: {os.cpu_count()}.")
    server = bench_server(fw, args.clicks)
    print(f"(a) server rerun after a rating click (AppTest, whole page): {summary(server)}")
    print(f"    load average {_load()}; peak memory of this process (max RSS) "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("    goal: well under 100 ms")
    if args.skip_browser:
        return
    (app_times, bare_times, fragment, same_times, same_fragment, gap_times,
     gap_fragment) = bench_browser(fw, criteria, args.clicks)
    print(f"(b) Chromium click-to-idle, checklist rating: {summary(app_times)}")
    print("    (cycling every level: two clicks in three change whether the answer is a gap,")
    print("    which reruns the task list's fragment with the card's)")
    print(f"    Chromium click-to-idle, bare one-radio app: {summary(bare_times)}")
    if fragment:
        print(f"    server's rerun of the clicked fragment (timed in the app server): "
              f"{summary(fragment)}   (goal: under 30 ms)")
    else:
        print("    server's rerun of the clicked fragment: no fragment rerun was seen")
    ratio = statistics.median(app_times) / statistics.median(bare_times)
    print(f"    ratio of medians: {ratio:.2f}x   (goal: at most 1.5x); load average {_load()}")
    if same_times:
        print(f"(c) the same, clicks that keep the answer a gap (fragment only): "
              f"{summary(same_times)}")
        if same_fragment:
            print(f"    server's rerun of the clicked fragment: {summary(same_fragment)}")
        ratio = statistics.median(same_times) / statistics.median(bare_times)
        print(f"    ratio of medians to the bare app: {ratio:.2f}x; load average {_load()}")
    print(f"(d) the same, clicks that change whether the answer is a gap (task list and card): "
          f"{summary(gap_times)}")
    if gap_fragment:
        print(f"    server's rerun of the two fragments: {summary(gap_fragment)}")
    ratio = statistics.median(gap_times) / statistics.median(bare_times)
    print(f"    ratio of medians to the bare app: {ratio:.2f}x; load average {_load()}")
    print(f"    peak memory of the app servers and the browser (max RSS of the largest "
          f"child): {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
