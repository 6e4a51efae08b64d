"""Reading the DfE's GIAS extract: our phases and types, problems by line, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from quality_offer import gias
from quality_offer.compare import build
from quality_offer.errors import InputError

from .builders import make_audit

SAMPLE = Path(__file__).parent / "fixtures" / "gias" / "edubasealldata_sample.csv"
HEADER = ("URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),"
          "PhaseOfEducation (name)\n")


@pytest.fixture(scope="module")
def register():
    return gias.read(SAMPLE)


def test_gias_phase_and_type_names_map_to_ours(register):
    got = {s.urn: (s.phase, s.type) for s in register.schools}
    assert got["117000"] == ("primary", "maintained")  # Community school, Primary
    assert got["117001"] == ("secondary", "academy")  # Academy converter
    assert got["117002"] == ("all-through", "free-school")  # Free schools
    assert got["117003"] == ("16-plus", "16-19-academy")  # Academy 16-19 converter
    assert got["117004"] == ("16-plus", "16-19-academy")  # Free schools 16 to 19
    assert got["117005"] == ("secondary", "pupil-referral-unit")  # phase from ages 11-16
    assert got["117006"] == ("special", "maintained")  # Community special school
    assert got["117007"] == ("nursery", "maintained")  # LA nursery school
    assert got["117008"] == ("primary", "maintained")  # Middle deemed primary, VA
    assert got["117013"] == ("special", "non-maintained-special")
    assert got["117014"] == ("primary", "independent")


def test_a_bom_quoted_commas_and_extra_columns_are_tolerated(register):
    by_urn = register.by_urn()
    assert "117000" in by_urn  # the first column is "URN" despite the BOM
    assert by_urn["117008"].name == "Bishop's Stortford, Windhill Primary"
    assert (by_urn["117000"].la_code, by_urn["117000"].la_name) == ("919", "Hertfordshire")
    assert by_urn["117000"].line == 2


def test_unknown_values_are_reported_with_line_numbers_and_the_school_is_kept(register):
    problems = {(p.line, p.field): p.message for p in register.problems}
    assert "unknown establishment type 'Space academy'" in problems[(14, gias.TYPE)]
    assert "unknown phase of education 'Upper'" in problems[(15, gias.PHASE)]
    by_urn = register.by_urn()
    assert (by_urn["117011"].phase, by_urn["117011"].type) == ("primary", None)
    assert (by_urn["117012"].phase, by_urn["117012"].type) == (None, "maintained")
    assert all(p.file == str(SAMPLE) for p in register.problems)


def test_rows_that_are_not_schools_or_have_a_bad_urn_are_left_out_and_reported(register):
    problems = {(p.line, p.field): p.message for p in register.problems}
    assert "'Further education'" in problems[(11, gias.TYPE)]
    assert "not a school this tool compares" in problems[(11, gias.TYPE)]
    assert "URN '12345' is not six digits" in problems[(13, gias.URN)]
    urns = {s.urn for s in register.schools}
    assert not {"117009", "12345"} & urns


def test_closed_schools_are_left_out_unless_asked_for(register):
    assert "117010" not in register.by_urn() and register.closed == 1
    everything = gias.read(SAMPLE, include_closed=True)
    assert "117010" in everything.by_urn() and everything.closed == 0


def test_an_area_column_can_be_named(register):
    with_area = gias.read(SAMPLE, area_column="DistrictAdministrative (name)")
    assert with_area.by_urn()["117000"].area == "Dacorum"
    assert register.by_urn()["117000"].area is None


def test_a_windows_1252_extract_as_gias_serves_it_is_read():
    text = HEADER + "117100,919,Hertfordshire,St Mary\u2019s C of E Primary,Voluntary " \
                    "controlled school,Primary\n"
    reg = gias.parse_text(text.encode("cp1252"), "extract.csv")
    assert reg.schools[0].name == "St Mary\u2019s C of E Primary"
    assert reg.schools[0].type == "maintained"


def test_missing_gias_columns_are_an_error_that_names_them():
    with pytest.raises(InputError) as exc:
        gias.parse_text("URN,Name\n117000,Oak\n", "mine.csv")
    (p,) = exc.value.problems
    assert (p.file, p.line) == ("mine.csv", 1)
    assert "'EstablishmentName'" in p.message and "'LA (code)'" in p.message


def test_odd_rows_never_crash_the_reader():
    text = HEADER + "\n".join([
        "117200,919,Herts,Short Row School",  # too few cells
        "117201,919,Herts,Long Row,Community school,Primary,extra,cells",
        ",,,,,",  # blank
        "117200,919,Herts,Again,Community school,Primary",  # URN repeated
        "117202,9x9,Herts,Odd LA,Community school,Primary",
    ]) + "\n"
    reg = gias.parse_text(text, "odd.csv")
    messages = [f"{p.line}: {p.message}" for p in reg.problems]
    assert any(m.startswith("3: more values than columns") for m in messages)
    assert any(m.startswith("5: URN 117200 is listed again (first on line 2)") for m in messages)
    assert any("LA code '9x9' is not three digits" in m for m in messages)
    assert {s.urn for s in reg.schools} == {"117200", "117201", "117202"}
    short = reg.by_urn()["117200"]
    assert (short.phase, short.type) == (None, None)


def test_schools_that_have_not_submitted_are_listed(register, mini):
    audits = [make_audit(mini, {}, urn=urn, name=name) for urn, name in (
        ("117000", "Oak Tree Primary School"), ("117006", "Greenside School"),
        ("199999", "A school not in GIAS"))]
    comp = build([(mini, a) for a in audits])
    cover = gias.coverage(register, comp)
    assert cover["academic_year"] == "2026/27" and cover["la_codes"] == ["919"]
    assert cover["submitted"] == 2
    assert cover["schools"] == len(register.schools) - 1  # Luton (821) left out
    missing = {s["urn"]: s["status"] for s in cover["not_submitted"]}
    assert "117001" in missing and missing["117001"] == "not submitted"
    assert "117000" not in missing and "109000" not in missing
    assert cover["not_in_register"] == [{"urn": "199999", "name": "A school not in GIAS",
                                         "academic_year": "2026/27"}]


def test_coverage_follows_the_comparisons_filters(register, mini):
    comp = build([(mini, make_audit(mini, {}, urn="117000"))]).filter(phase="special")
    cover = gias.coverage(register, comp)
    assert [s["urn"] for s in cover["schools_listed"]] == ["117006", "117013"]
