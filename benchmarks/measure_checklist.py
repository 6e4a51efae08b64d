"""How much scrolling and tabbing the checklist asks of a SENCO, measured in Chromium.

On a fresh audit of the shipped framework at 1366x768 (a common school laptop), it prints:

* the height in pixels of each criterion card of the Statutory duties section (median, max);
* how many screens (viewport heights) the Statutory duties section takes;
* how many Tab presses, from a freshly loaded page (the menu first), reach the fifth
  criterion's rating.

Run it against this checkout, or against another one (an older commit unpacked with
``git archive``) to compare::

    .venv/bin/python benchmarks/measure_checklist.py
    .venv/bin/python benchmarks/measure_checklist.py --root /tmp/older-checkout
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quality_offer import framework as frameworks  # noqa: E402
from quality_offer.audit import applicable  # noqa: E402
from quality_offer.store import Store  # noqa: E402
from tests.browser.helpers import AppServer, launch, prepare, wait_idle  # noqa: E402
from tests.conftest import make_audit  # noqa: E402

CARDS_JS = """(cids) => cids.map((cid) => {
  const h = document.getElementById('criterion-' + cid.replaceAll('.', '-'));
  const card = h && (h.closest('[class*="st-key-card-"]')
                     || h.closest('[data-testid="stVerticalBlock"]'));
  return card ? card.getBoundingClientRect().height : null;
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


def measure(root: Path, width: int, height: int) -> dict[str, float]:
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
                cards = [h for h in page.evaluate(CARDS_JS, duties) if h]
                screens = page.evaluate(SECTION_JS) / height
                target = f"Rating for {duties[4]}"
                page.reload()  # focus at the start of the document, as a keyboard user finds it
                page.get_by_role("radiogroup", name=target, exact=True).wait_for(timeout=90_000)
                wait_idle(page)
                tabs = 0
                while tabs < 400:
                    page.keyboard.press("Tab")
                    tabs += 1
                    if page.evaluate(FOCUS_IN_JS, target):
                        break
                browser.close()
        finally:
            server.stop()
    return {"cards": len(cards), "card_median_px": statistics.median(cards),
            "card_max_px": max(cards), "duties_screens": screens, "tabs_to_fifth": tabs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose streamlit_app.py to run (default: this one)")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args()
    r = measure(args.root.resolve(), args.width, args.height)
    print(f"checklist at {args.width}x{args.height}, {args.root}:")
    print(f"  Statutory duties cards: {r['cards']}, median {r['card_median_px']:.0f} px, "
          f"tallest {r['card_max_px']:.0f} px")
    print(f"  Statutory duties page: {r['duties_screens']:.1f} screens")
    print(f"  Tab presses from the top to the fifth criterion's rating: {r['tabs_to_fifth']}")


if __name__ == "__main__":
    main()
