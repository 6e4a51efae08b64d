"""The adviser sets on the Compare page how much of an audit must be assessed to be scored.

Three schools of authority 919 on the mini framework (four criteria each): Finished has
assessed all four, Half two (50%), Quarter one (25%). At the default 50% Quarter is shown
apart; at 20% it is scored and its one gap counts; at 75% Half is shown apart too. The share
is kept in the page's address, the links on the page carry it, and the downloads follow it.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from quality_offer.compare import address

from .app_support import as_, goto, texts
from .compare_support import authority_audit, follow, links, open_compare, view
from .personas import ISS, PERSONAS

FINISHED, HALF, QUARTER = "110001", "110002", "110003"


@pytest.fixture
def cohort(db, mini):
    answers = {
        FINISHED: ("Finished Primary School", {"D1": {"rating": "met"}, "D2": {"rating": "met"},
                                               "O1.1": {"rating": "established"},
                                               "O1.2": {"rating": "exemplary"}}),
        HALF: ("Half Primary School", {"D1": {"rating": "met"},
                                       "O1.1": {"rating": "emerging"}}),
        QUARTER: ("Quarter Primary School", {"O1.2": {"rating": "not-in-place"}}),
    }
    for urn, (name, responses) in answers.items():
        db.create_audit(authority_audit(mini, urn, name, "919", responses), "setup")
    for subject, name, memberships in PERSONAS.values():
        for role, urn, la in memberships:
            db.add_membership(ISS, subject, name, role, urn, la, "setup")
    return db


def _frame(at, *columns: str):
    """The one data table with these columns (the heatmap's has Phase; shown apart's not)."""
    found = [df.value for df in at.dataframe if set(columns) <= set(df.value.columns)]
    assert len(found) == 1, [list(df.value.columns) for df in at.dataframe]
    return found[0]


def heat_urns(at) -> list[str]:
    return sorted(_frame(at, "Phase", "URN", "Assessed")["URN"])


def apart(at):
    """The shown-apart table, or None when no school is shown apart."""
    found = [df.value for df in at.dataframe
             if "Assessed" in df.value.columns and "Phase" not in df.value.columns]
    return found[0] if found else None


def apart_urns(at) -> list[str]:
    table = apart(at)
    return [] if table is None else sorted(table["URN"])


def share(at, percent: int):
    at.selectbox(key="cmp_min_assessed").set_value(percent).run()
    assert not at.exception, at.exception
    return at


def _param(at, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return value if isinstance(value, list) else [value]


def test_the_page_opens_at_half_assessed_and_says_who_is_shown_apart(cohort):
    at = open_compare("adviser_919")
    assert at.selectbox(key="cmp_min_assessed").value == 50
    assert heat_urns(at) == [FINISHED, HALF]
    assert apart_urns(at) == [QUARTER]
    page = texts(at)
    assert "2 schools** in this selection (and 1 shown apart, under 50% assessed)" in page
    assert "Shown apart: less than 50% assessed" in page
    assert apart(at)["Assessed"].tolist() == [
        "25% of 4 criteria assessed"]


def test_a_lower_share_scores_a_barely_started_audit_and_counts_its_gap(cohort):
    at = share(open_compare("adviser_919"), 20)
    assert heat_urns(at) == [FINISHED, HALF, QUARTER]
    assert apart_urns(at) == []
    assert "Shown apart" not in texts(at)
    assert _param(at, "min_assessed") == ["20"]
    view(at, "Common gaps")
    gaps = _frame(at, "Rank", "Criterion").set_index("Criterion")
    assert gaps.loc["O1.2", "Schools below expected"] == 1  # Quarter's only answer
    assert gaps.loc["O1.2", "Schools assessed"] == 2  # with Finished's


def test_a_higher_share_sets_a_half_done_audit_apart_in_every_view(cohort):
    at = share(open_compare("adviser_919"), 75)
    assert heat_urns(at) == [FINISHED]
    assert apart_urns(at) == [HALF, QUARTER]
    assert "(and 2 shown apart, under 75% assessed)" in texts(at)
    view(at, "Common gaps")
    assert "No criterion is rated below expected" in texts(at)  # Half's O1.1 left out
    view(at, "Heatmap")
    assert at.selectbox(key="cmp_min_assessed").value == 75  # kept across views


def test_an_address_with_a_share_opens_at_that_share(cohort):
    at = as_("adviser_919")
    at.query_params.update({"min_assessed": "75", "view": "heatmap"})
    goto(at, "compare")
    assert not at.exception, at.exception
    assert at.selectbox(key="cmp_min_assessed").value == 75
    assert heat_urns(at) == [FINISHED] and apart_urns(at) == [HALF, QUARTER]


@pytest.mark.parametrize("hostile", ["49", "150", "-5", "5000", "50.0", "1e2", "abc",
                                     "<script>alert(1)</script>", "\u0665\u0660", " ",
                                     "99999999999999999999999999"])
def test_a_hostile_or_out_of_range_share_in_the_address_is_ignored(cohort, hostile):
    at = as_("adviser_919")
    at.query_params["min_assessed"] = hostile
    goto(at, "compare")
    assert not at.exception, at.exception
    assert at.selectbox(key="cmp_min_assessed").value == 50
    assert heat_urns(at) == [FINISHED, HALF] and apart_urns(at) == [QUARTER]
    assert _param(at, "min_assessed") == ["50"]  # the address now says what is shown


def test_links_on_the_page_carry_the_share_and_open_with_it(cohort):
    at = share(open_compare("adviser_919"), 20)
    href = links(at)["Quarter Primary School"]
    assert parse_qs(urlsplit(href).query)["min_assessed"] == ["20"]
    opened = follow("adviser_919", href)
    assert opened.selectbox(key="cmp_min_assessed").value == 20
    assert opened.segmented_control(key="cmp_view").value == "One school"
    assert opened.selectbox(key="cmp_school").value == QUARTER


def _rows(ws) -> list[dict[str, object]]:
    head, *rows = ws.iter_rows(values_only=True)
    return [dict(zip(head, row, strict=True)) for row in rows]


def test_the_downloads_follow_the_share_set_on_the_page(cohort, deferred):
    at = view(share(open_compare("adviser_919"), 75), "Exports")
    assert "less than 75% of its criteria assessed" in texts(at)
    book = load_workbook(io.BytesIO(deferred["quality-offer-comparison.xlsx"]()))
    about = {a: b for a, b in book["About"].iter_rows(values_only=True)}
    assert str(about["Share assessed to be scored"]).startswith("75%")
    scored = {r["URN"]: r["Scored"] for r in _rows(book["Sections"])}
    assert scored == {FINISHED: "yes", HALF: "no: shown apart, under 75% assessed",
                      QUARTER: "no: shown apart, under 75% assessed"}
    shares = {r["URN"]: r["Share assessed"] for r in _rows(book["Sections"])}
    assert shares == {FINISHED: 1.0, HALF: 0.5, QUARTER: 0.25}
    assert _rows(book["Common gaps"]) == []  # only Finished is scored, and it has none
    text = deferred["quality-offer-comparison.csv"]().decode("utf-8-sig")
    by_school = {(r["URN"], r["Scored"]) for r in csv.DictReader(io.StringIO(text))}
    assert by_school == {(FINISHED, "yes"), (HALF, "no: shown apart, under 75% assessed"),
                         (QUARTER, "no: shown apart, under 75% assessed")}
    shared = load_workbook(io.BytesIO(
        deferred["quality-offer-comparison-shared-threshold-5.xlsx"]()))
    about = {a: b for a, b in shared["About"].iter_rows(values_only=True)}
    assert str(about["Share assessed to be scored"]).startswith("75%")

    share(view(at, "Exports"), 20)
    book = load_workbook(io.BytesIO(deferred["quality-offer-comparison.xlsx"]()))
    assert {r["Scored"] for r in _rows(book["Sections"])} == {"yes"}
    gaps = {r["Criterion"]: r["Schools below expected"] for r in _rows(book["Common gaps"])}
    assert gaps == {"O1.1": 1, "O1.2": 1}


def test_share_from_takes_only_the_offered_steps():
    assert [address.share_from(v) for v in ("0", "5", "50", "100", " 40 ")] == [0, 5, 50,
                                                                               100, 40]
    assert all(address.share_from(v) is None
               for v in ("", "49", "101", "-5", "50.0", "1e2", "0x32", "\u0665\u0660"))
    assert address.DEFAULT_SHARE in address.SHARES
