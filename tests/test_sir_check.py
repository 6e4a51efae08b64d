"""Checking a SEN information report: items found, missing, unclear; readability; refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer.cli import main
from quality_offer.errors import InputError
from quality_offer.sir import Unreadable, check, read_bytes
from quality_offer.sir import extract as sir_extract
from quality_offer.sir import items as sir_items
from tests import sir_reports as R

AUDIT = dt.date(2026, 12, 2)
ALL_IDS = list(R.SECTIONS)


def _statuses(data: bytes, name: str, **kw) -> dict[str, str]:
    result = check(read_bytes(data, name), audit_date=AUDIT, **kw)
    return {f.item.id: f.status for f in result.findings}


def test_the_test_reports_cover_every_shipped_item():
    assert [i.id for i in sir_items.shipped().items] == ALL_IDS


@pytest.mark.parametrize("name,build", [
    ("report.txt", lambda p: R.as_text(p).encode()),
    ("report.html", lambda p: R.as_html(p).encode()),
    ("report.docx", lambda p: R.as_docx(p)),
    ("report.pdf", lambda p: R.as_pdf(p)),
])
def test_a_complete_report_has_every_item_found_in_every_format(name, build):
    statuses = _statuses(build(R.sections()), name, phase="secondary", school_type="maintained")
    assert statuses == dict.fromkeys(ALL_IDS, "found")


@pytest.mark.parametrize("phase,expected", [
    ("nursery", "not-applicable"), ("primary", "not-applicable"), ("secondary", "found"),
    ("all-through", "found"), ("special", "found"), ("16-plus", "found")])
def test_consulting_young_people_is_asked_only_where_pupils_can_be_past_compulsory_school_age(
        phase, expected):
    result = check(read_bytes(R.as_text(R.sections()).encode(), "report.txt"),
                   audit_date=AUDIT, phase=phase, school_type="maintained")
    para8 = next(f for f in result.findings if f.item.id == "sch1-8")
    assert para8.status == expected
    assert para8.item.reference == "SEND Regs 2014 Sch 1 para 8"
    if expected == "not-applicable":
        assert "over compulsory school age" in para8.explanation


@pytest.mark.parametrize("words", [R.SECTIONS, R.OTHER_WORDS], ids=["same", "other-words"])
@pytest.mark.parametrize("dropped", ALL_IDS)
def test_each_item_left_out_in_turn_is_reported_and_no_other(dropped, words):
    statuses = _statuses(R.as_text(R.sections(dropped, words)).encode(), "report.txt")
    assert statuses[dropped] in ("missing", "unclear")
    assert {k: v for k, v in statuses.items() if k != dropped} == dict.fromkeys(
        [i for i in ALL_IDS if i != dropped], "found")


def test_items_said_in_other_words_are_found():
    statuses = _statuses(R.as_text(R.sections(words=R.OTHER_WORDS)).encode(), "report.txt")
    assert statuses == dict.fromkeys(ALL_IDS, "found")


def test_a_finding_quotes_the_passage_and_says_where_and_which_words_matched():
    result = check(read_bytes(R.as_pdf(R.sections()), "report.pdf"), audit_date=AUDIT)
    senco = next(f for f in result.findings if f.item.id == "sch1-4")
    passage = senco.passages[0]
    assert "Mrs Jane Patel" in passage.text
    assert passage.where.startswith("page 1") and "Who is the SENCO?" in passage.where
    assert "SENCO" in senco.matched["the SENCO"]
    assert "SENCO" in senco.explanation


def test_a_missing_item_says_what_is_missing_why_and_cites_the_paragraph():
    result = check(read_bytes(R.as_text(R.sections("sch1-4")).encode(), "r.txt"),
                   audit_date=AUDIT)
    senco = next(f for f in result.findings if f.item.id == "sch1-4")
    assert senco.status == "missing" and senco.passages == ()
    assert "SEND Regs 2014 Sch 1 para 4" in senco.explanation
    assert "how to reach them" in senco.explanation  # the why, in plain words


def test_a_senco_named_without_contact_details_is_unclear():
    parts = [p if p[0] != "Who is the SENCO?" else ("Who is the SENCO?",
                                                   "Our SENCO is Mrs Jane Patel.")
             for p in R.sections()]
    result = check(read_bytes(R.as_text(parts).encode(), "r.txt"), audit_date=AUDIT)
    senco = next(f for f in result.findings if f.item.id == "sch1-4")
    assert senco.status == "unclear"
    assert senco.missing == ("contact details",)
    assert "contact details" in senco.explanation


def test_a_word_file_with_the_items_in_a_table_is_read_row_by_row():
    result = check(read_bytes(R.as_docx(R.sections(), tables=True), "report.docx"),
                   audit_date=AUDIT)
    assert result.count("found") == len(ALL_IDS)
    complaints = next(f for f in result.findings if f.item.id == "sch1-9")
    assert complaints.passages[0].where.startswith("table 1, row 16")


def test_a_scanned_pdf_with_no_text_says_so():
    with pytest.raises(Unreadable) as caught:
        read_bytes(R.scanned_pdf(), "report.pdf")
    message = str(caught.value)
    assert "2 pages but no text" in message and "scan" in message


def test_a_long_hard_report_scores_low_and_points_at_its_hardest_parts():
    result = check(read_bytes(R.long_hard_report().encode(), "report.txt"), audit_date=AUDIT)
    r = result.readability
    assert r.reading_ease < 30 and r.verdict == "very difficult"
    assert r.reading_age >= 18
    assert len(r.hardest) == 3 and all(h.reading_ease < 30 for h in r.hardest)
    assert r.longest_sentences[0].words >= 50
    assert "EHCP" in {j.term for j in r.jargon} and "APDR" in {j.term for j in r.jargon}
    plain = check(read_bytes(R.as_text(R.sections()).encode(), "r.txt"), audit_date=AUDIT)
    assert plain.readability.reading_ease > r.reading_ease + 40


def test_jargon_spelt_out_where_first_used_is_not_flagged():
    text = R.as_text(R.sections()) + (
        "\nPlans\nSome pupils have an education, health and care plan (EHCP). Each EHCP is "
        "reviewed every year. We use the APDR cycle.\n")
    result = check(read_bytes(text.encode(), "r.txt"), audit_date=AUDIT)
    flagged = {j.term: j for j in result.readability.jargon}
    assert "EHCP" not in flagged and "SENCO" not in flagged
    assert flagged["APDR"].known_meaning == "assess, plan, do, review"


def test_the_review_date_is_found_and_a_stale_one_is_flagged():
    fresh = check(read_bytes(R.as_text(R.sections()).encode(), "r.txt"), audit_date=AUDIT)
    assert fresh.reviewed.date == dt.date(2026, 9, 15) and fresh.reviewed.out_of_date is False
    stale = check(read_bytes(R.long_hard_report().encode(), "r.txt"), audit_date=AUDIT)
    assert stale.reviewed.date == dt.date(2024, 7, 1) and stale.reviewed.out_of_date is True
    undated = R.as_text(R.sections(), intro="Next review: September 2027.")
    none = check(read_bytes(undated.encode(), "r.txt"), audit_date=AUDIT)
    assert none.reviewed.date is None and none.reviewed.out_of_date is None


def test_a_special_school_is_not_asked_for_a_senco_or_identification_policy():
    statuses = _statuses(R.as_text(R.sections("sch1-4")).encode(), "r.txt", phase="special",
                         school_type="maintained")
    assert statuses["sch1-4"] == "not-applicable" and statuses["sch1-2"] == "not-applicable"
    assert statuses["sch1-1"] == "found"


def test_a_school_the_duty_does_not_cover_gets_every_item_not_applicable():
    statuses = _statuses(R.as_text(R.sections()).encode(), "r.txt", phase="secondary",
                         school_type="independent")
    assert set(statuses.values()) == {"not-applicable"}


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("name,data,words", [
    ("report.pdf", R.as_text(R.sections()).encode(), "name says it is a PDF, but it is plain"),
    ("report.docx", R.as_pdf(R.sections()), "Word (.docx) document, but it is a PDF"),
    ("report.pdf", b"PK\x03\x04" + b"\x00" * 40, "PDF, but it is a binary file"),
    ("report.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 40, "old Word (.doc) files cannot be read"),
    ("report.odt", b"hello", "use PDF, Word (.docx), HTML or plain text"),
    ("report.txt", b"   ", "the file is empty"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_with_a_clear_message(name, data,
                                                                               words):
    with pytest.raises(Unreadable) as caught:
        read_bytes(data, name)
    assert words in str(caught.value)


def test_a_pdf_that_needs_a_password_is_refused():
    with pytest.raises(Unreadable, match="protected by a password"):
        read_bytes(R.as_pdf(R.sections(), encrypt="secret"), "report.pdf")


def test_an_oversize_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(sir_extract, "MAX_BYTES", 1000)
    path = R.write(tmp_path, "report.txt", "x" * 2000)
    with pytest.raises(Unreadable, match="the limit is 1,000"):
        sir_extract.read_file(path)


def test_a_file_with_more_words_than_any_report_is_refused():
    with pytest.raises(Unreadable, match="up to 60,000 words"):
        read_bytes(("Support for pupils. " * 25_000).encode(), "report.txt")


def test_a_word_file_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(sir_extract, "MAX_UNPACKED", 10_000)
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(R.as_docx(R.sections()))) as src, \
            zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("word/media/padding.bin", b"\x00" * 50_000)
    with pytest.raises(Unreadable, match="unpacks to"):
        read_bytes(data.getvalue(), "report.docx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=3000),
                      st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b),
                      st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b),
                      st.text(max_size=2000).map(lambda t: f"<html><h1>{t}</h1>".encode())),
       suffix=st.sampled_from([".pdf", ".docx", ".html", ".txt"]))
def test_any_bytes_are_either_read_or_refused_with_a_message_never_a_crash(data, suffix):
    try:
        document = read_bytes(data, "report" + suffix)
    except Unreadable as exc:
        assert exc.problems and exc.problems[0].message
        return
    check(document, audit_date=AUDIT)


# --- the items file -------------------------------------------------------------------------


def test_the_shipped_items_cite_paragraph_numbers_only_where_verified():
    for item in sir_items.shipped().items:
        if item.evidence != "V":
            assert item.reference == "SEND Regs 2014 Sch 1", item.id
            assert item.doubt, item.id


def test_every_schedule_1_paragraph_is_cited_by_number_with_the_words_of_the_law():
    items = [i for i in sir_items.shipped().items if i.reference.startswith("SEND Regs 2014 Sch 1")]
    paragraphs = {i.reference.split(" para ")[1].split("(")[0] for i in items}
    assert paragraphs == {str(n) for n in range(1, 14)}
    for item in items:
        assert item.evidence == "V" and item.law_text and not item.doubt, item.id
    para9 = next(i for i in items if i.id == "sch1-9")
    assert para9.law_text.startswith("Any arrangements made by the governing body or the")


@pytest.mark.parametrize("change,where", [
    ("    evidence: V\n", "    evidence: Q\n"),
    ("  - id: sch1-2\n", "  - id: sch1-1\n"),
    ("          phrases: [local offer]\n", "          phrases: [local offer]\n          size: 3\n"),
    ("          phrases: [local offer]\n", "          patterns: ['(unclosed']\n"),
])
def test_a_broken_items_file_is_refused_with_the_line_and_field(tmp_path, change, where):
    text = sir_items.ITEMS_FILE.read_text(encoding="utf-8").replace(change, where, 1)
    path = R.write(tmp_path, "items.yaml", text)
    with pytest.raises(InputError) as caught:
        sir_items.load(path)
    problem = caught.value.problems[0]
    assert problem.file.endswith("items.yaml") and problem.line is not None
    assert str(problem).count(":") >= 3


def test_a_local_authority_can_add_its_own_item_without_code(tmp_path):
    text = sir_items.ITEMS_FILE.read_text(encoding="utf-8").replace("\njargon:\n", """
  - id: la-parent-forum
    reference: Hertfordshire expectation
    evidence: Local
    statutory: false
    requirement: A link to the county's parent carer forum.
    why: The authority asks schools to point families to the forum.
    match:
      concepts:
        - name: the forum
          phrases: [Herts Parent Carer Involvement]

