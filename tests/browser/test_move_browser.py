"""Moving an audit to a new framework version in Chromium: the preview, then the move."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quality_offer import framework as frameworks
from quality_offer.store import Store

from ..changing_framework import ANSWERS, VERSIONS
from .helpers import ROOT, AppServer, chromium_missing, new_page, runs, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    """The app on the two test versions, with an audit on the older one already stored."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    from ..builders import make_audit

    data = tmp_path / "data"
    data.mkdir()
    old = frameworks.registry(frameworks.shipped_folders(VERSIONS))[("changing", "1.0.0")]
    with Store(f"sqlite:///{data / 'quality-offer.db'}") as store:
        store.create_audit(make_audit(old, ANSWERS), "someone")
    srv = AppServer(ROOT / "streamlit_app.py", data, criteria=VERSIONS)
    srv.start()
    yield srv
    srv.stop()


def test_the_move_is_previewed_then_done_in_the_browser(browser, server, tmp_path):
    with new_page(browser) as page:
        page.goto(server.url)
        wait_idle(page)
        before = runs(page)
        page.get_by_role("button", name="Open the checklist").click()
        wait_idle(page, before)
        expect(page.get_by_text("This audit uses version 1.0.0 of the criteria.")).to_be_visible()
        before = runs(page)
        page.get_by_role("button", name="Preview the move to version 2.0.0").click()
        wait_idle(page, before)
        expect(page.get_by_text("withdrawn and replaced by K9: moves there to re-check")
               ).to_be_visible()
        page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
        before = runs(page)
        page.get_by_role("button", name="Move to version 2.0.0").click()
        wait_idle(page, before)
        expect(page.get_by_text("No answer is lost.")).to_be_visible()
        # the section the checklist opens on shows a moved answer with the wording it answered
        expect(page.get_by_text("which read:").first).to_be_visible()
        expect(page.get_by_text("This audit uses version")).to_have_count(0)
        page.screenshot(path=str(tmp_path / "moved.png"), full_page=True)
