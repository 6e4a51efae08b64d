"""The authority's cycle in the store: who sets the collection, and handing an audit in.

A school submits its audit to the authority and may withdraw it until the authority has
moderated it or it is signed off; an authority's advisers set the year it collects and the
closing date, and nobody sets another authority's.
"""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.store import Forbidden, StoreError

from .test_store_door import YEAR, A, db, persona, template  # noqa: F401  (fixtures)

CLOSES = dt.date(2027, 3, 31)


@pytest.mark.parametrize("who", ["adviser_919", "admin"])
def test_the_authoritys_adviser_or_an_administrator_sets_its_collection(db, who):  # noqa: F811
    cycle = db.set_cycle("919", "2026/27", CLOSES, persona(who))
    assert db.cycle("919") == cycle
    assert (cycle.academic_year, cycle.closes_on, cycle.set_by) == ("2026/27", CLOSES, who)


@pytest.mark.parametrize("who", ["adviser_204", "senco_a", "head_a", "governor_a", "outsider"])
def test_nobody_else_sets_an_authoritys_collection(db, who):  # noqa: F811
    with pytest.raises(Forbidden):
        db.set_cycle("919", "2026/27", CLOSES, persona(who))
    assert db.cycle("919") is None


@pytest.mark.parametrize("year", ["2026/28", "2026-27", "２０２６/27", "26/27"])
def test_a_collection_for_a_year_that_is_not_one_is_refused(db, year):  # noqa: F811
    with pytest.raises(StoreError, match="academic year"):
        db.set_cycle("919", year, None, persona("admin"))


def test_setting_the_collection_again_replaces_it(db):  # noqa: F811
    db.set_cycle("919", "2026/27", CLOSES, persona("admin"))
    db.set_cycle("919", "2027/28", None, persona("adviser_919"))
    cycle = db.cycle("919")
    assert (cycle.academic_year, cycle.closes_on, cycle.set_by) == ("2027/28", None,
                                                                    "adviser_919")


@pytest.mark.parametrize("who", ["senco_a", "head_a"])
def test_the_school_submits_and_withdraws_and_the_history_keeps_both(db, who):  # noqa: F811
    db.submit(A, YEAR, persona(who))
    assert db.get_audit(A, YEAR).status == "submitted"
    db.withdraw(A, YEAR, persona(who))
    assert db.get_audit(A, YEAR).status == "in-progress"
    moves = [(c.old, c.new) for c in db.history(A, YEAR) if c.field == "status"]
    assert ("in-progress", "submitted") in moves and ("submitted", "in-progress") in moves


@pytest.mark.parametrize("who", ["governor_a", "adviser_919", "senco_b", "outsider"])
def test_others_cannot_withdraw_a_schools_submitted_audit(db, who):  # noqa: F811
    db.submit(A, YEAR, persona("senco_a"))
    with pytest.raises(Forbidden):
        db.withdraw(A, YEAR, persona(who))
    assert db.get_audit(A, YEAR).status == "submitted"


def test_a_moderated_audit_can_no_longer_be_withdrawn(db):  # noqa: F811
    db.submit(A, YEAR, persona("senco_a"))
    seen = db.response_version(A, YEAR, "D1")
    db.moderate(A, YEAR, "D1", "not-met", "No plan seen on the visit.", persona("adviser_919"),
                expected_version=seen)
    with pytest.raises(Forbidden, match="moderated"):
        db.withdraw(A, YEAR, persona("senco_a"))
    assert db.get_audit(A, YEAR).status == "submitted"


def test_only_a_submitted_audit_can_be_withdrawn(db):  # noqa: F811
    with pytest.raises(StoreError, match="only a submitted audit"):
        db.withdraw(A, YEAR, persona("senco_a"))
