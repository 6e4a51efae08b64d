"""Loading a folder of audit files: every good file in, every broken one named and skipped."""

from __future__ import annotations

import dataclasses
import json

import pytest

from quality_offer import auditfile
from quality_offer.compare import NothingToCompare, load_folder

from .builders import make_audit


def write(folder, name, audit_or_text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = audit_or_text if isinstance(audit_or_text, str) else auditfile.to_yaml(audit_or_text)
    path.write_text(text, encoding="utf-8")
    return path


def good(mini, n, rating="met"):
    return make_audit(mini, {"D1": {"rating": rating}, "O1.1": {"rating": "emerging"}},
                      urn=f"{200000 + n}", name=f"School {n}")


@pytest.fixture
def folder(tmp_path, mini):
    """Three good audits (one as JSON, one in a subfolder) and five broken files."""
    write(tmp_path, "a.yaml", good(mini, 1))
    write(tmp_path, "b.json", auditfile.to_json(good(mini, 2, "not-met")))
    write(tmp_path, "area-2/c.yml", good(mini, 3))
    write(tmp_path, "bad-yaml.yaml", "format: quality-offer-audit/1\nschool: [unclosed\n")
    text = auditfile.to_yaml(good(mini, 4))
    write(tmp_path, "unknown-criterion.yaml",
          text.replace("responses:\n", "responses:\n  O9.9:\n    rating: met\n"))
    write(tmp_path, "uninstalled-version.yaml", text.replace("1.0.0", "9.9.9"))
    write(tmp_path, "duplicate-key.yaml", text + "academic_year: 2027/28\n")
    write(tmp_path, "empty.yaml", "")
    write(tmp_path, ".hidden.yaml", "not: [an audit")
    write(tmp_path, "notes.txt", "not an audit")
    return tmp_path


def test_a_folder_with_broken_files_loads_the_rest_and_names_each_broken_file(folder, mini):
    comp = load_folder(folder, frameworks=[mini])
    assert sorted(r.urn for r in comp.results) == ["200001", "200002", "200003"]
    skipped = {s.file.removeprefix(str(folder) + "/"): s.error for s in comp.skipped}
    assert sorted(skipped) == ["bad-yaml.yaml", "duplicate-key.yaml", "empty.yaml",
                               "uninstalled-version.yaml", "unknown-criterion.yaml"]
    assert skipped["unknown-criterion.yaml"].startswith("line ")
    assert "unknown criterion 'O9.9'" in skipped["unknown-criterion.yaml"]
    assert "not valid YAML" in skipped["bad-yaml.yaml"]
    assert "'9.9.9' is not installed" in skipped["uninstalled-version.yaml"]
    assert "duplicate key 'academic_year'" in skipped["duplicate-key.yaml"]
    assert "empty" in skipped["empty.yaml"]


def test_a_skipped_file_error_gives_the_line_and_column_of_the_problem(tmp_path, mini):
    text = auditfile.to_yaml(good(mini, 1))
    lines = text.splitlines()
    index = lines.index("  O1.1:") + 1  # its "rating: emerging" line
    lines[index] = lines[index].replace("emerging", "excellent")
    write(tmp_path, "x.yaml", "\n".join(lines) + "\n")
    write(tmp_path, "y.yaml", good(mini, 2))
    comp = load_folder(tmp_path, frameworks=[mini])
    (skip,) = comp.skipped
    assert skip.error.startswith(f"line {index + 1}, column ")
    assert "responses.O1.1.rating: 'excellent' is not a level" in skip.error


def test_audits_of_an_installed_but_different_version_are_compared_with_it_said(tmp_path,
                                                                                mini):
    newer = dataclasses.replace(mini, manifest=mini.manifest.model_copy(
        update={"version": "2.0.0"}), _by_id={})
    write(tmp_path, "old-1.yaml", good(mini, 1))
    write(tmp_path, "old-2.yaml", good(mini, 2))
    write(tmp_path, "new.yaml", make_audit(newer, {}, urn="200003"))
    comp = load_folder(tmp_path, frameworks=[mini, newer])
    assert (comp.framework.version, len(comp.results)) == ("1.0.0", 3)
    assert comp.skipped == ()
    assert [v["framework_version"] for v in comp.other_versions()] == ["2.0.0"]


def test_progress_is_reported_after_every_file(folder, mini):
    calls = []
    load_folder(folder, lambda done, total, name: calls.append((done, total, name)),
                frameworks=[mini])
    assert [c[0] for c in calls] == list(range(1, 9))
    assert {c[1] for c in calls} == {8}
    assert calls[-1][2].endswith(".yaml") or calls[-1][2].endswith(".yml")


def test_files_and_folders_can_be_mixed_and_a_file_named_twice_is_read_once(tmp_path, mini):
    a = write(tmp_path, "one/a.yaml", good(mini, 1))
    write(tmp_path, "two/b.yaml", good(mini, 2))
    comp = load_folder([a, tmp_path / "two", a], frameworks=[mini])
    assert sorted(r.urn for r in comp.results) == ["200001", "200002"]
    assert comp.skipped == ()


def test_a_missing_path_or_an_empty_folder_is_reported_not_fatal(tmp_path, mini):
    write(tmp_path, "a.yaml", good(mini, 1))
    (tmp_path / "empty").mkdir()
    comp = load_folder([tmp_path / "a.yaml", tmp_path / "nowhere", tmp_path / "empty"],
                       frameworks=[mini])
    assert len(comp.results) == 1
    assert {s.error for s in comp.skipped} == {
        "no such file or folder", "no audit files (*.yaml, *.yml, *.json) in this folder"}


def test_when_nothing_can_be_loaded_every_problem_is_raised(tmp_path, mini):
    write(tmp_path, "bad.yaml", "- a list\n")
    write(tmp_path, "worse.yaml", "{")
    with pytest.raises(NothingToCompare) as exc:
        load_folder(tmp_path, frameworks=[mini])
    assert len(exc.value.skipped) == 2
    assert all(p.file.endswith(".yaml") for p in exc.value.problems)


def test_the_loaded_comparison_matches_one_built_from_the_audits(tmp_path, mini):
    audits = [good(mini, n, rating) for n, rating in ((1, "met"), (2, "partly-met"))]
    for a in audits:
        write(tmp_path, f"{a.school.urn}.json", json.dumps(auditfile.to_data(a)))
    from quality_offer.compare import build

    loaded = load_folder(tmp_path, frameworks=[mini])
    built = build([(mini, a) for a in audits])
    assert loaded.to_json()["sections"] == built.to_json()["sections"]
    assert loaded.to_json()["common_gaps"] == built.to_json()["common_gaps"]


def test_the_garbage_collector_is_running_again_after_a_load(folder, mini):
    import gc

    load_folder(folder, frameworks=[mini])
    assert gc.isenabled()
    with pytest.raises(NothingToCompare):
        load_folder(folder / "nowhere", frameworks=[mini])
    assert gc.isenabled()


def test_reading_in_several_processes_gives_the_same_comparison_in_the_same_order(
        folder, mini, monkeypatch):
    from quality_offer.compare import loading

    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(loading, "_CHUNK", 3)
    calls = []
    serial = load_folder(folder, frameworks=[mini])
    parallel = load_folder(folder, lambda *a: calls.append(a), frameworks=[mini], workers=2)
    assert parallel.results == serial.results
    assert parallel.skipped == serial.skipped
    # once a chunk in processes, or once a file where the pool could not start
    assert len(calls) in (3, 8) and max(c[0] for c in calls) == 8


def test_asking_for_a_version_no_file_uses_compares_them_on_that_version(folder, mini):
    newer = dataclasses.replace(mini, manifest=mini.manifest.model_copy(
        update={"version": "2.0.0"}), _by_id={})
    comp = load_folder(folder, frameworks=[mini, newer], framework=("mini", "2.0.0"))
    assert comp.framework is newer and comp.results
    assert {r.framework_version for r in comp.results} == {"1.0.0"}
    assert not any("this comparison is of" in s.error for s in comp.skipped)
    with pytest.raises(ValueError, match="not installed"):
        load_folder(folder, frameworks=[mini], framework=("mini", "3.0.0"))
