"""The loader refuses damaged criteria with messages that name file, line, column and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quality_offer import framework as frameworks
from quality_offer.cli import main
from quality_offer.errors import InputError

from .conftest import FIXTURES

MINI = FIXTURES / "frameworks"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the mini framework and its references."""
    shutil.copytree(MINI, tmp_path / "frameworks")
    return tmp_path / "frameworks"


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        frameworks.load(folder)
    return [str(p) for p in exc.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_the_mini_framework_loads_in_section_order(mini):
    assert [c.id for c in mini.criteria] == ["D1", "D2", "O1.1", "O1.2"]
    assert mini.section_of("O1.1") == "outcome-1"


def test_a_syntax_error_names_the_file_and_line(copy):
    edit(copy / "mini/duties.yaml", "  - id: D2", "  - id: [D2")
    (problem,) = problems_of(copy / "mini")
    assert problem.startswith("mini/duties.yaml:") or "duties.yaml:" in problem
    assert "not valid YAML" in problem


def test_a_duplicate_key_is_refused_where_it_stands(copy):
    edit(copy / "mini/duties.yaml", "    scale: duty\n", "    scale: duty\n    scale: duty\n")
    (problem,) = problems_of(copy / "mini")
    assert "duties.yaml:8:5: criteria.0.scale: duplicate key 'scale'" in problem


def test_an_unknown_field_is_named_with_its_line(copy):
    edit(copy / "mini/duties.yaml", "    scale: duty\n", "    scale: duty\n    colour: red\n")
    (problem,) = problems_of(copy / "mini")
    assert "duties.yaml:8:5: criteria.0.colour: unknown field 'colour'" in problem


def test_a_wrong_type_is_named(copy):
    edit(copy / "mini/duties.yaml", "statutory: true", "statutory: perhaps")
    (problem,) = problems_of(copy / "mini")
    assert "criteria.0.statutory:" in problem and "boolean" in problem


def test_aliases_are_refused(copy):
    edit(copy / "mini/duties.yaml", "evidence_prompts: [SEN policy]",
         "evidence_prompts: &p [SEN policy]")
    edit(copy / "mini/duties.yaml", "evidence_prompts: [Appointment letter]",
         "evidence_prompts: *p")
    (problem,) = problems_of(copy / "mini")
    assert "aliases" in problem and "criteria.1.evidence_prompts" in problem


def test_a_duplicate_criterion_id_is_refused(copy):
    edit(copy / "mini/duties.yaml", "id: D2", "id: D1")
    (problem,) = problems_of(copy / "mini")
    assert "duties.yaml:11:5: criteria.1.id: criterion id 'D1' is already used" in problem


def test_a_dangling_reference_is_refused(copy):
    edit(copy / "mini/duties.yaml", "references: [CoP 6.2]", "references: [CoP 6.999]")
    (problem,) = problems_of(copy / "mini")
    assert 'criteria.0.references: unknown reference \'CoP 6.999\'' in problem
    assert "duties.yaml:10:" in problem


def test_a_replaced_by_target_must_exist(copy):
    edit(copy / "mini/duties.yaml", "    scale: duty\n",
         "    scale: duty\n    withdrawn: true\n    replaced_by: D9\n")
    (problem,) = problems_of(copy / "mini")
    assert "replaced_by names 'D9'" in problem


def test_a_missing_level_descriptor_is_refused(copy):
    edit(copy / "mini/duties.yaml", "levels: {not-met: No., partly-met: Some., met: Yes.}",
         "levels: {not-met: No., met: Yes.}")
    (problem,) = problems_of(copy / "mini")
    assert "no descriptor for level(s) partly-met" in problem


def test_a_duty_cannot_allow_not_applicable(copy):
    edit(copy / "mini/duties.yaml", "    scale: duty\n", "    scale: duty\n    na_allowed: true\n")
    (problem,) = problems_of(copy / "mini")
    assert "cannot allow 'not applicable'" in problem


def test_an_unknown_section_is_refused(copy):
    edit(copy / "mini/outcome-1.yaml", "section: outcome-1", "section: outcome-9")
    problems = problems_of(copy / "mini")
    assert any("unknown section 'outcome-9'" in p for p in problems)


def test_a_huge_file_is_refused_before_parsing(copy):
    (copy / "mini/huge.yaml").write_text("# " + "x" * 1_100_000)
    problems = problems_of(copy / "mini")
    assert any("huge.yaml" in p and "limit is 1,000,000" in p for p in problems)


def test_a_billion_laughs_file_is_refused_quickly(copy):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 9)]
    (copy / "mini/bomb.yaml").write_text("\n".join(lines) + "\n")
    problems = problems_of(copy / "mini")
    assert any("bomb.yaml" in p and "aliases" in p for p in problems)


def test_every_problem_is_reported_at_once(copy):
    edit(copy / "mini/duties.yaml", "references: [CoP 6.2]", "references: [CoP 6.999]")
    edit(copy / "mini/outcome-1.yaml", "references: [CoP 6.37]\n    na_allowed",
         "references: [CoP 6.888]\n    na_allowed")
    assert len(problems_of(copy / "mini")) == 2


def test_validate_exits_1_with_errors_on_stderr_and_no_traceback(copy, capsys):
    edit(copy / "mini/duties.yaml", "references: [CoP 6.2]", "references: [CoP 6.999]")
    assert main(["validate", str(copy / "mini")]) == 1
    out, err = capsys.readouterr()
    assert "unknown reference 'CoP 6.999'" in err
    assert "Traceback" not in err and out == ""


def test_validate_prints_one_line_per_valid_framework(capsys):
    assert main(["validate", str(MINI / "mini")]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == ("mini 1.0.0: OK, 4 criteria in 2 sections (2 statutory duties), "
                           "4 references")
