"""Framework 1.1.0: the corrections of the December 2026 review, the allergy safety policy as a
coming duty, and no doubt wording in what schools and governors read."""

from __future__ import annotations

import datetime as dt
import io
from html import unescape

from pypdf import PdfReader

from quality_offer import framework as frameworks
from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.pdf import render_pdf

from .conftest import make_audit

TODAY = dt.date(2026, 12, 2)
DOUBT_WORDS = ("not yet confirmed", "from memory", "not verified", "unverified",
               "as it went through parliament", "not checked")


def v110():
    return frameworks.get("herts-send-quality-offer", "1.1.0")


def test_both_versions_are_installed_and_1_0_0_still_excludes_special_schools_from_d9():
    old = frameworks.get("herts-send-quality-offer", "1.0.0")
    assert "16-19-academy" in old.criterion("D9").applies_to.types
    new = v110().criterion("D9")
    assert new.applies_to.includes("special", "maintained")
    assert not new.applies_to.includes("16-plus", "16-19-academy")


def test_o3_3_cites_the_verified_paragraph_6_43():
    fw = v110()
    assert fw.criterion("O3.3").references == ["CoP 6.43"]
    assert fw.reference("CoP 6.43").evidence == "V"


def test_d3_says_before_1_september_2027_and_asks_about_induction():
    crit = v110().criterion("D3")
    assert "completed before 1 September 2027" in " ".join(crit.text.split())
    assert "induction" in crit.levels["met"]


def test_d7_and_d12_may_be_not_applicable_only_in_the_stated_case():
    fw = v110()
    assert fw.criterion("D7").na_when == "no pupil on roll has an EHC plan"
    assert fw.criterion("D12").na_allowed


def test_the_allergy_policy_is_a_coming_duty_listed_apart_and_never_counted():
    fw = v110()
    audit = make_audit(fw, {"D15": {"rating": "not-met"}}, phase="primary")
    report = analyse(fw, audit, TODAY)
    assert [(c.criterion, c.in_force_on) for c in report.coming] == [("D15", None)]
    assert "D15" not in report.not_assessed
    assert all(g.criterion != "D15" for g in report.gaps)
    assert all(i.criterion != "D15" for i in report.items)


def test_a_governors_pdf_and_html_show_the_coming_duty_and_no_doubt_wording_outside_the_appendix():
    fw = v110()
    responses = {c.id: {"rating": fw.scale_of(c).level_ids[0]} for c in fw.active}
    report = analyse(fw, make_audit(fw, responses), TODAY)
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(render_pdf(report, deterministic=True))).pages).split())
    html = " ".join(unescape(render_html(report)).split())
    for text in (pdf, html):
        school_part = text[:text.rindex("Appendix: how the references were checked")]
        lowered = school_part.lower()
        assert not [w for w in DOUBT_WORDS if w in lowered]
        assert "Duties that are coming" in school_part
        assert "Enacted; the date it comes into force is still to be set" in school_part
        assert "Children's Wellbeing and Schools Act 2026, section 34" in school_part
    summary = pdf[pdf.index("Summary for governors"):pdf.index("Full gap report Every")]
    assert "allergy" not in summary.lower() or "coming" in summary.lower()
