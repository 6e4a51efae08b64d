"""Audit files: read with care, written and read back unchanged, carried forward a year."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer import auditfile
from quality_offer.audit import carry_forward, next_year
from quality_offer.errors import InputError
from quality_offer.yamlsafe import NOT_IN_NAMES

from .builders import make_audit

MINIMAL = """\
format: quality-offer-audit/1
framework: {id: mini, version: "1.0.0"}
school: {urn: "123456", name: Oak Tree Primary, la_code: "919", phase: primary, type: maintained}
academic_year: 2026/27
responses:
  D1: {rating: met}
  O1.1: {rating: emerging}
"""


def problems(mini, text):
    with pytest.raises(InputError) as exc:
        auditfile.from_text(text, "audit.yaml", mini)
    return [str(p) for p in exc.value.problems]


def test_a_minimal_file_with_only_ratings_is_valid(mini):
    audit, _ = auditfile.from_text(MINIMAL, "audit.yaml", mini)
    assert audit.responses["D1"].rating == "met"
    assert audit.status == "in-progress"


def test_an_unknown_criterion_is_named_with_its_line(mini):
    (p,) = problems(mini, MINIMAL + "  O9.9: {rating: met}\n")
    assert p == ("audit.yaml:8:3: responses.O9.9: unknown criterion 'O9.9' in framework "
                 "mini 1.0.0")


def test_a_rating_not_in_the_scale_is_refused(mini):
    (p,) = problems(mini, MINIMAL.replace("D1: {rating: met}", "D1: {rating: established}"))
    assert p.startswith("audit.yaml:6:")
    assert "responses.D1.rating: 'established' is not a level of the 'duty' scale" in p


def test_not_applicable_for_a_duty_is_refused(mini):
    text = MINIMAL.replace("D1: {rating: met}", "D1: {not_applicable_reason: We are small}")
    (p,) = problems(mini, text)
    assert "not allowed for a statutory duty" in p


def test_not_applicable_needs_a_reason_and_no_rating(mini):
    text = MINIMAL + "  O1.2: {rating: emerging, not_applicable_reason: none here}\n"
    (p,) = problems(mini, text)
    assert "responses.O1.2" in p and "not both" in p


def test_a_framework_version_that_is_not_installed_is_refused():
    text = MINIMAL.replace('version: "1.0.0"', 'version: "9.9"')
    with pytest.raises(InputError) as exc:
        auditfile.from_text(text, "audit.yaml")
    (p,) = exc.value.problems
    assert str(p).startswith("audit.yaml:2:23: framework.version:")
    assert "is not installed" in str(p)


def test_a_bad_urn_is_refused(mini):
    (p,) = problems(mini, MINIMAL.replace('urn: "123456"', 'urn: "12345X"'))
    assert "school.urn" in p


def test_a_wrong_academic_year_is_refused(mini):
    (p,) = problems(mini, MINIMAL.replace("2026/27", "2026/28"))
    assert "academic_year" in p and "not an academic year" in p


def test_an_unquoted_urn_is_read_as_digits(mini):
    audit, _ = auditfile.from_text(MINIMAL.replace('"123456"', "123456"), "a.yaml", mini)
    assert audit.school.urn == "123456"


def test_json_files_are_read_too(mini):
    audit, _ = auditfile.from_text(MINIMAL, "a.yaml", mini)
    again, _ = auditfile.from_text(auditfile.to_json(audit), "a.json", mini)
    assert again == audit
    assert json.loads(auditfile.to_json(audit))["format"] == "quality-offer-audit/1"


def test_duplicate_responses_are_refused(mini):
    (p,) = problems(mini, MINIMAL + "  D1: {rating: not-met}\n")
    assert "duplicate key 'D1'" in p


def test_another_format_is_refused(mini):
    (p,) = problems(mini, MINIMAL.replace("quality-offer-audit/1", "quality-offer-audit/9"))
    assert "unknown format" in p


text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
               max_size=80)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
evidence = st.fixed_dictionaries({"text": text, "location": text.map(lambda s: s[:300]),
                                  "kind": st.sampled_from([None, "document", "pupil-voice"])})
action = st.fixed_dictionaries({"what": text, "owner": text.map(lambda s: s[:300]),
                                "due": st.none() | dates,
                                "status": st.sampled_from(["not-started", "done"])})


@st.composite
def responses(draw):
    out = {}
    ratings = {"D1": ["not-met", "partly-met", "met"], "D2": ["not-met", "met"],
               "O1.1": ["emerging", "exemplary"], "O1.2": ["not-in-place", "established"]}
    for cid, levels in ratings.items():
        if not draw(st.booleans()):
            continue
        resp = {"rechecked": draw(st.booleans())}
        if cid == "O1.2" and draw(st.booleans()):
            resp["not_applicable_reason"] = draw(text.filter(lambda s: s.strip()))
        else:
            resp["rating"] = draw(st.none() | st.sampled_from(levels))
        if draw(st.booleans()):
            resp["evidence"] = draw(evidence)
        if draw(st.booleans()):
            resp["action"] = draw(action)
        out[cid] = resp
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses=responses(),
       name=text.filter(lambda s: s.strip()).map(lambda s: s[:200])
       .filter(lambda s: not NOT_IN_NAMES.search(s)),
       fmt=st.sampled_from(["yaml", "json"]))
def test_writing_then_reading_any_audit_gives_it_back(mini, responses, name, fmt):
    audit = make_audit(mini, responses, name=name, completed_by="Ms Łucja Wójcik — SENCO")
    again, _ = auditfile.from_text(auditfile.dump(audit, fmt), f"a.{fmt}", mini)
    assert again == audit


def test_carry_forward_copies_answers_marked_for_recheck(mini):
    last = make_audit(mini, {
        "D1": {"rating": "met", "evidence": {"text": "Policy"}},
        "O1.1": {"rating": "emerging", "action": {"what": "Train TAs", "status": "done"}},
        "O1.2": {"rating": "emerging", "action": {"what": "Audit LAC", "status": "in-progress"},
                 "moderated_rating": "not-in-place"},
    }, year="2025/26", status="signed-off")
    new = carry_forward(mini, last)
    assert new.academic_year == "2026/27" and new.status == "in-progress"
    assert new.carried_forward_from == "2025/26"
    assert all(not r.rechecked for r in new.responses.values())
    assert new.responses["D1"].rating == "met"
    assert new.responses["O1.1"].action is None  # done last year
    assert new.responses["O1.2"].action.what == "Audit LAC"
    assert new.responses["O1.2"].moderated_rating is None


def test_next_year_wraps_the_century():
    assert next_year("2099/00") == "2100/01"
    assert next_year("2026/27") == "2027/28"


def test_unknown_criteria_are_named_even_when_other_fields_are_wrong(mini):
    text = MINIMAL + "  O9.9: {rating: met}\n  O1.2: {evidence: {kind: gossip}}\n"
    found = problems(mini, text)
    assert len(found) == 2
    assert found[0].startswith("audit.yaml:8:3: responses.O9.9: unknown criterion")
    assert "responses.O1.2.evidence.kind" in found[1]
