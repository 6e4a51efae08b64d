"""The checklist done from the keyboard alone (WCAG 2.2, 2.1.1): rate a criterion, record
evidence and an action, and move to the next section with Tab, Space and Enter, in Chromium.

No mouse and no script clicks: every step is a key press, and what has focus is read from the
page each time, so a control that cannot be reached or used by keyboard fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from quality_offer.reports.formats import available
from quality_offer.store import Store

from ..builders import make_audit
from .helpers import ROOT, SCROLL_SETTLED_JS, AppServer, chromium_missing, new_page, wait_idle
from .keyboard import (
    HIDDEN_JS,
    SAVED,
    SIDEBAR_COVERS_JS,
    focus_ring_problem,
    focused,
    press,
    tab_to,
    wait_for_theme,
)

pytestmark = pytest.mark.browser

MINI_CRITERIA = Path(__file__).resolve().parents[1] / "fixtures" / "frameworks"
URN, YEAR = "123456", "2026/27"
RECHECK_URN = "123457"


def open_for_keyboard(page, server: AppServer, path: str, heading: str | None = None,
                      urn: str | None = None) -> None:
    """Open an audit's page (``path``, e.g. "checklist"), wait until it is drawn and styled,
    and leave focus on the page's body, where a keyboard user starts."""
    page.goto(f"{server.url}/{path}?urn={urn or URN}&year={YEAR.replace('/', '-')}")
    if heading:
        page.get_by_role("heading", name=heading, exact=True).wait_for()
    else:
        page.get_by_role("heading", level=1).first.wait_for()
    wait_idle(page)
    wait_for_theme(page)
    page.locator("body").focus()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    from quality_offer import framework as frameworks

    fw = frameworks.load(MINI_CRITERIA / "mini")
    data = tmp_path_factory.mktemp("keyboard") / "data"
    data.mkdir()
    with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
        store.create_audit(make_audit(fw, {}), "seed")
        # Answers moved from an older wording and carried forward, each still to re-check
        store.create_audit(make_audit(fw, {
            "D1": {"rating": "met", "rechecked": False,
                   "moved_from": {"version": "0.9", "criterion": "D1",
                                  "text": "Use best endeavours for every child with SEN."}},
            "D2": {"rating": "partly-met", "rechecked": False}}, urn=RECHECK_URN), "seed")
    srv = AppServer(ROOT / "streamlit_app.py", data, criteria=MINI_CRITERIA).start()
    yield srv
    srv.stop()


def test_a_senco_rates_records_evidence_and_an_action_and_moves_on_by_keyboard_alone(
        browser, server: AppServer) -> None:
    with new_page(browser) as page:
        open_for_keyboard(page, server, "checklist", "Checklist")

        # Rate D1: Tab into its rating group (the first option), Space chooses it.
        tab_to(page, "radio|Rating for D1")
        press(page, "Space")
        expect(page.locator(SAVED, has_text="Rating for D1 saved at")).to_be_visible()

        # Open its details with Enter, then fill evidence and an action, Tab saving each.
        tab_to(page, "summary|")
        assert focused(page).endswith("Details, evidence and action for D1")
        press(page, "Enter")
        tab_to(page, "textarea|Evidence for D1")
        page.keyboard.type("Minutes of the SEN governor's visit")
        press(page, "Tab")
        tab_to(page, "textarea|Action to improve D1")
        page.keyboard.type("Train two TAs in precision teaching")
        press(page, "Tab")

        # On to the next section by its button; the page's heading takes the focus (it was
        # left on the page's body, where nobody can see it), and Tab goes on from there.
        tab_to(page, "button|Next:")
        press(page, "Enter")
        expect(page.get_by_role("heading", level=2).filter(has_text="Outcome")).to_be_visible()
        page.wait_for_function("() => document.activeElement.id === 'checklist'")
        assert focus_ring_problem(page) == ""
        tab_to(page, "radio|Rating for O1.1", limit=12)

    with Store(f"sqlite:///{server.data_dir / 'quality-offer.db'}") as store:
        saved = store.get_audit(URN, YEAR).responses["D1"]
    assert saved.rating is not None
    assert saved.evidence is not None and saved.evidence.text.startswith("Minutes")
    assert saved.action is not None and saved.action.what.startswith("Train two TAs")


