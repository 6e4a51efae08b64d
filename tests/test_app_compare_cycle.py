"""The Compare page follows the authority's collection: its year, and audits handed in.

Schools A and B (authority 919) have audits for 2026/27; A has started 2027/28 early. Once
the authority collects 2026/27, the page opens on that year (not on the newest year in the
database) and counts what schools submitted, with drafts shown on request and marked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.audit import Audit

from .app_support import as_, goto, make_audit
from .compare_support import everything, open_compare
from .personas import YEAR, A, B

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def collecting(db, mini):
    data = make_audit(mini, {"D1": {"rating": "met"}}, urn=A, name="Alder Primary School",
                      year="2027/28").model_dump()
    data["school"]["la_code"] = "919"
    db.create_audit(Audit.model_validate(data), "setup")
    db.submit(B, YEAR, "setup")
    db.set_cycle("919", YEAR, dt.date(2027, 3, 31), "setup")
    return db


def test_compare_opens_on_the_year_collected_not_the_newest(collecting):
    at = open_compare("adviser_919")
    assert at.selectbox(key="cmp_year").value == YEAR
    page = everything(at)
    assert "The authority is collecting 2026/27, closing 31 March 2027" in page
    # A's 2027/28 audit, started early, is a draft but not one the authority waits for.
    assert "1 draft of 2026/27 not yet submitted (and 1 draft of another year)." in page
    assert "Birch" in page and "Alder" not in page


def test_drafts_can_be_included_and_are_marked_as_drafts(collecting):
    at = open_compare("adviser_919")
    at.toggle(key="cmp_drafts").set_value(True).run()
    page = everything(at)
    assert "Alder" in page and "Draft (in progress)" in page


def test_drafts_included_are_kept_in_the_address_and_a_link_opens_with_them(collecting):
    at = open_compare("adviser_919")
    assert "drafts" not in at.query_params
    at.toggle(key="cmp_drafts").set_value(True).run()
    assert at.query_params["drafts"] in ("yes", ["yes"])
    shared = as_("adviser_919")
    shared.query_params.update({"drafts": "yes", "academic_year": YEAR})
    goto(shared, "compare")
    assert not shared.exception, shared.exception
    assert shared.toggle(key="cmp_drafts").value is True
    assert "Draft (in progress)" in everything(shared)
    at.toggle(key="cmp_drafts").set_value(False).run()
    assert "drafts" not in at.query_params


@pytest.mark.parametrize("value", ["no", "1", "true", "<b>yes</b>", ""])
def test_any_other_drafts_value_in_the_address_leaves_drafts_out(collecting, value):
    at = as_("adviser_919")
    at.query_params["drafts"] = value
    goto(at, "compare")
    assert not at.exception, at.exception
    assert at.toggle(key="cmp_drafts").value is False
    assert "Alder" not in everything(at)


def test_without_a_collection_every_audit_counts_as_before(db):
    page = everything(open_compare("adviser_919"))
    assert "Alder" in page and "Birch" in page and "The authority is collecting" not in page


def test_the_moderation_view_lists_the_queue_and_where_the_authority_differs(db):
    db.submit(B, YEAR, "setup")
    db.moderate(A, YEAR, "D1", "not-met", "No plan seen on the visit.", "setup",
                expected_version=db.response_version(A, YEAR, "D1"))
    at = open_compare("adviser_919")
    at.segmented_control(key="cmp_view").set_value("Moderation").run()
    assert not at.exception, at.exception
    waiting = next(df.value for df in at.dataframe if "Assessed" in df.value.columns)
    assert list(waiting["School"]) == ["Birch Primary School"]
    differs = next(df.value for df in at.dataframe if "Authority's rating" in df.value.columns)
    row = differs.iloc[0]
    assert (row["School"], row["School's rating"], row["Authority's rating"]) == (
        "Alder Primary School", "Partly met", "Not met")


def test_an_adviser_sets_the_collection_on_the_page_and_compare_opens_on_it(db,
                                                                          mini):
    data = make_audit(mini, {"D1": {"rating": "met"}}, urn=A, name="Alder Primary School",
                      year="2027/28").model_dump()
    data["school"]["la_code"] = "919"
    db.create_audit(Audit.model_validate(data), "setup")
    db.submit(B, YEAR, "setup")
    at = open_compare("adviser_919")
    assert at.selectbox(key="cmp_year").value == "2027/28"  # the newest, nothing set yet
    assert "The authority's collection: not set" in [e.label for e in at.expander]
    at.text_input(key="cmp_cycle_year").set_value(YEAR)
    at.date_input(key="cmp_cycle_closes").set_value(dt.date(2027, 3, 31))
    at.button(key="cmp_cycle_save").click().run()
    assert not at.exception, at.exception
    cycle = db.cycle("919")
    assert (cycle.academic_year, cycle.closes_on, cycle.set_by) == (
        YEAR, dt.date(2027, 3, 31), "Ada Adviser 919")
    assert at.selectbox(key="cmp_year").value == YEAR
    assert "The authority is collecting 2026/27, closing 31 March 2027" in everything(at)
    assert db.cycle("204") is None


def test_a_collection_the_store_refuses_changes_nothing_and_says_why(db):
    at = open_compare("adviser_919")
    at.text_input(key="cmp_cycle_year").set_value("2026-27")
    at.button(key="cmp_cycle_save").click().run()
    assert "The collection was not changed" in everything(at)
    assert "is not an academic year" in everything(at)
    assert db.cycle("919") is None
