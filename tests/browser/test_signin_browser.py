"""A real sign-in in Chromium: a local OpenID Connect provider, the app in shared mode.

``oidc-provider-mock`` runs the provider on a free loopback port with one predefined user
(a SENCO of school A, known by her ``sub``); the app runs with ``streamlit run`` on another
free port, from a folder whose ``.streamlit/secrets.toml`` configures sign-in (see
:class:`.helpers.OidcProvider` and ``AppServer(sign_in=...)``). The SENCO signs in, reaches
her school's audit and pages (not the administrator's), and signs out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quality_offer import framework as frameworks
from quality_offer.store import Store

from ..builders import make_audit
from .helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer, OidcProvider

pytestmark = pytest.mark.browser

SUB = "senco-of-alder"
URN = "100001"


@pytest.fixture
def shared_app(tmp_path: Path):
    """The provider and the app, both on loopback; yields the app's URL."""
    idp = OidcProvider([{"sub": SUB, "name": "Sam SENCO"}], tmp_path / "idp.log").start()
    try:
        db_url = f"sqlite:///{tmp_path / 'qo.db'}"
        with Store(db_url) as store:
            store.create_audit(make_audit(frameworks.default(), urn=URN,
                                          name="Alder Primary School"), "setup")
            store.create_audit(make_audit(frameworks.default(), urn="200002",
                                          name="Birch Primary School"), "setup")
            store.add_membership(idp.issuer, SUB, "Sam SENCO", "senco", URN, None, "setup")
        app = AppServer(ROOT / "streamlit_app.py", tmp_path / "data", database_url=db_url,
                        sign_in=idp).start()
        try:
            yield app.url
        finally:
            app.stop()
    finally:
        idp.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at "
                                                 "/usr/bin/chromium")
def test_a_senco_signs_in_reaches_her_schools_pages_and_signs_out(shared_app):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            page.goto(shared_app)
            page.get_by_role("button", name="Sign in with Mock").click()
            # the provider's consent page: the predefined user, by her subject
            page.get_by_role("button", name=SUB).click()
            expect(page.get_by_role("heading", name="Audits")).to_be_visible()
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar).to_contain_text("Sam SENCO")
            expect(sidebar).to_contain_text("school 100001")
            expect(sidebar).not_to_contain_text("Administration")
            expect(page.get_by_test_id("stMain")).to_contain_text("Alder Primary School")
            expect(page.get_by_test_id("stMain")).not_to_contain_text("Birch")

            # another school's audit typed into the address: nothing of it
            page.goto(f"{shared_app}/checklist?urn=200002&year=2026-27")
            expect(page.get_by_text("You do not have access to this audit.")).to_be_visible()
            expect(page.get_by_test_id("stMain")).not_to_contain_text("Birch")

            page.goto(f"{shared_app}/checklist?urn={URN}&year=2026-27")
            expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
            expect(page.get_by_test_id("stMain")).to_contain_text("Alder Primary School")

            page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
            end = page.get_by_role("button", name="End session")
            end.wait_for()
            end.click()
            expect(page.get_by_role("button", name="Sign in with Mock")).to_be_visible()
            page.goto(f"{shared_app}/checklist?urn={URN}&year=2026-27")
            expect(page.get_by_role("button", name="Sign in with Mock")).to_be_visible()
            expect(page.get_by_test_id("stMain")).not_to_contain_text("Alder")
        finally:
            browser.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at "
                                                 "/usr/bin/chromium")
def test_a_link_opened_before_signing_in_is_where_sign_in_ends(shared_app):
    """The provider always sends the browser back to the home page; the address the link
    asked for is kept in the tab and opened after sign-in, and only an address of this app."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            link = f"{shared_app}/checklist?urn={URN}&year=2026-27"
            page.goto(link)
            page.get_by_role("button", name="Sign in with Mock").click()
            page.get_by_role("button", name=SUB).click()
            expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
            expect(page).to_have_url(link)
            expect(page.get_by_test_id("stMain")).to_contain_text("Alder Primary School")

            # Signed out, then in from the home page with another site planted in the tab's
            # storage: sign-in ends at home, never elsewhere.
            page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
            end = page.get_by_role("button", name="End session")
            end.wait_for()
            end.click()
            page.goto(shared_app)
            page.get_by_role("button", name="Sign in with Mock").wait_for()
            page.evaluate("sessionStorage.setItem('quality-offer-after-sign-in', "
                          "'//example.com/phish')")
            page.get_by_role("button", name="Sign in with Mock").click()
            page.get_by_role("button", name=SUB).click()
            expect(page.get_by_role("heading", name="Audits")).to_be_visible()
            page.wait_for_timeout(1000)  # time for a wrong redirect to happen, if one would
            assert page.url.rstrip("/") == shared_app
        finally:
            browser.close()
