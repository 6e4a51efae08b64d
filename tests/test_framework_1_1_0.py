"""Framework 1.1.0: the corrections of the December 2026 review, the allergy safety policy as a
coming duty, and no doubt wording in what schools and governors read."""

from __future__ import annotations

import datetime as dt
import io
from html import unescape

from pypdf import PdfReader

from quality_offer import framework as frameworks
from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.pdf import render_pdf
from quality_offer.upgrade import plan

from .builders import make_audit
from .shipped_wording import DOUBT_WORDS

TODAY = dt.date(2026, 12, 2)


def v110():
    return frameworks.get("herts-send-quality-offer", "1.1.0")


def test_both_versions_are_installed_and_1_0_0_still_excludes_special_schools_from_d9():
    old = frameworks.get("herts-send-quality-offer", "1.0.0")
    assert "16-19-academy" in old.criterion("D9").applies_to.types
    new = v110().criterion("D9")
    assert new.applies_to.includes("special", "maintained")
    assert not new.applies_to.includes("16-plus", "16-19-academy")


def test_o3_3_cites_the_verified_paragraph_6_43():
    fw = v110()
    assert fw.criterion("O3.3").references == ["CoP 6.43"]
    assert fw.reference("CoP 6.43").evidence == "V"


def test_d3_says_before_1_september_2027_and_asks_about_induction():
    crit = v110().criterion("D3")
    assert "completed before 1 September 2027" in " ".join(crit.text.split())
    assert "induction" in crit.levels["met"]


def test_d7_and_d12_may_be_not_applicable_only_in_the_stated_case():
    fw = v110()
    assert fw.criterion("D7").na_when == "no pupil on roll has an EHC plan"
    assert fw.criterion("D12").na_allowed


def test_the_allergy_policy_is_a_coming_duty_listed_apart_and_never_counted():
    fw = v110()
    audit = make_audit(fw, {"D15": {"rating": "not-met"}}, phase="primary")
    report = analyse(fw, audit, TODAY)
    assert [(c.criterion, c.in_force_on) for c in report.coming] == [("D15", None)]
    assert "D15" not in report.not_assessed
    assert all(g.criterion != "D15" for g in report.gaps)
    assert all(i.criterion != "D15" for i in report.items)


def test_the_allergy_duty_waits_for_regulations_though_the_powers_to_make_them_are_in_force():
    fw = v110()
    note = " ".join(fw.criterion("D15").note.split())
    assert "came into force on passing, under section 78(1)(a)" in note
    assert "(section 78(5))" in note
    assert "section 78(5)" in " ".join(fw.reference("CWSA 2026 s78").summary.split())


def test_a_governors_pdf_and_html_show_the_coming_duty_and_no_doubt_wording_outside_the_appendix():
    fw = v110()
    responses = {c.id: {"rating": fw.scale_of(c).level_ids[0]} for c in fw.active}
    report = analyse(fw, make_audit(fw, responses), TODAY)
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(render_pdf(report, deterministic=True))).pages).split())
    html = " ".join(unescape(render_html(report)).split())
    for text in (pdf, html):
        school_part = text[:text.rindex("Appendix: how the references were checked")]
        lowered = school_part.lower()
        assert not [w for w in DOUBT_WORDS if w in lowered]
        assert "Duties that are coming" in school_part
        assert "Enacted; the date it comes into force is still to be set" in school_part
        assert "Children's Wellbeing and Schools Act 2026, section 34" in school_part
    summary = pdf[pdf.index("Summary for governors"):pdf.index("Full gap report Every")]
    assert "allergy" not in summary.lower() or "coming" in summary.lower()


def v100():
    return frameworks.get("herts-send-quality-offer", "1.0.0")


def ev(text):
    return {"text": text, "location": f"{text} folder", "kind": "document"}


def test_d6_is_withdrawn_and_split_into_the_plan_and_its_publication():
    fw = v110()
    d6 = fw.criterion("D6")
    assert d6.withdrawn and d6.replacements == ("D6a", "D6b")
    assert fw.criterion("D6a").legal_basis == ["EqA 2010 Sch 10 para 3"]
    assert "CFA 2014 s69" in fw.criterion("D6b").legal_basis
    met = " ".join(fw.criterion("D6a").levels["met"].split())
    for word in ("carried out", "reviewed", "resources"):
        assert word in met


