"""The shipped framework's report as a governor reads it: counts that add up, citations
printed only as far as they are checked, and headings that stay with what they head."""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.audit import applicable
from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.pdf import render_pdf

from .builders import make_audit
from .pdf_support import flat, text_of

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


def test_the_references_list_names_only_what_the_pages_cite(report):
    printed = {r.id for i in report.items for r in i.references}
    printed |= {r.id for c in report.coming for r in c.enacted_by}
    assert {r.id for r in report.references} == printed


def test_no_doubt_about_a_citation_is_printed_before_the_checking_appendix(report):
    doubts = ("not verified", "from memory", "unconfirmed", "not been checked", "unverified")
    for text in (flat(text_of(render_pdf(report, deterministic=True))).lower(),
                 flat(render_html(report)).lower()):
        before = text[:text.rindex("how the references were checked")]
        assert [w for w in doubts if w in before] == []
