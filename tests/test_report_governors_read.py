"""The shipped framework's report as a governor reads it: counts that add up, citations
printed only as far as they are checked, and headings that stay with what they head."""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.audit import applicable
from quality_offer.gaps import analyse

from .builders import make_audit

TODAY = dt.date(2026, 12, 5)


def _all_met(fw, **overrides):
    """Every applicable criterion at its expected level, with ``overrides`` on top."""
    audit = make_audit(fw)
    answers = {c.id: {"rating": fw.scale_of(c).expected.id,
                      "evidence": {"text": "Minutes of the SEND committee."}}
               for c in applicable(fw, audit, TODAY)}
    answers.update(overrides)
    return answers


@pytest.fixture(scope="module")
def report(herts):
    answers = _all_met(herts, D4a={"not_applicable_reason": "No nursery or reception class."},
                       D11={"rating": "not-met"})
    return analyse(herts, make_audit(herts, answers), TODAY)


def test_a_duty_marked_not_applicable_is_not_among_the_legal_duties_counted(report):
    d = report.duties
    assert "D4a" in [n["criterion"] for n in report.not_applicable]
    assert d.total == d.met + d.partly_met + d.not_met + d.not_assessed
    assert d.not_met == 1
