"""The change history reads in plain words: who changed what, from what to what."""

from __future__ import annotations

import re

import pytest

from quality_offer.audit import Action, Evidence, Response, SignOff
from quality_offer.history_words import describe, sentence
from quality_offer.store import ChangeRecord, Forbidden, SignedOff, Store
from quality_offer.store.rows import _now

from .builders import make_audit

URN, YEAR = "123456", "2026/27"
FIELD_NAME = re.compile(r"\b(action|evidence)\.[a-z_]+\b|_|\bsign_off\b")


def rec(field, old, new, criterion="D1", user="Priya Patel"):
    return ChangeRecord(_now(), user, criterion, field, old, new)


@pytest.mark.parametrize(("record", "words"), [
    (rec("rating", "partly-met", "met"), "Changed the rating of D1 from Partly met to Met"),
    (rec("rating", None, "not-met"), "Rated D1 Not met"),
    (rec("action.due", "2027-03-01", "2027-06-30"),
     "Changed the due date of the action for D1 from 1 March 2027 to 30 June 2027"),
    (rec("action.status", "not-started", "done"),
     "Changed the status of the action for D1 from not started to done"),
    (rec("evidence.text", None, "Minutes of the <b>SEN</b> review"),
     "Set the evidence for D1 to “Minutes of the <b>SEN</b> review”"),
    (rec("evidence.kind", "document", "pupil-voice"),
     "Changed the kind of evidence for D1 from document to pupil voice"),
    (rec("action.what", None, "Write the policy"), "Planned an action for D1: “Write the policy”"),
    (rec("rechecked", "false", "true"),
     "Confirmed that the answer to D1 still holds"),
    (rec("rechecked", None, "true"), "Answered D1 this year"),
    (rec("rechecked", None, "false"),
     "Carried the answer to D1 forward, to be re-checked"),
    (rec("status", "in-progress", "signed-off", None),
     "Changed the audit's status from in progress to signed off"),
    (rec("sign_off", None, "Gil Governor, sen-governor, 2027-03-01: Well done", None),
     "Signed the audit: Gil Governor as SEN governor, 1 March 2027, with the comment "
     "“Well done”"),
    (rec("sign_off_superseded", "Hana Head, headteacher, 2027-03-01", "changed", None),
     "Changed the audit after Hana Head as Headteacher, 1 March 2027 signed, so that "
     "signature no longer counts and is needed again"),
    (rec("completed_by", None, "Priya Patel, SENCO", None),
     "Filled in “Completed by”: “Priya Patel, SENCO”"),
    (rec("required_sign_offs", None, "headteacher, governor, senco", None),
     "Set the signatures that sign the audit off: the headteacher and a governor (the SEN "
     "governor or the chair of governors) and the SENCO"),
    (rec("school.name", "Oak Primary", "Oak Tree Primary", None),
     "Changed the school's name from “Oak Primary” to “Oak Tree Primary”"),
])
def test_each_kind_of_change_reads_as_a_sentence(mini, record, words):
    assert describe(record, mini) == words
    assert not FIELD_NAME.search(words.replace("“", "").split("“")[0])


def test_the_sentence_names_who_did_it(mini):
    assert sentence(rec("rating", "partly-met", "met"), mini) == (
        "Priya Patel changed the rating of D1 from Partly met to Met")


def test_long_free_text_is_cut_but_never_rewritten(mini):
    long = "A" * 300
    words = describe(rec("evidence.text", None, long), mini)
    assert words.endswith("A…”") and len(words) < 200


def test_every_change_the_store_records_reads_without_field_names(url, mini):
    with Store(url) as db:
        db.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), "Priya Patel")
        v = db.response_version(URN, YEAR, "D1")
        db.save_response(URN, YEAR, "D1", Response(
            rating="met", evidence=Evidence(text="Policy on the website", kind="document"),
            action=Action(what="Review it", owner="Head", due="2027-06-30")),
            "Priya Patel", expected_version=v)
        db.set_completed_by(URN, YEAR, "Priya Patel, SENCO", "Priya Patel")
        db.sign_off(URN, YEAR, SignOff(name="Hana Head", role="headteacher",
                                       date="2027-03-01"), "Hana Head")
        db.sign_off(URN, YEAR, SignOff(name="Gil Governor", role="sen-governor",
                                       date="2027-03-02"), "Gil Governor")
        db.reopen(URN, YEAR, "Hana Head")
        lines = [sentence(r, mini) for r in db.history(URN, YEAR)]
    text = "\n".join(lines)
    assert "Priya Patel changed the rating of D1 from Partly met to Met" in text
    assert "Priya Patel set the due date of the action for D1 to 30 June 2027" in text
    assert "Priya Patel filled in “Completed by”: “Priya Patel, SENCO”" in text
    assert "Gil Governor changed the audit's status from in progress to signed off" in text
    assert ("Hana Head reopened the audit, so the signature of Gil Governor as SEN governor, "
            "2 March 2027 no longer counts") in text
    for line in lines:
        assert not FIELD_NAME.search(line.split("“")[0]), line


def test_completed_by_is_saved_through_the_store_with_the_edit_right(url, mini):
    from quality_offer.permissions import Membership, User
    gov = User(issuer="https://id", subject="gov", name="Gil Governor",
               memberships=(Membership(role="governor", urn=URN),))
    with Store(url) as db:
        db.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), "Priya Patel")
        db.add_membership(gov.issuer, gov.subject, gov.name, "governor", URN, None, "setup")
        with pytest.raises(Forbidden):
            db.set_completed_by(URN, YEAR, "Gil", gov)
        db.set_completed_by(URN, YEAR, "  Priya Patel <SENCO>  ", "Priya Patel")
        assert db.get_audit(URN, YEAR).completed_by == "Priya Patel <SENCO>"
        db.set_status(URN, YEAR, "signed-off", "operator")
        with pytest.raises(SignedOff):
            db.set_completed_by(URN, YEAR, "Someone else", "Priya Patel")
        assert db.get_audit(URN, YEAR).completed_by == "Priya Patel <SENCO>"