def test_a_1_0_0_answer_to_d6_lands_on_both_new_criteria_flagged_for_re_check():
    answer = {"rating": "partly-met", "evidence": ev("Accessibility plan 2024-27"),
              "action": {"what": "Publish the plan", "owner": "SENCO"}}
    moved = plan(make_audit(v100(), {"D6": answer}), v100(), v110())
    assert [(o.kind, o.target) for o in moved.outcomes] == [("moved", "D6a"), ("moved", "D6b")]
    for cid in ("D6a", "D6b"):
        resp = moved.after.responses[cid]
        assert not resp.rechecked
        assert resp.moved_from.criterion == "D6" and resp.moved_from.version == "1.0.0"
        assert resp.rating == "partly-met"
        assert resp.evidence.text == "Accessibility plan 2024-27"
        assert resp.action.what == "Publish the plan"
    assert "D6" not in moved.after.responses and not moved.after.archived


def test_a_pupil_referral_units_d6_answer_goes_to_the_plan_only_and_is_not_lost():
    moved = plan(make_audit(v100(), {"D6": {"rating": "not-met", "evidence": ev("PRU plan")}},
                            phase="secondary", school_type="pupil-referral-unit"),
                 v100(), v110())
    assert set(moved.after.responses) == {"D6a"}
    assert moved.after.responses["D6a"].evidence.text == "PRU plan"
    assert not moved.after.archived


def test_a_pru_or_independent_school_is_not_rated_down_for_not_publishing():
    fw = v110()
    for school_type in ("pupil-referral-unit", "independent", "non-maintained-special"):
        audit = make_audit(fw, {"D6a": {"rating": "met"}}, phase="secondary",
                           school_type=school_type)
        report = analyse(fw, audit, TODAY)
        assert all(g.criterion != "D6b" for g in report.gaps)
        assert "D6b" not in report.not_assessed
        assert all(i.criterion != "D6b" for i in report.items)
        assert "D6a" in [i.criterion for i in report.items]
    maintained = analyse(fw, make_audit(fw, {"D6b": {"rating": "not-met"}}), TODAY)
    assert [g.criterion for g in maintained.gaps if g.criterion.startswith("D6")] == ["D6b"]


def test_d4a_is_the_eyfs_medicines_duty_with_its_five_musts():
    fw = v110()
    crit = fw.criterion("D4a")
    assert crit.statutory and crit.na_when
    assert "Childcare Act 2006 s40" in crit.legal_basis
    text = " ".join(crit.text.split())
    for must in ("policy and procedures", "needs for medicines", "training",
                 "written permission", "written record"):
        assert must in text
    assert fw.reference("EYFS 2024 medicines").evidence == "V"


def test_a_1_0_0_d4a_rating_on_the_old_scale_is_kept_archived_and_the_answer_re_checked():
    audit = make_audit(v100(), {"D4a": {"rating": "emerging", "evidence": ev("Care plans")}})
    moved = plan(audit, v100(), v110())
    resp = moved.after.responses["D4a"]
    assert resp.rating is None and not resp.rechecked
    assert resp.evidence.text == "Care plans"
    (kept,) = moved.after.archived
    assert kept.criterion == "D4a" and kept.answer.rating == "emerging"


def test_the_reference_index_carries_the_review_s_levels_and_missing_sources():
    fw = v110()
    levels = {rid: fw.reference(rid).evidence for rid in (
        "CoP 6.43", "CoP 4.32", "CoP chapter 5", "CoP chapter 9",
        "Local Herts SEND Strategy 2015-2018", "Local Herts SEND Strategy 2022-2025")}
    assert levels == {"CoP 6.43": "V", "CoP 4.32": "U", "CoP chapter 5": "V",
                      "CoP chapter 9": "V", "Local Herts SEND Strategy 2015-2018": "U",
                      "Local Herts SEND Strategy 2022-2025": "U"}
    for rid in ("CFA 2014 s29", "CFA 2014 s33", "CFA 2014 s44", "CFA 2014 s83",
                "CFA 2014 s100A", "EqA 2010 s85", "CYPA 2008 s20A", "Academies Act 2010 s2E",
                "Pupil Information Regs 2005 reg 6", "Guidance medical conditions 2015",
                "CWSA 2026 s34", "SEND Regs 2014 Sch 1 para 5"):
        assert fw.reference(rid).id == rid
    assert "performance management" in fw.reference("CoP 6.4").summary


def test_square_brackets_in_1_1_0_mark_only_words_lost_from_the_published_text():
    import re
    for crit in v110().criteria:
        for word in re.findall(r"\[([^\]]+)\]", crit.text):
            assert crit.published_text, crit.id
            assert word.lower() not in " ".join(crit.published_text.split()).lower(), crit.id
    assert "(Delivering Special Provision Locally)" in " ".join(
        v110().criterion("O5.1").text.split())
    # D6b restores the printed item's three lost words and adds no bracket of its own.
    assert re.findall(r"\[([^\]]+)\]", v110().criterion("D6b").text) == [
        "admission", "steps", "accessibility plan"]


