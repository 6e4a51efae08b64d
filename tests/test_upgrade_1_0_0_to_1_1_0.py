"""Audits made on framework 1.0.0 for four kinds of school, moved to 1.1.0: every answer
followed to where it lands, none lost, and the moved audit's report for governors free of
doubt wording."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from quality_offer import framework as frameworks
from quality_offer.gaps import analyse
from quality_offer.reports.pdf import render_pdf
from quality_offer.upgrade import plan

from .builders import make_audit
from .shipped_wording import DOUBT_WORDS

SCHOOLS = {
    "special school": ("special", "maintained"),
    "16-19 academy": ("16-plus", "16-19-academy"),
    "pupil referral unit": ("secondary", "pupil-referral-unit"),
    "primary school": ("primary", "maintained"),
}


def old():
    return frameworks.get("herts-send-quality-offer", "1.0.0")


def new():
    return frameworks.get("herts-send-quality-offer", "1.1.0")


def full_audit(phase, school_type):
    """A 1.0.0 audit answering every criterion that applies, each answer with its own words."""
    fw = old()
    responses = {}
    for i, crit in enumerate(c for c in fw.active if c.applies_to.includes(phase, school_type)):
        levels = fw.scale_of(crit).level_ids
        responses[crit.id] = {
            "rating": levels[i % len(levels)],
            "evidence": {"text": f"evidence for {crit.id}", "location": f"folder {crit.id}",
                         "kind": "document"},
            "action": {"what": f"action for {crit.id}", "owner": "SENCO"},
        }
    return make_audit(fw, responses, phase=phase, school_type=school_type)


@pytest.mark.parametrize("school", SCHOOLS)
def test_every_answer_of_a_1_0_0_audit_is_followed_to_1_1_0_and_none_is_lost(school):
    phase, school_type = SCHOOLS[school]
    before = full_audit(phase, school_type)
    moved = plan(before, old(), new())
    after = moved.after
    placed = {cid: r for cid, r in after.responses.items()}
    archived = {}
    for a in after.archived:
        archived.setdefault(a.criterion, []).append(a)
    accounted = {o.criterion for o in moved.outcomes}
    assert accounted == set(before.responses), school
    for cid, answer in before.responses.items():
        # Where the answer's words went: its own criterion, its replacements, or the archive.
        homes = [r for r in placed.values()
                 if r.evidence and r.evidence.text == answer.evidence.text]
        kept = [a for a in archived.get(cid, []) if a.answer.evidence is not None]
        assert homes or kept, (school, cid)
        for r in homes:
            assert r.action.what == answer.action.what
        ratings = {r.rating for r in homes} | {a.answer.rating for a in archived.get(cid, [])}
        assert answer.rating in ratings, (school, cid)
    # Whatever changed is flagged for re-check, with the wording it answered kept beside it.
    for o in moved.outcomes:
        if o.kind in ("recheck", "moved"):
            resp = placed[o.target]
            assert not resp.rechecked and resp.moved_from is not None, (school, o)


def test_the_walk_through_lands_each_kind_of_school_where_the_review_says():
    landed = {}
    for school, (phase, school_type) in SCHOOLS.items():
        moved = plan(full_audit(phase, school_type), old(), new())
        landed[school] = ({cid for cid in moved.after.responses},
                          {a.criterion for a in moved.after.archived})
    special, _ = landed["special school"]
    assert "D9" not in special  # 1.0.0 left special schools out: a new duty, not assessed
    academy, academy_archived = landed["16-19 academy"]
    assert "D9" in academy_archived and "D9" not in academy
    pru, pru_archived = landed["pupil referral unit"]
    assert "D6a" in pru and "D6b" not in pru and "D12" in pru_archived
    primary, _ = landed["primary school"]
    assert {"D6a", "D6b"} <= primary and "D6" not in primary


@pytest.mark.parametrize("school", ["primary school", "pupil referral unit"])
def test_the_moved_audits_pdf_for_governors_has_no_doubt_wording(school):
    phase, school_type = SCHOOLS[school]
    after = plan(full_audit(phase, school_type), old(), new()).after
    report = analyse(new(), after, dt.date(2026, 12, 5))
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(render_pdf(report, deterministic=True))).pages).split())
    school_part = pdf[:pdf.rindex("Appendix: how the references were checked")].lower()
    assert not [w for w in DOUBT_WORDS if w in school_part]


def test_answers_moved_to_a_new_wording_are_not_called_carried_forward_from_last_year():
    old = frameworks.get("herts-send-quality-offer", "1.0.0")
    new = frameworks.get("herts-send-quality-offer", "1.1.0")
    moved = plan(make_audit(old, {"O5.1": {"rating": "emerging"}}), old, new)
    report = analyse(new, moved.after, dt.date(2026, 12, 2))
    assert any("given to an older wording of the criteria and not re-checked" in u
               for u in report.unfinished), report.unfinished
    assert not any("from last year" in u for u in report.unfinished), report.unfinished
