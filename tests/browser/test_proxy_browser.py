"""Two app servers behind nginx on one PostgreSQL database, driven in Chromium through the proxy.

The deployment of ``deploy/``: the shipped nginx upstream and location files in front of two
``streamlit run`` servers sharing a throwaway schema of the PostgreSQL test database. Each
browser is routed by its cookie; the proxy's access log says which server answered what.
Skipped, saying why, where nginx, PostgreSQL or Chromium is missing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quality_offer.audit import Response
from quality_offer.store import Store

from .checklist_steps import rate, rating
from .helpers import new_page, wait_idle
from .proxy import ROUTE_COOKIE, Proxy, browser_on

pytestmark = pytest.mark.postgres

URN, YEAR = "123456", "2026/27"
CHECKLIST = f"checklist?urn={URN}&year=2026-27"
# How long nginx leaves alone a server it found down (fail_timeout in the upstream file).
FAIL_TIMEOUT = 10


def stored(url: str, cid: str) -> Response | None:
    with Store(url) as store:
        audit = store.get_audit(URN, YEAR)
    assert audit is not None
    return audit.responses.get(cid)


def open_checklist(page: Page, proxy: Proxy) -> None:
    page.goto(f"{proxy.url}/{CHECKLIST}")
    expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
    wait_idle(page)


def download_gap_report(page: Page, tmp_path: Path) -> None:
    """Open the gap report from the menu and download its PDF: the download link lives in the
    memory of the server that drew the page, so it tests that the route leads back there."""
    page.get_by_role("link", name="Gap report").click()
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF report").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:4] == b"%PDF"


def test_a_rating_saved_through_one_server_is_read_through_the_other_and_its_pdf_downloads(
        browser, cluster, database: str, tmp_path: Path) -> None:
    a, b, proxy = cluster
    with browser_on(browser, proxy, a) as page:
        open_checklist(page, proxy)
        rate(page, "D1", "Partly met")
    assert stored(database, "D1").rating == "partly-met"

    with browser_on(browser, proxy, b) as page:
        open_checklist(page, proxy)
        expect(rating(page, "D1", "Partly met")).to_be_checked()
        # A download link lives in the memory of the server that drew the page: the sticky
        # route must bring the browser back to it.
        download_gap_report(page, tmp_path)


def test_two_browsers_saving_the_same_criterion_through_different_servers_the_second_is_refused(
        browser, cluster, database: str) -> None:
    a, b, proxy = cluster
    with browser_on(browser, proxy, a) as first, browser_on(browser, proxy, b) as second:
        open_checklist(first, proxy)
        open_checklist(second, proxy)  # both have D2 unanswered on screen
        rate(first, "D2", "Met")
        before = stored(database, "D2")

        second.get_by_role("radiogroup", name="Rating for D2", exact=True).get_by_text(
            "Not met", exact=True).click()
        expect(second.get_by_text("your change was not saved", exact=False)).to_be_visible()
        wait_idle(second)
        expect(rating(second, "D2", "Met")).to_be_checked()  # the stored answer is shown
        assert stored(database, "D2") == before
        assert before is not None and before.rating == "met"
        assert second.locator('[data-testid="stException"]').count() == 0


def test_a_browser_moved_to_the_other_server_stays_there_when_its_own_comes_back(
        browser, cluster, database: str, tmp_path: Path) -> None:
    """A restart (an update, ``systemctl restart``): the page reconnects to the other server
    while its own is down, and its session lives there from then on. When its own server is
    back, the browser's downloads and uploads must still reach the session's server."""
    a, b, proxy = cluster
    with new_page(browser) as page:
        page.context.add_cookies([{"name": ROUTE_COOKIE, "value": proxy.route_to(a.port),
                                   "url": proxy.url}])
        open_checklist(page, proxy)
        a.stop()
        page.reload()  # now on B
        open_checklist(page, proxy)
        a.start()
        time.sleep(FAIL_TIMEOUT + 1)  # nginx tries a server it marked down again after this
        mark = proxy.log_mark()
        download_gap_report(page, tmp_path)
        page.close()
    served = proxy.served_since(mark)
    assert served and {ports.split(",")[-1] for _path, ports in served} == {str(b.port)}, served


def test_a_server_stopped_mid_session_the_user_carries_on_through_the_other_after_a_reload(
        browser, cluster, database: str) -> None:
    a, b, proxy = cluster
    with new_page(browser) as page:
        page.context.add_cookies([{"name": ROUTE_COOKIE, "value": proxy.route_to(a.port),
                                   "url": proxy.url}])
        open_checklist(page, proxy)
        rate(page, "D1", "Met")
        assert stored(database, "D1").rating == "met"

        a.stop()  # mid-session: the page is open, its WebSocket to A breaks
        mark = proxy.log_mark()
        page.reload()
        expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
        wait_idle(page)
        expect(rating(page, "D1", "Met")).to_be_checked()  # nothing lost
        rate(page, "D2", "Partly met")
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
    assert stored(database, "D1").rating == "met"
    assert stored(database, "D2").rating == "partly-met"
    # Every request after the stop was answered by B (the first after trying A); the only
    # line for A is the old WebSocket, logged when it broke.
    served = [(path, ports) for path, ports in proxy.served_since(mark)
              if (path, ports) != ("/_stcore/stream", str(a.port))]
    assert served and {ports.split(",")[-1] for _path, ports in served} == {str(b.port)}, served
