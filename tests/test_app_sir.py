"""The SEN information report page, with AppTest: upload, findings, saving as evidence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.sir.evidence import START
from quality_offer.store import Store

from . import sir_reports as R
from .app_support import goto, new_app, texts
from .builders import make_audit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def hdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh database for the app, with the shipped framework (it has D5 and D5a)."""
    url = f"sqlite:///{tmp_path / 'quality-offer.db'}"
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", url)
    store = Store(url)
    yield store
    store.close()


def _upload(at, name: str, content: bytes, mime: str = DOCX):
    at.file_uploader(key="sir_upload").upload(name, content, mime)
    return at.run()


def _table(at, index: int = 0):
    return at.table[index].value


def test_the_page_lists_each_item_with_its_status_and_says_what_is_missing(hdb):
    at = goto(new_app().run(), "sen-information-report")
    assert not at.exception
    at = _upload(at, "report.docx", R.as_docx(R.sections("sch1-13")))
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Missing"] == "1" and metrics["Found"] == "23"
    table = _table(at)
    row = table[table["What the law asks for"].str.startswith("Where the local authority")]
    assert row.iloc[0]["Status"].endswith("Missing")
    assert "Local Offer" in row.iloc[0]["What the report says"]
    senco = table[table["What the law asks for"].str.contains("Sch 1 para 4")].iloc[0]
    assert "Mrs Jane Patel" in senco["What the report says"]
    assert "Who is the SENCO" in senco["What the report says"]
    assert "Open an audit" in texts(at)


def test_a_scanned_pdf_is_refused_on_the_page_with_the_reason(hdb):
    at = goto(new_app().run(), "sen-information-report")
    at = _upload(at, "scan.pdf", R.scanned_pdf(), "application/pdf")
    assert not at.exception
    assert any("no text that can be read" in e.value and "scan" in e.value for e in at.error)
    assert not at.table


def test_a_hard_report_shows_its_reading_age_jargon_and_stale_review_date(hdb):
    at = goto(new_app().run(), "sen-information-report")
    at = _upload(at, "hard.txt", R.long_hard_report().encode(), "text/plain")
    assert not at.exception
    page = texts(at)
    assert "very difficult" in page
    assert "more than a year ago" in page
    jargon = next(t.value for t in at.table if "Term" in t.value.columns)
    assert {"EHCP", "APDR"} <= set(jargon["Term"])


def test_saving_adds_the_check_to_d5_and_d5a_evidence_without_rating_them(hdb, herts):
    hdb.create_audit(make_audit(herts, {"D5": {"evidence": {"text": "Typed by the SENCO."}}}),
                     "someone")
    at = goto(new_app().run(), "sen-information-report")
    # The open audit's school fills in the phase and type.
    assert at.selectbox(key="sir_phase").value == "primary"
    at = _upload(at, "report.docx", R.as_docx(R.sections("sch1-9")))
    at.button(key="sir_save").click()
    at = at.run()
    assert not at.exception
    assert any("Saved as evidence for D5 and D5a" in s.value for s in at.success)
    audit = hdb.get_audit("123456", "2026/27")
    d5, d5a = audit.responses["D5"], audit.responses["D5a"]
    assert d5.rating is None and d5a.rating is None  # the SENCO rates
    assert d5.evidence.text.startswith("Typed by the SENCO.")  # their words are kept
    assert START in d5.evidence.text and "1 missing" in d5.evidence.text
    assert "complaints" in d5.evidence.text
    assert "last reviewed on 15 September 2026" in d5a.evidence.text
    assert d5.evidence.kind == "document"
    # Checking again replaces the check's words instead of adding a second copy.
    at = _upload(at, "report.docx", R.as_docx(R.sections()))
    at.button(key="sir_save").click()
    at = at.run()
    again = hdb.get_audit("123456", "2026/27").responses["D5"].evidence.text
    assert again.count(START) == 1 and "0 missing" in again
    # The saved check appears in the gap report, beside D5.
    html = render_html(analyse(herts, hdb.get_audit("123456", "2026/27")))
    assert "SEN information report check" in html and "0 missing" in html
    # And the change history says who saved it.
    assert any(c.criterion_id == "D5" for c in hdb.history("123456", "2026/27", "D5"))