def test_o1_11_cites_6_4_for_performance_management_and_sch_1_para_5_for_staff_expertise():
    crit = v110().criterion("O1.11")
    assert crit.references == ["CoP 6.4", "CoP 6.79", "SEND Regs 2014 Sch 1 para 5"]
    assert "performance management" in crit.levels["exemplary"]
    assert "other schools" not in crit.levels["exemplary"]


def test_o5_4_is_the_local_offer_alone_and_o5_5_the_schools_own_review():
    fw = v110()
    o54, o55 = fw.criterion("O5.4"), fw.criterion("O5.5")
    assert "regular review" not in o54.text.lower()
    assert o55.text.startswith("Regular review, monitoring and evaluation")
    assert "damaged source" in " ".join(o55.note.split())
    audit = make_audit(v100(), {"O5.4": {"rating": "established", "evidence": ev("LO")}})
    moved = plan(audit, v100(), fw)
    assert not moved.after.responses["O5.4"].rechecked
    assert moved.after.responses["O5.4"].evidence.text == "LO"
    assert "O5.5" in moved.new_criteria


def test_the_o5_split_rests_on_the_fault_the_extract_really_shows():
    # The extract runs two "Jointly Agreed Commitments" together; no list of the local
    # authority's commitments is split.
    fw = v110()
    for cid in ("O5.4", "O5.5"):
        note = " ".join(fw.criterion(cid).note.split())
        assert "Jointly Agreed" in note and "local authority's commitments" not in note, cid


def test_o5_3_names_the_current_strategy_not_2015_2018():
    crit = v110().criterion("O5.3")
    assert "2015" not in crit.text
    assert crit.references == ["Local Herts SEND Strategy 2022-2025"]


def test_every_duty_of_limited_scope_says_who_it_applies_to_in_one_plain_sentence():
    for crit in v110().active:
        scope = crit.applies_to
        if scope.phases == "all" and scope.types == "all" and not scope.note:
            continue
        assert scope.who, crit.id
        sentence = " ".join(scope.who.split())
        assert sentence.count(". ") == 0 and sentence.endswith("."), crit.id
        lowered = sentence.lower()
        assert not [w for w in DOUBT_WORDS if w in lowered], crit.id
        for legal in ("checked", "legislation.gov.uk", "s41", "s68", "section 8"):
            assert legal not in lowered, (crit.id, legal)


def test_d1_binds_only_the_schools_s77_names_and_says_when_not_applicable():
    crit = v110().criterion("D1")
    assert "CFA 2014 s77" in crit.legal_basis
    assert "section 41" in crit.na_when
    assert "section 41" in crit.applies_to.who


def test_d11_rests_on_s85_and_schedule_13_and_leaves_buildings_to_the_accessibility_plan():
    crit = v110().criterion("D11")
    assert crit.legal_basis[0] == "EqA 2010 s85" and "EqA 2010 Sch 13" in crit.legal_basis
    assert not [lv for lv, text in crit.levels.items() if "building" in text.lower()]
    assert "new buildings" in frameworks.get("herts-send-quality-offer", "1.0.0").criterion(
        "D11").levels["partly-met"]


def test_d12_leaves_out_pupil_referral_units_and_asks_for_the_reasonable_steps_test():
    crit = v110().criterion("D12")
    assert not crit.applies_to.includes("secondary", "pupil-referral-unit")
    assert crit.applies_to.includes("special", "non-maintained-special")
    assert "CFA 2014 s33" in crit.legal_basis
    assert "no reasonable steps" in " ".join(crit.levels["met"].split())
    moved = plan(make_audit(v100(), {"D12": {"rating": "met", "evidence": ev("PRU admit")}},
                            phase="secondary", school_type="pupil-referral-unit"),
                 v100(), v110())
    assert "D12" not in moved.after.responses
    assert [a.criterion for a in moved.after.archived] == ["D12"]
    assert moved.after.archived[0].answer.evidence.text == "PRU admit"


def test_d13_and_d14_cite_their_regulations_and_acts():
    fw = v110()
    assert fw.criterion("D13").legal_basis == ["Pupil Information Regs 2005 reg 6"]
    assert "6(3A)" in fw.reference("Pupil Information Regs 2005 reg 6").summary
    d14 = fw.criterion("D14")
    for ref in ("CYPA 2008 s20", "CYPA 2008 s20A", "Academies Act 2010 s2E"):
        assert ref in d14.legal_basis
    text = " ".join(d14.text.split())
    assert "previously looked-after" in text and "qualified teacher" in text


def test_d10_says_which_schools_have_no_section_35_basis():
    crit = v110().criterion("D10")
    note = " ".join(crit.applies_to.note.split())
    assert "no section 35 basis" in note and "pupil referral units" in note
    assert not crit.applies_to.includes("special", "maintained")


