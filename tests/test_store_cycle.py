"""The authority's cycle in the store: who sets the collection, and handing an audit in.

A school submits its audit to the authority and may withdraw it until the authority has
moderated it or it is signed off; an authority's advisers set the year it collects and the
closing date, and nobody sets another authority's.
"""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.store import Forbidden, StoreError

from .personas import YEAR, A, claiming

CLOSES = dt.date(2027, 3, 31)


@pytest.mark.parametrize("who", ["adviser_919", "admin"])
def test_the_authoritys_adviser_or_an_administrator_sets_its_collection(door, who):
    cycle = door.set_cycle("919", "2026/27", CLOSES, claiming(who))
    assert door.cycle("919") == cycle
    assert (cycle.academic_year, cycle.closes_on, cycle.set_by) == ("2026/27", CLOSES, who)


@pytest.mark.parametrize("who", ["adviser_204", "senco_a", "head_a", "governor_a", "outsider"])
def test_nobody_else_sets_an_authoritys_collection(door, who):
    with pytest.raises(Forbidden):
        door.set_cycle("919", "2026/27", CLOSES, claiming(who))
    assert door.cycle("919") is None


@pytest.mark.parametrize("year", ["2026/28", "2026-27", "２０２６/27", "26/27"])
def test_a_collection_for_a_year_that_is_not_one_is_refused(door, year):
    with pytest.raises(StoreError, match="academic year"):
        door.set_cycle("919", year, None, claiming("admin"))


def test_setting_the_collection_again_replaces_it(door):
    door.set_cycle("919", "2026/27", CLOSES, claiming("admin"))
    door.set_cycle("919", "2027/28", None, claiming("adviser_919"))
    cycle = door.cycle("919")
    assert (cycle.academic_year, cycle.closes_on, cycle.set_by) == ("2027/28", None,
                                                                    "adviser_919")


@pytest.mark.parametrize("who", ["senco_a", "head_a"])
def test_the_school_submits_and_withdraws_and_the_history_keeps_both(door, who):
    door.submit(A, YEAR, claiming(who))
    assert door.get_audit(A, YEAR).status == "submitted"
    door.withdraw(A, YEAR, claiming(who))
    assert door.get_audit(A, YEAR).status == "in-progress"
    moves = [(c.old, c.new) for c in door.history(A, YEAR) if c.field == "status"]
    assert ("in-progress", "submitted") in moves and ("submitted", "in-progress") in moves


@pytest.mark.parametrize("who", ["governor_a", "adviser_919", "senco_b", "outsider"])
def test_others_cannot_withdraw_a_schools_submitted_audit(door, who):
    door.submit(A, YEAR, claiming("senco_a"))
    with pytest.raises(Forbidden):
        door.withdraw(A, YEAR, claiming(who))
    assert door.get_audit(A, YEAR).status == "submitted"


def test_a_moderated_audit_can_no_longer_be_withdrawn(door):
    door.submit(A, YEAR, claiming("senco_a"))
    seen = door.response_version(A, YEAR, "D1")
    door.moderate(A, YEAR, "D1", "not-met", "No plan seen on the visit.", claiming("adviser_919"),
                expected_version=seen)
    with pytest.raises(Forbidden, match="moderated"):
        door.withdraw(A, YEAR, claiming("senco_a"))
    assert door.get_audit(A, YEAR).status == "submitted"


def test_only_a_submitted_audit_can_be_withdrawn(door):
    with pytest.raises(StoreError, match="only a submitted audit"):
        door.withdraw(A, YEAR, claiming("senco_a"))
