"""How much scrolling, clicking and tabbing the checklist asks of a SENCO, in Chromium.

On a fresh audit of the shipped framework at 1366x768 (a common school laptop), it prints:

* the height in pixels of each criterion card of the Statutory duties section (median, max);
* how many screens (viewport heights) the Statutory duties section takes;
* how many Tab presses, from a freshly loaded page (the menu first), reach the fifth
  criterion's rating;
* per criterion, once the SENCO is working down the section: how far the page scrolls from
  one criterion to the next (pixels and screens), how many Tab presses take focus from one
  duty's rating to the next one's (every duty of the section), and how many clicks rate a
  criterion and record its evidence (each click made and its save seen on the page, so a
  step that needs more fails instead of being counted wrong).

Run it against this checkout, or against another one (an older commit unpacked with
``git archive``) to compare::

    .venv/bin/python benchmarks/measure_checklist.py
    .venv/bin/python benchmarks/measure_checklist.py --root /tmp/older-checkout
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quality_offer import framework as frameworks  # noqa: E402
from quality_offer.audit import applicable  # noqa: E402
from quality_offer.store import Store  # noqa: E402
from tests.browser.helpers import AppServer, launch, prepare, runs, wait_idle  # noqa: E402
from tests.builders import make_audit  # noqa: E402

# Each card's top (from the top of the page, however far it is scrolled) and height.
CARDS_JS = """(cids) => cids.map((cid) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const h = document.getElementById('criterion-' + cid.replaceAll('.', '-'));
  const card = h && (h.closest('[class*="st-key-card-"]')
                     || h.closest('[data-testid="stVerticalBlock"]'));
  if (!card) return null;
  const r = card.getBoundingClientRect();
  return [r.top + main.scrollTop, r.height];
})"""
SECTION_JS = """() => {
  const m = document.querySelector('[data-testid="stMain"]');
  return m.scrollHeight;
}"""
FOCUS_IN_JS = """(label) => {
  const el = document.activeElement;
  const group = el && el.closest('[role="radiogroup"]');
  return !!group && group.getAttribute('aria-label') === label;
}"""


def tab_into(page: object, label: str, limit: int = 400) -> int:
    """Tab presses until focus is in the radio group named ``label``."""
    for tabs in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_IN_JS, label):
            return tabs
    raise RuntimeError(f"{label!r} not reached in {limit} Tab presses")


class Clicks:
    """Mouse clicks, counted; each one that saves is waited for until its save is shown."""

    def __init__(self, page: object) -> None:
        self.page, self.count = page, 0

    def click(self, locator: object, saved: str | None = None) -> None:
        before = runs(self.page)
        locator.click()
        self.count += 1
        wait_idle(self.page, before)
        if saved:
            self.page.locator(".qo-saved", has_text=saved).wait_for(timeout=30_000)


def measure(root: Path, width: int, height: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    fw = frameworks.default()
    audit = make_audit(fw)
    duties = [c.id for c in applicable(fw, audit) if fw.section_of(c.id) == fw.sections[0].id]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
            store.create_audit(audit, "measure")
        server = AppServer(root / "streamlit_app.py", data).start()
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                context = browser.new_context(viewport={"width": width, "height": height})
                prepare(context)
                page = context.new_page()
                page.goto(f"{server.url}/checklist?urn={audit.school.urn}&year=2026-27")
                page.get_by_role("radiogroup", name=f"Rating for {duties[0]}", exact=True).wait_for(
                    timeout=90_000)
                wait_idle(page)
                page.wait_for_timeout(500)
                cards = [c for c in page.evaluate(CARDS_JS, duties) if c]
                screens = page.evaluate(SECTION_JS) / height
                steps = [b[0] - a[0] for a, b in itertools.pairwise(cards)]
                fifth, sixth = duties[4], duties[5]
                page.reload()  # focus at the start of the document, as a keyboard user finds it
                page.get_by_role("radiogroup", name=f"Rating for {fifth}", exact=True).wait_for(
                    timeout=90_000)
                wait_idle(page)
                # Each duty's rating in turn: from the top to the first, then one to the next.
                presses = [tab_into(page, f"Rating for {cid}") for cid in duties]

                # The sixth criterion by mouse: rate it, then record its evidence.
                clicks = Clicks(page)
                group = page.get_by_role("radiogroup", name=f"Rating for {sixth}", exact=True)
                clicks.click(group.locator("label").first, f"Rating for {sixth} saved")
                to_rate = clicks.count
                clicks.click(page.get_by_text(f"Details, evidence and action for {sixth}",
                                              exact=True))
                box = page.get_by_label(f"Evidence for {sixth}", exact=False)
                clicks.click(box)
                page.keyboard.type("SEN policy, section 3")
                clicks.click(page.locator(f"#criterion-{sixth.replace('.', '-')}"),
                             f"Evidence for {sixth} saved")  # a text box saves as it is left
                browser.close()
        finally:
            server.stop()
    return {"cards": len(cards), "card_median_px": statistics.median(c[1] for c in cards),
            "card_max_px": max(c[1] for c in cards), "duties_screens": screens,
            "tabs_to_fifth": sum(presses[:5]), "step_median_px": statistics.median(steps),
            "tabs_per_criterion": presses[1:], "clicks_to_rate": to_rate,
            "clicks_to_rate_and_evidence": clicks.count}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose streamlit_app.py to run (default: this one)")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args()
    before = load()
    r = measure(args.root.resolve(), args.width, args.height)
    print(f"checklist at {args.width}x{args.height}, {args.root}:")
    print(f"  Statutory duties cards: {r['cards']}, median {r['card_median_px']:.0f} px, "
          f"tallest {r['card_max_px']:.0f} px")
    print(f"  Statutory duties page: {r['duties_screens']:.1f} screens")
    print(f"  Tab presses from the top to the fifth criterion's rating: {r['tabs_to_fifth']}")
    print("  Per criterion, working down the section:")
    print(f"    scroll to the next criterion: {r['step_median_px']:.0f} px (median), "
          f"{r['step_median_px'] / args.height:.2f} screens; "
          f"{args.height / r['step_median_px']:.1f} criteria a screen")
    per = r["tabs_per_criterion"]
    print(f"    Tab presses from one criterion's rating to the next one's: median "
          f"{statistics.median(per):g}, mean {statistics.mean(per):.1f}, {min(per)} to "
          f"{max(per)} (more where \"not applicable\" may be chosen)")
    print(f"    clicks to rate: {r['clicks_to_rate']}; to rate and record evidence: "
          f"{r['clicks_to_rate_and_evidence']}")
    print(f"  load average {before} before, {load()} after")

if __name__ == "__main__":
    main()
