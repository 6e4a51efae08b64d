"""Moving an audit to a new framework version: every answer followed across the move."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.audit import Response, check
from quality_offer.cli import main
from quality_offer.upgrade import MoveRefused, plan
from tests.builders import make_audit
from tests.changing_framework import ANSWERS, VERSIONS, texts


@pytest.fixture(scope="module")
def installed():
    return frameworks.registry(frameworks.shipped_folders(VERSIONS))


@pytest.fixture(scope="module")
def old(installed):
    return installed[("changing", "1.0.0")]


@pytest.fixture(scope="module")
def new(installed):
    return installed[("changing", "2.0.0")]


@pytest.fixture
def audit(old):
    return make_audit(old, ANSWERS)



def archived_by_id(audit):
    return {a.criterion: a for a in audit.archived}


def test_an_unchanged_criterions_answer_carries_over_as_it_is(audit, old, new):
    after = plan(audit, old, new).after
    assert after.framework.version == "2.0.0"
    assert after.responses["K1"] == audit.responses["K1"]
    assert after.responses["D1"] == audit.responses["D1"]
    # references and evidence prompts changed: the question is the same, no re-check
    assert after.responses["K13"] == audit.responses["K13"]


def test_a_reworded_criterions_answer_is_kept_for_re_check_with_the_old_wording(audit, old,
                                                                                 new):
    k2 = plan(audit, old, new).after.responses["K2"]
    assert (k2.rating, k2.evidence, k2.rechecked) == ("emerging", audit.responses["K2"].evidence,
                                                      False)
    assert k2.moved_from.text == "Reworded criterion, old wording."
    assert (k2.moved_from.version, k2.moved_from.criterion, k2.moved_from.changes) == (
        "1.0.0", "K2", ["text"])


def test_a_re_levelled_criterions_answer_is_kept_for_re_check(audit, old, new):
    k4 = plan(audit, old, new).after.responses["K4"]
    assert k4.rating == "exemplary" and not k4.rechecked and k4.moved_from.changes == ["levels"]


def test_a_re_scoped_criterion_is_re_checked_where_it_still_applies(old, new):
    secondary = make_audit(old, {"K3": ANSWERS["K3"]}, phase="secondary")
    k3 = plan(secondary, old, new).after.responses["K3"]
    assert k3.rating == "established" and k3.moved_from.changes == ["applies_to"]


def test_a_criterion_that_no_longer_applies_is_archived_whole(audit, old, new):
    after = plan(audit, old, new).after
    assert "K3" not in after.responses
    k3 = archived_by_id(after)["K3"]
    assert k3.answer == audit.responses["K3"] and k3.version == "1.0.0"
    assert "no longer applies to a primary maintained school" in k3.reason


def test_a_withdrawn_criterion_without_replacement_is_archived_whole(audit, old, new):
    after = plan(audit, old, new).after
    k5 = archived_by_id(after)["K5"]
    assert k5.answer == audit.responses["K5"]
    assert k5.text == "Withdrawn criterion with no replacement."
    assert "no replacement" in k5.reason


def test_a_replaced_criterions_answer_moves_to_the_replacement_for_re_check(audit, old, new):
    after = plan(audit, old, new).after
    k9 = after.responses["K9"]
    assert (k9.rating, k9.evidence) == ("emerging", audit.responses["K6"].evidence)
    assert not k9.rechecked and k9.moved_from.criterion == "K6"
    assert k9.moved_from.text == "First criterion merged into K9."


def test_a_second_answer_for_one_replacement_is_archived(audit, old, new):
    k7 = archived_by_id(plan(audit, old, new).after)["K7"]
    assert k7.answer == audit.responses["K7"]
    assert "replaced by K9, which takes the answer of K6" in k7.reason


def test_a_replacement_that_has_an_answer_keeps_it_and_the_other_is_archived(audit, old, new):
    after = plan(audit, old, new).after
    assert after.responses["K2"].evidence.text == "K2 evidence"
    assert archived_by_id(after)["K8"].answer == audit.responses["K8"]


def test_not_applicable_where_no_longer_allowed_is_archived_and_left_to_re_rate(audit, old,
                                                                                 new):
    after = plan(audit, old, new).after
    k11 = after.responses["K11"]
    assert k11.not_applicable_reason is None and k11.rating is None and not k11.rechecked
    assert k11.evidence.text == "K11 evidence"
    assert archived_by_id(after)["K11"].answer.not_applicable_reason == "K11 reason"


def test_a_rating_not_on_the_new_scale_is_archived_and_left_to_re_rate(audit, old, new):
    after = plan(audit, old, new).after
    k12 = after.responses["K12"]
    assert k12.rating is None and k12.evidence.text == "K12 evidence"
    assert set(k12.moved_from.changes) == {"levels", "statutory", "scale"}
    assert archived_by_id(after)["K12"].answer.rating == "exemplary"


def test_new_criteria_are_not_assessed(audit, old, new):
    p = plan(audit, old, new)
    assert "K10" not in p.after.responses
    assert p.new_criteria == ("K10",)


def test_the_audit_after_the_move_passes_the_new_versions_checks(audit, old, new):
    assert check(new, plan(audit, old, new).after) == []


def test_the_preview_says_what_happens_to_every_answer(audit, old, new):
    p = plan(audit, old, new)
    kinds = {o.criterion: o.kind for o in p.outcomes}
    assert kinds == {"D1": "unchanged", "K1": "unchanged", "K13": "unchanged",
                     "K2": "recheck", "K4": "recheck", "K11": "recheck", "K12": "recheck",
                     "K6": "moved", "K3": "archived", "K5": "archived", "K7": "archived",
                     "K8": "archived"}
    text = p.describe()
    assert "3 carried over as they are" in text and "4 kept as archived answers" in text
    assert "K6: withdrawn and replaced by K9: moves there to re-check" in text
    assert "No answer is lost." in text


def test_moving_to_the_version_it_is_on_changes_nothing(audit, old, new):
    after = plan(audit, old, new).after
    again = plan(after, new, new)
    assert again.no_change and again.after == after


def test_a_signed_off_audit_is_not_moved(old, new):
    signed = make_audit(old, ANSWERS, status="signed-off")
    with pytest.raises(MoveRefused, match="signed off"):
        plan(signed, old, new)


def test_an_audit_is_not_moved_to_an_older_version(audit, old, new):
    after = plan(audit, old, new).after
    with pytest.raises(MoveRefused, match="only moves to a newer version"):
        plan(after, new, old)


def test_archived_answers_and_old_wording_survive_the_audit_file(audit, old, new, installed):
    after = plan(audit, old, new).after
    for fmt in ("yaml", "json"):
        text = auditfile.dump(after, fmt)
        assert "quality-offer-audit/2" in text
        back, _ = auditfile.from_text(text, resolve=lambda i, v: installed[(i, v)])
        assert back == after


def test_an_audit_with_nothing_moved_is_still_written_as_format_1(audit):
    assert auditfile.to_data(audit)["format"] == "quality-offer-audit/1"


def test_upgrade_on_the_command_line_writes_the_moved_file(audit, installed, monkeypatch,
                                                           tmp_path, capsys):
    monkeypatch.setattr(frameworks, "shipped", lambda: installed)
    src, out = tmp_path / "a.yaml", tmp_path / "b.yaml"
    src.write_text(auditfile.to_yaml(audit))
    assert main(["upgrade", str(src), "--to", "2.0.0", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "4 kept as archived answers" in err and f"wrote {out}" in err
    moved, fw = auditfile.read(out)
    assert fw.version == "2.0.0" and moved.responses["K9"].moved_from.criterion == "K6"
    before = out.read_bytes()
    assert main(["upgrade", str(out), "--to", "2.0.0", "-o", str(out)]) == 0
    assert "nothing to change" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_upgrade_of_a_signed_off_file_fails_and_writes_nothing(old, installed, monkeypatch,
                                                               tmp_path, capsys):
    monkeypatch.setattr(frameworks, "shipped", lambda: installed)
    src, out = tmp_path / "a.yaml", tmp_path / "b.yaml"
    src.write_text(auditfile.to_yaml(make_audit(old, ANSWERS, status="signed-off")))
    assert main(["upgrade", str(src), "--to", "2.0.0", "-o", str(out)]) == 1
    assert "signed off" in capsys.readouterr().err and not out.exists()


def test_upgrade_preview_as_json_writes_nothing(audit, installed, monkeypatch, tmp_path,
                                                capsys):
    monkeypatch.setattr(frameworks, "shipped", lambda: installed)
    src = tmp_path / "a.yaml"
    src.write_text(auditfile.to_yaml(audit))
    assert main(["upgrade", str(src), "--to", "2.0.0", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {a["criterion"]: a["outcome"] for a in data["answers"]}["K6"] == "moved"


# --- property: no word the school wrote is lost ------------------------------------------

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=20).filter(str.strip)


@st.composite
def answers(draw, crit, scale_levels):
    data: dict = {}
    if crit.na_allowed and draw(st.booleans()):
        data["not_applicable_reason"] = draw(words)
    elif draw(st.booleans()):
        data["rating"] = draw(st.sampled_from(scale_levels))
    if draw(st.booleans()):
        data["evidence"] = {"text": draw(words), "location": draw(words)}
    if draw(st.booleans()):
        data["action"] = {"what": draw(words), "owner": draw(words),
                          "due": draw(st.dates(dt.date(2026, 9, 1), dt.date(2028, 8, 31)))}
    if draw(st.booleans()):
        data["moderation_note"] = draw(words)
    return data


@st.composite
def audits_on(draw, fw):
    phase = draw(st.sampled_from(["primary", "secondary"]))
    responses = {}
    for crit in fw.active:
        if draw(st.booleans()):
            responses[crit.id] = draw(answers(crit, fw.scale_of(crit).level_ids))
    audit = make_audit(fw, responses, phase=phase, completed_by=draw(words))
    # ratings only where the criterion applies, as the checklist allows
    keep = {cid: r for cid, r in audit.responses.items()
            if fw.criterion(cid).applies_to.includes(phase, "maintained")}
    return audit.model_copy(update={"responses": keep})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_word_the_school_wrote_is_in_the_audit_after_the_move(data, old, new):
    audit = data.draw(audits_on(old))
    after = plan(audit, old, new).after
    remaining = texts(after)
    for text in texts(audit):
        assert text in remaining
    ratings_before = sorted(r.rating for r in audit.responses.values() if r.rating)
    ratings_after = sorted([r.rating for r in after.responses.values() if r.rating]
                           + [a.answer.rating for a in after.archived if a.answer.rating])
    assert ratings_before == ratings_after
    assert check(new, after) == []
    assert plan(after, new, new).after == after


def test_responses_can_be_blank_and_are_not_archived(old, new):
    audit = make_audit(old, {"K5": Response().model_dump()})
    assert plan(audit, old, new).after.archived == []


def test_next_years_audit_on_a_new_version_loses_no_answer_of_last_years(old, new):
    from quality_offer.upgrade import carry_forward_to

    last = make_audit(old, ANSWERS, status="signed-off", year="2025/26")
    nxt = carry_forward_to(last, old, new)
    assert (nxt.academic_year, nxt.framework.version) == ("2026/27", "2.0.0")
    assert all(not r.rechecked for r in nxt.responses.values())
    assert nxt.responses["K2"].moved_from.text == "Reworded criterion, old wording."
    assert {a.criterion for a in nxt.archived} == {"K3", "K5", "K7", "K8", "K11", "K12"}
    remaining = texts(nxt)
    # moderation stays with last year's report, as in any carry-forward; every word the
    # school wrote comes along
    missing = [t for t in texts(last) if t not in remaining]
    assert missing == ["D1 moderation"]
    assert check(new, nxt) == []


# --- property: any new version made from the old one, any audit --------------------------


@st.composite
def next_versions(draw, old):
    """A new version of ``old``: each criterion kept, reworded, re-scoped, re-levelled,
    re-scaled, made (not) 'not applicable', or withdrawn with or without a replacement; and
    up to two new criteria."""
    import dataclasses

    active = [c for c in old.criteria if not c.withdrawn]
    template = next(c for c in active if not c.statutory)
    added = [template.model_copy(update={"id": f"N{i}", "text": f"New criterion {i}.",
                                         "na_allowed": draw(st.booleans())})
             for i in range(draw(st.integers(0, 2)))]
    kinds = ["same", "reword", "rescope", "relevel", "rescale", "na", "withdraw", "replace"]
    chosen = {c.id: draw(st.sampled_from(kinds)) for c in active}
    live = [c.id for c in active if chosen[c.id] not in ("withdraw", "replace")]
    live += [c.id for c in added]
    out = []
    duty = old.scales["duty"]
    for c in old.criteria:
        kind = chosen.get(c.id, "same")
        if kind == "reword":
            c = c.model_copy(update={"text": c.text + " Reworded."})
        elif kind == "rescope":
            phases = draw(st.lists(st.sampled_from(["primary", "secondary", "special"]),
                                   min_size=1, unique=True))
            c = c.model_copy(update={"applies_to": c.applies_to.model_copy(
                update={"phases": phases})})
        elif kind == "relevel":
            c = c.model_copy(update={"levels": {k: v + "!" for k, v in c.levels.items()}})
        elif kind == "rescale" and not c.statutory:
            c = c.model_copy(update={"statutory": True, "scale": "duty", "na_allowed": False,
                                     "levels": {lv: "x" for lv in duty.level_ids}})
        elif kind == "na" and not c.statutory:
            c = c.model_copy(update={"na_allowed": not c.na_allowed})
        elif kind == "withdraw":
            c = c.model_copy(update={"withdrawn": True})
        elif kind == "replace" and live:
            c = c.model_copy(update={"withdrawn": True,
                                     "replaced_by": draw(st.sampled_from(live))})
        elif kind == "replace":
            c = c.model_copy(update={"withdrawn": True})
        out.append(c)
    sections = dict(old._sections_of)
    new = dataclasses.replace(
        old, manifest=old.manifest.model_copy(update={"version": "9.0.0"}),
        criteria=tuple(out) + tuple(added), _by_id={},
        _sections_of=tuple(sections.items()) + tuple((c.id, "outcome-1") for c in added))
    return new


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_for_any_new_version_every_word_and_rating_survives_the_move(data, old):
    new = data.draw(next_versions(old))
    audit = data.draw(audits_on(old))
    move = plan(audit, old, new)
    after = move.after
    remaining = texts(after)
    assert all(t in remaining for t in texts(audit))
    ratings_before = sorted(r.rating for r in audit.responses.values() if r.rating)
    ratings_after = sorted([r.rating for r in after.responses.values() if r.rating]
                           + [a.answer.rating for a in after.archived if a.answer.rating])
    assert ratings_before == ratings_after
    assert check(new, after) == []
    assert plan(after, new, new).no_change
    # every answer that held something is accounted for in the preview
    assert {o.criterion for o in move.outcomes} == {
        cid for cid, r in audit.responses.items() if not r.blank or r.moderation_note}


@pytest.fixture
def split(tmp_path):
    """The test versions with K8 split into K2 and K9 instead of replaced by K2 alone."""
    import shutil
    shutil.copytree(VERSIONS, tmp_path / "v")
    path = tmp_path / "v" / "changing-2.0.0" / "outcome-1.yaml"
    path.write_text(path.read_text().replace("replaced_by: K2", "replaced_by: [K2, K9]"))
    installed = frameworks.registry(frameworks.shipped_folders(tmp_path / "v"))
    return installed[("changing", "1.0.0")], installed[("changing", "2.0.0")]


def test_a_split_criterions_answer_is_copied_to_each_part_for_re_check(split):
    old, new = split
    moved = plan(make_audit(old, {"K8": ANSWERS["K8"]}), old, new)
    assert [(o.kind, o.target) for o in moved.outcomes] == [("moved", "K2"), ("moved", "K9")]
    for cid in ("K2", "K9"):
        resp = moved.after.responses[cid]
        assert resp.evidence.text == "K8 evidence" and not resp.rechecked
        assert resp.moved_from.criterion == "K8"
    assert not moved.after.archived


def test_a_split_criterions_answer_goes_only_to_the_parts_left_without_an_answer(split):
    old, new = split
    moved = plan(make_audit(old, {"K2": ANSWERS["K2"], "K8": ANSWERS["K8"]}), old, new)
    assert moved.after.responses["K2"].evidence.text == "K2 evidence"
    assert moved.after.responses["K9"].moved_from.criterion == "K8"


def test_a_split_criterions_answer_is_archived_whole_when_no_part_can_take_it(split, audit):
    old, new = split
    moved = plan(audit, old, new)  # K2 keeps its own answer and K6 takes K9 first
    assert archived_by_id(moved.after)["K8"].answer.evidence.text == "K8 evidence"
    (k8,) = [o for o in moved.outcomes if o.criterion == "K8"]
    assert k8.kind == "archived" and "K2 and K9" in k8.reason
