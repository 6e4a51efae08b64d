"""User text shown through ``plain`` makes no link in Chromium, wherever Streamlit draws it.

Streamlit's Markdown turns URLs and e-mail addresses into links after escapes are resolved,
which AppTest cannot see; only a real browser shows the ``<a>`` elements. A small page draws
hostile text the ways the app's pages do (Markdown, a caption, a table cell) and the links in
it are counted. The same text drawn without ``plain`` is the control: it does make links.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import AppServer, chromium_missing, launch, wait_idle

pytestmark = pytest.mark.browser

HOSTILE = ("Policy at http://evil.example/x and https://evil.example, see www.evil.example "
           "or write to head@evil.example [click](http://evil.example) <http://evil.example>")

PAGE = f'''
import streamlit as st
from quality_offer.ui.text import plain

TEXT = {HOSTILE!r}
with st.container(key="plain"):
    st.markdown(plain(TEXT))
    st.caption(plain(TEXT))
    st.table([{{"Evidence": plain(TEXT)}}], hide_index=True)
with st.container(key="raw"):
    st.markdown(TEXT)
'''


@pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))
def test_user_text_through_plain_makes_no_link_in_chromium(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    script = tmp_path / "page.py"
    script.write_text(PAGE)
    server = AppServer(script, tmp_path / "data").start()
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = browser.new_page()
                page.goto(server.url)
                page.locator(".st-key-raw a").first.wait_for()
                wait_idle(page)
                shown = page.locator(".st-key-plain")
                assert shown.locator("a").count() == 0
                assert page.locator(".st-key-raw a").count() >= 3  # the control links
                text = shown.locator("[data-testid=stMarkdownContainer]").first.inner_text()
                assert text.replace("\u2060", "") == HOSTILE
            finally:
                browser.close()
    finally:
        server.stop()


# url path -> the page's own heading, so a wrong path cannot pass by showing another page
PAGES_WITH_USER_TEXT = {"checklist": "Checklist", "gap-report": "Gap report",
                        "sign-off": "Sign-off and history", "import-export": "Import and export",
                        "compare": "Compare schools"}


@pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))
def test_a_hostile_audit_makes_no_link_on_any_page_that_shows_it(tmp_path):
    """Every free-text field of a stored audit holds URLs and addresses; no page links them."""
    from playwright.sync_api import sync_playwright

    from quality_offer import framework as frameworks
    from quality_offer.audit import applicable
    from quality_offer.store import Store

    from ..builders import make_audit

    fw = frameworks.default()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    base = make_audit(fw, name="Oak www.evil.example School")
    answers = {c.id: {"rating": c.scale and fw.scale_of(c).level_ids[0],
                      "evidence": {"text": HOSTILE, "location": "http://evil.example/loc"},
                      "action": {"what": HOSTILE, "owner": "boss@evil.example"}}
               for c in applicable(fw, base)}
    import datetime as dt

    from quality_offer.audit import SignOff

    with Store(f"sqlite:///{data_dir / 'quality-offer.db'}") as store:
        store.create_audit(make_audit(fw, answers, name="Oak www.evil.example School"),
                           "setup")
        store.set_completed_by("123456", "2026/27", "Ann https://evil.example/ann", "setup")
        store.sign_off("123456", "2026/27", SignOff(
            name="Hal www.evil.example", role="headteacher", date=dt.date(2026, 12, 1),
            comment=HOSTILE), "setup", close=False)
    server = AppServer(Path(__file__).parents[2] / "streamlit_app.py", data_dir).start()
    counts = {}
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = browser.new_page()
                for path, title in PAGES_WITH_USER_TEXT.items():
                    page.goto(f"{server.url}/{path}?urn=123456&year=2026-27")
                    page.get_by_test_id("stMain").get_by_role(
                        "heading", name=title, exact=True).first.wait_for()
                    wait_idle(page)
                    page.wait_for_timeout(1000)
                    main = page.get_by_test_id("stMain")
                    assert "evil" in main.inner_text()  # the hostile text is on the page
                    counts[path] = main.locator("a[href*='evil']").count()
            finally:
                browser.close()
    finally:
        server.stop()
    assert counts == dict.fromkeys(PAGES_WITH_USER_TEXT, 0)
