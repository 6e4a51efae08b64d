"""A local authority's cohort on mixed framework versions: compared on what is comparable."""

from __future__ import annotations

import pytest

from quality_offer import framework as frameworks
from quality_offer.compare import Comparison
from quality_offer.upgrade import plan
from tests.builders import make_audit
from tests.changing_framework import ANSWERS, VERSIONS


@pytest.fixture(scope="module")
def fws():
    found = frameworks.registry(frameworks.shipped_folders(VERSIONS))
    return found[("changing", "1.0.0")], found[("changing", "2.0.0")]


@pytest.fixture(scope="module")
def cohort(fws):
    """Two schools moved to 2.0.0 and one still on 1.0.0, all rating K2 and K1."""
    old, new = fws
    on_old = make_audit(old, {**ANSWERS, "K2": {"rating": "not-in-place"}}, urn="100003",
                        name="Cedar School")
    moved = [plan(make_audit(old, ANSWERS, urn=urn, name=name), old, new).after
             for urn, name in (("100001", "Ash School"), ("100002", "Birch School"))]
    return Comparison.from_audits([(new, moved[0]), (new, moved[1]), (old, on_old)],
                                  framework=new)


def test_every_school_is_in_the_comparison_and_its_version_is_said(cohort):
    assert len(cohort.results) == 3 and cohort.skipped == ()
    (other,) = cohort.to_json()["other_versions"]
    assert (other["urn"], other["framework_version"]) == ("100003", "1.0.0")
    assert set(other["not_comparable"]) == {"K2", "K3", "K4", "K5", "K6", "K7", "K8", "K11",
                                          "K12"}


def test_a_reworded_criterions_old_and_new_answers_are_never_counted_together(cohort):
    gaps = {g.criterion: g for g in cohort.common_gaps(include_met=True)}
    # K2 was reworded: only the two schools that answered the new wording count
    assert gaps["K2"].schools_assessed == 2
    # K1 is unchanged: all three schools count
    assert gaps["K1"].schools_assessed == 3


def test_an_older_versions_section_share_covers_only_comparable_criteria(cohort):
    cedar = next(r for r in cohort.results if r.urn == "100003")
    # K1 and K13 are the comparable answered criteria of outcome 1 (K3 no longer applies
    # to a primary school in 2.0.0, and comparing it would mix scopes)
    assert cedar.sections["outcome-1"].assessed == 2
    assert cedar.sections["outcome-1"].share == 1.0


def test_another_framework_is_still_skipped(fws, mini):
    new = fws[1]
    comp = Comparison.from_audits([(new, make_audit(new, {})), (mini, make_audit(mini, {},
                                                                                  urn="100009"))],
                                  framework=new)
    assert len(comp.results) == 1 and "mini" in comp.skipped[0].error


def test_the_drill_down_marks_what_another_version_asks_differently(cohort):
    rows = {r["urn"]: r for r in cohort.criterion_heatmap("outcome-1")}
    cedar, ash = rows["100003"], rows["100001"]
    assert (cedar["framework_version"], ash["framework_version"]) == ("1.0.0", "2.0.0")
    assert cedar["criteria"]["K2"] == {"comparable": False}  # reworded: never the old answer
    assert cedar["criteria"]["K10"] == {"comparable": False}  # new: never "does not apply"
    assert cedar["criteria"]["K1"]["comparable"] is True
    assert cedar["criteria"]["K1"]["rating"] == ash["criteria"]["K1"]["rating"]
    assert all(c is None or c["comparable"] for c in ash["criteria"].values())
