"""The shipped framework's report as a governor reads it: counts that add up, citations
printed only as far as they are checked, and headings that stay with what they head."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from quality_offer.audit import applicable
from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.pdf import render_pdf
from quality_offer.reports.pdf.fonts import register_fonts
from quality_offer.reports.pdf.plans import coming_duties

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


@pytest.mark.parametrize("room_mm", [42, 55, 70])
def test_the_heading_of_coming_duties_is_never_left_alone_at_a_page_foot(report, room_mm):
    """Below a filled page only ``room_mm`` is left: too little for the tall D15 row."""
    assert [c.criterion for c in report.coming] == ["D15"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    register_fonts()
    doc.build([Spacer(1, doc.height - room_mm * mm), *coming_duties(report)])
    pages = [flat(p.extract_text()) for p in PdfReader(io.BytesIO(buf.getvalue())).pages]
    heading = next(i for i, p in enumerate(pages) if "Duties that are coming" in p)
    assert "D15 Include an allergy safety policy" in pages[heading]


def test_a_cut_text_ends_in_one_ellipsis_after_a_word_not_after_a_comma(herts):
    """D1 and D6a are cut, in the questions and the top priorities, just after a comma."""
    answers = _all_met(herts, D1={"rating": "partly-met"}, D6a={"rating": "not-met"})
    report = analyse(herts, make_audit(herts, answers), TODAY)
    cut = [q for q in report.questions if "…" in q]
    assert len(cut) == 2
    pdf = flat(text_of(render_pdf(report, deterministic=True)))
    for text in (*report.questions, pdf):
        assert "..." not in text
        assert not re.search(r"[,;:.]…", text)
    assert "young person…" in pdf


def test_the_action_plan_writes_due_dates_in_full_as_the_html_does(herts):
    answers = _all_met(herts, **{"O1.1": {"rating": "emerging", "action": {
        "what": "Observe adaptive teaching", "owner": "SENCO", "due": "2026-11-30"}}})
    report = analyse(herts, make_audit(herts, answers), TODAY)
    pdf = flat(text_of(render_pdf(report, deterministic=True)))
    plan = pdf[pdf.index("Action plan 1 action"):]
    assert "30 November 2026" in plan[:400] and "30 Nov 2026" not in pdf
    assert "30 November 2026" in render_html(report)


def test_the_pdf_and_the_html_flag_unmet_duties_in_the_same_words(herts):
    answers = _all_met(herts, D1={"rating": "partly-met"}, D11={"rating": "not-met"})
    report = analyse(herts, make_audit(herts, answers), TODAY)
    pdf = flat(text_of(render_pdf(report, deterministic=True)))
    page = flat(render_html(report))
    line = "2 statutory duties not met in full: D1, D11"
    assert line in pdf
    assert page.count(line) == 2  # the chart and the full report's section
    assert "Statutory duty not met in full:" not in page


def test_on_a_phone_the_chart_keeps_readable_words_and_scrolls_sideways(report):
    """Shrunk to a 390-pixel screen the 760-unit chart printed its words at 6 pixels."""
    page = render_html(report)
    assert '<figure class="chart">' in page
    narrow = page[page.index("@media (max-width: 40rem)"):]
    narrow = narrow[:narrow.index("\n}")]
    assert ".chart svg { min-width: 36rem; }" in narrow
    assert re.search(r"\.chart \{[^}]*overflow-x: auto", page)


@pytest.mark.parametrize(("phase", "school_type", "name"), [
    ("secondary", "pupil-referral-unit", "Secondary pupil referral unit"),
    ("primary", "free-school", "Primary free school"),
    ("16-plus", "16-19-academy", "16-19 academy"),
    ("primary", "maintained", "Primary maintained school"),
])
def test_the_cover_names_the_kind_of_school_as_people_say_it(herts, phase, school_type, name):
    audit = make_audit(herts, phase=phase, school_type=school_type)
    report = analyse(herts, audit, TODAY)
    pdf = flat(text_of(render_pdf(report, deterministic=True)))
    page = flat(render_html(report))
    assert f"School {name} " in pdf
    assert f"<dt>School</dt><dd>{name}</dd>" in page
    for text in (pdf, page):
        assert "school school" not in text and "unit school" not in text


def test_a_question_quotes_a_long_action_cut_at_a_word(herts):
    what = "Rewrite the accessibility plan with the site manager and publish it on the website"
    answers = _all_met(herts, **{"O2.6": {"rating": "not-in-place", "action": {"what": what}}})
    report = analyse(herts, make_audit(herts, answers), TODAY)
    question = next(q for q in report.questions if q.startswith("O2.6"))
    assert '"Rewrite the accessibility plan with the site manager and publish it on the…"' \
        in question


def test_the_summary_says_what_is_coming_and_what_is_left_in_the_pdfs_words(herts):
    answers = _all_met(herts, **{c: {"rating": "emerging"} for c in
                                 ("O1.1", "O1.2", "O1.3", "O1.4", "O1.5", "O1.6", "O1.7")})
    report = analyse(herts, make_audit(herts, answers), TODAY)
    pdf = flat(text_of(render_pdf(report, deterministic=True)))
    page = re.sub(r"<[^>]+>", "", flat(render_html(report)))
    for text in (pdf, page):
        assert "And 2 more gaps in the full gap report." in text
        assert "1 duty coming: the law has changed but it is not in force yet, so not " \
               "counted here; see" in text


def test_the_action_plan_opens_with_the_same_count_in_the_pdf_and_the_html(herts):
    due = {"what": "Plan it", "owner": "SENCO"}
    answers = _all_met(herts, **{
        "O1.1": {"rating": "emerging", "action": {**due, "due": "2026-11-30"}},
        "O1.2": {"rating": "emerging", "action": {**due, "due": "2027-01-31"}}})
    report = analyse(herts, make_audit(herts, answers), TODAY)
    line = ("2 actions, overdue ones first; 1 overdue. Overdue means past its due date on "
            "5 December 2026 and not done.")
    assert line in flat(text_of(render_pdf(report, deterministic=True)))
    assert line in flat(render_html(report))


def test_the_quality_checks_table_has_the_same_columns_in_the_pdf_and_the_html(report):
    pdf = flat(text_of(render_pdf(report, deterministic=True)))
    checks = pdf[pdf.rindex("Quality checks"):]
    assert checks.startswith("Quality checks Things to put right before the report is signed "
                             "off. Criterion Check Detail D11 Gap with no action")
    page = flat(render_html(report))
    assert '<th scope="col">Criterion</th><th scope="col">Check</th>' in page