def test_o2_6_asks_year_9_planning_only_of_secondary_and_post_16():
    established = " ".join(v110().criterion("O2.6").levels["established"].split())
    assert "in nursery and primary" in established
    assert "in secondary, from Year 9 at the latest" in established


def test_the_restored_words_of_o1_7_and_o4_1_are_said_to_be_guesses():
    fw = v110()
    for cid in ("O1.7", "O4.1"):
        note = " ".join(fw.criterion(cid).note.split())
        assert "best guess" in note and "[accessibility planning]" in note, cid


def test_a_who_sentence_added_for_readers_does_not_send_an_answer_back_to_re_check():
    # D5a gained only its who sentence in 1.1.0.
    assert v100().criterion("D5a").applies_to.who is None
    assert v110().criterion("D5a").applies_to.who
    moved = plan(make_audit(v100(), {"D5a": {"rating": "established", "evidence": ev("SIR")}}),
                 v100(), v110())
    assert [(o.criterion, o.kind) for o in moved.outcomes] == [("D5a", "unchanged")]
    assert moved.after.responses["D5a"].rechecked


def test_d5_asks_a_special_school_only_for_the_schedule_1_items_that_apply_to_it():
    crit = v110().criterion("D5")
    met = " ".join(crit.levels["met"].split())
    partly = " ".join(crit.levels["partly-met"].split())
    assert "that applies to the school" in met
    assert "mainstream schools and maintained nursery schools only" in met
    assert "in a mainstream school or maintained nursery school, the SENCO's name" in partly
    assert crit.applies_to.includes("special", "maintained")
    # The levels changed, so a 1.0.0 answer is sent back to be re-checked.
    moved = plan(make_audit(v100(), {"D5": {"rating": "met", "evidence": ev("SIR")}}),
                 v100(), v110())
    assert [(o.criterion, o.kind) for o in moved.outcomes] == [("D5", "recheck")]
    assert not moved.after.responses["D5"].rechecked


def test_d7_rates_the_schools_part_in_a_review_not_the_local_authoritys_deadline():
    fw = v110()
    levels = {k: " ".join(v.split()) for k, v in fw.criterion("D7").levels.items()}
    assert not [k for k, v in levels.items() if "every pupil with an ehc plan is reviewed"
                in v.lower() or v.startswith("Reviews are held, but not always within")]
    assert levels["met"].startswith("When the local authority asks, the school arranges")
    assert "at least two weeks before the meeting" in levels["met"]
    assert "in time for the local authority to complete the review" in levels["partly-met"]
    # A school that rated itself on the old levels re-checks its answer on the new ones.
    moved = plan(make_audit(v100(), {"D7": {"rating": "partly-met", "evidence": ev("Tracker")}}),
                 v100(), v110())
    assert [(o.criterion, o.kind) for o in moved.outcomes] == [("D7", "recheck")]
    reg20 = fw.reference("SEND Regs 2014 reg 20")
    assert reg20.evidence == "V"
    from quality_offer.citations import cited
    assert cited(reg20) == "SEND Regulations 2014, regulation 20"


def test_the_reference_index_notes_agree_with_the_law_and_with_their_evidence_levels():
    fw = v110()
    note_685 = " ".join(fw.reference("CoP 6.85").note.split())
    assert "completed before 1 September 2027" in note_685
    assert "by 1 September 2027" not in note_685
    ref_432 = fw.reference("CoP 4.32")
    assert ref_432.evidence == "U" and "treated here as from memory" not in ref_432.note
    s29 = " ".join(fw.reference("CFA 2014 s29").summary.split())
    assert "functions of the governing bodies" in s29
    assert "in the exercise of its functions" not in s29


def test_nothing_a_checklist_card_shows_for_1_1_0_carries_doubt_wording():
    from quality_offer.applies_words import who
    from quality_offer.citations import cited

    fw = v110()
    for crit in fw.active:
        shown = [crit.text, *crit.levels.values(), *crit.evidence_prompts, who(crit) or "",
                 *(cited(fw.reference(r)) for r in crit.references),
                 *(cited(fw.reference(r)) for r in crit.legal_basis)]
        lowered = " ".join(" ".join(shown).split()).lower()
        # "is not checked through monitoring" is a level of practice, not a doubt about a source.
        doubts = [w for w in DOUBT_WORDS if w != "not checked"] + [
            "was not checked", "were not checked", "not confirmed", "best guess"]
        assert not [w for w in doubts if w in lowered], crit.id


def test_exemplary_levels_reward_the_quality_of_provision_not_sharing_it_with_other_schools():
    fw = v110()
    for cid in ("O1.1", "O1.6", "O1.11", "O4.1", "O5.3"):
        exemplary = " ".join(fw.criterion(cid).levels["exemplary"].split()).lower()
        assert "other schools" not in exemplary and "shared with others" not in exemplary, cid