jargon:
""", 1)
    items = sir_items.load(R.write(tmp_path, "items.yaml", text))
    missing = check(read_bytes(R.as_text(R.sections()).encode(), "r.txt"), items=items)
    assert missing.findings[-1].item.id == "la-parent-forum"
    assert missing.findings[-1].status == "missing"
    with_it = R.as_text(R.sections()) + "\nForum\nJoin Herts Parent Carer Involvement today.\n"
    found = check(read_bytes(with_it.encode(), "r.txt"), items=items)
    assert found.findings[-1].status == "found"


# --- the command line -----------------------------------------------------------------------


def test_the_cli_prints_the_json_shape_and_exits_0_when_items_are_missing(tmp_path, capsys):
    path = R.write(tmp_path, "report.docx", R.as_docx(R.sections("sch1-13")))
    code = main(["sir-check", str(path), "--phase", "primary", "--type", "academy",
                 "--format", "json", "--audit-date", "2026-12-02"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"file", "items", "readability", "last_reviewed"}
    assert out["file"].endswith("report.docx")
    item = next(i for i in out["items"] if i["id"] == "sch1-13")
    assert set(item) >= {"id", "reference", "requirement", "status", "passages"}
    assert item["status"] == "missing"
    found = next(i for i in out["items"] if i["id"] == "sch1-1")
    assert found["reference"] == "SEND Regs 2014 Sch 1 para 1"
    assert found["passages"][0]["text"] and found["passages"][0]["where"]
    assert set(out["readability"]) >= {"reading_ease", "reading_age", "hardest"}
    assert out["last_reviewed"]["date"] == "2026-09-15"
    assert out["last_reviewed"]["over_a_year"] is False


def test_the_cli_text_output_names_each_item_and_the_review_date(tmp_path, capsys):
    path = R.write(tmp_path, "report.html", R.as_html(R.sections("sch1-9")))
    assert main(["sir-check", str(path), "--audit-date", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    assert "[Missing] sch1-9" in out and "[Found] sch1-4" in out
    assert "Last reviewed: 15 September 2026" in out


def test_the_cli_refuses_an_unreadable_file_with_exit_1_and_no_traceback(tmp_path, capsys):
    path = R.write(tmp_path, "report.pdf", R.scanned_pdf())
    assert main(["sir-check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "report.pdf" in err and "scan" in err and "Traceback" not in err


def test_the_cli_refuses_a_bad_audit_date(tmp_path, capsys):
    path = R.write(tmp_path, "report.txt", R.as_text(R.sections()))
    assert main(["sir-check", str(path), "--audit-date", "2/12/2026"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_validate_checks_an_items_file_and_names_the_line_of_a_mistake(tmp_path, capsys):
    folder = tmp_path / "sen-information-report"
    folder.mkdir()
    good = sir_items.ITEMS_FILE.read_text(encoding="utf-8")
    (folder / "items.yaml").write_text(good, encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    assert "24 items" in capsys.readouterr().out
    (folder / "items.yaml").write_text(good.replace("statutory: true", "statutory: maybe", 1),
                                       encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "items.yaml:" in err and "items.0.statutory" in err


def test_the_readme_documents_every_sir_check_option():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for option in ("sir-check", "--phase", "--type", "--format", "--audit-date", "--items"):
        assert option in readme


def test_a_saved_check_is_read_back_from_the_evidence_text_for_the_checklist():
    from quality_offer.sir.evidence import saved_check, summary_for, with_check

    result = check(read_bytes(R.as_docx(R.sections("sch1-9")), "oak.docx"), audit_date=AUDIT)
    d5 = with_check(None, summary_for(result, "D5", AUDIT), "oak.docx")
    got = saved_check("Typed first.\n\n" + d5.evidence.text + "\n\nTyped after.")
    assert got is not None and got.file == "oak.docx" and got.checked_on == "2 December 2026"
    assert (got.found, got.unclear, got.missing, got.required) == (
        result.count("found"), result.count("unclear"), 1, len(result.required))
    assert got.counts() == result.summary()
    d5a = saved_check(summary_for(result, "D5a", AUDIT))
    assert d5a is not None and d5a.missing == 1
    assert d5a.reviewed.startswith("It says it was last reviewed on 15 September 2026")
    # No block, or a block whose first line the SENCO rewrote: nothing is claimed.
    assert saved_check("Our report is on the website.") is None
    assert saved_check(None) is None
    edited = d5.evidence.text.replace(", checked on", " was looked at")
    assert saved_check(edited) is None


# --- reports laid out as schools write them -------------------------------------------------

QUESTIONS = """Oakwood Academy SEN Information Report
Reviewed by the Local Governing Body: July 2026

