"""Spreadsheet exports: every response, real numbers and dates, and no formula ever runs."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer.audit import Evidence
from quality_offer.gaps import analyse
from quality_offer.reports.spreadsheets import (
    RESPONSE_COLUMNS,
    XLSX_CELL_LIMIT,
    report_xlsx,
    responses_csv,
    safe_cell,
)
from quality_offer.yamlsafe import NOT_IN_NAMES

from .builders import make_audit

TODAY = dt.date(2027, 1, 15)
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(1)", "\t=1",
            "\r=1", "\n=1", "=1+1"]


def answers(**overrides):
    base = {
        "D1": {"rating": "not-met",
               "evidence": {"text": "No record.", "location": "SEN folder", "kind": "document"},
               "action": {"what": "Write the SEN policy", "owner": "Ms Ŵyn Jones",
                          "due": "2026-12-01", "status": "in-progress"}},
        "D2": {"rating": "partly-met"},
        "O1.1": {"rating": "established"},
        "O1.2": {"not_applicable_reason": "No looked-after children."},
    }
    base.update(overrides)
    return base


def report_of(fw, responses, **kw):
    return analyse(fw, make_audit(fw, responses, **kw), TODAY)


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


@pytest.fixture(scope="module")
def report(mini):
    return report_of(mini, answers(), completed_by="Siân O’Brien")


@pytest.fixture(scope="module")
def book(report):
    return workbook(report_xlsx(report))


def test_the_workbook_has_summary_responses_gaps_actions_and_coming_duties(book):
    assert book.sheetnames == ["Summary", "Responses", "Gaps", "Actions", "Coming duties"]


def test_every_sheet_has_a_bold_frozen_header_row(book):
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1] if cell.value is not None)
        assert ws.column_dimensions["A"].width >= 10


def test_responses_hold_every_applicable_criterion_with_its_answer(report, book):
    rows = rows_of(book["Responses"])
    assert tuple(book["Responses"][1][i].value for i in range(len(RESPONSE_COLUMNS))) == \
        RESPONSE_COLUMNS
    assert [r["Criterion"] for r in rows] == [i.criterion for i in report.items]
    d1 = rows[0]
    assert d1["Section"] == "Statutory duties"
    assert (d1["Statutory"], d1["Rating"], d1["Expected"], d1["Meets expected"]) == \
        ("Yes", "Not met", "Met", "No")
    assert (d1["Evidence"], d1["Evidence location"], d1["Evidence kind"]) == \
        ("No record.", "SEN folder", "Document")
    assert (d1["Action"], d1["Action owner"], d1["Action status"]) == \
        ("Write the SEN policy", "Ms Ŵyn Jones", "In progress")
    assert d1["References"] == "SEND Code of Practice 2015, paragraph 6.2"
    assert d1["In force"] == "Yes"
    o11 = rows[2]
    assert o11["References"] == "SEND Code of Practice 2015, paragraph 6.37"
    assert "10.0" not in " ".join(str(v) for v in o11.values())
    assert rows[3]["Not applicable reason"] == "No looked-after children."


def test_dates_are_real_dates_and_numbers_real_numbers(book):
    due = book["Responses"]["N2"]
    assert book["Responses"]["N1"].value == "Action due"
    assert due.is_date and due.value == dt.datetime(2026, 12, 1)
    actions = rows_of(book["Actions"])
    assert actions[0]["Due"] == dt.datetime(2026, 12, 1) and actions[0]["Overdue"] == "Yes"
    gaps = rows_of(book["Gaps"])
    assert [g["Priority"] for g in gaps] == [1, 2]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Duties not met"] == 1 and isinstance(summary["Duties not met"], int)
    assert summary["Report as of"] == dt.datetime(2027, 1, 15)


def test_section_rating_counts_stay_integers(book):
    ws = book["Summary"]
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1)
                  if row[0] == "Section")
    names = [c.value for c in ws[header]]
    duties = {n: c.value for n, c in zip(names, ws[header + 1], strict=True)}
    assert duties["Not met"] == 1 and isinstance(duties["Not met"], int)
    assert duties["Applicable"] == 2 and duties["Share at or above expected"] == 0
    outcome = {n: c.value for n, c in zip(names, ws[header + 2], strict=True)}
    assert outcome["Share at or above expected"] == 1.0
    assert ws.cell(header + 2, names.index("Share at or above expected") + 1).number_format \
        == "0%"


@pytest.mark.parametrize("formula", FORMULAS)
def test_formulas_in_free_text_never_become_formulas(mini, formula):
    report = report_of(mini, answers(D1={
        "rating": "not-met",
        "evidence": {"text": formula, "location": formula},
        "action": {"what": formula, "owner": formula}}), completed_by=formula)
    book = workbook(report_xlsx(report))
    seen = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and formula.lstrip("\t\r\n") in cell.value:
                    assert cell.data_type != "f"
                    assert cell.value == "'" + formula.replace("\r", "\n")
                    seen += 1
    assert seen >= 7
    rows = read_csv(responses_csv(report))
    assert rows[0]["Evidence"] == "'" + formula
    assert rows[0]["Action owner"] == "'" + formula


def test_error_codes_stay_text(mini):
    report = report_of(mini, answers(D1={"rating": "not-met",
                                         "evidence": {"text": "#N/A"}}))
    ws = workbook(report_xlsx(report))["Responses"]
    cell = ws["I2"]
    assert ws["I1"].value == "Evidence"
    assert (cell.value, cell.data_type) == ("#N/A", "s")


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_cell(-1) == -1 and safe_cell(2.5) == 2.5 and safe_cell(None) is None
    assert safe_cell(dt.date(2027, 1, 1)) == dt.date(2027, 1, 1)
    assert safe_cell("Plain - text") == "Plain - text"
    assert safe_cell("-1") == "'-1"
    assert safe_cell("bell\x07") == "bell\ufffd"


def test_characters_a_workbook_cannot_hold_become_replacement_marks(mini):
    report = report_of(mini, answers(D1={"rating": "not-met",
                                         "evidence": {"text": "a\x00b\x0bc\x1fd"}}))
    assert rows_of(workbook(report_xlsx(report))["Responses"])[0]["Evidence"] == \
        "a\ufffdb\ufffdc\ufffdd"
    assert read_csv(responses_csv(report))[0]["Evidence"] == "a\ufffdb\ufffdc\ufffdd"


def test_text_past_excels_cell_limit_is_cut_and_says_so(mini):
    report = report_of(mini, answers())
    item = report.items[0].model_copy(update={
        "evidence": Evidence.model_construct(text="w" * 50_000, location="", kind=None)})
    report = report.model_copy(update={"items": [item, *report.items[1:]]})
    value = rows_of(workbook(report_xlsx(report))["Responses"])[0]["Evidence"]
    assert len(value) == XLSX_CELL_LIMIT
    assert value.endswith("… (continues in the audit file)")
    assert len(read_csv(responses_csv(report))[0]["Evidence"]) == 50_000


def test_the_csv_round_trips_with_the_same_columns_as_the_responses_sheet(report, book):
    rows = read_csv(responses_csv(report))
    assert list(rows[0]) == list(RESPONSE_COLUMNS)
    sheet = rows_of(book["Responses"])
    for from_csv, from_xlsx in zip(rows, sheet, strict=True):
        for column in RESPONSE_COLUMNS:
            value = from_xlsx[column]
            if isinstance(value, dt.datetime):
                value = value.date().isoformat()
            assert from_csv[column] == ("" if value is None else str(value))


def test_unicode_names_survive_both_formats(mini):
    report = report_of(mini, answers(), name="Ysgol Ŵŷ — “Łódź”")
    summary = {r[0]: r[1] for r in workbook(report_xlsx(report))["Summary"]
               .iter_rows(values_only=True)}
    assert summary["School"] == "Ysgol Ŵŷ — “Łódź”"
    assert "Ms Ŵyn Jones" in responses_csv(report)


free_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)


def expected(value: str) -> str | None:
    """What a cell holds after writing: made safe, line ends as "\n", and empty as None."""
    if value == "":
        return None
    return safe_cell(value).replace("\r\n", "\n").replace("\r", "\n")


def expected_csv(value: str) -> str:
    """The CSV keeps line ends as they were."""
    return safe_cell(value)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.lists(free_text, min_size=8, max_size=8))
def test_any_text_in_any_free_text_field_reads_back_as_written(mini, noise):
    reason = noise[4] if noise[4].strip() else "reason"
    name = noise[6] if noise[6] and not NOT_IN_NAMES.search(noise[6]) else "x"
    responses = {
        "D1": {"rating": "not-met",
               "evidence": {"text": noise[0], "location": noise[1]},
               "action": {"what": noise[2], "owner": noise[3]},
               "moderated_rating": "partly-met", "moderation_note": noise[5]},
        "O1.2": {"not_applicable_reason": reason},
    }
    report = report_of(mini, responses, name=name, completed_by=noise[7])
    book = workbook(report_xlsx(report))
    rows = {r["Criterion"]: r for r in rows_of(book["Responses"])}
    d1 = rows["D1"]
    assert d1["Evidence"] == expected(noise[0])
    assert d1["Evidence location"] == expected(noise[1])
    assert d1["Action"] == expected(noise[2])
    assert d1["Action owner"] == expected(noise[3])
    assert d1["Moderation note"] == expected(noise[5])
    assert rows["O1.2"]["Not applicable reason"] == expected(reason)
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
    assert summary["School"] == expected(name)
    assert summary["Completed by"] == expected(noise[7])
    for ws in book.worksheets:
        assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    from_csv = {r["Criterion"]: r for r in read_csv(responses_csv(report))}
    assert from_csv["D1"]["Evidence"] == expected_csv(noise[0])
    assert from_csv["D1"]["Action owner"] == expected_csv(noise[3])
    assert from_csv["O1.2"]["Not applicable reason"] == expected_csv(reason)


def test_an_audit_with_nothing_answered_still_exports(mini):
    report = report_of(mini, {})
    book = workbook(report_xlsx(report))
    assert rows_of(book["Gaps"]) == [] and rows_of(book["Actions"]) == []
    assert len(rows_of(book["Responses"])) == len(report.items)
    assert len(read_csv(responses_csv(report))) == len(report.items)