def test_a_signed_off_audit_cannot_take_the_check(hdb, herts):
    hdb.create_audit(make_audit(herts, status="signed-off"), "someone")
    at = goto(new_app().run(), "sen-information-report")
    at = _upload(at, "report.docx", R.as_docx(R.sections()))
    assert at.button(key="sir_save").disabled
    assert "signed off" in texts(at)


def test_d5_on_the_checklist_links_to_the_check(hdb, herts):
    hdb.create_audit(make_audit(herts), "someone")
    at = goto(new_app().run(), "checklist")
    assert not at.exception
    links = [el for el in at.get("page_link")]
    assert any("Check the published report" in str(el.proto.label) for el in links)


def test_markup_in_the_uploaded_report_is_shown_as_typed_never_as_a_link(hdb):
    from quality_offer.ui.text import plain

    parts = [p if p[0] != "Who is the SENCO?" else (
        "Who is the SENCO?", "Our SENCO is Mrs Jane Patel, **urgent** [click](http://x.test). "
                             "Contact her on 01234 567890.") for p in R.sections()]
    at = goto(new_app().run(), "sen-information-report")
    at = _upload(at, "report.txt", R.as_text(parts).encode(), "text/plain")
    table = _table(at)
    senco = table[table["What the law asks for"].str.contains("Sch 1 para 4")].iloc[0]
    assert plain("**urgent** [click](http://x.test)") in senco["What the report says"]


def test_d5_and_d5a_show_the_saved_check_on_the_checklist_not_only_a_link(hdb, herts):
    hdb.create_audit(make_audit(herts), "someone")
    at = goto(new_app().run(), "sen-information-report")
    at = _upload(at, "oakfield-report.docx", R.as_docx(R.sections("sch1-13")))
    at.button(key="sir_save").click()
    at.run()
    at = goto(new_app().run(), "checklist")
    assert not at.exception
    page = "\n".join(str(m.value) for m in at.markdown)
    from quality_offer.ui.text import plain

    assert f"check saved as evidence:** {plain('oakfield-report.docx')}, checked on" in page
    assert ":green-badge[22 found] :gray-badge[0 unclear] :red-badge[1 missing] of 23" in page
    # Both cards carry it: D5 with the counts, D5a with the counts and the review date.
    assert page.count(":red-badge[1 missing]") == 2
    assert any("last reviewed on 15 September 2026" in c.value for c in at.caption)
    labels = [str(el.proto.label) for el in at.get("page_link")]
    assert labels.count("Open the SEN information report check to see each item or check "
                        "again") == 2


def test_the_checklist_says_nothing_of_a_check_when_none_is_saved(hdb, herts):
    hdb.create_audit(make_audit(herts), "someone")
    at = goto(new_app().run(), "checklist")
    page = "\n".join(str(m.value) for m in at.markdown)
    assert "check saved as evidence" not in page
    labels = [str(el.proto.label) for el in at.get("page_link")]
    assert labels.count("Check the published report against the law and for readability") == 2


def test_the_page_promises_only_the_size_an_upload_can_reach_the_server_with(hdb):
    at = goto(new_app().run(), "sen-information-report")
    label = at.get("file_uploader")[0].proto.label
    assert label.endswith("up to 2 MB"), label  # server.maxUploadSize, not the check's 20 MB


def test_the_schools_phase_and_type_are_offered_in_words_not_as_codes(hdb, herts):
    hdb.create_audit(make_audit(herts, {}, phase="16-plus", school_type="pupil-referral-unit"),
                     "someone")
    at = goto(new_app().run(), "sen-information-report")
    phase, school_type = at.selectbox(key="sir_phase"), at.selectbox(key="sir_type")
    assert phase.value == "16-plus" and school_type.value == "pupil-referral-unit"
    assert "16 plus" in phase.options and "16-plus" not in phase.options
    assert "Pupil referral unit" in school_type.options
    assert "pupil-referral-unit" not in school_type.options
