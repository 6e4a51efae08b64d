"""Framework versions side by side: loading, the history rules, and what changed."""

from __future__ import annotations

import json
import shutil

import pytest

from quality_offer import framework as frameworks
from quality_offer.cli import main
from quality_offer.errors import InputError
from quality_offer.versions import diff, diff_text

from .changing_framework import VERSIONS, with_coming_duties


@pytest.fixture(scope="session")
def history():
    """Version 1.0.0 and 2.0.0 of the test framework, loaded as one history."""
    installed = frameworks.registry(frameworks.shipped_folders(VERSIONS))
    return frameworks.versions_in(installed, "changing")


@pytest.fixture
def copy(tmp_path):
    """A writable copy of the two versions, to break."""
    shutil.copytree(VERSIONS, tmp_path / "v")
    return tmp_path / "v"


def test_two_versions_of_one_framework_are_installed_side_by_side(history):
    assert [fw.version for fw in history] == ["1.0.0", "2.0.0"]
    assert [fw.id for fw in history] == ["changing", "changing"]


def test_the_shipped_framework_history_is_valid():
    for fid in {fid for fid, _ in frameworks.shipped()}:
        assert frameworks.history_problems(frameworks.versions(fid)) == []


def test_the_diff_names_every_kind_of_change(history):
    old, new = history
    assert diff(old, new).to_json() == {
        "framework": "changing", "from": "1.0.0", "to": "2.0.0",
        "added": ["K9", "K10"],
        "withdrawn": [{"id": "K5", "replaced_by": None}, {"id": "K6", "replaced_by": "K9"},
                      {"id": "K7", "replaced_by": "K9"}, {"id": "K8", "replaced_by": "K2"}],
        "changed": [{"id": "K12", "fields": ["levels", "statutory", "scale"]},
                    {"id": "K2", "fields": ["text"]},
                    {"id": "K3", "fields": ["applies_to"]},
                    {"id": "K4", "fields": ["levels"]},
                    {"id": "K11", "fields": ["na_allowed"]},
                    {"id": "K13", "fields": ["references", "evidence_prompts"]}],
        "coming": [],
        # Made a duty, it moved to the duties section too
        "moved_section": [{"id": "K12", "from": "outcome-1", "to": "duties"}],
    }


def test_a_version_compared_with_itself_has_no_changes(history):
    d = diff(history[1], history[1])
    assert d.empty
    assert "Nothing changed" in diff_text(d)


def test_the_text_diff_shows_old_and_new_wording_and_where_answers_go(history):
    text = diff_text(diff(*history))
    assert "Was: Reworded criterion, old wording." in text
    assert "Now: Reworded criterion, new wording." in text
    assert "Replaced by K9." in text
    assert "No replacement. A school's answer is kept as an archived answer" in text
    # Whom it applies to, in words a school reads, never the YAML's ids
    assert "(Phases: secondary, all-through; schools: every type of school.)" in text
    assert "16-plus" not in text and "pupil-referral-unit" not in text
    assert "'Not applicable' is no longer allowed." in text


def test_the_diff_gives_the_in_force_dates_of_coming_duties(copy):
    old, new = with_coming_duties(copy)
    d = diff(old, new).to_json()
    assert d["coming"] == [
        {"id": "K10", "level": None, "in_force": "2027-09-01",
         "commencement": "by regulations not yet made"},
        {"id": "D1", "level": "met", "in_force": "2028-01-01",
         "commencement": "by regulations not yet made"},
        {"id": "K12", "level": None, "in_force": None,
         "commencement": "by regulations not yet made"},
    ]
    assert {"id": "D1", "fields": ["in_force"]} in d["changed"]
    text = diff_text(diff(old, new))
    assert "K10: Comes into force on 1 September 2027." in text
    assert "K12: Enacted; the date it comes into force is still to be set." in text
    assert "D1, level Met: Comes into force on 1 January 2028." in text
    assert "D1: when it comes into force changed" in text


def test_a_coming_duty_now_in_force_is_said_to_be_in_force(copy):
    new, _ = with_coming_duties(copy)[::-1]
    old = frameworks.load(VERSIONS / "changing-2.0.0")
    d = diff(new, old)  # 2.0.0 with K12 coming, against 2.0.0 with K12 in force
    assert d.to_json()["coming"] == []
    assert "K12: when it comes into force changed" in diff_text(d)
    assert "Now in force: no longer a coming duty." in diff_text(d)


def test_a_replaced_by_that_points_to_a_withdrawn_criterion_is_an_error(copy):
    path = copy / "changing-2.0.0" / "outcome-1.yaml"
    path.write_text(path.read_text().replace("replaced_by: K2", "replaced_by: K5"))
    with pytest.raises(InputError) as exc:
        frameworks.load(copy / "changing-2.0.0")
    (p,) = exc.value.problems
    assert "K5" in p.message and "withdrawn too" in p.message
    assert p.file.endswith("outcome-1.yaml") and p.line and p.field.endswith("replaced_by")


