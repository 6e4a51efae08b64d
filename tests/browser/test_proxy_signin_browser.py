"""Signed in once, served by either server: the real sign-in behind nginx with two app servers.

An authority's deployment (deploy/) has people sign in through its identity provider, and
nginx may move a browser to the other app server at any time (a restart, an update). The
sign-in lives in a cookie signed with the secret both servers share, so the other server must
take it as it is: no second sign-in, the same person, the same rights, nothing lost. Here a
local OpenID provider, two ``streamlit run`` servers on one PostgreSQL schema and the shipped
nginx files; skipped, saying why, where nginx, PostgreSQL or Chromium is missing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quality_offer import framework as frameworks
from quality_offer.store import Store
from quality_offer.store.scratch import scratch_schema

from ..builders import make_audit
from .checklist_steps import rate, rating
from .helpers import (
    MINI_CRITERIA,
    ROOT,
    AppServer,
    OidcProvider,
    chromium_missing,
    new_page,
    sign_in,
    wait_idle,
)
from .proxy import ROUTE_COOKIE, Proxy, nginx_missing

pytestmark = pytest.mark.postgres

SUB, NAME = "senco-of-oak", "Olu SENCO"
URN, YEAR = "123456", "2026/27"


@pytest.fixture
def signed_in_cluster(request: pytest.FixtureRequest, tmp_path: Path
                      ) -> Iterator[tuple[AppServer, AppServer, Proxy, str]]:
    """The provider, servers A and B sharing their secrets, nginx in front; and the database."""
    why = nginx_missing() or chromium_missing()
    if why:
        pytest.skip(why)
    idp = OidcProvider([{"sub": SUB, "name": NAME}], tmp_path / "idp.log").start()
    try:
        with scratch_schema(request.getfixturevalue("postgres_url"), "qo_signin") as url:
            with Store(url) as store:
                store.create_audit(make_audit(frameworks.load(MINI_CRITERIA / "mini")),
                                   "setup")
                store.add_membership(idp.issuer, SUB, NAME, "senco", URN, None, "setup")
            shared = (secrets.token_urlsafe(48), secrets.token_urlsafe(32))
            a, b = (AppServer(ROOT / "streamlit_app.py", tmp_path / name,
                              criteria=MINI_CRITERIA, database_url=url, sign_in=idp,
                              auth_secrets=shared) for name in ("a", "b"))
            proxy = Proxy([a.port, b.port])
            a.public_url = b.public_url = proxy.url  # sign-in comes back through nginx
            try:
                a.start()
                b.start()
                proxy.start()
                yield a, b, proxy, url
            finally:
                proxy.stop()
                a.stop()
                b.stop()
                proxy.remove()
    finally:
        idp.stop()


def open_checklist(page: Page, proxy: Proxy) -> None:
    page.goto(f"{proxy.url}/checklist?urn={URN}&year=2026-27")
    expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
    wait_idle(page)


def test_signed_in_through_one_server_the_senco_carries_on_through_the_other_when_it_stops(
        browser, signed_in_cluster) -> None:
    a, b, proxy, url = signed_in_cluster
    with new_page(browser) as page:
        page.context.add_cookies([{"name": ROUTE_COOKIE, "value": proxy.route_to(a.port),
                                   "url": proxy.url}])
        sign_in(page, proxy.url, SUB)  # the provider sends her back through nginx, to A
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text(NAME)
        open_checklist(page, proxy)
        rate(page, "D1", "Met")

        a.stop()  # A goes down mid-session: nginx sends her to B
        mark = proxy.log_mark()
        page.reload()
        expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
        wait_idle(page)
        expect(sidebar).to_contain_text(NAME)  # still signed in, as herself, no second sign-in
        expect(sidebar.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.get_by_role("button", name="Sign in with Mock")).to_have_count(0)
        expect(rating(page, "D1", "Met")).to_be_checked()
        rate(page, "D2", "Partly met")
        assert page.locator('[data-testid="stException"]').count() == 0
        served = {ports.split(",")[-1] for path, ports in proxy.served_since(mark)
                  if path != "/_stcore/stream" or ports != str(a.port)}
        assert served == {str(b.port)}, served

    with Store(url) as store:
        audit = store.get_audit(URN, YEAR)
        history = store.history(URN, YEAR)
    assert audit is not None
    assert audit.responses["D1"].rating == "met"
    assert audit.responses["D2"].rating == "partly-met"
    by_criterion = {h.criterion_id: h.user for h in history if h.field == "rating"}
    assert NAME in by_criterion["D1"] and NAME in by_criterion["D2"], by_criterion
