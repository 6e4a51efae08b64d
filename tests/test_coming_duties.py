"""Laws enacted but not yet in force: listed apart as coming duties, never counted as gaps,
and ordinary duties from their date, with no new framework version."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from quality_offer import framework as frameworks
from quality_offer.errors import InputError
from quality_offer.gaps import analyse

from .builders import make_audit
from .conftest import FIXTURES

BEFORE = dt.date(2027, 8, 31)
FROM = dt.date(2027, 9, 1)

ALLERGY = {
    "id": "D9", "text": "Have an allergy safety policy.", "origin": "code-of-practice",
    "statutory": True, "scale": "duty",
    "levels": {"not-met": "None.", "partly-met": "Not published.", "met": "Published."},
    "evidence_prompts": ["The policy"], "references": ["CoP 6.2"],
    "in_force": {"date": FROM.isoformat(), "enacted_by": ["CoP 6.2"],
                 "commencement": "by regulations",
                 "prepare": ["Draft the policy", "Plan where it will be published"]},
}


def framework_with(tmp_path: Path, *extra: dict, d1_changes: list | None = None):
    """The mini framework with extra duties and, optionally, D1's level changes."""
    root = tmp_path / "criteria"
    shutil.copytree(FIXTURES / "frameworks" / "mini", root / "mini")
    shutil.copytree(FIXTURES / "frameworks" / "references", root / "references")
    path = root / "mini" / "duties.yaml"
    data = yaml.safe_load(path.read_text())
    data["criteria"] += list(extra)
    if d1_changes is not None:
        data["criteria"][0]["level_changes"] = d1_changes
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return frameworks.load(root / "mini")


def test_a_coming_duty_is_listed_apart_with_what_to_prepare_and_not_counted(tmp_path):
    fw = framework_with(tmp_path, ALLERGY)
    report = analyse(fw, make_audit(fw, {"D1": {"rating": "met"}}), BEFORE)
    assert [c.criterion for c in report.coming] == ["D9"]
    coming = report.coming[0]
    assert coming.in_force_on == FROM
    assert coming.prepare == ["Draft the policy", "Plan where it will be published"]
    assert "D9" not in report.not_assessed
    assert report.duties.total == 2
    assert all(i.criterion != "D9" for i in report.items)


def test_a_coming_duty_rated_not_met_is_still_not_a_gap_before_its_date(tmp_path):
    fw = framework_with(tmp_path, ALLERGY)
    audit = make_audit(fw, {"D9": {"rating": "not-met"}})
    report = analyse(fw, audit, BEFORE)
    assert report.gaps == [] and report.duties.not_met == 0
    assert not report.sections[0].flagged


def test_on_its_date_the_coming_duty_becomes_an_ordinary_duty(tmp_path):
    fw = framework_with(tmp_path, ALLERGY)
    audit = make_audit(fw, {"D9": {"rating": "not-met"}})
    report = analyse(fw, audit, FROM)
    assert report.coming == []
    assert [g.criterion for g in report.gaps] == ["D9"]
    assert report.duties.total == 3 and report.duties.not_met == 1
    assert report.framework["version"] == fw.version


def test_a_duty_whose_date_is_still_to_be_set_stays_coming_whatever_the_day(tmp_path):
    undated = {**ALLERGY, "in_force": {k: v for k, v in ALLERGY["in_force"].items()
                                       if k != "date"}}
    fw = framework_with(tmp_path, undated)
    report = analyse(fw, make_audit(fw, {}), dt.date(2099, 1, 1))
    assert [(c.criterion, c.in_force_on) for c in report.coming] == [("D9", None)]
    assert "D9" not in report.not_assessed


def test_a_coming_duty_for_other_schools_is_not_listed(tmp_path):
    narrow = {**ALLERGY, "applies_to": {"types": ["academy"]}}
    fw = framework_with(tmp_path, narrow)
    report = analyse(fw, make_audit(fw, {}, school_type="maintained"), BEFORE)
    assert report.coming == []


def test_a_level_change_is_coming_until_its_date_then_the_descriptor_reads_anew(tmp_path):
    change = [{"level": "met", "descriptor": "Yes, and the new policy too.",
               "in_force": ALLERGY["in_force"]}]
    fw = framework_with(tmp_path, d1_changes=change)
    before = analyse(fw, make_audit(fw, {}), BEFORE)
    assert [(c.criterion, c.level, c.level_label) for c in before.coming] == [
        ("D1", "met", "Met")]
    assert analyse(fw, make_audit(fw, {}), FROM).coming == []
    crit = fw.criterion("D1")
    assert crit.descriptor("met", BEFORE) == "Yes."
    assert crit.descriptor("met", FROM) == "Yes, and the new policy too."


def test_a_coming_duty_citing_an_unknown_provision_names_the_file_and_field(tmp_path):
    bad = {**ALLERGY, "in_force": {**ALLERGY["in_force"], "enacted_by": ["CWSA 2026 s99"]}}
    with pytest.raises(InputError) as err:
        framework_with(tmp_path, bad)
    text = str(err.value)
    assert "duties.yaml" in text and "in_force.enacted_by" in text and "CWSA 2026 s99" in text


def test_a_level_change_for_a_level_the_criterion_lacks_is_refused(tmp_path):
    change = [{"level": "exemplary", "descriptor": "x", "in_force": ALLERGY["in_force"]}]
    with pytest.raises(InputError) as err:
        framework_with(tmp_path, d1_changes=change)
    assert "exemplary" in str(err.value)


def test_the_comparison_counts_a_duty_from_its_date_as_the_schools_own_report_does(tmp_path):
    """An adviser's comparison and a school's report agree on which duties are in force:
    a duty whose date has passed is a gap in both, one still to come in neither."""
    import copy

    from quality_offer.compare import build
    from quality_offer.dates import today

    came, coming = copy.deepcopy(ALLERGY), copy.deepcopy(ALLERGY)
    came["in_force"]["date"] = "2020-09-01"
    coming["id"], coming["in_force"]["date"] = "D10", "2999-09-01"
    fw = framework_with(tmp_path, came, coming)
    audit = make_audit(fw, {"D1": {"rating": "met"}, "D2": {"rating": "met"},
                            "O1.1": {"rating": "established"}, "D9": {"rating": "not-met"},
                            "D10": {"rating": "not-met"}})
    own = analyse(fw, audit, today())
    assert [g.criterion for g in own.gaps if g.statutory] == ["D9"]
    (row,) = build([(fw, audit)]).current
    assert [d.criterion for d in row.unmet_duties] == ["D9"]
