"""The adviser's Compare schools page in Chromium against the real server: the heatmap is
drawn (Vega renders it), its numbers are on the page as text, and a view switch works."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quality_offer import framework as frameworks
from quality_offer.audit import Audit
from quality_offer.store import Store
from quality_offer.store.settings import DB_FILE

from .helpers import MINI_CRITERIA, AppServer, full_screenshot, runs, wait_idle

pytestmark = pytest.mark.browser

SCHOOLS = [  # urn, name, phase, D1, D2, O1.1, O1.2
    ("100001", "Alder Primary School", "primary", "met", "met", "emerging", "established"),
    ("100002", "Beech Primary School", "primary", "met", "not-met", "not-in-place",
     "exemplary"),
    ("100003", "Elm Primary School", "primary", "partly-met", "met", "emerging", None),
    ("100004", "Hazel Academy", "secondary", "met", "met", "established", "established"),
]


def seed(server: AppServer) -> None:
    mini = frameworks.load(MINI_CRITERIA / "mini")
    with Store(f"sqlite:///{(server.data_dir / DB_FILE).resolve()}") as store:
        for urn, name, phase, d1, d2, o11, o12 in SCHOOLS:
            ratings = {"D1": d1, "D2": d2, "O1.1": o11, "O1.2": o12}
            store.create_audit(Audit.model_validate({
                "framework": {"id": mini.id, "version": mini.version},
                "school": {"urn": urn, "name": name, "la_code": "919", "phase": phase,
                           "type": "academy" if phase == "secondary" else "maintained",
                           "area": "DSPL 8"},
                "academic_year": "2026/27",
                "responses": {c: {"rating": r} for c, r in ratings.items() if r}}), "seed")
        store.create_audit(Audit.model_validate({  # last year, for the trend
            "framework": {"id": mini.id, "version": mini.version},
            "school": {"urn": "100001", "name": "Alder Primary School", "la_code": "919",
                       "phase": "primary", "type": "maintained", "area": "DSPL 8"},
            "academic_year": "2025/26",
            "responses": {"D1": {"rating": "partly-met"}, "D2": {"rating": "met"},
                          "O1.1": {"rating": "not-in-place"}}}), "seed")


def test_the_heatmap_is_drawn_with_its_numbers_as_text(page: Page, server: AppServer,
                                                       tmp_path: Path):
    seed(server)
    page.goto(f"{server.url}/compare")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Compare schools", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Schools by section")).to_be_visible()
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    expect(chart.locator("canvas, svg").first).to_be_visible()
    # The numbers as text: the chart's own alt text, and the table under it.
    assert "Hazel Academy: Statutory duties 100%, Outcome 1 100%" in (
        chart.get_attribute("aria-label") or "")
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_be_visible()
    expect(grid.locator("td").filter(has_text="Elm Primary School")).to_have_count(1)
    cells = grid.locator("td").all_inner_texts()
    row = cells.index("Elm Primary School")
    assert cells[row:row + 6] == ["Elm Primary School", "100003", "2026/27", "Primary",
                                  "Maintained school", "DSPL 8"]
    assert "75% of 4 criteria assessed" in cells and "Draft (in progress)" in cells
    expect(page.get_by_text("4 schools", exact=False).first).to_be_visible()
    shot = tmp_path / "compare-heatmap.png"
    full_screenshot(page, shot)
    assert shot.stat().st_size > 10_000

    before = runs(page)
    page.get_by_role("radio", name="Common gaps", exact=True).click()
    wait_idle(page, before)
    expect(page.get_by_role("heading", name="Criteria most schools rate below expected")
           ).to_be_visible()
    expect(page.get_by_text("Most common: O1.1")).to_be_visible()

    before = runs(page)
    page.get_by_role("radio", name="Trends", exact=True).click()
    wait_idle(page, before)
    trend = page.locator("[data-testid='stVegaLiteChart']").first
    expect(trend.locator("canvas, svg").first).to_be_visible()
    years = page.locator("[data-testid='stDataFrame']").first.locator("td")
    expect(years.filter(has_text="2025/26")).to_have_count(1)
    full_screenshot(page, tmp_path / "compare-trends.png")


def test_every_schools_pdf_is_made_in_the_background_and_found_again_after_a_reload(
        page: Page, server: AppServer, tmp_path: Path):
    import io
    import zipfile

    seed(server)
    page.goto(f"{server.url}/compare")
    wait_idle(page)
    before = runs(page)
    page.get_by_role("radio", name="Exports", exact=True).click()
    wait_idle(page, before)
    before = runs(page)
    page.get_by_role("button", name="Make the 4 PDF reports (zip)").click()
    wait_idle(page, before)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("heading", name="PDF reports")).to_be_visible()
    page.reload()  # the job lives on the server, not in the page
    wait_idle(page)
    download = sidebar.get_by_role("button", name="Download the reports (zip)")
    expect(download).to_be_visible(timeout=60_000)
    expect(sidebar.get_by_text("Ready to download")).to_be_visible()
    full_screenshot(page, tmp_path / "compare-reports-ready.png")
    with page.expect_download() as got:
        download.click()
    saved = tmp_path / "reports.zip"
    got.value.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as zf:
        names = sorted(zf.namelist())
        assert all(zf.read(n)[:4] == b"%PDF" for n in names)
    assert names == [f"quality-offer-10000{i}-2026-27.pdf" for i in range(1, 5)]

    # The server restarts (a deployment, a crash): the finished job is found from its
    # record in the data folder, and its zip is still offered.
    server.restart()
    page.goto(f"{server.url}/compare")
    wait_idle(page)
    again = sidebar.get_by_role("button", name="Download the reports (zip)")
    expect(again).to_be_visible(timeout=30_000)
    with page.expect_download() as got_again:
        again.click()
    with zipfile.ZipFile(io.BytesIO(Path(got_again.value.path()).read_bytes())) as zf:
        assert sorted(zf.namelist()) == names
