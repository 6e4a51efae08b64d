"""The shipped framework says what the Quality Offer and the Code say, citation by citation.

The expected values are copied from the project's reference notes on the Code of Practice
(published citation as printed, and the verified citation the report shows).
"""

from __future__ import annotations

import json

import pytest

from quality_offer.cli import main

# criterion -> (published as printed, verified references that must be shown)
CITATIONS = {
    "O1.1": (["CoP 6.37"], {"CoP 6.37"}),
    "O1.3": (["CoP 10.0"], {"CoP chapter 10"}),
    "O1.4": (["CoP 6.14"], {"CoP 6.14"}),
    "O1.5": (["CoP 6.44"], {"CoP 6.44"}),
    "O1.6": (["CoP 6.44"], {"CoP 6.44"}),
    "O1.7": (["CoP 1.34"], {"CoP 6.9"}),
    "O1.8": (["CoP 6.76", "CoP 6.77"], {"CoP 6.76", "CoP 6.77"}),
    "O1.9": (["CoP 6.87"], {"CoP 6.87"}),
    "O1.10": (["CoP 4.32"], {"CoP 6.79"}),
    "O1.11": (["CoP 4.32"], {"CoP 6.79"}),
    "O2.1": (["CoP 6.1"], {"CoP 6.1"}),
    "O2.2": (["CoP 6.4"], {"CoP 6.36"}),
    "O2.3": (["CoP 6.74"], {"CoP 6.77"}),
    "O2.4": ([], {"CoP 6.65"}),
    "O2.5": (["CoP 4.32"], {"CoP 6.79"}),
    "O2.6": (["CoP 6.57"], {"CoP 6.57"}),
    "O3.2": (["CoP 6.71"], {"CoP 6.71"}),
    "O3.3": (["CoP 6.43"], {"CoP 6.43"}),  # 6.43 verified in the December 2026 review
    "O3.4": (["CoP 6.69"], {"CoP 6.65"}),
    "O4.1": (["CoP 6.9"], {"CoP 6.9"}),
    "O4.2": (["CoP 6.3"], {"CoP 6.3"}),
    "O4.3": (["CoP 6.77"], {"CoP 6.77"}),
    "O4.4": (["CoP 6.3"], {"CoP 6.3"}),
    "O5.1": (["CoP 6.79"], set()),
    "O5.2": (["CoP 6.42"], {"CoP 6.57"}),
    "O5.3": ([], set()),
    "O5.4": ([], {"CoP chapter 4"}),
    "D1": (["CoP 1.1"], {"CoP 1.1"}),
    "D2": ([], {"CoP 6.2"}),
    "D4": (["CoP 5.11", "CoP 6.11"], {"CoP 6.11"}),
    "D5": (["CoP 6.79"], {"CoP 6.79"}),
    "D7": (["CoP 6.56"], {"CoP 6.56"}),
}


@pytest.fixture(scope="module")
def shown(herts):
    return {c.id: c for c in herts.criteria}


def test_each_outcome_has_every_bullet_of_the_quality_offer(herts):
    counts = {s.id: len(herts.in_section(s.id)) for s in herts.sections}
    # Outcome 5's fifth bullet (O5.5) lost its bullet mark in the extract; 1.1.0 restores it.
    assert [counts[f"outcome-{i}"] for i in range(1, 6)] == [11, 6, 4, 4, 5]


def test_the_duties_section_holds_the_quality_offers_list_and_the_codes_other_duties(herts):
    duties = herts.in_section("duties")
    ids = {c.id for c in duties}
    assert {f"D{i}" for i in range(1, 9)} <= ids
    from_code = [c for c in duties if c.origin == "code-of-practice"]
    assert len(from_code) >= 5
    assert all(not c.published_references for c in from_code)


@pytest.mark.parametrize("cid", sorted(CITATIONS))
def test_citations_are_kept_as_published_and_corrected_where_wrong(shown, cid):
    published, verified = CITATIONS[cid]
    crit = shown[cid]
    assert crit.published_references == published
    assert verified <= set(crit.references)
    if set(published) != set(crit.references) and published:
        assert crit.reference_note


def test_no_criterion_shows_a_paragraph_that_does_not_exist(herts):
    for crit in herts.criteria:
        for ref in crit.references:
            assert herts.references[ref].exists, (crit.id, ref)


def test_the_senco_duty_states_the_npq_rule_and_excludes_16_19_academies(shown):
    d3 = shown["D3"]
    assert d3.statutory
    assert "NPQ" in d3.text or "National Professional Qualification" in d3.text
    assert "1 September 2024" in d3.text
    assert not d3.applies_to.includes("16-plus", "16-19-academy")
    assert d3.applies_to.includes("primary", "maintained")
    assert "SI 2024/535" in d3.legal_basis


def test_shoulds_in_the_code_are_expectations_not_duties(shown):
    # annual update of the SEN information report is a "should" (reference D5)
    annual = [c for c in shown.values() if c.id.startswith("D5") and "annual" in c.text.lower()]
    assert annual and all(not c.statutory for c in annual if c.id != "D5")
    assert not shown["O4.4"].statutory


def test_a_duty_allows_not_applicable_only_where_it_says_when(herts):
    assert all(c.na_when for c in herts.criteria if c.statutory and c.na_allowed)


def test_every_level_of_every_criterion_has_its_own_descriptor(herts):
    for crit in herts.criteria:
        texts = list(crit.levels.values())
        assert len(set(texts)) == len(texts), crit.id
        assert all(len(t) > 30 for t in texts), crit.id


def test_framework_show_json_has_the_documented_shape(capsys):
    assert main(["framework", "show", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"id", "version", "title", "scales", "sections", "criteria"} <= set(data)
    duty = data["scales"]["duty"]["levels"]
    assert [lv["id"] for lv in duty] == ["not-met", "partly-met", "met"]
    assert [lv["meets_expectation"] for lv in duty] == [False, False, True]
    crit = data["criteria"][0]
    assert {"id", "section", "text", "statutory", "scale", "references",
            "published_references", "applies_to", "na_allowed", "levels",
            "evidence_prompts"} <= set(crit)
    assert {"source", "ref"} <= set(crit["references"][0])
    assert len(data["criteria"]) == len({c["id"] for c in data["criteria"]})


def test_the_shipped_frameworks_validate(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("herts-send-quality-offer 1.0.0: OK")
