"""WCAG 2.2 AA in Chromium: axe-core on every page in every state that matters, and the
checklist done from the keyboard alone.

axe-core comes from the npm registry (``scripts/setup --test`` installs it into
``tests/browser/node_modules``) and is injected into each page; a violation of serious or
critical impact fails the test, with the rule, the elements and how to fix them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quality_offer.store import Store

from ..builders import make_audit
from .helpers import MINI_CRITERIA, ROOT, AppServer, chromium_missing, new_page, runs, wait_idle
from .keyboard import SAVED

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
URN, YEAR = "123456", "2026/27"
SIGNED = "100002"  # a second school whose audit is signed off


def axe_problems(page: Page) -> list[str]:
    """The serious and critical WCAG violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async (tags) => {
      const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                         resultTypes: ['violations']});
      return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: '
                                       + n.failureSummary.replace(/\\n/g, ' '))}));
    }""", WCAG)
    return [json.dumps(v, indent=1) for v in result if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, mini_fw) -> Iterator[AppServer]:
    """The app with an audit in progress, a signed-off one, and a third school to compare."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (run scripts/setup --test)")
    data = tmp_path_factory.mktemp("a11y") / "data"
    data.mkdir()
    with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
        store.create_audit(make_audit(mini_fw, {
            "D1": {"rating": "not-met", "evidence": {"text": "Policy", "location": "Drive"},
                   "action": {"what": "Fix it", "owner": "Head",
                              "due": dt.date(2026, 1, 1).isoformat()}},
            "O1.1": {"rating": "established", "rechecked": False}},
            carried_forward_from="2025/26"), "seed")
        store.create_audit(make_audit(mini_fw, {
            "D1": {"rating": "met"}, "D2": {"rating": "partly-met"},
            "O1.1": {"rating": "emerging"}, "O1.2": {"not_applicable_reason": "None"}},
            urn=SIGNED, name="Birch Primary School", status="signed-off"), "seed")
        store.create_audit(make_audit(mini_fw, {"D1": {"rating": "partly-met"}},
                                      urn="100003", name="Cedar Academy"), "seed")
    srv = AppServer(ROOT / "streamlit_app.py", data, criteria=MINI_CRITERIA).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def mini_fw():
    from quality_offer import framework as frameworks

    return frameworks.load(MINI_CRITERIA / "mini")


def open_page(page: Page, server: AppServer, path: str, urn: str = URN) -> None:
    page.goto(f"{server.url}/{path}?urn={urn}&year={YEAR.replace('/', '-')}")
    page.get_by_role("heading", level=1).first.wait_for()
    wait_idle(page)
    page.wait_for_timeout(300)


PAGES = [("audits", URN, "Audits"), ("checklist", URN, "Checklist"),
         ("gap-report", URN, "Gap report"), ("import-export", URN, "Import and export"),
         ("framework", URN, "Framework"), ("sign-off", URN, "Sign-off and history"),
         ("compare", URN, "Compare schools"), ("admin", URN, "Administration"),
         ("checklist", SIGNED, "Checklist"), ("gap-report", SIGNED, "Gap report"),
         ("sign-off", SIGNED, "Sign-off and history")]


KNOWN: dict[tuple[str, str], str] = {}  # (path, urn) -> why axe fails there today


@pytest.mark.parametrize(("path", "urn", "title"), [
    pytest.param(p, u, t, marks=pytest.mark.xfail(reason=KNOWN[(p, u)], strict=False))
    if (p, u) in KNOWN else (p, u, t) for p, u, t in PAGES],
                         ids=[f"{p}-{'signed-off' if u == SIGNED else 'in-progress'}"
                              for p, u, _ in PAGES])
def test_every_page_passes_axe_and_has_its_own_title(browser, seeded, path, urn, title):
    with new_page(browser) as page:
        open_page(page, seeded, path, urn)
        assert page.title() == f"{title} · Quality Offer"
        problems = axe_problems(page)
        assert problems == [], "\n".join(problems)


def test_the_checklist_passes_axe_with_details_open_a_filter_and_a_saved_answer(
        browser, seeded):
    with new_page(browser) as page:
        open_page(page, seeded, "checklist")
        page.get_by_role("radiogroup", name="Sections", exact=True).locator("label").filter(
            has_text="Statutory duties").click()
        wait_idle(page)
        page.get_by_text("Details, evidence and action for D1").click()
        wait_idle(page)
        group = page.get_by_role("radiogroup", name="Rating for D2", exact=True)
        before = runs(page)
        group.get_by_text("Met", exact=True).click()
        wait_idle(page, before)
        saved = page.locator(SAVED, has_text="Rating for D2 saved at").locator("p")
        expect(saved).to_be_visible()
        # as the SENCO sees it: GOV.UK green, bold, behind a tick that is not read out
        expect(saved).to_have_css("color", "rgb(0, 112, 60)")
        expect(saved).to_have_css("font-weight", "600")
        assert "✓" in saved.evaluate("p => getComputedStyle(p, '::before').content")
        assert "✓" not in saved.aria_snapshot()
        assert saved.inner_text().startswith("Rating for D2 saved at")
        # and said to screen readers through the page's one live region
        expect(page.locator("#qo-live[role=status]")).to_contain_text("Rating for D2 saved at")
        problems = axe_problems(page)
        assert problems == [], "\n".join(problems)
        before = runs(page)
        page.get_by_role("textbox", name="Search the criteria").fill("SENCO")
        page.keyboard.press("Enter")
        # Until the run ends, the section's buttons stay on the page, faded as stale: axe
        # must see the page the person is left with, not the one being replaced.
        wait_idle(page, before)
        expect(page.get_by_role("heading", name="Matching criteria")).to_be_visible()
        problems = axe_problems(page)
        assert problems == [], "\n".join(problems)


def test_an_empty_app_passes_axe(browser, tmp_path):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}")
    srv = AppServer(ROOT / "streamlit_app.py", tmp_path / "data", criteria=MINI_CRITERIA)
    srv.start()
    try:
        with new_page(browser) as page:
            for path in ("audits", "checklist", "compare"):
                page.goto(f"{srv.url}/{path}")
                page.get_by_role("heading", level=1).first.wait_for()
                wait_idle(page)
                problems = axe_problems(page)
                assert problems == [], f"{path}:\n" + "\n".join(problems)
    finally:
        srv.stop()
