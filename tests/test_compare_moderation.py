"""The adviser's moderation queue and the view of where the authority's view differs.

Read off each school's own gap report, like every figure in the comparison: a moderated
rating always travels with the school's rating beside it, never instead of it.
"""

from __future__ import annotations

from quality_offer.audit import Audit
from quality_offer.compare import build

from .builders import make_audit


def audit(mini, urn, name, responses, *, year="2026/27", status="in-progress") -> Audit:
    data = make_audit(mini, responses, urn=urn, name=name, year=year).model_dump()
    data["status"] = status
    return Audit.model_validate(data)


EVIDENCED = {"text": "Policy on the website.", "location": "SEN folder"}


def test_submitted_audits_with_no_moderation_wait_in_the_queue(mini):
    comp = build([(mini, a) for a in (
        audit(mini, "117000", "Ash", {"D1": {"rating": "met"}}, status="submitted"),
        audit(mini, "117001", "Beech", {"D1": {"rating": "met", "moderated_rating": "met"}},
              status="submitted"),
        audit(mini, "117002", "Cherry", {"D1": {"rating": "met"}}),
    )])
    queue = comp.moderation_queue()
    assert [r["name"] for r in queue["not_moderated"]] == ["Ash"]


def test_duties_rated_met_with_no_evidence_are_listed(mini):
    comp = build([(mini, a) for a in (
        audit(mini, "117000", "Ash", {"D1": {"rating": "met"},
                                      "D2": {"rating": "met", "evidence": EVIDENCED},
                                      "O1.1": {"rating": "established"}}),
        audit(mini, "117001", "Beech", {"D1": {"rating": "met", "evidence": EVIDENCED}}),
    )])
    (row,) = comp.moderation_queue()["met_without_evidence"]
    assert row["name"] == "Ash" and row["criteria"] == ["D1"]  # O1.1 is not a duty


def test_schools_most_unlike_last_years_moderation_come_first(mini):
    last = {"D1": {"rating": "met", "moderated_rating": "partly-met"},
            "D2": {"rating": "met", "moderated_rating": "not-met"}}
    comp = build([(mini, a) for a in (
        audit(mini, "117000", "Ash", last, year="2025/26"),
        audit(mini, "117000", "Ash", {"D1": {"rating": "met"}, "D2": {"rating": "met"}}),
        audit(mini, "117001", "Beech", last, year="2025/26"),
        audit(mini, "117001", "Beech", {"D1": {"rating": "partly-met"},
                                        "D2": {"rating": "met"}}),
    )])
    rows = comp.moderation_queue()["unlike_last_year"]
    assert [(r["name"], r["differences"]) for r in rows] == [("Ash", 2), ("Beech", 1)]
    assert rows[0]["previous_year"] == "2025/26"


def test_where_the_authoritys_view_differs_keeps_the_schools_rating_beside_it(mini):
    comp = build([(mini, audit(mini, "117000", "Ash", {
        "D1": {"rating": "met", "moderated_rating": "partly-met",
               "moderation_note": "No plan seen."},
        "D2": {"rating": "met", "moderated_rating": "met"}}))])
    (row,) = comp.differences()
    assert (row["criterion"], row["rating"], row["moderated_rating"]) == ("D1", "met",
                                                                          "partly-met")
    assert row["school_meets"] is True and row["authority_meets"] is False
    assert row["moderation_note"] == "No plan seen."
