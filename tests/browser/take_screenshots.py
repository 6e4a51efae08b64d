"""Screenshots of every page, for a person to look at (not a test: nothing is asserted).

    .venv/bin/python -m tests.browser.take_screenshots [OUT_DIR]   # default /tmp/shots

Starts the real app on the shipped framework (or the tests' mini one if the shipped one does
not validate) with a temporary database holding one part-done audit: some duties met, some
gaps, evidence, actions (one overdue), a not-applicable answer and markup typed into free
text. Writes one full-page PNG per page and state. Do not commit the images.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.audit import Audit, FrameworkRef, School, applicable
from quality_offer.errors import InputError
from quality_offer.store import Store

from .helpers import (
    MINI_CRITERIA,
    ROOT,
    AppServer,
    full_screenshot,
    launch,
    prepare,
    runs,
    scroll_to,
    wait_idle,
)


def sample_audit(fw: frameworks.Framework) -> Audit:
    school = School(urn="117234", name="Oak Tree Primary School **(test)** <b>", la_code="919",
                    phase="primary", type="maintained", area="DSPL 8")
    audit = Audit(framework=FrameworkRef(id=fw.id, version=fw.version), school=school,
                  academic_year="2026/27")
    responses = {}
    for i, crit in enumerate(applicable(fw, audit)):
        scale = fw.scale_of(crit)
        if i % 5 == 4:
            continue  # not assessed yet
        level = scale.level_ids[(i * 7) % len(scale.level_ids)]
        resp: dict = {"rating": level}
        if i % 3 == 0:
            resp["evidence"] = {"text": "SEN policy *2026*, section 3 [link](http://x)",
                                "location": "Shared drive > SEND", "kind": "document"}
        if not scale.level(level).meets_expectation and i % 2 == 0:
            resp["action"] = {"what": "Review the SEN information report with governors",
                              "owner": "SENCO", "status": "in-progress",
                              "due": (dt.date(2026, 10, 1) if i % 4 == 0
                                      else dt.date(2027, 3, 31)).isoformat()}
        if crit.na_allowed and i % 2:
            resp = {"not_applicable_reason": "No pupils in this group on roll this year"}
        responses[crit.id] = resp
    return Audit.model_validate({**audit.model_dump(), "responses": responses})


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    try:
        fw, criteria = frameworks.default(), None
    except (InputError, KeyError, IndexError):
        fw, criteria = frameworks.load(MINI_CRITERIA / "mini"), MINI_CRITERIA
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        audit = sample_audit(fw)
        with Store(f"sqlite:///{(data / 'quality-offer.db').resolve()}") as store:
            store.create_audit(audit, "Screenshots")
        good = Path(tmp) / "oak.yaml"
        changed = audit.model_copy(update={"responses": {
            **audit.responses, next(iter(audit.responses)): audit.responses[
                next(iter(audit.responses))].model_copy(update={"rating": None,
                                                              "not_applicable_reason": None})}})
        good.write_text(auditfile.dump(changed, "yaml"))
        server = AppServer(ROOT / "streamlit_app.py", data, criteria=criteria).start()
        try:
            with sync_playwright() as pw:
                browser = launch(pw)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                prepare(context)
                page = context.new_page()

                def shot(path: str, name: str) -> None:
                    page.goto(server.url + path)
                    page.get_by_role("heading", level=1).first.wait_for()
                    wait_idle(page)
                    full_screenshot(page, out / f"{name}.png")

                shot("/", "1-audits")
                shot("/checklist", "2-checklist")
                first = next(c.id for c in applicable(fw, audit))
                exp = page.get_by_text(f"Evidence and action for {first}", exact=True)
                scroll_to(exp)
                before = runs(page)
                exp.click()
                wait_idle(page, before)
                full_screenshot(page, out / "3-checklist-evidence-open.png")
                page.set_viewport_size({"width": 420, "height": 900})
                page.wait_for_timeout(400)
                page.screenshot(path=str(out / "4-checklist-narrow.png"))
                page.set_viewport_size({"width": 1280, "height": 900})
                shot("/gap-report", "5-gap-report")
                shot("/import-export", "6-import-export")
                before = runs(page)
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                    str(good))
                wait_idle(page, before)
                page.get_by_text("What importing would change").wait_for()
                full_screenshot(page, out / "7-import-preview.png")
                broken = Path(tmp) / "broken.yaml"
                broken.write_text("format: quality-offer-audit/1\nschool: [unclosed\n")
                page.goto(server.url + "/import-export")
                wait_idle(page)
                before = runs(page)
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                    str(broken))
                wait_idle(page, before)
                full_screenshot(page, out / "8-import-broken.png")
                shot("/framework", "9-framework")
                box = page.get_by_role("searchbox", name="Search criteria and references")
                if not box.count():
                    box = page.get_by_role("textbox", name="Search criteria and references")
                before = runs(page)
                box.fill("annual review")
                box.press("Enter")
                wait_idle(page, before)
                full_screenshot(page, out / "10-framework-search.png")
                browser.close()
        finally:
            server.stop()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/shots"))
