"""The authority's collection checked as an adviser checks it, in Chromium, on 60 schools.

Sixty schools of authority 919 on the mini framework (four criteria; D2 does not apply to
special schools), built through the store as the year's work leaves them: drafts, audits
submitted, signed off, submitted and moderated by the adviser, and schools that have already
started next year's audit. The authority collects 2026/27.

An adviser signs in and opens Compare. Every figure the test expects is counted here from
the answers as built (which share of each school's applicable criteria is answered, which
answers are at or above expected), never through the comparison code the page uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from quality_offer import framework as frameworks
from quality_offer.audit import Audit, SignOff
from quality_offer.permissions import Membership, User
from quality_offer.store import Store
from quality_offer.store.settings import DB_FILE

from .helpers import (
    MINI_CRITERIA,
    ROOT,
    AppServer,
    OidcProvider,
    chromium_missing,
    new_page,
    runs,
    scroll_to,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.browser

LA, YEAR, NEXT = "919", "2026/27", "2027/28"
ADVISER = "adviser-of-919"
#: The mini framework's criteria by section; D2 does not apply to special schools.
SECTIONS = {"Statutory duties": ("D1", "D2"), "Outcome 1": ("O1.1", "O1.2")}
MEETS = {"met", "established", "exemplary"}  # the levels at or above expected
#: The mini framework's level labels, as the page says them.
LABELS = {"met": "Met", "partly-met": "Partly met", "not-met": "Not met",
          "established": "Established", "emerging": "Emerging", "exemplary": "Exemplary",
          "not-in-place": "Not in place"}
PHASES = {"primary": "Primary", "secondary": "Secondary", "special": "Special"}
TYPES = {"maintained": "Maintained school", "academy": "Academy",
         "non-maintained-special": "Non-maintained special school"}
STATUSES = {"in-progress": "Draft (in progress)", "submitted": "Submitted",
            "signed-off": "Signed off"}
DUTY_LEVELS = ("met", "partly-met", "not-met")
OUTCOME_LEVELS = ("established", "emerging", "exemplary", "not-in-place")
WORDS = ("Alder", "Ash", "Aspen", "Beech", "Birch", "Blackthorn", "Box", "Cedar", "Cherry",
         "Chestnut", "Cypress", "Elder", "Elm", "Fir", "Hawthorn", "Hazel", "Holly",
         "Hornbeam", "Juniper", "Larch", "Laurel", "Lime", "Linden", "Maple", "Medlar",
         "Mulberry", "Oak", "Olive", "Pear", "Pine", "Plane", "Plum", "Poplar", "Quince",
         "Rowan", "Spruce", "Sycamore", "Walnut", "Willow", "Yew")


@dataclass
class School:
    """One school of the cohort as built: what the test expects is derived from this."""

    urn: str
    name: str
    phase: str
    type: str
    status: str  # in-progress, submitted, signed-off
    answers: dict[str, str]
    moderated: bool = False
    next_year: bool = False
    criteria: tuple[str, ...] = field(default=("D1", "D2", "O1.1", "O1.2"))

    @property
    def assessed(self) -> float:
        return len(self.answers) / len(self.criteria)

    def assessed_words(self) -> str:
        return f"{self.assessed:.0%} of {len(self.criteria)} criteria assessed"

    def share(self, section: str) -> str:
        rated = [c for c in SECTIONS[section] if c in self.answers]
        if not rated:
            return "none assessed"
        met = sum(1 for c in rated if self.answers[c] in MEETS)
        return f"{met / len(rated):.0%}"

    @property
    def handed_in(self) -> bool:
        return self.status != "in-progress"

    def row(self) -> dict[str, str]:
        """The school's row in the heatmap's table, as the adviser should read it."""
        unmet = sum(1 for c, r in self.answers.items() if c.startswith("D") and r not in MEETS)
        return {"School": self.name, "URN": self.urn, "Year": YEAR,
                "Phase": PHASES[self.phase], "Type": TYPES[self.type], "Area": "DSPL 8",
                "Status": STATUSES[self.status], "Assessed": self.assessed_words(),
                **{title: self.share(title) for title in SECTIONS},
                "Duties not met or partly met": str(unmet)}

    def answer(self, cid: str) -> str:
        """The school's answer to one criterion in words, as the criterion's drill-down says
        it (the adviser's moderation, recorded on the first answer, beside it)."""
        if cid not in self.criteria:
            return "does not apply"
        if cid not in self.answers:
            return "not assessed"
        rating = self.answers[cid]
        words = LABELS[rating] + ("" if rating in MEETS else " (below expected)")
        if self.moderated and cid == next(iter(self.answers)):
            words += "; moderated: " + LABELS[moderation_of(cid)]
        return words


def plan() -> list[School]:
    """Sixty schools, their phases, statuses and answers varied by a fixed pattern."""
    schools = []
    for i in range(60):
        phase, kind, suffix = (("special", "non-maintained-special", "Special School")
                               if i % 10 == 9 else ("secondary", "academy", "Academy")
                               if i % 3 == 2 else ("primary", "maintained",
                                                   "Primary School"))
        criteria = (("D1", "O1.1", "O1.2") if phase == "special"
                    else ("D1", "D2", "O1.1", "O1.2"))
        answered = criteria[:1 + (i * 7) % len(criteria)]  # 1 to all of them
        answers = {c: (DUTY_LEVELS if c.startswith("D") else OUTCOME_LEVELS)[
            (i + n) % (3 if c.startswith("D") else 4)] for n, c in enumerate(answered)}
        status = ("in-progress", "submitted", "submitted", "signed-off", "submitted",
                  "in-progress")[i % 6]
        schools.append(School(
            urn=f"{120000 + i}", name=f"{WORDS[i % len(WORDS)]} {suffix}"
            + (" East" if i >= len(WORDS) else ""), phase=phase, type=kind, status=status,
            answers=answers, moderated=i % 6 == 4, next_year=i in (8, 27, 44),
            criteria=criteria))
    return schools


COHORT = plan()


def _audit(school: School, year: str, answers: dict[str, str]) -> Audit:
    mini = frameworks.load(MINI_CRITERIA / "mini")
    return Audit.model_validate({
        "framework": {"id": mini.id, "version": mini.version},
        "school": {"urn": school.urn, "name": school.name, "la_code": LA,
                   "phase": school.phase, "type": school.type, "area": "DSPL 8"},
        "academic_year": year,
        "responses": {c: {"rating": r} for c, r in answers.items()}})


def moderation_of(cid: str) -> str:
    """The adviser's moderated rating of a school's first answer."""
    return "not-met" if cid.startswith("D") else "emerging"


def build(store: Store, issuer: str) -> None:
    """The cohort through the store, each step by whoever does it in the year: the school's
    work as the server's operator (as an import does), moderation by the adviser."""
    store.add_membership(issuer, ADVISER, "Ada Adviser", "adviser", None, LA, "setup")
    adviser = User(issuer=issuer, subject=ADVISER, name="Ada Adviser",
                   memberships=(Membership("adviser", la_code=LA),))
    for s in COHORT:
        store.create_audit(_audit(s, YEAR, s.answers), "setup")
        if s.status == "submitted":
            store.submit(s.urn, YEAR, "setup")
        elif s.status == "signed-off":
            why = None if s.assessed == 1 else "Signed as it stands; the rest next term."
            for role, who in (("headteacher", "Hana Head"), ("sen-governor", "Gil Governor")):
                store.sign_off(s.urn, YEAR, SignOff(name=who, role=role,
                                                    date=dt.date(2027, 2, 1), reason=why),
                               "setup")
        if s.moderated:
            cid = next(iter(s.answers))
            store.moderate(s.urn, YEAR, cid, moderation_of(cid), "Seen on the visit.", adviser,
                           expected_version=store.response_version(s.urn, YEAR, cid))
        if s.next_year:
            store.create_audit(_audit(s, NEXT, {"D1": "met"}), "setup")
    store.set_cycle(LA, YEAR, dt.date(2027, 3, 31), adviser)


# --- what the adviser should see, counted from the cohort as built -------------------------


def selection(*, drafts: bool, phase: str | None = None) -> list[School]:
    """The schools in the view: this year's audits handed in (and drafts, when included)."""
    return [s for s in COHORT if (drafts or s.handed_in) and phase in (None, s.phase)]


def split(schools: list[School], share: float) -> tuple[list[School], list[School]]:
    """(scored, shown apart) at the least share assessed ``share``."""
    return ([s for s in schools if s.assessed >= share],
            [s for s in schools if s.assessed < share])


def gaps(scored: list[School]) -> dict[str, tuple[str, str]]:
    """Criterion -> (schools below expected, schools assessed), for criteria any school in
    ``scored`` rates below expected."""
    out = {}
    for cid in ("D1", "D2", "O1.1", "O1.2"):
        rated = [s.answers[cid] for s in scored if cid in s.answers]
        below = sum(1 for r in rated if r not in MEETS)
        if below:
            out[cid] = (str(below), str(len(rated)))
    return out


def count_line(scored: list[School], apart: list[School], share: int) -> str:
    return (f"{len(scored)} schools in this selection"
            + (f" (and {len(apart)} shown apart, under {share}% assessed)" if apart else "")
            + f", {YEAR}")


# --- reading the page ---------------------------------------------------------------------


def grid(page: Page, *headers: str, without: str | None = None) -> Locator:
    """The one data table with these column headers (and not ``without``)."""
    def header(name: str) -> Locator:  # the table for screen readers is hidden from sight
        return page.locator("th").filter(has_text=re.compile(f"^{re.escape(name)}$"))

    found = page.locator("[data-testid='stDataFrame']")
    for h in headers:
        found = found.filter(has=header(h))
    if without:
        found = found.filter(has_not=header(without))
    expect(found).to_have_count(1)
    return found


ROWS_JS = """t => {
  const head = {};
  for (const th of t.querySelectorAll('th')) head[th.getAttribute('aria-colindex')] = th.innerText;
  return Array.from(t.querySelectorAll('tbody tr')).map(tr => Object.fromEntries(
    Array.from(tr.querySelectorAll('td')).map(td =>
      [head[td.getAttribute('aria-colindex')], td.innerText])));
}"""


TABLE_JS = """t => {
  const head = Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim());
  return Array.from(t.querySelectorAll('tbody tr')).map(tr => Object.fromEntries(
    Array.from(tr.children).map((c, i) => [head[i], c.innerText.trim()])));
}"""


def rows(table: Locator, total: int, columns: int, key: str = "URN"
         ) -> dict[str, dict[str, str]]:
    """The ``total`` rows of ``columns`` cells of a data table, by their ``key`` column.

    The table draws only the rows in sight, so it is opened full screen (the toolbar's
    button, as an adviser does with a long table) in a window tall enough for all of them.
    """
    grid_table = table.locator("table[role='grid']")
    expect(grid_table).to_have_attribute("aria-rowcount", str(total + 1))
    scroll_to(table)
    # By keyboard: the toolbar shows on hover and moves in as the pointer reaches it.
    table.get_by_role("button", name="Fullscreen").press("Enter")
    expect(table.locator("tbody tr")).to_have_count(total)
    # every cell of every row drawn (the table fills in as the full-screen grid lays out)
    table.page.wait_for_function(
        "([t, n]) => t.querySelectorAll('th').length === n && Array.from("
        "t.querySelectorAll('tbody tr')).every(tr => tr.querySelectorAll('td').length === n "
        "&& tr.innerText.trim() !== '')", arg=[grid_table.element_handle(), columns])
    found = grid_table.evaluate(ROWS_JS)
    table.page.keyboard.press("Escape")
    expect(table.get_by_role("button", name="Fullscreen")).to_be_attached()
    return {r[key]: r for r in found}


def click(page: Page, target: Locator) -> None:
    """Click and wait for the run it starts to be drawn."""
    before = runs(page)
    target.click()
    wait_idle(page, before)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a select box or a multiselect by its label."""
    box = page.get_by_role("combobox", name=label, exact=True)
    scroll_to(box)
    box.click()
    click(page, page.get_by_role("option", name=option, exact=True))
    if box.get_attribute("aria-expanded") == "true":  # a multiselect stays open for more
        box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")


def follow(page: Page, link: Locator) -> Page:
    """Follow one of the page's links (they open in a new tab) and wait for its page."""
    scroll_to(link)
    with page.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    wait_idle(tab)
    return tab


def check_heatmap(page: Page, scored: list[School], apart: list[School]) -> None:
    """The heatmap's table and the shown-apart list hold exactly these schools, each with
    its figures as built; the chart is drawn for as many."""
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    expect(chart.locator("svg").first).to_be_visible()
    assert (chart.get_attribute("aria-label") or "").startswith(
        f"Heatmap of {len(scored)} schools by section.")
    shown = rows(grid(page, "Phase", "Assessed"), len(scored), len(COHORT[0].row()))
    assert set(shown) == {s.urn for s in scored}
    wrong = {s.urn: {k: (shown[s.urn].get(k), v) for k, v in s.row().items()
                     if shown[s.urn].get(k) != v} for s in scored}
    assert not any(wrong.values()), {u: w for u, w in wrong.items() if w}  # (shown, built)
    if apart:
        shown = rows(grid(page, "Assessed", without="Phase"), len(apart), 5)
        assert {u: (r["School"], r["Status"], r["Assessed"]) for u, r in shown.items()} == {
            s.urn: (s.name, STATUSES[s.status], s.assessed_words()) for s in apart}
    else:
        expect(page.get_by_role("heading", name="Shown apart")).to_have_count(0)


# --- the test -----------------------------------------------------------------------------


@pytest.fixture
def collecting(tmp_path: Path) -> Iterator[AppServer]:
    """The provider, the cohort and the app in shared mode (everyone signs in)."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    idp = OidcProvider([{"sub": ADVISER, "name": "Ada Adviser"}], tmp_path / "idp.log")
    idp.start()
    try:
        data = tmp_path / "data"
        data.mkdir()
        with Store(f"sqlite:///{data / DB_FILE}") as store:
            build(store, idp.issuer)
        app = AppServer(ROOT / "streamlit_app.py", data, criteria=MINI_CRITERIA, sign_in=idp)
        app.start()
        try:
            yield app
        finally:
            app.stop()
    finally:
        idp.stop()


def test_an_adviser_checks_the_collection_of_sixty_schools(browser: Any,
                                                           collecting: AppServer):
    handed_in = selection(drafts=False)
    drafts = [s for s in COHORT if not s.handed_in]
    assert len(COHORT) == 60 and drafts and any(s.next_year for s in handed_in)
    with new_page(browser, width=1600, height=2600) as page:
        sign_in(page, collecting.url, ADVISER)
        page.goto(f"{collecting.url}/compare")
        wait_idle(page)
        main = page.get_by_test_id("stMain")
        # The year collected, not next year's started by three schools; their drafts apart.
        expect(main).to_contain_text(
            f"The authority is collecting {YEAR}, closing 31 March 2027. The views count "
            f"audits schools have submitted or signed off; {len(drafts)} drafts of {YEAR} "
            f"not yet submitted (and {sum(s.next_year for s in COHORT)} drafts of other "
            "years).")
        scored, apart = split(handed_in, 0.5)
        expect(main).to_contain_text(count_line(scored, apart, 50))
        check_heatmap(page, scored, apart)

        click(page, page.get_by_role("radio", name="Moderation", exact=True))
        waiting = grid(page, "Assessed", without="Phase").locator("table[role='grid']")
        expect(waiting).to_have_attribute("aria-rowcount", str(1 + sum(
            1 for s in handed_in if s.status == "submitted" and not s.moderated)))

        click(page, page.get_by_role("radio", name="Common gaps", exact=True))
        found = rows(grid(page, "Rank", "Criterion"), len(gaps(scored)), 9, key="Criterion")
        assert {cid: (r["Schools below expected"], r["Schools assessed"])
                for cid, r in found.items()} == gaps(scored)

        # Drafts included: every school of the year, drafts marked as drafts.
        click(page, page.get_by_role("radio", name="Heatmap", exact=True))
        click(page, page.get_by_text("Include drafts (audits not yet submitted)"))
        scored, apart = split(selection(drafts=True), 0.5)
        expect(main).to_contain_text(count_line(scored, apart, 50))
        check_heatmap(page, scored, apart)
        assert any(s.status == "in-progress" for s in scored)

        # Secondary schools only, and only audits at least three-quarters assessed.
        choose(page, "Phase", "Secondary")
        choose(page, "Share assessed to be scored", "75%")
        scored, apart = split(selection(drafts=True, phase="secondary"), 0.75)
        assert scored and apart
        expect(main).to_contain_text(count_line(scored, apart, 75))
        check_heatmap(page, scored, apart)
        address = page.url
        query = parse_qs(urlsplit(address).query)
        assert (query["phase"], query["min_assessed"], query["drafts"]) == (
            ["secondary"], ["75"], ["yes"])

    # The address sent to a colleague (or opened tomorrow): a fresh sign-in, the same view.
    with new_page(browser, width=1600, height=2600) as page:
        sign_in(page, collecting.url, ADVISER)
        page.goto(address)
        wait_idle(page)
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(count_line(scored, apart, 75))
        check_heatmap(page, scored, apart)

        # A school's link opens it beside the others, in the same selection.
        school = scored[0]
        tab = follow(page, main.get_by_role("link", name=school.name, exact=True).first)
        expect(tab.get_by_role("heading", name="One school beside the others")).to_be_visible()
        expect(tab.get_by_test_id("stMain")).to_contain_text(
            f"{school.name}, URN {school.urn}, {YEAR}, Secondary, Academy")
        expect(tab.get_by_test_id("stMain")).to_contain_text(count_line(scored, apart, 75))
        tab.close()

        # A common gap's link opens its criterion school by school.
        click(page, page.get_by_role("radio", name="Common gaps", exact=True))
        expected = gaps(scored)
        item = main.locator("ol li").first  # the list under the table: most common first
        link = item.get_by_role("link")
        cid = link.inner_text().split(":", 1)[0]
        below, assessed = expected[cid]
        expect(item).to_contain_text(f"({below} of {assessed} below expected)")
        tab = follow(page, link)
        expect(tab.get_by_test_id("stMain")).to_contain_text(count_line(scored, apart, 75))
        table = tab.locator("[data-testid='stTable'] table")
        expect(table.locator("tbody tr")).to_have_count(len(scored))
        answers = table.evaluate(TABLE_JS)
        assert {r["URN"]: r["Answer"] for r in answers} == {s.urn: s.answer(cid)
                                                           for s in scored}
        tab.close()
