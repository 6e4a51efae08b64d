"""What governors see of sign-off in every output: the draft mark on every page, the reason
given for signing an unfinished audit, the overdue actions in their summary."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.pdf import render_pdf
from quality_offer.reports.text import render_text

from .builders import make_audit

TODAY = dt.date(2027, 1, 15)
REASON = "Outcome 5 is <b>reviewed</b> in the summer term;\nwe sign now for the LA deadline."
ANSWERS = {
    "D1": {"rating": "not-met",
           "action": {"what": "Write the SEN policy", "owner": "Ms Jones",
                      "due": "2026-12-01", "status": "in-progress"}},
    "D2": {"rating": "partly-met",
           "action": {"what": "Enrol the SENCO on the NPQ", "owner": "Head",
                      "due": "2027-06-30"}},
}
HEAD = {"name": "Hana Head", "role": "headteacher", "date": "2027-01-12", "reason": REASON}
GOV = {"name": "Gil Governor", "role": "sen-governor", "date": "2027-01-13"}


def report(mini, **kw):
    return analyse(mini, make_audit(mini, ANSWERS, **kw), TODAY)


def pages(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def draft(mini):
    return report(mini, sign_offs=[HEAD])


@pytest.fixture(scope="module")
def draft_pdf(draft):
    return pages(render_pdf(draft, deterministic=True))


def test_every_page_of_an_unsigned_pdf_says_draft_and_who_is_still_to_sign(draft_pdf):
    assert len(draft_pdf) > 3
    for n, text in enumerate(draft_pdf, 1):
        assert "DRAFT: not signed off; still to sign: a governor" in text, f"page {n}"
    assert "In progress (draft: not signed off)" in draft_pdf[0]


def test_a_signed_off_pdf_has_no_draft_mark(mini):
    signed = report(mini, status="signed-off", sign_offs=[HEAD, GOV])
    text = " ".join(pages(render_pdf(signed, deterministic=True)))
    assert "DRAFT" not in text and "draft" not in text


def test_the_pdf_prints_the_reason_for_signing_an_unfinished_audit_as_typed(draft_pdf):
    text = " ".join(draft_pdf)
    assert ("Hana Head (Headteacher) signed before the audit was finished, on 12 January "
            "2027. The reason given:") in text
    assert "Outcome 5 is <b>reviewed</b> in the summer term; we sign now for the LA " \
           "deadline." in text


def test_overdue_actions_are_in_the_governors_summary_of_the_pdf(draft_pdf):
    text = " ".join(draft_pdf)
    summary = text[text.index("Summary for governors"):text.index("Full gap report",
                                                                   text.index("Sign-off"))]
    assert ("Overdue actions. 1 action is overdue: past the due date and not done. D1 Write "
            "the SEN policy (Ms Jones, due 1 December 2026). See the action plan.") in summary


def test_many_overdue_actions_name_the_most_overdue_and_count_the_rest(mini):
    late = {cid: {"rating": "not-met" if cid.startswith("D") else "not-in-place",
                  "action": {"what": f"Fix {cid}", "owner": "Ms Jones",
                             "due": f"2026-{n + 9:02d}-01"}}
            for n, cid in enumerate(("D1", "D2", "O1.1", "O1.2"))}
    text = " ".join(pages(render_pdf(analyse(mini, make_audit(mini, late), TODAY),
                                     deterministic=True)))
    assert ("4 actions are overdue: past the due date and not done. Most overdue: D1 Fix D1 "
            "(Ms Jones, due 1 September 2026); D2 Fix D2 (Ms Jones, due 1 October 2026); "
            "O1.1 Fix O1.1 (Ms Jones, due 1 November 2026). And 1 more in the action "
            "plan.") in text


def test_no_overdue_action_is_said_plainly(mini):
    done = {"D1": {"rating": "met"}}
    text = " ".join(pages(render_pdf(analyse(mini, make_audit(mini, done), TODAY),
                                     deterministic=True)))
    assert "Overdue actions. No action is overdue." in text


def test_a_signature_set_aside_by_reopening_is_not_printed_as_signed(mini):
    old = {**GOV, "superseded": True}
    text = " ".join(pages(render_pdf(report(mini, sign_offs=[HEAD, old]),
                                     deterministic=True)))
    assert "Gil Governor" not in text
    assert "still to sign: a governor" in text


def test_the_html_marks_a_draft_on_screen_and_on_every_printed_page(draft, mini):
    page = render_html(draft)
    assert '<p class="draft" role="note">DRAFT: not signed off; still to sign: a governor' \
           in page
    css = page[page.index("<style>"):page.index("</style>")]
    margin = css[css.index("@top-center"):]
    assert 'content: "DRAFT: not signed off; still to sign: a governor' in margin
    signed = render_html(report(mini, status="signed-off", sign_offs=[HEAD, GOV]))
    assert "DRAFT" not in signed and "@top-center" not in signed


def test_the_html_prints_the_reason_escaped_and_the_overdue_actions_in_the_summary(draft):
    page = render_html(draft)
    summary = page[page.index('<h2 id="summary">'):page.index('<h2 id="full">')]
    assert "signed before the audit was finished, on 12 January 2027" in summary
    assert ("Outcome 5 is &lt;b&gt;reviewed&lt;/b&gt; in the summer term;\nwe sign now"
            in summary)
    assert "<h3>Overdue actions</h3><p>1 action is overdue" in summary
    assert "Write the SEN policy" in summary.split("Overdue actions")[1]


def test_the_text_report_says_draft_reason_and_overdue(draft):
    text = render_text(draft)
    assert text.startswith("DRAFT: not signed off; still to sign: a governor")
    assert "the reason given: " + REASON in text
    assert "Overdue actions: 1 action is overdue" in text
    assert "  - D1: Write the SEN policy (Ms Jones, was due 1 December 2026)" in text


def test_the_workbook_summary_carries_the_reason_and_leaves_out_set_aside_signatures(mini):
    import openpyxl

    from quality_offer.reports.spreadsheets import report_xlsx
    old = {**GOV, "superseded": True}
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report(mini, sign_offs=[HEAD, old]))))
    rows = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Signed off by the Headteacher"] == "Hana Head, 12 January 2027"
    assert rows["Why the Headteacher signed before the audit was finished"] == REASON
    assert "Signed off by the SEN governor" not in rows


def test_the_draft_mark_names_the_signatures_this_school_requires(mini):
    needs_senco = report(mini, sign_offs=[HEAD, GOV],
                         required_sign_offs=["headteacher", "governor", "senco"])
    assert render_text(needs_senco).startswith("DRAFT: not signed off; still to sign: the "
                                               "SENCO\n")
    assert all("still to sign: the SENCO" in p
               for p in pages(render_pdf(needs_senco, deterministic=True)))


def test_next_years_audit_keeps_the_signatures_the_school_requires(mini):
    from quality_offer.audit import carry_forward
    last = make_audit(mini, ANSWERS, year="2025/26", required_sign_offs=["headteacher"])
    assert carry_forward(mini, last).required_sign_offs == ["headteacher"]


def test_the_draft_line_names_every_missing_signature_in_full_on_every_page(mini):
    """Who still has to sign is the point of the draft line: the longest wording (no one has
    signed, three signatures required) is never cut short on a page."""
    from reportlab.lib.units import mm

    from quality_offer.audit import missing_words
    from quality_offer.reports.pdf.pages import draft_lines
    from quality_offer.reports.pdf.styles import FRAME_W

    nobody = report(mini, sign_offs=[], required_sign_offs=["headteacher", "governor", "senco"])
    whole = f"DRAFT: not signed off; still to sign: {missing_words(nobody.missing_signatures)}"
    assert "…" not in whole
    for n, text in enumerate(pages(render_pdf(nobody, deterministic=True)), 1):
        assert " ".join(whole.split()) in text, f"page {n}"
    longer = whole + "; and the chair of the local governing board as well"
    lines, size = draft_lines(longer, FRAME_W - 5 * mm)  # too long for one line: two, whole
    assert len(lines) == 2 and " ".join(lines) == longer and size >= 7
