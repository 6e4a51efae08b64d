"""``quality-offer compare``: the JSON shape, exit statuses, and exports with no formulas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.cli import main

from .builders import make_audit

GIAS = Path(__file__).parent / "fixtures" / "gias" / "edubasealldata_sample.csv"
EVIL_NAME = '=HYPERLINK("http://example.com/steal","Click")'


@pytest.fixture(autouse=True)
def mini_installed(monkeypatch, mini):
    """The command line looks frameworks up among the installed ones: install mini."""
    monkeypatch.setattr(frameworks, "shipped", lambda: {(mini.id, mini.version): mini})


@pytest.fixture
def folder(tmp_path, mini):
    audits = [
        make_audit(mini, {"D1": {"rating": "met"}, "O1.1": {"rating": "emerging"}},
                   urn="117000", name="Oak Tree Primary School"),
        make_audit(mini, {"D1": {"rating": "not-met"}, "O1.1": {
            "rating": "emerging", "moderated_rating": "not-in-place",
            "moderation_note": "+SUM(A1:A9) seen on the visit"}},
            urn="117001", name=EVIL_NAME),
        make_audit(mini, {"D1": {"rating": "met"}, "O1.1": {"rating": "established"}},
                   urn="117006", name="Greenside School", phase="special"),
    ]
    for a in audits:
        (tmp_path / f"{a.school.urn}.yaml").write_text(auditfile.to_yaml(a), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("school: [", encoding="utf-8")
    return tmp_path


def run(capsys, *argv):
    code = main(["compare", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_schools_skipped_sections_and_common_gaps_most_common_first(capsys, folder):
    code, out, err = run(capsys, folder, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schools"] == 3
    (skip,) = data["skipped"]
    assert set(skip) == {"file", "error"} and skip["file"].endswith("broken.yaml")
    assert "not valid YAML" in skip["error"]
    row = next(r for r in data["sections"] if r["urn"] == "117000")
    assert {k: row[k] for k in ("urn", "name", "academic_year", "phase", "type", "area")} == {
        "urn": "117000", "name": "Oak Tree Primary School", "academic_year": "2026/27",
        "phase": "primary", "type": "maintained", "area": "DSPL 8"}
    assert row["sections"] == {"duties": 1.0, "outcome-1": 0.0}
    first = data["common_gaps"][0]
    assert {k: first[k] for k in ("criterion", "section", "statutory", "schools_below",
                                  "share")} == {
        "criterion": "O1.1", "section": "outcome-1", "statutory": False, "schools_below": 2,
        "share": 0.6667}
    assert [g["criterion"] for g in data["common_gaps"]] == ["O1.1", "D1"]
    assert "skipped" in err and "broken.yaml" in err


def test_text_is_printed_when_no_format_or_file_is_asked_for(capsys, folder):
    code, out, _ = run(capsys, folder)
    assert code == 0
    assert "Criteria most schools rate below the expected level (2):" in out
    assert "O1.1 (expectation, outcome-1): 2 of 3 schools (67%)" in out
    after = out.split("O1.1 (expectation, outcome-1): 2 of 3 schools (67%)\n", 1)[1]
    assert after.startswith("      High quality teaching that is differentiated and "
                            "personalised.\n")
    assert "Statutory duties not met (1 school):" in out
    assert "D1 not met" in out


def test_nothing_loadable_exits_1_naming_every_file(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text("{", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("- 1\n", encoding="utf-8")
    code, out, err = run(capsys, tmp_path, "--format", "json")
    assert code == 1 and out == ""
    assert "a.yaml" in err and "b.yaml" in err and "nothing to compare" in err


def test_a_missing_path_alone_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "nowhere")
    assert code == 1 and "no such file or folder" in err


def test_xlsx_export_is_formula_safe_and_keeps_numbers_as_numbers(capsys, folder, tmp_path):
    out_file = tmp_path / "cmp.xlsx"
    code, out, err = run(capsys, folder, "--xlsx", out_file)
    assert code == 0 and out == "" and f"wrote {out_file}" in err
    wb = load_workbook(out_file)
    assert wb.sheetnames == ["About", "Sections", "Common gaps", "Duties not met",
                             "Distribution", "Responses", "Skipped files"]
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula"
                if isinstance(c.value, str):
                    texts.append(c.value)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert "'" + EVIL_NAME in texts
    assert "'+SUM(A1:A9) seen on the visit" in texts
    sections = wb["Sections"]
    shares = [r[7].value for r in sections.iter_rows(min_row=2)]
    assert shares and all(isinstance(v, int | float) and not isinstance(v, bool) for v in shares)


def test_csv_export_is_formula_safe_with_one_row_per_school_and_criterion(capsys, folder,
                                                                          tmp_path):
    out_file = tmp_path / "cmp.csv"
    code, _, _ = run(capsys, folder, "--csv", out_file, "--format", "json")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out_file.read_text(encoding="utf-8-sig"))))
    head, body = rows[0], rows[1:]
    assert head[:3] == ["URN", "School", "Academic year"]
    assert len(body) == 3 * 4 - 1  # D2 does not apply to the special school
    cells = [c for r in body for c in r]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "'" + EVIL_NAME in cells


def test_a_gias_csv_among_the_paths_lists_the_schools_that_have_not_submitted(capsys, folder):
    code, out, err = run(capsys, folder, GIAS, "--format", "json")
    assert code == 0
    register = json.loads(out)["register"]
    assert register["submitted"] == 3
    missing = [s["urn"] for s in register["not_submitted"]]
    assert "117001" not in missing and "117002" in missing
    assert "warning:" in err and "Space academy" in err


def test_the_text_lists_schools_not_submitted_when_a_register_is_given(capsys, folder):
    code, out, _ = run(capsys, folder, GIAS)
    assert code == 0
    assert "Register" in out and "Riverside Free School (117002)" in out
