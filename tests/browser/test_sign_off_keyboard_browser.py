"""A governor signs off an unfinished audit from the keyboard alone (WCAG 2.2, 2.1.1), and
the sign-off page at 200% zoom on a 1366x768 screen (1.4.4, 1.4.10, 2.4.7, 2.4.11).

The app runs as a shared deployment and the governor of school A is signed in, so the page
offers exactly what a governor may do: the lines she may sign, not the local user's all.
No mouse and no script clicks: every step is a key press, and what has focus is read from
the page each time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from quality_offer import framework as frameworks
from quality_offer.store import Store

from ..builders import make_audit
from ..personas import HERTS, YEAR, A
from .helpers import (
    MINI_CRITERIA,
    ROOT,
    SCROLL_SETTLED_JS,
    AppServer,
    add_personas,
    chromium_missing,
    new_page,
    sign_in_as,
    wait_idle,
)
from .keyboard import (
    HIDDEN_JS,
    SIDEBAR_COVERS_JS,
    focus_ring_problem,
    focused,
    press,
    tab_to,
    wait_for_theme,
)

pytestmark = pytest.mark.browser

REASON = "The governing body meets before the SENCO returns from leave"

# What is wider than the screen and cannot be scrolled to: text past the right edge of the
# page outside any box that scrolls sideways, and the page itself scrolling sideways.
CUT_OFF_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth + 1) out.push('the page scrolls sideways');
  if (main.scrollWidth > main.clientWidth + 1) out.push('the main area scrolls sideways');
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll'].includes(s.overflowX)) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) && !scrolls(n.parentElement)) {
        out.push('cut off: ' + n.textContent.trim().slice(0, 60));
        break;
      }
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A shared deployment with school A's audit, one criterion of four answered."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    fw = frameworks.load(MINI_CRITERIA / "mini")
    data = tmp_path_factory.mktemp("sign-off") / "data"
    data.mkdir()
    audit = make_audit(fw, {"D1": {"rating": "met"}}, urn=A, name="Alder Primary School")
    assert audit.school.la_code == HERTS  # the governor's school, in her authority
    with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
        store.create_audit(audit, "seed")
        add_personas(store, "governor_a")
    srv = AppServer(ROOT / "streamlit_app.py", data, criteria=MINI_CRITERIA,
                    shared=True).start()
    yield srv
    srv.stop()


def open_sign_off(page: Page, server: AppServer) -> None:
    page.goto(f"{server.url}/sign-off?urn={A}&year={YEAR.replace('/', '-')}")
    page.get_by_role("heading", name="Sign-off and history", level=1).wait_for()
    wait_idle(page)
    wait_for_theme(page)
    page.locator("body").focus()


def test_a_governor_reads_what_she_signs_gives_her_reason_and_signs_by_keyboard_alone(
        browser, server: AppServer) -> None:
    with new_page(browser) as page:
        sign_in_as(page.context, server, "governor_a")
        open_sign_off(page, server)

        # What she puts her name to comes before the form she signs it with.
        summary = page.get_by_role("list").filter(has_text="How complete")
        expect(summary).to_contain_text("1 of 4 criteria answered; 3 criteria not assessed")
        warning = page.get_by_text("This audit is not finished")
        expect(warning).to_be_visible()
        assert page.evaluate(
            """([s, f]) => !!(s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING)""",
            [summary.element_handle(), page.get_by_label("Your name").element_handle()])

        tab_to(page, "input|Your name")
        page.keyboard.type("Gil Governor")
        tab_to(page, "combobox|Signing as")
        # Leaving the name field saved it; a list opened while that run redraws the form
        # closes again, as it would for a person who pressed as fast as a test does.
        wait_idle(page)
        page.keyboard.press("ArrowDown")  # opens the list of the lines she may sign
        expect(page.get_by_role("option")).to_have_text(["SEN governor", "Chair of governors"])
        # the first is marked as the one Enter takes
        expect(page.get_by_role("option", name="SEN governor")).to_have_attribute(
            "data-focused", "true")
        page.keyboard.press("Enter")
        expect(page.get_by_role("combobox", name="Signing as")).to_have_value("SEN governor")
        tab_to(page, "textarea|Why are you signing before the audit is finished?")
        page.keyboard.type(REASON)
        tab_to(page, "button|Sign the audit")
        press(page, "Enter")
        said = page.get_by_text("Signed as SEN governor.")
        expect(said).to_be_visible()
        # Said just below the button she pressed, which keeps the focus: at the top of the
        # page it was out of her sight, and it made the page redraw the button, dropping
        # the focus to the page's body.
        assert focused(page) == "button|Sign the audit"
        assert page.evaluate(
            """([b, s]) => !!(b.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING)""",
            [page.get_by_role("button", name="Sign the audit").element_handle(),
             said.element_handle()])
        expect(page.get_by_role("table").first).to_contain_text(REASON)

    with Store(f"sqlite:///{server.data_dir / 'quality-offer.db'}") as store:
        signed = store.get_audit(A, YEAR).current_sign_offs
    assert [(s.name, s.role, s.reason) for s in signed] == [
        ("Gil Governor", "sen-governor", REASON)]


def test_at_200_percent_zoom_the_sign_off_page_is_whole_and_every_control_shows_its_focus(
        browser, server: AppServer) -> None:
    """The menu folded away when the page loads, nothing past the edge of the screen, and a
    ring the governor can see, in full, around each control she tabs to."""
    with new_page(browser, width=1366, height=768, zoom=2) as page:
        sign_in_as(page.context, server, "governor_a")
        open_sign_off(page, server)
        page.wait_for_function(HIDDEN_JS)
        assert not page.evaluate(SIDEBAR_COVERS_JS), "the menu covers the page on load"
        assert page.evaluate(CUT_OFF_JS) == []

        problems, stops = [], []
        for _ in range(40):
            page.keyboard.press("Tab")
            page.evaluate(SCROLL_SETTLED_JS)  # the scroll that brings the control into view
            now = focused(page)
            stops.append(now)
            problem = focus_ring_problem(page)
            if problem:
                problems.append(f"{now}: {problem}")
            if now == "button|Sign the audit":
                break
        assert "button|Sign the audit" in stops, stops
        assert problems == [], "\n".join(problems)
