"""The PDF report: what a governor, a head and the LA read, checked through its text."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from quality_offer.audit import Evidence
from quality_offer.reports.pdf import FontNotFoundError, render_pdf
from quality_offer.reports.pdf import fonts as pdf_fonts

from .pdf_support import MARKUP, answers, flat, link_targets, report_of, text_of


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def mini_report(mini):
    return report_of(mini, answers(mini), completed_by="Siân O’Brien",
                     sign_offs=[{"name": "Dr Jan Łukasz", "role": "headteacher",
                                 "date": "2027-01-12"}])


@pytest.fixture(scope="module")
def mini_pdf(mini_report):
    return render_pdf(mini_report, deterministic=True)


def test_it_is_a_pdf_that_names_the_school_urn_and_year(mini_pdf):
    assert mini_pdf.startswith(b"%PDF-")
    text = flat(text_of(mini_pdf))
    assert "Oak Tree Primary School" in text
    assert "123456" in text
    assert "2026/27" in text
    assert "Mini framework for tests, version 1.0.0" in text


def test_it_prints_every_gaps_verified_references_and_every_action(mini_report, mini_pdf):
    text = flat(text_of(mini_pdf))
    assert mini_report.gaps
    for gap in mini_report.gaps:
        for ref in gap.references:
            assert ref.id in text
            assert ref.summary in text
    for action in mini_report.actions:
        assert action.what in text
        assert action.owner in text


def test_the_citation_as_published_and_its_note_are_only_in_the_checking_appendix(mini_pdf):
    text = flat(text_of(mini_pdf))
    appendix = text.index("Appendix: how the references were checked")
    assert text.index("As published: CoP 10.0 (no such paragraph).") > appendix
    assert text.index("There is no paragraph 10.0.") > appendix
    assert text.count("10.0") == 2


def test_the_governors_summary_gives_duties_priorities_questions_and_sign_off(mini_report,
                                                                              mini_pdf):
    text = flat(text_of(mini_pdf))
    assert "Summary for governors" in text
    assert "Of 2 legal duties, 0 met, 1 partly met, 1 not met and 0 not assessed." in text
    assert "Top priorities" in text
    for question in mini_report.questions:
        assert question in text
    assert mini_report.rules["section"] in text
    assert "Sign-off" in text and "SEN governor" in text
    assert "Dr Jan Łukasz" in text and "12 January 2027" in text


def test_the_chart_prints_its_numbers_beside_the_bars(mini_pdf):
    text = flat(text_of(mini_pdf))
    assert "0 of 2 assessed at or above expected (0%)" in text
    assert "1 of 1 assessed at or above expected (100%)" in text
    assert "2 statutory duties not met in full: D1, D2" in text


def test_overdue_actions_are_marked_in_words(mini_pdf):
    text = flat(text_of(mini_pdf))
    assert "Overdue In progress" in text  # the action plan's status cell
    assert "OVERDUE" in text              # the tag beside the action in the full report


def test_not_applicable_answers_print_their_reason(mini_pdf):
    text = flat(text_of(mini_pdf))
    assert "Not applicable No looked-after children on roll." in text
    assert "Marked not applicable" in text


def test_a_school_with_no_gaps_is_told_so(mini):
    report = report_of(mini, answers(mini, D1={"rating": "met"}, D2={"rating": "met"}))
    text = flat(text_of(render_pdf(report)))
    assert "No gaps: every assessed criterion is at or above the expected level." in text


def test_not_assessed_criteria_and_quality_checks_are_listed(mini):
    report = report_of(mini, answers(mini, D2={}))
    text = flat(text_of(render_pdf(report)))
    assert report.not_assessed == ["D2"]
    assert "These criteria have no rating yet." in text
    assert "D2 Appoint a SENCO." in text
    for check in report.checks:
        assert check.message in text


def test_the_outline_lists_every_part_and_section(mini_report, mini_pdf):
    reader = PdfReader(io.BytesIO(mini_pdf))
    top = [o for o in reader.outline if not isinstance(o, list)]
    nested = [o for sub in reader.outline if isinstance(sub, list) for o in sub]
    titles = [o.title for o in top]
    for part in ("Summary for governors", "Full gap report", "Action plan", "Not assessed",
                 "Quality checks", "References"):
        assert part in titles
    assert [o.title for o in nested] == [s.title for s in mini_report.sections]
    pages = [reader.get_destination_page_number(o) for o in top]
    assert pages == sorted(pages) and pages[-1] > 0


def test_every_page_after_the_cover_says_page_x_of_y(mini_pdf):
    reader = PdfReader(io.BytesIO(mini_pdf))
    total = len(reader.pages)
    for n, page in enumerate(reader.pages[1:], start=2):
        assert f"Page {n} of {total}" in flat(page.extract_text())
        assert "Oak Tree Primary School · 2026/27 · generated 15 January 2027" in flat(
            page.extract_text())


def test_the_metadata_gives_title_author_subject_and_language(mini_pdf):
    reader = PdfReader(io.BytesIO(mini_pdf))
    meta = reader.metadata
    assert meta.title == "SEND self-assessment: Oak Tree Primary School, 2026/27"
    assert meta.author == "Siân O’Brien"
    assert meta.subject == "Mini framework for tests, version 1.0.0"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_every_font_is_embedded(mini_pdf):
    reader = PdfReader(io.BytesIO(mini_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            fonts[font["/BaseFont"]] = descriptor is not None and "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts)


def test_deterministic_renders_are_byte_identical(mini_report):
    assert render_pdf(mini_report, deterministic=True) == render_pdf(mini_report,
                                                                     deterministic=True)


def test_markup_in_free_text_prints_literally_and_reads_nothing_from_disk(mini):
    nasty = MARKUP + ' <font name="/etc/passwd">x</font> <b>unbalanced <a href="file:///x">'
    report = report_of(mini, answers(mini, D1={
        "rating": "not-met",
        "evidence": {"text": nasty, "location": "<img src='/etc/hostname'/>"},
        "action": {"what": "<para>fix</para>", "owner": "<b>Head</b>"}}),
        name="Oak & <Ash> School")
    data = render_pdf(report)
    text = flat(text_of(data))
    assert MARKUP in text
    assert '<font name="/etc/passwd">x</font> <b>unbalanced <a href="file:///x">' in text
    assert "<img src='/etc/hostname'/>" in text
    assert "<para>fix</para>" in text and "<b>Head</b>" in text
    assert "Oak & <Ash> School" in text
    assert b"/Subtype /Image" not in data
    assert all(uri.startswith("https://") for uri in link_targets(data))  # none from free text


def test_the_reference_appendix_lists_every_reference_with_a_clickable_link(mini_report,
                                                                              mini_pdf):
    text = flat(text_of(mini_pdf))
    appendix = text[text.rindex("References Every source"):]
    for ref in mini_report.references:
        assert ref.exists == (f"{ref.cited} — {ref.title}" in appendix)
        assert ref.exists == (ref.summary in appendix)
    assert set(link_targets(mini_pdf)) == {ref.url for ref in mini_report.references}


def test_welsh_and_polish_names_dashes_and_curly_quotes_print(mini):
    name = "Ysgol Gymraeg Ŵŷ — “Łódź” St Mary’s"
    report = report_of(mini, answers(mini), name=name)
    text = text_of(render_pdf(report))
    assert name in flat(text)


def test_control_characters_print_as_replacement_marks_without_breaking(mini):
    report = report_of(mini, answers(mini, D1={
        "rating": "not-met", "evidence": {"text": "bell\x07 null\x00 esc\x1b end\r\nline"}}))
    text = flat(text_of(render_pdf(report)))
    assert "bell\ufffd null\ufffd esc\ufffd end line" in text


def test_very_long_evidence_and_unbroken_strings_still_build(mini):
    """50,000 characters (past the audit file's limit, as if imported from elsewhere)."""
    unbroken = "x" * 12_000
    long_text = ("evidence " * 3_000) + unbroken + " END-OF-EVIDENCE " + ("y" * 11_000)
    assert len(long_text) >= 50_000
    report = report_of(mini, answers(mini))
    item = report.items[0]
    huge = item.model_copy(update={
        "evidence": Evidence.model_construct(text=long_text, location="z" * 5_000,
                                             kind="data"),
        "action": item.action.model_copy(update={"what": long_text}),
        "moderation_note": long_text})
    actions = [report.actions[0].model_copy(update={"what": long_text, "owner": "o" * 5000}),
               *report.actions[1:]]
    report = report.model_copy(update={"items": [huge, *report.items[1:]],
                                       "actions": actions})
    data = render_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 10
    text = squash(text_of(data))
    assert "END-OF-EVIDENCE" in text
    assert "continuesinthefullgapreport" in text  # the action plan's cell is cut, and says so


def test_a_missing_font_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_fonts, "_font_dirs", lambda: [tmp_path])
    monkeypatch.setattr(pdf_fonts, "FONT_SEARCH_ROOTS", (tmp_path,))
    with pytest.raises(FontNotFoundError, match="fonts-dejavu-core"):
        pdf_fonts._find_font("DejaVuSans.ttf")


