"""The rules the checklist's task list, filters and search follow, without any page."""

from __future__ import annotations

import datetime as dt

from quality_offer import search, worklist
from quality_offer.audit import Response

from .builders import make_audit

TODAY = dt.date(2027, 1, 15)


def responses(data):
    return {cid: Response.model_validate(r) for cid, r in data.items()}


def test_the_task_list_says_how_many_are_answered_and_how_many_are_gaps(mini):
    audit = make_audit(mini, {"D1": {"rating": "partly-met"}, "D2": {"rating": "met"},
                              "O1.2": {"not_applicable_reason": "No such pupils"}})
    lines = {s.id: s for s in worklist.section_statuses(mini, mini.active, audit.responses)}
    assert lines["duties"].describe() == "2 of 2 answered, 1 gap"
    assert lines["duties"].status == "Completed"
    assert lines["outcome-1"].describe() == "1 of 2 answered"
    assert lines["outcome-1"].status == "In progress"


def test_evidence_alone_is_not_an_answer_and_a_section_without_answers_is_not_started(mini):
    audit = make_audit(mini, {"D1": {"evidence": {"text": "Policy"}}})
    lines = {s.id: s for s in worklist.section_statuses(mini, mini.active, audit.responses)}
    assert lines["duties"].answered == 0 and lines["duties"].status == "Not started"


def test_each_filter_picks_the_criteria_a_senco_means_by_it(mini):
    rs = responses({
        "D1": {"rating": "not-met",
               "action": {"what": "Fix", "due": "2027-01-01", "status": "in-progress"}},
        "D2": {"rating": "met", "rechecked": False},
        "O1.1": {"rating": "established",
                 "action": {"what": "Keep", "due": "2027-01-01", "status": "done"}},
    })

    def ids(*filters):
        return [c.id for c in worklist.select(mini, mini.active, rs, filters, TODAY)]

    assert ids("unanswered") == ["O1.2"]
    assert ids("gaps") == ["D1"]
    assert ids("statutory") == ["D1", "D2"]
    assert ids("recheck") == ["D2"]
    assert ids("overdue") == ["D1"]  # a done action is never overdue
    assert ids("statutory", "gaps") == ["D1"]
    assert ids() == ["D1", "D2", "O1.1", "O1.2"]


def test_annual_review_and_ehcp_find_the_ehc_plan_review_duty(herts):
    for query in ("annual review", "EHCP", "ehcp annual review", "Annual Reviews"):
        found = [c.id for c in search.search(herts, herts.active, query)]
        assert "D7" in found[:3], (query, found)


def test_a_criterion_id_comes_first_and_an_empty_search_lists_everything(herts):
    assert search.search(herts, herts.active, "d7")[0].id == "D7"
    assert len(search.search(herts, herts.active, "   ")) == len(herts.active)


def test_a_search_that_matches_nothing_finds_nothing(herts):
    assert search.search(herts, herts.active, "zebra crossing quantum") == []


def test_synonyms_are_data_and_each_one_finds_something(herts):
    table = search.synonyms()
    assert "ehcp" in table and "annual review" in table
    empty = [term for term in table if not search.search(herts, herts.active, term)]
    assert empty == [], f"search terms that find no criterion: {empty}"


def test_the_search_says_what_else_it_looked_for():
    assert "“ehc plan”" in search.describe("EHCP")
    assert search.describe("zebra") == ""


def test_a_change_moves_the_counts_only_when_it_answers_or_makes_or_mends_a_gap(mini):
    d1 = mini.criterion("D1")
    met, partly = Response(rating="met"), Response(rating="partly-met")
    assert worklist.counts_changed(mini, d1, None, met)  # answered now
    assert worklist.counts_changed(mini, d1, met, partly)  # a gap now
    assert not worklist.counts_changed(mini, d1, met, Response(rating="met", evidence={
        "text": "Minutes"}))  # evidence alone counts for neither
    assert not worklist.counts_changed(mini, d1, None, Response(evidence={"text": "Minutes"}))


def test_the_checklist_s_sections_hold_the_applicable_criteria_and_no_empty_one(mini):
    assert worklist.sections_to_work(mini, mini.active) == {
        "duties": ["D1", "D2"], "outcome-1": ["O1.1", "O1.2"]}
    only_o = [c for c in mini.active if c.id.startswith("O")]
    assert worklist.sections_to_work(mini, only_o) == {"outcome-1": ["O1.1", "O1.2"]}


def test_next_unanswered_looks_on_from_the_section_and_round_again():
    order = ["D1", "D2", "O1.1", "O1.2"]
    done = {"D1": False, "D2": True, "O1.1": True, "O1.2": False}
    assert worklist.next_unanswered(order, ["O1.1", "O1.2"], done) == "O1.2"
    assert worklist.next_unanswered(order, ["D1", "D2"], done) == "D1"
    assert worklist.next_unanswered(order, ["O1.1", "O1.2"], {**done, "O1.2": True}) == "D1"
    assert worklist.next_unanswered(order, [], {c: True for c in order}) is None


def test_a_new_sitting_starts_where_the_last_applicable_answer_was_changed(mini):
    order = ["D1", "D2", "O1.2"]
    assert worklist.resume_section(mini, order, [None, "O1.1", "O1.2", "D1"]) == "outcome-1"
    assert worklist.resume_section(mini, order, [None, "O1.1"]) is None