def test_a_withdrawn_id_brought_back_is_an_error(copy):
    newer = copy / "changing-3.0.0"
    shutil.copytree(copy / "changing-2.0.0", newer)
    manifest = newer / "framework.yaml"
    manifest.write_text(manifest.read_text().replace('"2.0.0"', '"3.0.0"'))
    path = newer / "outcome-1.yaml"
    text = path.read_text()
    start = text.index("  - id: K5")
    block = text[start:text.index("  - id: K6")]
    path.write_text(text.replace(block, block.replace("    withdrawn: true\n", "")))
    with pytest.raises(InputError) as exc:
        frameworks.registry(frameworks.shipped_folders(copy))
    (p,) = exc.value.problems
    assert "'K5' was withdrawn in 2.0.0 and is back in 3.0.0" in p.message
    assert p.file.endswith("outcome-1.yaml") and p.line is not None


def test_a_criterion_dropped_instead_of_withdrawn_is_an_error(copy):
    path = copy / "changing-2.0.0" / "outcome-1.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("  - id: K5")] + text[text.index("  - id: K6"):])
    with pytest.raises(InputError) as exc:
        frameworks.registry(frameworks.shipped_folders(copy))
    assert any("'K5' of changing 1.0.0 is missing from 2.0.0" in p.message
               for p in exc.value.problems)


def test_the_same_version_installed_twice_is_an_error(copy):
    shutil.copytree(copy / "changing-2.0.0", copy / "changing-copy")
    with pytest.raises(InputError) as exc:
        frameworks.registry(frameworks.shipped_folders(copy))
    assert any("installed twice" in p.message for p in exc.value.problems)


def test_validate_checks_every_version_and_the_history(copy, capsys):
    assert main(["validate", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "changing 1.0.0: OK" in out and "changing 2.0.0: OK" in out
    assert "changing: history of 2 versions OK (1.0.0, 2.0.0)" in out
    path = copy / "changing-2.0.0" / "outcome-1.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("  - id: K5")] + text[text.index("  - id: K6"):])
    assert main(["validate", str(copy)]) == 1
    assert "'K5' of changing 1.0.0 is missing from 2.0.0" in capsys.readouterr().err


def test_framework_diff_on_the_command_line_prints_the_json_shape(monkeypatch, history, capsys):
    monkeypatch.setattr(frameworks, "shipped", lambda: {(f.id, f.version): f for f in history})
    assert main(["framework", "diff", "changing", "1.0.0", "2.0.0", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["added"] == ["K9", "K10"] and data["from"] == "1.0.0"
    assert main(["framework", "diff", "changing", "1.0.0", "2.0.0"]) == 0
    assert "Was: Reworded criterion, old wording." in capsys.readouterr().out


def test_framework_diff_of_a_version_not_installed_fails_clearly(monkeypatch, history, capsys):
    monkeypatch.setattr(frameworks, "shipped", lambda: {(f.id, f.version): f for f in history})
    assert main(["framework", "diff", "changing", "1.0.0", "9.9.9"]) == 1
    assert "'9.9.9' is not installed" in capsys.readouterr().err


def test_framework_show_shows_an_older_version(monkeypatch, history, capsys):
    monkeypatch.setattr(frameworks, "shipped", lambda: {(f.id, f.version): f for f in history})
    assert main(["framework", "show", "changing", "--version", "1.0.0", "--format",
                 "json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "1.0.0"
    assert main(["framework", "show", "changing", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "2.0.0"


def test_a_criterion_moved_to_another_section_and_a_renamed_section_are_said(copy):
    """Asked the same way, the answer stands; but it now counts in another section's share,
    which an LA officer comparing years must be told."""
    import yaml

    new_dir = copy / "changing-2.0.0"
    outcome, duties = new_dir / "outcome-1.yaml", new_dir / "duties.yaml"
    o, d = yaml.safe_load(outcome.read_text()), yaml.safe_load(duties.read_text())
    k1 = next(c for c in o["criteria"] if c["id"] == "K1")
    o["criteria"].remove(k1)
    d["criteria"].append(k1)
    outcome.write_text(yaml.safe_dump(o, sort_keys=False))
    duties.write_text(yaml.safe_dump(d, sort_keys=False))
    manifest = new_dir / "framework.yaml"
    manifest.write_text(manifest.read_text().replace('"Outcome 1: provision"',
                                                     '"Outcome 1: provision for all"'))
    old, new = frameworks.versions_in(frameworks.registry(frameworks.shipped_folders(copy)),
                                      "changing")
    d = diff(old, new)
    assert {"id": "K1", "from": "outcome-1", "to": "duties"} in d.to_json()["moved_section"]
    assert "K1" not in {c["id"] for c in d.to_json()["changed"]}  # asked the same way
    text = diff_text(d)
    assert "K1: was in Outcome 1: provision; now in Statutory duties." in text
    assert "Outcome 1: provision is now Outcome 1: provision for all" in text