def test_ticking_re_checked_leaves_keyboard_focus_on_the_card_not_at_the_top_of_the_page(
        browser, server: AppServer) -> None:
    """The re-check box goes away with its notice once ticked: focus moves to the rating it
    confirmed, so the next Tab goes on from the card instead of from the page's start."""
    with new_page(browser) as page:
        open_for_keyboard(page, server, "checklist", "Checklist", urn=RECHECK_URN)
        for cid, box in (("D1", "Re-checked against the new wording"),
                         ("D2", "Re-checked this year")):
            tab_to(page, f"input|{box}")
            press(page, "Space")
            expect(page.locator(SAVED, has_text=f"Re-check for {cid} saved at")).to_be_visible()
            expect(page.get_by_text(box)).to_have_count(0)
            page.wait_for_function(
                "(l) => document.activeElement.closest(`[aria-label='${l}']`)",
                arg=f"Rating for {cid}")
            assert focused(page).startswith(f"radio|Rating for {cid} / "), focused(page)
            assert focus_ring_problem(page) == ""
        # and on from D2's card: its N/A box or its details, not the page's first controls
        page.keyboard.press("Tab")
        assert "D2" in focused(page), focused(page)


def test_a_report_downloaded_by_keyboard_keeps_focus_and_tab_takes_the_buttons_as_read(
        browser, server: AppServer) -> None:
    """A download button is disabled while its file is made, which dropped focus to the
    page's body; and the buttons, in columns, were reached column by column."""
    labels = [fmt.label for fmt, _ in available().values()]
    assert labels[0] == "PDF report" and len(labels) >= 2, labels
    with new_page(browser) as page:
        open_for_keyboard(page, server, "gap-report", "Gap report")
        tab_to(page, "button|downloadPDF report")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename.endswith(".pdf")
        page.wait_for_function("() => document.activeElement !== document.body")
        assert focused(page) == "button|downloadPDF report"
        assert focus_ring_problem(page) == ""
        for label in labels[1:]:
            page.keyboard.press("Tab")
            assert focused(page) == f"button|download{label}"


@pytest.mark.parametrize("path", ["", "checklist", "gap-report", "sign-off", "compare"],
                         ids=["audits", "checklist", "gap-report", "sign-off", "compare"])
def test_at_200_percent_zoom_the_menu_leaves_the_page_readable_and_opens_and_closes_by_keyboard(
        browser, server: AppServer, path: str) -> None:
    """WCAG 2.2, 1.4.4 and 1.4.10: at 200% on a 1366x768 screen the menu does not cover the
    content when a page loads, and a keyboard user can open it and close it again."""
    with new_page(browser, width=1366, height=768, zoom=2) as page:
        page.goto(f"{server.url}/{path}?urn={URN}&year={YEAR.replace('/', '-')}")
        page.get_by_role("heading", level=1).first.wait_for()
        wait_idle(page)
        wait_for_theme(page)
        page.wait_for_function(HIDDEN_JS)  # Streamlit folds the menu away on a narrow screen
        assert not page.evaluate(SIDEBAR_COVERS_JS), "the menu covers the page on load"
        page.locator("body").focus()
        tab_to(page, "button|Expand sidebar", limit=4)  # among the first stops of the page
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name="Gap report")).to_be_visible()
        # The menu comes before the page in the document: back into it with Shift+Tab.
        tab_to(page, "button|Collapse sidebar", limit=15, key="Shift+Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(HIDDEN_JS)
        assert not page.evaluate(SIDEBAR_COVERS_JS)
        page.locator("body").focus()
        tab_to(page, "button|Expand sidebar", limit=4)  # and its links left the Tab order


@pytest.mark.parametrize("path", ["", "checklist", "gap-report", "import-export", "framework",
                                  "compare"],
                         ids=["audits", "checklist", "gap-report", "import-export", "framework",
                              "compare"])
def test_at_200_percent_zoom_each_control_tabbed_to_shows_its_whole_focus_ring(
        browser, server: AppServer, path: str) -> None:
    """WCAG 2.2, 2.4.7 and 2.4.11: the ring is not cut off by the box around a control (a
    text field, a strip of tabs, a data table) nor by the window's edge or the page's header
    as the page scrolls to the control."""
    with new_page(browser, width=1366, height=768, zoom=2) as page:
        open_for_keyboard(page, server, path)
        problems, stops = [], []
        for _ in range(30):
            page.keyboard.press("Tab")
            page.evaluate(SCROLL_SETTLED_JS)  # the scroll that brings the control into view
            now = focused(page)
            if now.startswith("body|"):  # past the end of the page, into the browser's own
                continue
            stops.append(now)
            problem = focus_ring_problem(page)
            if problem:
                problems.append(f"{now}: {problem}")
        assert len(set(stops)) > 5, stops  # the control: Tab went through the page
        assert problems == [], "\n".join(problems)


def test_at_200_percent_zoom_an_expander_opened_by_keyboard_still_shows_its_whole_ring(
        browser, server: AppServer) -> None:
    """WCAG 2.2, 2.4.11: an open expander cuts off what overflows it, which left only a thin
    line of its heading's ring once Enter had opened it."""
    with new_page(browser, width=1366, height=768, zoom=2) as page:
        open_for_keyboard(page, server, "checklist", "Checklist")
        tab_to(page, "summary|")
        assert focused(page).endswith("Details, evidence and action for D1")
        assert focus_ring_problem(page) == ""
        press(page, "Enter")
        expect(page.get_by_label("Evidence for D1", exact=False)).to_be_visible()
        page.evaluate(SCROLL_SETTLED_JS)
        assert focus_ring_problem(page) == ""


def choose_by_keyboard(page, label: str, option: str) -> None:
    """Open a drop-down with ArrowDown, move to ``option`` and take it with Enter."""
    tab_to(page, f"combobox|{label}")
    wait_idle(page)  # the field just left may have started a run that redraws the form
    page.evaluate(SCROLL_SETTLED_JS)  # a list opened while the page glides closes again
    page.keyboard.press("ArrowDown")
    options = page.get_by_role("option")
    try:
        options.first.wait_for(timeout=1500)
    except PlaywrightTimeout:
        # Leaving a text field saves it; a list opened as that run redraws the form closes
        # again. A person sees no list and presses again; so does the test.
        page.keyboard.press("ArrowDown")
        options.first.wait_for()
    for _ in range(12):
        if page.get_by_role("option", name=option, exact=True).get_attribute(
                "data-focused") == "true":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("combobox", name=label)).to_have_value(option)


