"""Every page at a phone's width (390 by 844 CSS pixels), for the SENCO, the governor and the
adviser of a shared deployment, in Chromium (WCAG 2.2, 1.4.10 Reflow and 2.5.8 Target Size).

A phone user must never scroll the whole page sideways (a wide table or chart scrolls in a
box of its own), no label may be cut short with "…" where they cannot read the rest, and no
button may be smaller than a fingertip's 24 by 24 px.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from quality_offer import framework as frameworks
from quality_offer.store import Store
from quality_offer.ui.nav import specs_for

from ..builders import make_audit
from ..personas import PERSONAS, YEAR, A, B
from .helpers import (
    MINI_CRITERIA,
    ROOT,
    AppServer,
    add_personas,
    chromium_missing,
    new_page,
    runs,
    sign_in_as,
    wait_idle,
)
from .keyboard import wait_for_theme

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# What a phone user could not read: the page scrolling sideways, and text that the page's
# style cuts short (an ellipsis, or a box that hides what overflows it) outside a text field.
UNREADABLE_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth) out.push('the page scrolls sideways');
  if (main.scrollWidth > main.clientWidth) out.push('the main area scrolls sideways');
  for (const el of main.querySelectorAll('*')) {
    if (['INPUT', 'TEXTAREA'].includes(el.tagName) || el.closest('svg')) continue;
    if (!el.textContent.trim() || el.clientWidth === 0) continue;
    const s = getComputedStyle(el);
    const cuts = s.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(s.overflowX);
    if (cuts && el.scrollWidth > el.clientWidth + 1)
      out.push('cut short: ' + el.textContent.trim().slice(0, 60));
  }
  return out;
}"""


# Buttons smaller than 24 by 24 px (WCAG 2.2, 2.5.8), with their name and size.
SMALL_BUTTONS_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const el of main.querySelectorAll('button, [role=button], summary')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.width < 24 || r.height < 24)
      out.push((el.getAttribute('aria-label') || el.textContent).trim().slice(0, 40) + ' '
               + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return out;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Schools A and B of one authority, each with an audit in progress."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    fw = frameworks.load(MINI_CRITERIA / "mini")
    data = tmp_path_factory.mktemp("phone") / "data"
    data.mkdir()
    with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
        for urn, name in ((A, "Alder Primary School"),
                          (B, "Birch Church of England Voluntary Aided Junior School")):
            store.create_audit(make_audit(fw, {"D1": {"rating": "met"},
                                               "O1.1": {"rating": "emerging"}},
                                          urn=urn, name=name), "seed")
        add_personas(store, "senco_a", "governor_a", "adviser_919")
    srv = AppServer(ROOT / "streamlit_app.py", data, criteria=MINI_CRITERIA,
                    shared=True).start()
    yield srv
    srv.stop()


def open_page(page: Page, server: AppServer, url_path: str) -> None:
    page.goto(f"{server.url}/{url_path}?urn={A}&year={YEAR.replace('/', '-')}")
    page.get_by_role("heading", level=1).first.wait_for()
    wait_idle(page)
    wait_for_theme(page)  # what is measured here is what the app's style sheet sets


@pytest.mark.parametrize("persona", ["senco_a", "governor_a", "adviser_919"])
def test_every_page_fits_a_phone_without_sideways_scrolling_cut_short_labels_or_tiny_buttons(
        browser, server: AppServer, persona: str) -> None:
    specs = specs_for(PERSONAS[persona].user())
    assert len(specs) >= 6  # the control: the persona sees the pages of her role
    problems = []
    with new_page(browser, **PHONE) as page:
        sign_in_as(page.context, server, persona)
        for spec in specs:
            open_page(page, server, "" if spec is specs[0] else spec.url_path)
            problems += [f"{spec.title}: {p}" for p in page.evaluate(UNREADABLE_JS)]
            problems += [f"{spec.title}: small button {b}"
                         for b in page.evaluate(SMALL_BUTTONS_JS)]
    assert problems == []


def test_on_a_phone_the_signatures_needed_read_in_full_and_each_can_be_removed(
        browser, server: AppServer) -> None:
    """The chosen signatures of the sign-off page's multiple choice: whole words, and remove
    buttons of at least 24 by 24 px."""
    with new_page(browser, **PHONE) as page:
        sign_in_as(page.context, server, "senco_a")
        open_page(page, server, "sign-off")
        before = runs(page)
        page.get_by_text("Signatures this audit needs").click()
        wait_idle(page, before)
        chosen = page.get_by_test_id("stMultiSelectTagsContainer")
        governor = chosen.get_by_text("A governor (SEN governor or chair)")
        assert governor.evaluate("(el) => el.scrollWidth <= el.clientWidth")
        removes = chosen.get_by_role("button", name="Remove", exact=False)
        sizes = [removes.nth(i).bounding_box() for i in range(removes.count())]
        assert len(sizes) == 2
        assert all(b and b["width"] >= 24 and b["height"] >= 24 for b in sizes), sizes
        assert page.evaluate(UNREADABLE_JS) == []
