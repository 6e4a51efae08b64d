"""How finished each audit is, beside its score: a school that rated one duty is not a result.

An adviser reads a heatmap of shares met; without the share assessed, a school that answered
one criterion (100% met) sits beside one that answered all of them. Every row says how much is
assessed, and a school below the set share is shown apart and left out of the counts.
"""

from __future__ import annotations

import json

import pytest

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.cli import main
from quality_offer.compare import build

from .builders import make_audit

ALL_MET = {"D1": {"rating": "met"}, "D2": {"rating": "met"},
           "O1.1": {"rating": "established"}, "O1.2": {"rating": "not-in-place"}}


@pytest.fixture
def cohort(mini):
    finished = make_audit(mini, ALL_MET, urn="117000", name="Finished Primary")
    barely = make_audit(mini, {"O1.2": {"rating": "not-in-place"}}, urn="117001",
                        name="Barely Started Primary")
    return [finished, barely]


def test_each_row_says_how_much_of_the_audit_is_assessed(mini, cohort):
    comp = build([(mini, a) for a in cohort])
    rows = {r["urn"]: r for r in comp.to_json()["sections"]}
    assert rows["117000"]["assessed"] == 1.0
    assert rows["117001"]["assessed"] == 0.25
    assert rows["117001"]["criteria_applicable"] == 4
    assert {r["status"] for r in rows.values()} == {"in-progress"}


def test_a_barely_started_audit_is_shown_apart_and_not_counted_as_a_gap(mini, cohort):
    comp = build([(mini, a) for a in cohort])
    data = comp.to_json()
    rows = {r["urn"]: r for r in data["sections"]}
    assert rows["117001"]["scored"] is False and rows["117000"]["scored"] is True
    assert [r["urn"] for r in data["shown_apart"]] == ["117001"]
    (gap,) = comp.common_gaps()
    assert gap.criterion == "O1.2" and gap.schools_below == 1 and gap.schools_assessed == 1
    assert all(d.schools <= 1 for d in comp.distribution().values())


def test_the_threshold_can_be_lowered_to_count_every_audit(mini, cohort):
    comp = build([(mini, a) for a in cohort]).with_min_assessed(0.2)
    (gap,) = comp.common_gaps()
    assert gap.schools_below == 2 and not comp.shown_apart
    with pytest.raises(ValueError):
        comp.with_min_assessed(1.5)


def test_the_command_prints_assessed_shares_and_lists_the_schools_shown_apart(
        tmp_path, capsys, monkeypatch, mini, cohort):
    monkeypatch.setattr(frameworks, "shipped", lambda: {(mini.id, mini.version): mini})
    for a in cohort:
        (tmp_path / f"{a.school.urn}.yaml").write_text(auditfile.to_yaml(a), encoding="utf-8")
    assert main(["compare", str(tmp_path), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Shown apart, less than 50% of their criteria assessed" in out
    assert ("Barely Started Primary (117001) 2026/27 [in-progress]: 25% of 4 criteria "
            "assessed") in out
    assert " 100%    Finished Primary (117000)" in out

    assert main(["compare", str(tmp_path), "--format", "json", "--min-assessed", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["min_assessed"] == 0.2 and data["shown_apart"] == []

    assert main(["compare", str(tmp_path), "--min-assessed", "150"]) == 2
    assert "from 0 to 100" in capsys.readouterr().err


def test_the_workbook_says_which_rows_are_scored_and_at_what_share(mini, cohort):
    from io import BytesIO

    from openpyxl import load_workbook

    from quality_offer.compare.tables import to_csv, to_xlsx

    def sections(comp):
        book = load_workbook(BytesIO(to_xlsx(comp)))
        head, *rows = book["Sections"].iter_rows(values_only=True)
        about = dict(book["About"].iter_rows(values_only=True))
        return about, {r[0]: dict(zip(head, r, strict=True)) for r in rows}

    comp = build([(mini, a) for a in cohort])
    about, rows = sections(comp)
    assert about["Share assessed to be scored"].startswith("50%: ")
    assert (rows["117000"]["Scored"], rows["117000"]["Share assessed"]) == ("yes", 1.0)
    assert (rows["117001"]["Scored"], rows["117001"]["Share assessed"]) == (
        "no: shown apart, under 50% assessed", 0.25)
    about, rows = sections(comp.with_min_assessed(0.2))
    assert about["Share assessed to be scored"].startswith("20%: ")
    assert rows["117001"]["Scored"] == "yes"
    import csv

    rows = list(csv.DictReader(to_csv(comp).splitlines()))
    assert {(r["URN"], r["Scored"]) for r in rows} == {
        ("117000", "yes"), ("117001", "no: shown apart, under 50% assessed")}
