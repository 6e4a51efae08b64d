"""The comparison of many schools, on hand-built cohorts whose right answers are known.

The mini framework has two duties (D1; D2, not for 16-19 academies) and two expectations
(O1.1; O1.2, which allows "not applicable").
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer.compare import Comparison, build, result_of, suppress
from quality_offer.compare.school_result import rollup_view
from quality_offer.dates import today
from quality_offer.gaps import analyse

from .builders import make_audit

MET = {"D1": {"rating": "met"}, "D2": {"rating": "met"},
       "O1.1": {"rating": "established"}, "O1.2": {"rating": "exemplary"}}


def school(mini, n, answers=None, **kw):
    """School ``n`` with all criteria at or above expected, except the given answers."""
    kw.setdefault("name", f"School {n}")
    where = {k: kw.pop(k) for k in ("area", "la_code") if k in kw}
    audit = make_audit(mini, {**MET, **(answers or {})}, urn=f"{100000 + n}", **kw)
    if where:
        audit = audit.model_copy(update={"school": audit.school.model_copy(update=where)})
    return audit


def compare(mini, audits, **kw) -> Comparison:
    return build([(mini, a) for a in audits], **kw)


@pytest.fixture
def six(mini):
    """Six schools: O1.1 emerging in five of them; school 3 has not met D1, school 4 partly
    met D2; school 6 is a 16-19 academy (no D2) and rates O1.2 not applicable."""
    audits = [school(mini, n, {"O1.1": {"rating": "emerging"}}) for n in (1, 2, 4, 5)]
    audits[1] = school(mini, 2, {"O1.1": {"rating": "emerging"}, "D1": {"rating": "not-met"}})
    audits[2] = school(mini, 4, {"O1.1": {"rating": "emerging"},
                                 "D2": {"rating": "partly-met"}})
    audits.insert(2, school(mini, 3))
    audits.append(school(mini, 6, {"O1.1": {"rating": "not-in-place"},
                                   "O1.2": {"not_applicable_reason": "No looked-after pupils"},
                                   "D2": {}},
                         phase="16-plus", school_type="16-19-academy", area="DSPL 2"))
    return compare(mini, audits)


def test_a_gap_rated_below_expected_by_five_of_six_schools_comes_first_with_share_five_sixths(
        six):
    first = six.common_gaps()[0]
    assert (first.criterion, first.section, first.statutory) == ("O1.1", "outcome-1", False)
    assert (first.schools_below, first.schools_assessed) == (5, 6)
    assert first.share == round(5 / 6, 4)
    assert first.counts == {"not-in-place": 1, "emerging": 4, "established": 1,
                            "exemplary": 0}


def test_common_gaps_list_only_criteria_someone_is_below_most_schools_first_then_by_share(six):
    gaps = [(g.criterion, g.schools_below, g.schools_assessed) for g in six.common_gaps()]
    # D2 does not apply to the 16-19 academy: 1 of 5 is a larger share than D1's 1 of 6
    assert gaps == [("O1.1", 5, 6), ("D2", 1, 5), ("D1", 1, 6)]


def test_a_share_counts_only_schools_assessed_on_that_criterion(mini):
    comp = compare(mini, [
        school(mini, 1, {"O1.2": {"rating": "emerging"}}),
        school(mini, 2, {"O1.2": {"not_applicable_reason": "None on roll"}}),
        school(mini, 3, {"O1.2": {}}),  # not assessed: neither met nor a gap
        school(mini, 4),
    ])
    (gap,) = comp.common_gaps()
    assert (gap.criterion, gap.schools_below, gap.schools_assessed, gap.share) == (
        "O1.2", 1, 2, 0.5)


def test_an_unmet_duty_is_listed_for_the_school_that_did_not_meet_it(six):
    duties = {s["urn"]: [(d["criterion"], d["rating"]) for d in s["duties"]]
              for s in six.duties_not_met()}
    assert duties == {"100002": [("D1", "not-met")], "100004": [("D2", "partly-met")]}


def test_each_school_shares_are_exactly_those_of_its_own_gap_report(mini):
    audits = [school(mini, 1, {"O1.1": {"rating": "emerging"}, "D2": {"rating": "not-met"}}),
              school(mini, 2, {"O1.2": {"not_applicable_reason": "None on roll"}}),
              school(mini, 3, {"D1": {}}, phase="16-plus", school_type="16-19-academy")]
    comp = compare(mini, audits)
    for audit in audits:
        report = analyse(mini, audit)
        (res,) = [r for r in comp.results if r.urn == audit.school.urn]
        assert res.shares == {s.id: s.meeting_expectation_share for s in report.sections}
        assert [d.criterion for d in res.unmet_duties] == [
            g.criterion for g in report.gaps if g.statutory]


def test_the_heatmap_gives_each_school_its_share_per_section(six):
    rows = {r["urn"]: r["sections"] for r in six.heatmap()}
    assert rows["100003"] == {"duties": 1.0, "outcome-1": 1.0}
    assert rows["100002"] == {"duties": 0.5, "outcome-1": 0.5}
    # 16-19 academy: D2 does not apply, O1.2 not applicable: one of one assessed is met...
    assert rows["100006"] == {"duties": 1.0, "outcome-1": 0.0}


def test_no_share_is_given_where_a_school_assessed_nothing_in_a_section(mini):
    comp = compare(mini, [make_audit(mini, {"D1": {"rating": "met"}})])
    assert comp.heatmap()[0]["sections"] == {"duties": 1.0, "outcome-1": None}
    assert comp.distribution()["outcome-1"].schools == 0


def test_audits_of_another_framework_version_are_compared_and_their_version_said(mini):
    newer = dataclasses.replace(mini, manifest=mini.manifest.model_copy(
        update={"version": "2.0.0"}), _by_id={})
    pairs = [(mini, school(mini, n)) for n in (1, 2)]
    pairs.append((newer, school(newer, 3)))
    comp = build(pairs, sources=["a.yaml", "b.yaml", "c.yaml"])
    assert comp.framework is mini
    assert [r.urn for r in comp.results] == ["100001", "100002", "100003"]
    assert comp.skipped == ()
    # nothing changed between the versions, so every criterion is comparable
    assert comp.other_versions() == [{"urn": "100003", "name": comp.results[2].name,
                                      "academic_year": "2026/27", "framework_version": "2.0.0",
                                      "not_comparable": []}]


def test_the_version_to_compare_can_be_chosen(mini):
    newer = dataclasses.replace(mini, manifest=mini.manifest.model_copy(
        update={"version": "2.0.0"}), _by_id={})
    pairs = [(mini, school(mini, 1)), (mini, school(mini, 2)), (newer, school(newer, 3))]
    comp = build(pairs, framework=newer)
    assert comp.framework is newer
    assert [r.framework_version for r in comp.results] == ["1.0.0", "1.0.0", "2.0.0"]


def test_a_second_audit_of_the_same_school_and_year_is_skipped_not_counted_twice(mini):
    comp = build([(mini, school(mini, 1)), (mini, school(mini, 1, {"D1": {"rating": "not-met"}}))],
                 sources=["first.yaml", "again.yaml"])
    assert len(comp.results) == 1 and comp.results[0].source == "first.yaml"
    assert comp.skipped[0].file == "again.yaml"
    assert "first.yaml" in comp.skipped[0].error


def test_filters_by_phase_type_area_and_year(mini):
    comp = compare(mini, [
        school(mini, 1, phase="primary", school_type="maintained", area="North"),
        school(mini, 2, phase="secondary", school_type="academy", area="North"),
        school(mini, 3, phase="secondary", school_type="maintained", area="South"),
        school(mini, 3, year="2025/26", phase="secondary", school_type="maintained",
               area="South"),
    ])
    urns = lambda c: sorted({r.urn for r in c.results})  # noqa: E731
    assert urns(comp.filter(phase="secondary")) == ["100002", "100003"]
    assert urns(comp.filter(type="maintained", area="South")) == ["100003"]
    assert urns(comp.filter(area=["North", "South"], phase="primary")) == ["100001"]
    assert [r.academic_year for r in comp.filter(year="2025/26").results] == ["2025/26"]
    assert comp.filter(phase="secondary").filters == {"phase": ("secondary",)}
    assert comp.values("area") == ["North", "South"]
    assert comp.years == ["2025/26", "2026/27"]


def test_snapshot_views_count_each_school_once_by_its_latest_audit(mini):
    comp = compare(mini, [
        school(mini, 1, {"O1.1": {"rating": "emerging"}}, year="2025/26"),
        school(mini, 1, year="2026/27"),
        school(mini, 2, {"O1.1": {"rating": "emerging"}}),
    ])
    (gap,) = comp.common_gaps()
    assert (gap.schools_below, gap.schools_assessed) == (1, 2)
    assert comp.to_json()["schools"] == 2 and comp.to_json()["audits"] == 3


def test_the_distribution_gives_median_and_quartiles_per_section(mini):
    # outcome-1 shares 0, 0.5, 0.5, 1, 1 (O1.1 and O1.2 below or met)
    answers = [{"O1.1": {"rating": "emerging"}, "O1.2": {"rating": "emerging"}},
               {"O1.1": {"rating": "emerging"}}, {"O1.2": {"rating": "not-in-place"}}, {}, {}]
    comp = compare(mini, [school(mini, n, a) for n, a in enumerate(answers, 1)])
    dist = comp.distribution()["outcome-1"]
    assert (dist.schools, dist.minimum, dist.lower_quartile, dist.median, dist.upper_quartile,
            dist.maximum) == (5, 0.0, 0.5, 0.5, 1.0, 1.0)
    assert dist.place(0.0) == "below the lower quartile"
    assert dist.place(0.5) == "at the median"


def test_one_school_is_shown_beside_the_distribution_with_its_change_since_last_year(mini):
    comp = compare(mini, [
        school(mini, 1, {"O1.1": {"rating": "emerging"}, "O1.2": {"rating": "emerging"}},
               year="2025/26"),
        school(mini, 1, {"O1.1": {"rating": "emerging"}}),
        school(mini, 2), school(mini, 3), school(mini, 4, {"O1.2": {"rating": "emerging"}}),
    ])
    view = comp.school("100001")
    assert view["academic_year"] == "2026/27" and view["previous_year"] == "2025/26"
    outcome = next(s for s in view["sections"] if s["section"] == "outcome-1")
    assert (outcome["share"], outcome["previous"], outcome["change"]) == (0.5, 0.0, 0.5)
    assert outcome["distribution"]["schools"] == 4  # 2026/27's cohort only
    assert outcome["distribution"]["median"] == 0.75
    assert outcome["place"] == "between the lower quartile and the median"
    assert comp.school("999999") is None


def test_trends_follow_the_authority_and_one_school_across_years(mini):
    comp = compare(mini, [
        school(mini, 1, {"O1.1": {"rating": "emerging"}}, year="2025/26"),
        school(mini, 2, {"O1.1": {"rating": "emerging"}}, year="2025/26"),
        school(mini, 1, year="2026/27"),
        school(mini, 2, {"O1.1": {"rating": "emerging"}}, year="2026/27"),
    ])
    trend = comp.trends()
    assert [t["academic_year"] for t in trend] == ["2025/26", "2026/27"]
    assert trend[0]["criteria_below"]["O1.1"]["share"] == 1.0
    assert trend[1]["criteria_below"]["O1.1"]["share"] == 0.5
    assert trend[1]["criteria_below"]["D1"]["schools_below"] == 0
    mine = comp.school_trend("100001")
    assert [(t["academic_year"], t["sections"]["outcome-1"], t["change"]["outcome-1"])
            for t in mine] == [("2025/26", 0.5, None), ("2026/27", 1.0, 0.5)]


def test_a_moderated_rating_is_shown_beside_the_self_rating(mini):
    audit = school(mini, 1, {
        "O1.1": {"rating": "established", "moderated_rating": "emerging",
                 "moderation_note": "No evidence of differentiation seen on the visit."},
        "D1": {"rating": "partly-met", "moderated_rating": "not-met"}})
    comp = compare(mini, [audit])
    cell = comp.results[0].cells["O1.1"]
    assert (cell.rating, cell.meets, cell.moderated_rating, cell.moderated_meets) == (
        "established", True, "emerging", False)
    (duty,) = comp.duties_not_met()[0]["duties"]
    assert (duty["rating_label"], duty["moderated_label"]) == ("Partly met", "Not met")
    assert comp.school("100001")["moderated"]["O1.1"]["moderation_note"].startswith("No ")
    drill = comp.criterion_heatmap("outcome-1")[0]["criteria"]
    assert set(drill) == {"O1.1", "O1.2"}
    assert drill["O1.1"]["moderated_rating"] == "emerging"


def test_the_json_has_the_documented_shape(six):
    data = six.to_json()
    assert data["schools"] == 6 and data["skipped"] == []
    row = data["sections"][0]
    assert set(row) >= {"urn", "name", "academic_year", "phase", "type", "area", "sections"}
    gap = data["common_gaps"][0]
    assert set(gap) >= {"criterion", "section", "statutory", "schools_below", "share"}
    assert gap["criterion"] == "O1.1"


def test_groups_by_phase_count_schools_and_give_median_shares(six):
    groups = {g["phase"]: g for g in six.groups("phase")}
    assert groups["primary"]["schools"] == 5 and groups["16-plus"]["schools"] == 1
    assert groups["primary"]["schools_with_unmet_duties"] == 2
    with pytest.raises(ValueError, match="cannot group by"):
        six.groups("colour")


def test_groups_of_fewer_schools_than_the_threshold_are_suppressed_and_said_so(six):
    shared = suppress(six.groups("phase"), threshold=5, complementary=False)
    by_phase = {g["phase"]: g for g in shared.groups}
    assert by_phase["16-plus"]["schools"] == "suppressed"
    assert by_phase["16-plus"]["sections"] == {"duties": "suppressed",
                                               "outcome-1": "suppressed"}
    assert by_phase["primary"]["schools"] == 5
    assert by_phase["primary"]["sections"]["duties"] == pytest.approx(1.0)
    assert shared.suppressed == 1
    assert "fewer than 5 schools" in shared.note and "1 of 2 groups" in shared.note


def test_the_suppression_threshold_is_configurable(six):
    assert suppress(six.groups("phase"), threshold=1).suppressed == 0
    assert suppress(six.groups("phase"), threshold=6).suppressed == 2
    with pytest.raises(ValueError):
        suppress([], threshold=0)


def test_a_lone_small_group_brings_the_next_smallest_with_it_so_it_cannot_be_worked_out():
    groups = [{"area": "A", "schools": 2, "mean": 0.4}, {"area": "B", "schools": 9, "mean": 0.7},
              {"area": "C", "schools": 6, "mean": 0.8}]
    shared = suppress(groups)
    assert [g["schools"] for g in shared.groups] == ["suppressed", 9, "suppressed"]
    assert "could otherwise be worked out" in shared.note


def test_common_gaps_can_be_suppressed_by_the_number_of_schools_assessed(six):
    rows = [g.to_json() for g in six.common_gaps()]
    shared = suppress(rows, count_key="schools_assessed", threshold=6, complementary=False)
    assert shared.groups[0]["share"] == 0.8333 and shared.groups[0]["criterion"] == "O1.1"
    assert shared.groups[1]["share"] == "suppressed" and shared.groups[1]["criterion"] == "D2"
    assert shared.groups[2]["share"] == 0.1667 and shared.groups[2]["criterion"] == "D1"


def test_a_group_without_a_count_is_suppressed_rather_than_leaked():
    shared = suppress([{"area": "A", "median": 0.5}], complementary=False)
    assert shared.groups == [{"area": "A", "median": "suppressed"}]


levels = {"D1": ["not-met", "partly-met", "met"], "D2": ["not-met", "partly-met", "met"],
          "O1.1": ["not-in-place", "emerging", "established", "exemplary"],
          "O1.2": ["not-in-place", "emerging", "established", "exemplary"]}
answer = {cid: st.one_of(st.none(), st.sampled_from(lv).map(lambda r: {"rating": r}),
                         st.sampled_from(lv).map(lambda r: {"rating": "x", "moderated_rating": r}))
          for cid, lv in levels.items()}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries(answer), st.sampled_from([
    ("primary", "maintained"), ("16-plus", "16-19-academy"), ("special", "academy")]))
def test_the_fast_rollup_view_gives_the_results_of_the_full_framework(mini, answers, kind):
    responses = {}
    for cid, a in answers.items():
        if a is None:
            continue
        if a.get("rating") == "x":
            a = {"rating": a["moderated_rating"], "moderated_rating": a["moderated_rating"],
                 "moderation_note": "checked"}
        if cid == "D2" and kind[1] == "16-19-academy":
            continue
        responses[cid] = a
    audit = make_audit(mini, responses, phase=kind[0], school_type=kind[1])
    fast = result_of(mini, audit)
    full = analyse(mini, audit, today())
    assert fast.shares == {s.id: s.meeting_expectation_share for s in full.sections}
    assert {c: (x.rating, x.meets) for c, x in fast.cells.items()} == {
        i.criterion: (i.rating, i.meets) for i in full.items}
    assert [d.criterion for d in fast.unmet_duties] == [g.criterion for g in full.gaps
                                                          if g.statutory]
    assert rollup_view(mini) is rollup_view(mini)


def test_the_summary_shared_beyond_the_authority_names_no_school_and_masks_small_groups(six):
    from quality_offer.compare.privacy import shared_summary

    shared = shared_summary(six, threshold=5)
    assert shared["authority"]["schools"] == 6
    by_type = {g["type"]: g for g in shared["by_type"]}
    assert by_type["16-19-academy"]["schools"] == "suppressed"
    # the authority's 6 minus the 5 maintained schools would give the academy away
    assert by_type["maintained"]["schools"] == "suppressed"
    gaps = {g["criterion"]: g for g in shared["common_gaps"]}
    assert gaps["O1.1"]["share"] == 0.8333 and gaps["D2"]["share"] == 0.2
    assert gaps["O1.1"]["statutory"] is False
    assert "fewer than 5 schools" in shared["note"]
    text = repr(shared)
    assert "School 1" not in text and "100001" not in text


def test_a_whole_authority_smaller_than_the_threshold_is_suppressed_entirely(six):
    from quality_offer.compare.privacy import shared_summary

    shared = shared_summary(six, threshold=7)
    assert shared["authority"]["schools"] == "suppressed"
    assert all(g["share"] == "suppressed" for g in shared["common_gaps"])


def test_the_shared_workbook_holds_only_aggregates_and_starts_with_the_note(six):
    import io

    from openpyxl import load_workbook

    from quality_offer.compare.tables import shared_xlsx

    wb = load_workbook(io.BytesIO(shared_xlsx(six, threshold=5)))
    assert wb.sheetnames == ["About", "Authority", "By phase", "By type", "By area",
                             "Common gaps"]
    assert wb["About"]["A1"].value == "Note" and "fewer than 5" in wb["About"]["B1"].value
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "suppressed" in values
    assert not any(isinstance(v, str) and v.startswith("School ") for v in values)


def test_lowest_first_puts_the_school_needing_most_support_first(mini):
    comp = compare(mini, [
        school(mini, 1),
        school(mini, 2, {"O1.1": {"rating": "not-in-place"}, "D1": {"rating": "not-met"}}),
        school(mini, 3, {"O1.1": {"rating": "emerging"}}),
    ])
    assert [r.urn for r in comp.lowest_first()] == ["100002", "100003", "100001"]
    assert sorted(r.urn for r in comp.current) == ["100001", "100002", "100003"]
