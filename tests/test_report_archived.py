"""Archived answers and re-checks after a framework move, in every report."""

from __future__ import annotations

import subprocess

import pytest

from quality_offer import framework as frameworks
from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.pdf import render_pdf
from quality_offer.reports.text import render_text
from quality_offer.upgrade import plan
from tests.builders import make_audit
from tests.changing_framework import ANSWERS, VERSIONS


@pytest.fixture(scope="module")
def moved():
    found = frameworks.registry(frameworks.shipped_folders(VERSIONS))
    old, new = found[("changing", "1.0.0")], found[("changing", "2.0.0")]
    answers = {**ANSWERS, "K5": {**ANSWERS["K5"], "evidence": {
        "text": "<b>Minutes</b> =SUM(A1) of 3 May", "location": "Drive"}}}
    return new, plan(make_audit(old, answers), old, new).after


def test_archived_answers_are_never_counted(moved):
    new, audit = moved
    report = analyse(new, audit)
    assert {a.criterion for a in report.archived} == {"K3", "K5", "K7", "K8", "K11", "K12"}
    counted = {i.criterion for i in report.items}
    assert not {"K3", "K5", "K7", "K8"} & counted
    assert report.duties.total == 2 and "K12" in report.not_assessed


def test_a_moved_answer_awaiting_re_check_says_what_it_answered(moved):
    new, audit = moved
    report = analyse(new, audit)
    k2 = next(i for i in report.items if i.criterion == "K2")
    assert k2.moved_from.text == "Reworded criterion, old wording."
    assert any(c.kind == "not-rechecked" and c.criterion == "K2" and "1.0.0" in c.message
               for c in report.checks)


def test_the_html_report_has_the_archived_appendix_with_the_text_as_typed(moved):
    new, audit = moved
    html = render_html(analyse(new, audit))
    assert "Appendix: archived answers" in html
    assert "&lt;b&gt;Minutes&lt;/b&gt; =SUM(A1) of 3 May" in html
    assert "Withdrawn criterion with no replacement." in html
    assert "<q>Reworded criterion, old wording.</q>" in html


def test_the_pdf_report_has_the_archived_appendix(moved, tmp_path):
    new, audit = moved
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_pdf(analyse(new, audit), deterministic=True))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Appendix: archived answers" in text
    assert "<b>Minutes</b> =SUM(A1) of 3 May" in text
    assert "Reworded criterion, old wording." in text


def test_the_text_report_lists_archived_answers(moved):
    new, audit = moved
    text = render_text(analyse(new, audit))
    assert "Archived answers, kept from earlier framework versions and not counted (6)" in text
    assert "K5 (1.0.0): withdrawn with no replacement in 2.0.0" in text


def test_a_report_without_a_move_has_no_appendix(moved):
    new, _ = moved
    assert "archived answers" not in render_html(analyse(new, make_audit(new, {})))


def test_the_spreadsheet_report_has_an_archived_answers_sheet(moved):
    import io

    from openpyxl import load_workbook

    from quality_offer.reports.spreadsheets import report_xlsx

    new, audit = moved
    wb = load_workbook(io.BytesIO(report_xlsx(analyse(new, audit))))
    ws = wb["Archived answers"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"K3", "K5", "K7", "K8", "K11", "K12"}
    assert rows["K5"][6] == "<b>Minutes</b> =SUM(A1) of 3 May"
    assert rows["K5"][8] == "K5 action"
    assert rows["K12"][4] == "Exemplary"