@pytest.mark.parametrize("screen", [{"width": 1366, "height": 768},
                                    {"width": 1366, "height": 768, "zoom": 2}],
                         ids=["1366x768", "200% zoom"])
def test_a_whole_audit_is_started_and_completed_by_keyboard_alone(browser, server: AppServer,
                                                                  screen: dict) -> None:
    """From the Audits page to the last criterion, with Tab, arrows, typing and Enter."""
    urn = "654321" if screen.get("zoom", 1) == 1 else "654322"
    with new_page(browser, **screen) as page:
        page.goto(server.url)
        page.get_by_role("heading", name="Audits", exact=True).wait_for()
        wait_idle(page)
        wait_for_theme(page)
        page.locator("body").focus()
        tab_to(page, "Enter the school and the year")  # the new audit's form, folded
        page.keyboard.press("Enter")
        tab_to(page, "input|URN (unique reference number)")
        page.keyboard.type(urn)
        tab_to(page, "input|School name")
        page.keyboard.type("Ash Primary School")
        choose_by_keyboard(page, "Phase", "Primary")
        choose_by_keyboard(page, "Type of school", "Maintained school")
        tab_to(page, "button|Start the audit")
        press(page, "Enter")
        expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
        wait_idle(page)

        # Each criterion: Tab into its rating group; each arrow chooses the next level and
        # saves it, so the last level pressed to is the rating.
        for cid, steps in (("D1", 2), ("D2", 1)):
            tab_to(page, f"radio|Rating for {cid}")
            for _ in range(steps):
                press(page, "ArrowRight")
            expect(page.locator(SAVED, has_text=f"Rating for {cid} saved at")).to_be_visible()
        tab_to(page, "button|Next:")
        press(page, "Enter")
        expect(page.get_by_role("heading", level=2).filter(has_text="Outcome")).to_be_visible()
        for cid, steps in (("O1.1", 2), ("O1.2", 3)):
            tab_to(page, f"radio|Rating for {cid}")
            for _ in range(steps):
                press(page, "ArrowRight")
            expect(page.locator(SAVED, has_text=f"Rating for {cid} saved at")).to_be_visible()
        expect(page.get_by_text("Overall: 4 of 4 criteria answered (100%)")).to_be_visible()

    with Store(f"sqlite:///{server.data_dir / 'quality-offer.db'}") as store:
        (year,) = [s.academic_year for s in store.list_audits() if s.urn == urn]
        saved = store.get_audit(urn, year).responses
    # The third, second, third and fourth levels of each scale, as pressed to
    assert {cid: r.rating for cid, r in saved.items()} == {
        "D1": "met", "D2": "partly-met", "O1.1": "established", "O1.2": "exemplary"}