def test_the_font_folder_can_be_named_by_environment(monkeypatch, tmp_path):
    source = pdf_fonts._find_font("DejaVuSans.ttf")
    (tmp_path / "DejaVuSans.ttf").write_bytes(source.read_bytes())
    monkeypatch.setenv("QUALITY_OFFER_FONT_DIR", str(tmp_path))
    assert pdf_fonts._find_font("DejaVuSans.ttf") == tmp_path / "DejaVuSans.ttf"


def test_the_shipped_frameworks_summary_takes_at_most_two_pages(herts):
    """Cover on page 1, the summary on pages 2-3, the full report from page 4 at the latest.

    The worst case (every action overdue, four signatures with long comments, a long name)
    may carry the last signatories' comments onto page 4, never more: the summary itself,
    the questions and the signature lines stay on pages 2-3.
    """
    responses = {}
    for i, crit in enumerate(herts.active):
        levels = herts.scale_of(crit).level_ids
        responses[crit.id] = {
            "rating": levels[0] if i % 2 else levels[-1],
            "evidence": {"text": "Seen in the provision map. " * 20, "location": "SEN folder"},
            "action": {"what": "Review the provision with the SEN governor " * 3,
                       "owner": "A very long owner name for the SENCO role", "due": "2026-09-01"}}
    report = report_of(herts, responses, name="W" * 120, completed_by="C" * 200,
                       sign_offs=[{"name": n, "role": r, "date": "2027-01-10",
                                   "comment": "A comment " * 80}
                                  for n, r in (("A", "senco"), ("B", "headteacher"),
                                               ("C", "sen-governor"),
                                               ("D", "chair-of-governors"))])
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    full = next(o for o in reader.outline if not isinstance(o, list)
                and o.title == "Full gap report")
    assert reader.get_destination_page_number(full) <= 4
    summary = flat(reader.pages[1].extract_text() + reader.pages[2].extract_text())
    assert "Questions governors could ask" in summary and "Chair of governors" in summary
    assert "Overdue actions." in summary and "10 January 2027" in summary
    if reader.get_destination_page_number(full) == 4:
        spill = flat(reader.pages[3].extract_text())
        assert "Questions" not in spill and "Signature" not in spill
        assert spill.count("comment:") <= 2
    assert re.search(r"And \d+ more gaps in the full gap report", summary)


