"""A SENCO's sitting, in Chromium against the real server: nothing is lost on a reload or a
server restart, and the gap report downloads as a PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .checklist_steps import choose_section, rate, rating, start_audit
from .helpers import AppServer, runs, scroll_to, wait_idle

pytestmark = pytest.mark.browser


EVIDENCE = "SEN policy **2026**, <b>section 3</b>"


def open_details(page: Page, cid: str) -> None:
    header = page.get_by_text(f"Details, evidence and action for {cid}", exact=True)
    scroll_to(header)
    before = runs(page)
    header.click()
    wait_idle(page, before)


def write_evidence(page: Page, cid: str, text: str) -> None:
    open_details(page, cid)
    box = page.get_by_role("textbox", name=f"Evidence for {cid}: what shows this rating is right")
    box.fill(text)
    before = runs(page)
    box.press("Tab")  # a text area commits when it loses focus
    wait_idle(page, before)


def expect_ratings(page: Page) -> None:
    choose_section(page, "Statutory duties")
    expect(rating(page, "D1", "Partly met")).to_be_checked()
    open_details(page, "D1")
    box = page.get_by_role("textbox", name="Evidence for D1: what shows this rating is right")
    expect(box).to_have_value(EVIDENCE)  # typed markup comes back exactly as typed
    expect(rating(page, "D2", "Met")).to_be_checked()
    expect(page.get_by_text("Overall: 3 of 4 criteria answered (75%)")).to_be_visible()
    choose_section(page, "Outcome 1: provision")
    expect(rating(page, "O1.1", "Emerging")).to_be_checked()
    expect(rating(page, "O1.2", "Emerging")).not_to_be_checked()


def test_ratings_survive_a_reload_and_a_server_restart_and_the_pdf_downloads(
        page: Page, server: AppServer, tmp_path: Path) -> None:
    start_audit(page, server)
    rate(page, "D1", "Partly met")
    rate(page, "D2", "Met")
    expect(page.get_by_text("This section: 2 of 2 answered")).to_be_visible()
    write_evidence(page, "D1", EVIDENCE)
    choose_section(page, "Outcome 1: provision")
    rate(page, "O1.1", "Emerging")
    expect(page.get_by_text("Overall: 3 of 4 criteria answered (75%)")).to_be_visible()

    page.reload()
    expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
    wait_idle(page)
    expect_ratings(page)

    server.restart()
    page.reload()
    expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
    wait_idle(page)
    expect_ratings(page)

    page.get_by_role("link", name="Gap report").click()
    expect(page.get_by_role("heading", name="Gap report", exact=True)).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"1 of 2 statutory duties is met"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF report").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:4] == b"%PDF"
    assert download.value.suggested_filename == "quality-offer-123456-2026-27.pdf" or \
        download.value.suggested_filename.endswith(".pdf")
    assert page.locator('[data-testid="stException"]').count() == 0


def section_line(page: Page, text: str) -> Locator:
    """A line of the task list (a section's state under its name), exactly as shown."""
    return page.get_by_role("radiogroup", name="Sections", exact=True).get_by_text(
        text, exact=True)


def test_the_task_list_counts_follow_every_click_that_changes_a_gap_or_an_answer(
        page: Page, server: AppServer) -> None:
    start_audit(page, server)
    expect(section_line(page, "Not started: 0 of 2 answered")).to_have_count(2)
    rate(page, "D1", "Partly met")  # answered, and below the expected level: a gap
    expect(section_line(page, "In progress: 1 of 2 answered, 1 gap")).to_be_visible()
    rate(page, "D1", "Met")  # still answered, no longer a gap
    expect(section_line(page, "In progress: 1 of 2 answered")).to_be_visible()
    expect(section_line(page, "In progress: 1 of 2 answered, 1 gap")).to_have_count(0)
    rate(page, "D2", "Not met")
    expect(section_line(page, "Completed: 2 of 2 answered, 1 gap")).to_be_visible()
    expect(page.get_by_text("Overall: 2 of 4 criteria answered (50%)")).to_be_visible()

    # The list is still the way between the sections, and the address remembers the place.
    choose_section(page, "Outcome 1: provision")
    rate(page, "O1.1", "Established")
    expect(section_line(page, "In progress: 1 of 2 answered")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Outcome 1: provision", exact=True)).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("radiogroup", name="Sections", exact=True).get_by_role(
        "radio", name="Outcome 1: provision", exact=True)).to_be_checked()
    expect(section_line(page, "Completed: 2 of 2 answered, 1 gap")).to_be_visible()
    expect(section_line(page, "In progress: 1 of 2 answered")).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_showing_only_unanswered_criteria_a_rated_one_leaves_the_list_and_its_count(
        page: Page, server: AppServer) -> None:
    start_audit(page, server)
    box = page.get_by_role("combobox", name="Show only", exact=True)
    box.click()
    before = runs(page)
    page.get_by_role("option", name="Unanswered", exact=True).click()
    wait_idle(page, before)
    box.press("Escape")
    expect(page.get_by_text("4 criteria of 4 match unanswered.")).to_be_visible()
    before = runs(page)  # answered now, D1 is no longer what was asked for
    page.get_by_role("radiogroup", name="Rating for D1", exact=True).get_by_text(
        "Met", exact=True).click()
    wait_idle(page, before)
    expect(page.get_by_text("3 criteria of 4 match unanswered.")).to_be_visible()
    expect(page.get_by_role("radiogroup", name="Rating for D1", exact=True)).to_have_count(0)
    expect(section_line(page, "In progress: 1 of 2 answered")).to_be_visible()
