"""A whole audit of the shipped framework completed in Chromium, as a SENCO would do it:
every criterion of every section rated, then the gap report and its PDF agree."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from quality_offer import framework as frameworks
from quality_offer.audit import School, applicable
from quality_offer.gaps import analyse
from quality_offer.store import Store

from .checklist_steps import choose_section, rate, start_audit
from .helpers import ROOT, AppServer, chromium_missing, new_page, wait_idle

pytestmark = pytest.mark.browser

# The answers, chosen so that the report has one gap of each priority.
BELOW = {"D3": "Not met", "D9": "Partly met", "O1.3": "Not in place", "O2.1": "Emerging"}


@pytest.fixture
def shipped_server(tmp_path: Path) -> Iterator[AppServer]:
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    srv = AppServer(ROOT / "streamlit_app.py", tmp_path / "data")
    srv.start()
    yield srv
    srv.stop()


#: The screens the audit is completed on: a laptop, a phone, and the laptop at 200% zoom.
SCREENS = {"1366x768": {"width": 1366, "height": 768},
           "phone 390x844": {"width": 390, "height": 844},
           "200% zoom": {"width": 1366, "height": 768, "zoom": 2}}


@pytest.fixture(params=list(SCREENS))
def shipped_page(request, browser, shipped_server: AppServer) -> Iterator[Page]:
    with new_page(browser, **SCREENS[request.param]) as pg:
        yield pg


def open_from_menu(page: Page, name: str) -> None:
    """Follow a link of the menu, opening the menu first where the screen has it folded."""
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=name)
    if not link.is_visible():
        page.get_by_test_id("stExpandSidebarButton").click()
    link.click()


def test_a_senco_completes_every_criterion_and_the_report_shows_the_planted_gaps(
        shipped_page: Page, shipped_server: AppServer, tmp_path: Path) -> None:
    page = shipped_page
    fw = frameworks.default()
    school = School(urn="123456", name="Oak Tree Primary School", phase="primary",
                    type="maintained")
    from tests.builders import make_audit

    crits = applicable(fw, make_audit(fw))
    start_audit(page, shipped_server)
    for section in fw.sections:
        choose_section(page, section.title)
        for crit in (c for c in crits if fw.section_of(c.id) == section.id):
            scale = fw.scale_of(crit)
            rate(page, crit.id, BELOW.get(crit.id, scale.expected.label))
    expect(page.get_by_text(re.compile(
        rf"Overall: {len(crits)} of {len(crits)} criteria answered \(100%\)"))).to_be_visible()

    open_from_menu(page, "Gap report")
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF report").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)

    def level_id(crit) -> str:
        scale = fw.scale_of(crit)
        label = BELOW.get(crit.id, scale.expected.label)
        return next(lv.id for lv in scale.levels if lv.label == label)

    expected = analyse(fw, make_audit(fw, {c.id: {"rating": level_id(c)} for c in crits}))
    with Store(f"sqlite:///{tmp_path / 'data' / 'quality-offer.db'}") as store:
        (summary,) = store.list_audits()
        saved = store.get_audit(summary.urn, summary.academic_year)
    assert {cid: r.rating for cid, r in saved.responses.items()} == {
        c.id: level_id(c) for c in crits}
    assert [g.criterion for g in expected.gaps] == ["D3", "D9", "O1.3", "O2.1"]
    assert expected.not_assessed == []
    assert school.name in text
    for gap in expected.gaps:
        assert gap.criterion in text
        for ref in gap.references:
            assert ref.ref in text
    assert page.locator('[data-testid="stException"]').count() == 0
