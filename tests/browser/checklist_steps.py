"""What a SENCO does on the checklist in Chromium, step by step, for the browser tests.

Each step waits for the run it causes to end (see helpers.wait_idle), so the next step acts on
the page as a person would see it, not on what the previous run left half drawn.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .helpers import AppServer, runs, scroll_to, wait_idle


def start_audit(page: Page, server: AppServer) -> None:
    """Start Oak Tree Primary School's audit from the Audits page and wait for its checklist."""
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Audits", exact=True)).to_be_visible()
    page.get_by_role("textbox", name="URN (unique reference number)").fill("123456")
    page.get_by_role("textbox", name="School name").fill("Oak Tree Primary School")
    for field, choice in (("Phase", "Primary"), ("Type of school", "Maintained school")):
        select = page.get_by_label(field)
        scroll_to(select)  # on a phone the form is taller than the screen
        select.click()
        page.get_by_role("option", name=choice, exact=True).click()
    before = runs(page)
    page.get_by_role("button", name="Start the audit").click()
    wait_idle(page, before)
    expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_visible()
    wait_idle(page)


def rating(page: Page, cid: str, label: str) -> Locator:
    """The radio button of one rating of one criterion."""
    return page.get_by_role("radiogroup", name=f"Rating for {cid}", exact=True).get_by_role(
        "radio", name=label, exact=True)


def rate(page: Page, cid: str, label: str) -> None:
    """Rate a criterion as a person does, and wait until the rating is saved and shown."""
    # The visible label is what a person clicks; the input itself is visually hidden.
    before = runs(page)
    page.get_by_role("radiogroup", name=f"Rating for {cid}", exact=True).get_by_text(
        label, exact=True).click()
    wait_idle(page, before)  # the save has happened once this card's rerun is over
    expect(rating(page, cid, label)).to_be_checked()


def choose_section(page: Page, title: str) -> None:
    """Open a section from the task list (a radio group: the label is what one clicks)."""
    option = page.get_by_role("radiogroup", name="Sections", exact=True).get_by_role(
        "radio", name=title, exact=True)
    if option.is_checked():
        return
    label = page.get_by_role("radiogroup", name="Sections", exact=True).get_by_text(
        title, exact=True)
    scroll_to(label)
    before = runs(page)
    label.click()
    wait_idle(page, before)
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
