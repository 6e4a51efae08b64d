"""The SEN information report check in Chromium against the real server: a SENCO uploads
the school's report (a Word file made by the test, with one required item left out), reads
each item found or missing with the passage quoted, saves the check as evidence and sees it
on D5's card in the checklist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quality_offer import framework as frameworks
from quality_offer.store import Store

from .. import sir_reports as R
from .helpers import ROOT, AppServer, chromium_missing, new_page, runs, scroll_to, wait_idle

pytestmark = pytest.mark.browser

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    """The app on the shipped framework (it has D5 and D5a), with one primary school's
    audit stored, so the page knows the school's phase and type."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    from ..builders import make_audit

    data = tmp_path / "data"
    data.mkdir()
    with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
        store.create_audit(make_audit(frameworks.default()), "someone")
    srv = AppServer(ROOT / "streamlit_app.py", data)
    srv.start()
    yield srv
    srv.stop()


def open_page(page: Page, name: str) -> None:
    """Follow the menu's link, as a person does (the session, and its open audit, stay)."""
    before = runs(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    wait_idle(page, before)
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def test_a_report_is_checked_saved_as_evidence_and_shown_on_d5(browser, server, tmp_path):
    report = R.as_docx(R.sections("sch1-13"))  # every item but the Local Offer's address
    with new_page(browser) as page:
        page.goto(server.url)
        wait_idle(page)
        open_page(page, "SEN information report")
        before = runs(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files=[{
            "name": "oakfield-sen-report.docx", "mimeType": DOCX, "buffer": report}])
        wait_idle(page, before)
        expect(page.get_by_role("heading", name="What the law asks for")).to_be_visible()
        expect(page.get_by_text("22 of 23 required items found, 0 unclear, 1 missing",
                                exact=False)).to_be_visible()
        table = page.get_by_test_id("stTable").first
        # A found item quotes the report's own words, and says where they are.
        senco = table.get_by_role("row").filter(has_text="Sch 1 para 4")
        expect(senco).to_contain_text("Found")
        expect(senco).to_contain_text("Mrs Jane Patel")
        expect(senco).to_contain_text("Who is the SENCO")
        # The item left out is missing, with why the law asks for it.
        local_offer = table.get_by_role("row").filter(has_text="Local Offer").filter(
            has_text="Missing")
        expect(local_offer).to_have_count(1)
        page.screenshot(path=str(tmp_path / "checked.png"), full_page=True)

        save = page.get_by_role("button", name="Save as evidence for D5 and D5a")
        scroll_to(save)
        before = runs(page)
        save.click()
        wait_idle(page, before)
        expect(page.get_by_text("Saved as evidence for D5 and D5a")).to_be_visible()

        open_page(page, "Checklist")
        status = page.locator(".st-key-sir-status-D5")
        scroll_to(status)
        expect(status).to_contain_text("SEN information report check saved as evidence")
        expect(status).to_contain_text("oakfield-sen-report.docx")
        expect(status).to_contain_text("22 found")
        expect(status).to_contain_text("1 missing")
        expect(status).to_contain_text("of 23 required items")
        d5a = page.locator(".st-key-sir-status-D5a")
        expect(d5a).to_contain_text("last reviewed on 15 September 2026")
        expect(page.locator(".st-key-card-D5").get_by_role(
            "link", name="Open the SEN information report check")).to_be_visible()
        page.screenshot(path=str(tmp_path / "d5.png"), full_page=True)