free_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
#: A school's name refuses control and direction characters (see yamlsafe.NOT_IN_NAMES);
#: any other text must show as typed.
name_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"),
                                  exclude_characters="\u061c\u200e\u200f\u202a\u202b"
                                                     "\u202c\u202d\u202e\u2066\u2067"
                                                     "\u2068\u2069\ufffe\uffff"),
                    min_size=1, max_size=150)
sample = st.from_regex(r"[A-Za-z][A-Za-z0-9]{5,11}", fullmatch=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(noise=st.lists(free_text, min_size=8, max_size=8), marker=sample,
       school=name_text)
def test_any_text_in_any_free_text_field_builds_and_shows(mini, noise, marker, school):
    def with_marker(text: str) -> str:
        return f"{text} {marker} {text}"

    reason = with_marker(noise[4]) if noise[4].strip() else marker
    responses = {
        "D1": {"rating": "not-met",
               "evidence": {"text": with_marker(noise[0]), "location": noise[1][:100]},
               "action": {"what": with_marker(noise[2]), "owner": noise[3][:100],
                          "due": "2026-01-01"},
               "moderated_rating": "partly-met", "moderation_note": with_marker(noise[5])},
        "O1.2": {"not_applicable_reason": reason},
    }
    report = report_of(mini, responses, name=school,
                       completed_by=noise[7][:150])
    text = squash(text_of(render_pdf(report)))
    assert text.count(marker) >= 4  # evidence, action (twice: full report and plan), reason


def test_an_audit_with_nothing_answered_still_makes_a_full_report(mini):
    report = report_of(mini, {}, school_type="academy", phase="16-plus")
    text = flat(text_of(render_pdf(report)))
    assert "Nothing has been assessed yet, so there are no priorities to show." in text
    assert "Not assessed yet" in text
    assert "No actions are planned." in text
    assert "criteria are not assessed yet" in text