1. How does the school know if children need extra help and what should I do if I think my child may have special educational needs?
Children are identified through liaison with primary schools, concerns raised by parents or teachers, and reading tests taken by all students in Year 7. If you are worried about your child, please speak to their tutor.

7. What training have the staff supporting children and young people with SEND had or are having?
All teachers receive regular training on adaptive teaching. Our SENDCo holds the NPQ for SENCOs.
"""  # noqa: E501


def test_a_long_question_is_a_heading_so_each_answer_is_located_under_its_own_question():
    result = check(read_bytes(QUESTIONS.encode(), "oakwood.txt"), audit_date=AUDIT)
    training = next(f for f in result.findings if f.item.id == "sch1-5-training")
    assert training.status == "found"
    assert training.passages[0].where.startswith("under “7. What training have the staff")


def test_parents_raising_a_concern_about_needs_is_not_a_complaints_procedure():
    result = check(read_bytes(QUESTIONS.encode(), "oakwood.txt"), audit_date=AUDIT)
    assert next(f for f in result.findings if f.item.id == "sch1-9").status == "missing"


def test_a_special_school_that_says_whom_it_is_for_names_the_kinds_of_need_it_provides_for():
    text = ("Who we are\n\nRiverside is a special school for pupils aged 4 to 19 with severe and "
            "profound and multiple learning difficulties, many of whom also have autism.\n")
    result = check(read_bytes(text.encode(), "riverside.txt"), audit_date=AUDIT,
                   phase="special", school_type="maintained")
    kinds = next(f for f in result.findings if f.item.id == "sch1-1")
    assert kinds.status == "found"
    assert kinds.passages[0].where == "under “Who we are”"


def test_a_report_titled_information_report_does_not_thereby_name_the_parent_support_service():
    # "Information, advice and support" is one heading phrase: the word "information" alone
    # (in every report's title) must not make the missing service look half there.
    text = ("Brookfield Primary SEND Information Report\n\nLast reviewed: 12 September 2026.\n\n"
            "Working with parents\n\nWe meet parents each term to review their child's plan.\n")
    result = check(read_bytes(text.encode(), "brookfield.txt"), audit_date=AUDIT)
    assert next(f for f in result.findings if f.item.id == "sch1-11").status == "missing"


def _finding(text: str, item_id: str, name: str = "report.txt", **kw):
    """The finding for one item in a short report given as text (or as bytes of ``name``)."""
    data = text.encode() if isinstance(text, str) else text
    result = check(read_bytes(data, name), audit_date=AUDIT, **kw)
    return next(f for f in result.findings if f.item.id == item_id)


def test_trained_assistants_named_in_passing_are_not_an_account_of_staff_training():
    # "Supported by trained TAs" in a teaching answer, and an outside therapy team's
    # "specialist expertise", do not tell parents how the school's own staff are trained.
    text = ("How do we teach children with SEN?\n\nTeachers provide high quality teaching. They "
            "are supported in class by trained TAs.\n\nHow do we secure specialist expertise?\n\n"
            "We work with an educational psychologist and the NHS speech and language therapy "
            "team.\n")
    assert _finding(text, "sch1-5-training").status != "found"
    said = text + "\nStaff skills\n\nOur TAs are trained in Precision Teaching.\n"
    assert _finding(said, "sch1-5-training").status == "found"


LONG_QUESTION = ("How will the school prepare and support my child to join the school, transfer to "
                 "a new school or the next stage of education and life?")


def test_a_long_question_heading_that_wraps_in_a_pdf_stays_one_heading_over_its_answer():
    parts = [("1. What kinds of special educational needs are provided for at Meadowbank Primary "
              "School?", "We provide for children with autism and dyslexia."),
             ("2. " + LONG_QUESTION, "Children in Year 6 make extra visits to their new school.")]
    document = read_bytes(R.as_pdf(parts), "meadowbank.pdf")
    headings = [b.text for b in document.blocks if b.is_heading]
    assert "2. " + LONG_QUESTION in headings and parts[0][0] in headings
    kinds = next(b for b in document.blocks if b.text.startswith("We provide for"))
    assert "2. How" not in kinds.text  # the question's first line did not join the answer above
    moving = _finding(R.as_pdf(parts), "sch1-12", "meadowbank.pdf")
    assert moving.status == "found"
    assert moving.passages[0].where.startswith("page 1, under “2. How will the school prepare")


def test_a_short_first_line_of_a_wrapped_sentence_is_not_taken_for_a_heading():
    text = ("Local Offer\n\n"
            "Surrey's Local Offer is published on the Surrey County Council website at\n"
            "www.surreylocaloffer.org.uk, with services for families.\n")
    document = read_bytes(text.encode(), "r.txt")
    assert [b.text for b in document.blocks if b.is_heading] == ["Local Offer"]


def test_a_bold_paragraph_on_a_web_page_without_heading_tags_heads_the_answers_below_it():
    page = ("<html><body><div class='content'><div><p><strong>Complaints</strong></p></div>"
            "<div><p>Please speak to the class teacher first, then the headteacher.</p>"
            "<ul><li><b>Bold list items are not headings</b></li></ul>"
            "<p><b>Note:</b> a paragraph that only begins in bold is not a heading.</p>"
            "</div></div></body></html>")
    document = read_bytes(page.encode(), "stannes.html")
    assert [b.text for b in document.blocks if b.is_heading] == ["Complaints"]
    complaints = _finding(page, "sch1-9", "stannes.html")
    assert complaints.status == "found"
    assert complaints.passages[0].where == "under “Complaints”"


def test_a_special_school_describing_its_teaching_approaches_in_the_plural_is_found():
    text = ("Teaching and learning\n\nTeaching is highly personalised. Classes are small, and we "
            "use approaches such as intensive interaction, TEACCH and Makaton.\n")
    assert _finding(text, "sch1-3c", phase="special").status == "found"


def test_the_local_authority_question_how_does_the_school_know_if_children_need_help_is_found():
    text = ("2. How does the school know if children need extra help and what should I do if I "
            "think my child may have special educational needs?\n\nClass teachers check every "
            "child's progress each half term, and we gather information from observations and "
            "standardised tests.\n")
    assert _finding(text, "sch1-2").status == "found"


def test_a_heading_about_working_with_parents_is_not_half_an_account_of_effectiveness():
    # "Working" names how the school works with parents, not whether its provision works.
    text = ("Working with parents\n\nTermly meetings to review targets.\n\nWe check whether "
            "the support is working by measuring progress before and after.\n")
    only_parents = text.split("\n\nWe check")[0] + "\n"
    assert _finding(only_parents, "sch1-3a").status == "missing"
    assert _finding(text, "sch1-3a").status == "found"


def test_bullet_lists_in_a_pdf_stay_under_their_heading_and_do_not_become_headings():
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    for heading, items in [("The needs we support", ["Autism", "Speech and language needs"]),
                           ("Moving to school", ["Extra visits to the new school",
                                                 "We pass on records and plans"])]:
        story += [Paragraph(heading, styles["Heading2"]), ListFlowable(
            [ListItem(Paragraph(i, styles["BodyText"])) for i in items], bulletType="bullet")]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    document = read_bytes(out.getvalue(), "stars.pdf")
    assert [b.text for b in document.blocks if b.is_heading] == [
        "The needs we support", "Moving to school"]
    visits = next(b for b in document.blocks if "Extra visits" in b.text)
    assert visits.heading == "Moving to school" and visits.text.startswith("• ")
    # Word's Symbol-font bullet reads back as a private-use character.
    text = "Equipment\n\n\uf0b7 Laptops bought from our budget\n\uf0b7 Writing slopes\n"
    blocks = read_bytes(text.encode(), "r.txt").blocks
    assert [b.is_heading for b in blocks] == [True, False, False]


def test_pointing_parents_to_the_local_offer_without_saying_where_it_is_does_not_count():
    vague = "Help for parents\n\nDetails of services in the area can be found in the Local Offer.\n"
    assert _finding(vague, "sch1-13").status == "unclear"
    where = vague + "\nThe Local Offer can be found at www.devon.gov.uk/localoffer.\n"
    assert _finding(where, "sch1-13").status == "found"


@pytest.mark.parametrize("heading,body", [
    ("Noticing and assessing needs", "Teachers discuss any child who is falling behind, and the "
                                     "SENCo may observe the child."),
    ("How are difficulties picked up?", "All Year 7s complete reading tests in their first half "
                                        "term."),
    ("How we find out if your child needs extra help", "Key persons observe children every day."),
    ("How do you find out that a student has additional needs?", "Reading screening in Year 7 "
                                                                 "and referrals from teachers."),
    ("How will school know my child needs help?", "Where there is a concern, the SENCo may use "
                                                  "assessments such as a screening test."),
])
def test_identifying_needs_is_recognised_in_the_words_schools_use_for_it(heading, body):
    assert _finding(f"{heading}\n\n{body}\n", "sch1-2").status == "found"


def test_the_question_how_will_i_know_how_my_child_is_getting_on_is_about_progress():
    text = ("How will I know how my child is getting on?\n\nReports come home three times a year, "
            "and each pupil's support plan is reviewed every term.\n")
    assert _finding(text, "sch1-3b").status == "found"


@pytest.mark.parametrize("name,report", [
    ("stars.html", "<h2>Our SENCo</h2><ul><li>Miss Amy Turner is our SENCo</li>"
                   "<li>Contact her on 0117 903 8851</li></ul><h2>Other</h2><p>Hello.</p>"),
    ("stars.txt", "Our SENCo\n\n• Miss Amy Turner is our SENCo\n• Contact her on 0117 903 8851\n"),
])
def test_a_list_whose_items_together_answer_an_item_is_read_as_one_passage(name, report):
    senco = _finding(report, "sch1-4", name)
    assert senco.status == "found"
    assert senco.passages[0].where == "under “Our SENCo”"
    assert "Amy Turner" in senco.passages[0].text and "0117" in senco.passages[0].text


def test_comparing_reading_ages_before_and_after_an_intervention_is_evaluating_it():
    text = ("How does the academy know its support is working?\n\nWe look at reading ages before "
            "and after each intervention, and report on the impact of SEND provision to "
            "governors.\n")
    assert _finding(text, "sch1-3a").status == "found"


@pytest.mark.parametrize("text", [
    "Teaching\n\nGood teaching for children with SEN is good teaching for all: teachers use clear "
    "explanations and visual support.\n",
    "How we teach and support children\n\n• Play-based learning with a key person\n"
    "• Adults model language and use Makaton signs\n",
])
def test_teaching_described_in_the_words_schools_use_states_an_approach(text):
    assert _finding(text, "sch1-3c", phase="nursery").status == "found"


def test_a_bulleted_list_of_the_needs_we_support_names_the_kinds_of_need():
    text = "The needs we support\n\n• Speech, language and communication needs\n• Autism\n"
    assert _finding(text, "sch1-1", phase="nursery").status == "found"


def test_adaptive_teaching_in_lessons_is_an_approach_to_teaching_not_an_adapted_curriculum():
    # "Adaptive teaching" is the Department for Education's name for a way of teaching
    # (para 3(c)); it does not say how the curriculum or the classroom is changed (para 3(d)).
    text = ("What happens in lessons?\n\nTeachers follow our handbook, which sets out adaptive "
            "teaching strategies such as dual coding and worked examples.\n")
    assert _finding(text, "sch1-3d").status != "found"
    assert _finding(text, "sch1-3c").status == "found"
    adapted = text + "\nWe adapt lessons and the classroom layout for each child.\n"
    assert _finding(adapted, "sch1-3d").status == "found"


def test_a_heading_made_bold_by_an_inline_style_or_a_definition_term_heads_its_answer():
    page = ("<div><p><span style='font-weight: bold;'>Complaints</span></p>"
            "<p>Please speak to the class teacher first, then the headteacher.</p></div>"
            "<dl><dt>Local Offer</dt><dd>See www.nottshelpyourself.org.uk for services.</dd></dl>"
            "<p style='font-weight:400'>Not bold</p>")
    document = read_bytes(page.encode(), "hollybank.html")
    assert [b.text for b in document.blocks if b.is_heading] == ["Complaints", "Local Offer"]
    assert _finding(page, "sch1-9", "hollybank.html").passages[0].where == "under “Complaints”"
    assert _finding(page, "sch1-13", "hollybank.html").status == "found"


def test_meeting_needs_or_supporting_families_is_not_consulting_parents():
    # "Meet" needs and "work with" other services stand near "families" in the answer about
    # other agencies; a parents' evening for every year group is no SEN arrangement either.
    text = ("Partners\n\nWe work with CAMHS, the school nurse and social care to meet students' "
            "needs and support their families.\n\nDates\n\nParents' evenings: twice a year for "
            "every year group.\n")
    assert _finding(text, "sch1-7").status != "found"
    said = text + "\nWorking with parents\n\nWe meet parents each term to review their plan.\n"
    assert _finding(said, "sch1-7").status == "found"


def test_specialist_equipment_is_not_specialist_expertise():
    text = ("How is equipment provided?\n\nWe buy writing slopes from our budget and request "
            "specialist equipment from the local authority.\n")
    assert _finding(text, "sch1-5-specialists").status == "missing"
    said = text + "\nOutside help\n\nWe request specialist advice from the autism team.\n"
    assert _finding(said, "sch1-5-specialists").status == "found"
