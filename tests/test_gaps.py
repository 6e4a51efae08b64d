"""Gap analysis on hand-built audits whose right answers are known."""

from __future__ import annotations

import datetime as dt

from quality_offer.gaps import analyse

from .builders import make_audit

TODAY = dt.date(2026, 11, 25)


def report_for(mini, responses, **kw):
    return analyse(mini, make_audit(mini, responses, **kw), TODAY)


def test_gaps_come_in_priority_order_duty_not_met_first(mini):
    report = report_for(mini, {
        "O1.1": {"rating": "emerging"},
        "O1.2": {"rating": "not-in-place"},
        "D2": {"rating": "partly-met"},
        "D1": {"rating": "not-met"},
    })
    assert [(g.criterion, g.priority) for g in report.gaps] == [
        ("D1", 1), ("D2", 2), ("O1.2", 3), ("O1.1", 4)]
    assert report.gaps[0].priority_label == "Statutory duty not met"


def test_unrated_criteria_are_not_assessed_never_met_nor_gaps(mini):
    report = report_for(mini, {"D1": {"rating": "met"}})
    assert report.not_assessed == ["D2", "O1.1", "O1.2"]
    assert report.gaps == []
    duties = report.sections[0]
    assert (duties.assessed, duties.not_assessed, duties.at_or_above) == (1, 1, 1)
    assert duties.meeting_expectation_share == 1.0
    outcome = report.sections[1]
    assert outcome.meeting_expectation_share is None
    assert report.duties.not_assessed == 1 and report.duties.met == 1


def test_an_unmet_duty_flags_its_section(mini):
    report = report_for(mini, {"D1": {"rating": "met"}, "D2": {"rating": "partly-met"}})
    duties = report.sections[0]
    assert duties.flagged and duties.unmet_duties == ["D2"]
    assert duties.counts == {"not-met": 0, "partly-met": 1, "met": 1}
    assert duties.meeting_expectation_share == 0.5


def test_not_applicable_is_neither_a_gap_nor_assessed(mini):
    report = report_for(mini, {"O1.2": {"not_applicable_reason": "No looked-after pupils."}})
    outcome = report.sections[1]
    assert (outcome.applicable, outcome.not_applicable, outcome.not_assessed) == (1, 1, 1)
    assert report.not_applicable == [{"criterion": "O1.2",
                                      "reason": "No looked-after pupils."}]
    assert "O1.2" not in report.not_assessed


def test_criteria_that_do_not_apply_to_the_school_are_left_out(mini):
    report = report_for(mini, {}, school_type="16-19-academy", phase="16-plus")
    assert "D2" not in [i.criterion for i in report.items]
    assert report.duties.total == 1


def test_a_gap_carries_verified_and_published_references(mini):
    report = report_for(mini, {"O1.1": {"rating": "not-in-place"}})
    gap = report.gaps[0]
    assert [r.id for r in gap.references] == ["CoP 6.37"]
    assert [r.id for r in gap.published_references] == ["CoP 10.0"]
    assert gap.published_references[0].exists is False
    assert gap.reference_note == "There is no paragraph 10.0."


def test_quality_checks_say_what_is_missing_in_plain_words(mini):
    report = report_for(mini, {
        "D1": {"rating": "met"},
        "D2": {"rating": "not-met"},
        "O1.1": {"rating": "emerging", "rechecked": False,
                 "evidence": {"text": "Lesson drop-ins, autumn term", "kind": "observation"},
                 "action": {"what": "Train TAs", "due": "2026-10-01", "status": "in-progress"}},
    })
    kinds = {(c.kind, c.criterion) for c in report.checks}
    assert kinds == {("no-evidence", "D1"), ("gap-without-action", "D2"),
                     ("overdue-action", "O1.1"), ("not-rechecked", "O1.1")}
    overdue = next(c for c in report.checks if c.kind == "overdue-action")
    assert overdue.message == ("The action for O1.1 was due on 1 October 2026 and is "
                               "in progress.")
    assert report.actions[0].overdue


def test_a_done_action_is_never_overdue(mini):
    report = report_for(mini, {"O1.1": {"rating": "emerging", "action": {
        "what": "Train TAs", "due": "2026-10-01", "status": "done"}}})
    assert not report.actions[0].overdue
    assert not [c for c in report.checks if c.kind == "overdue-action"]


def test_the_report_states_the_rules_it_used(mini):
    report = report_for(mini, {})
    assert report.rules["duty"] == "Any duty not met or partly met flags its section."


def test_the_analysis_is_pure(mini):
    responses = {"D1": {"rating": "partly-met"}, "O1.1": {"rating": "established"}}
    assert report_for(mini, responses) == report_for(mini, responses)


def test_the_json_has_the_documented_keys(mini):
    data = report_for(mini, {"D1": {"rating": "not-met"}}).to_json()
    assert {"school", "framework", "sections", "gaps", "not_assessed", "checks"} <= set(data)
    assert set(data["sections"][0]) >= {"id", "title", "counts", "meeting_expectation_share",
                                         "unmet_duties", "not_assessed"}
    assert set(data["gaps"][0]) >= {"criterion", "section", "statutory", "rating", "expected",
                                     "priority", "references", "published_references", "action"}
    assert data["gaps"][0]["references"][0]["source"] == "CoP"
    assert data["gaps"][0]["references"][0]["ref"] == "6.2"


def test_the_roll_up_alone_has_the_full_reports_sections_items_and_gaps(mini):
    audit = make_audit(mini, {
        "D1": {"rating": "met"},
        "D2": {"rating": "not-met", "moderated_rating": "partly-met", "moderation_note": "Seen"},
        "O1.1": {"rating": "emerging", "rechecked": False,
                 "action": {"what": "Train TAs", "due": "2026-10-01", "status": "in-progress"}},
    })
    full = analyse(mini, audit, TODAY)
    lean = analyse(mini, audit, TODAY, detail=False)
    assert (lean.sections, lean.items, lean.gaps, lean.duties) == (
        full.sections, full.items, full.gaps, full.duties)
    assert full.checks and full.actions and full.questions and full.references
    assert (lean.checks, lean.actions, lean.questions, lean.references,
            lean.reference_checks) == ([], [], [], [], [])
