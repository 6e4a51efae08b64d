"""The checklist never loses a rating: every change is saved at once, read back from the
database, and a stale save is refused out loud rather than overwriting someone's work."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from quality_offer.audit import Response
from quality_offer.ui import plain

from .app_support import goto, new_app, texts
from .builders import make_audit

URN, YEAR = "123456", "2026/27"


@pytest.fixture
def checklist(app, db, mini):
    """The checklist of a fresh audit of the mini framework."""
    db.create_audit(make_audit(mini), "someone")
    return goto(app.run(), "checklist")


def stored(db, cid):
    return db.get_audit(URN, YEAR).responses.get(cid)


def progress(at):
    return [p.proto.text for p in at.get("progress")]


def test_a_rating_click_is_saved_to_the_database(checklist, db):
    at = checklist.radio(key="rating::D1").set_value("partly-met").run()
    assert not at.exception
    assert stored(db, "D1").rating == "partly-met"
    assert db.response_version(URN, YEAR, "D1") == 1
    # said in Markdown of plain text: the time's colons and the full stop show as typed
    assert any(re.fullmatch(r"Rating for D1 saved at \d\d\\:\d\d\\:\d\d\\.", m.value)
               for m in at.markdown), [m.value for m in at.markdown]
    assert db.history(URN, YEAR, "D1")[0].user == "Local user"


def test_each_change_is_a_new_version_and_a_rerun_writes_nothing(checklist, db):
    at = checklist.radio(key="rating::D1").set_value("not-met").run()
    at.radio(key="rating::D1").set_value("met").run()
    at.run()
    assert stored(db, "D1").rating == "met"
    assert db.response_version(URN, YEAR, "D1") == 2


def test_a_stale_save_is_refused_with_a_message_and_the_stored_answer_shown(checklist, db):
    db.save_response(URN, YEAR, "D1", Response(rating="met"), "Another SENCO",
                     expected_version=0)
    at = checklist.radio(key="rating::D1").set_value("not-met").run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "Another SENCO" in message and "not saved" in message
    assert at.radio(key="rating::D1").value == "met"
    assert stored(db, "D1").rating == "met"
    # Having seen it, the user can now make their change.
    at.radio(key="rating::D1").set_value("not-met").run()
    assert stored(db, "D1").rating == "not-met"


def test_a_change_saved_in_another_tab_shows_on_the_next_run(checklist, db):
    db.save_response(URN, YEAR, "D2", Response(rating="partly-met"), "Another tab",
                     expected_version=0)
    at = checklist.run()
    assert at.radio(key="rating::D2").value == "partly-met"


def test_answers_come_back_in_a_new_session_after_a_restart(checklist, db):
    checklist.radio(key="rating::D1").set_value("met").run()
    checklist.radio(key="rating::D2").set_value("not-met").run()
    at = goto(new_app().run(), "checklist")  # nothing kept in memory: all from the database
    assert at.radio(key="rating::D1").value == "met"
    assert at.radio(key="rating::D2").value == "not-met"
    assert "Overall: 2 of 4 criteria answered (50%)" in progress(at)


def test_progress_counts_answers_per_section_and_overall(checklist):
    assert "Overall: 0 of 4 criteria answered (0%)" in progress(checklist)
    at = checklist.radio(key="rating::D1").set_value("met").run()
    assert "Overall: 1 of 4 criteria answered (25%)" in progress(at)
    assert "This section: 1 of 2 answered" in progress(at)


def test_not_applicable_is_offered_only_where_the_framework_allows_it(checklist):
    at = checklist
    assert "na::D1" not in [c.key for c in at.checkbox]
    at.radio(key="section").set_value("outcome-1").run()
    keys = [c.key for c in at.checkbox]
    assert "na::O1.2" in keys and "na::O1.1" not in keys


def test_not_applicable_needs_a_reason_and_then_replaces_the_rating(checklist, db):
    at = checklist.radio(key="section").set_value("outcome-1").run()
    at.radio(key="rating::O1.2").set_value("emerging").run()
    at.checkbox(key="na::O1.2").check().run()
    assert any("Say why" in i.value for i in at.info)
    assert stored(db, "O1.2").rating == "emerging"  # nothing changed yet
    at.text_input(key="na_reason::O1.2").input("No looked-after children on roll").run()
    resp = stored(db, "O1.2")
    assert resp.rating is None and resp.not_applicable_reason.startswith("No looked-after")
    assert at.radio(key="rating::O1.2").disabled
    at.checkbox(key="na::O1.2").uncheck().run()
    assert stored(db, "O1.2").not_applicable_reason is None


def test_evidence_and_action_are_saved_field_by_field(checklist, db):
    at = checklist
    at.session_state["open::D1"] = True
    at.run()
    at.text_area(key="ev_text::D1").input("SEN policy, reviewed 2026").run()
    at.text_input(key="ev_loc::D1").input("Shared drive > SEND").run()
    at.selectbox(key="ev_kind::D1").select("document").run()
    at.text_area(key="act_what::D1").input("Publish the SEN information report").run()
    at.text_input(key="act_owner::D1").input("Headteacher").run()
    at.date_input(key="act_due::D1").set_value(dt.date(2027, 3, 31)).run()
    at.selectbox(key="act_status::D1").select("in-progress").run()
    resp = stored(db, "D1")
    assert resp.evidence.text == "SEN policy, reviewed 2026"
    assert resp.evidence.location == "Shared drive > SEND"
    assert resp.evidence.kind == "document"
    assert resp.action.what == "Publish the SEN information report"
    assert (resp.action.owner, resp.action.due, resp.action.status) == (
        "Headteacher", dt.date(2027, 3, 31), "in-progress")
    assert resp.rating is None  # evidence first, rating later, is fine


def test_clearing_the_action_removes_it_and_keeps_the_evidence(checklist, db):
    at = checklist
    at.session_state["open::D1"] = True
    at.run()
    at.text_area(key="ev_text::D1").input("Observation notes").run()
    at.text_area(key="act_what::D1").input("Train staff").run()
    at.text_area(key="act_what::D1").input("").run()
    resp = stored(db, "D1")
    assert resp.action is None and resp.evidence.text == "Observation notes"


def test_next_unanswered_opens_the_next_section_with_a_gap(checklist):
    at = checklist.radio(key="rating::D1").set_value("met").run()
    at.radio(key="rating::D2").set_value("met").run()
    at.button[[b.label for b in at.button].index("Next unanswered")].click().run()
    assert at.radio(key="section").value == "outcome-1"
    assert [h.value for h in at.header] == ["Outcome 1: provision"]


def test_markup_typed_by_a_user_is_shown_literally(app, db, mini):
    name = "**Oak** :red[Tree] <b>School</b> [x](https://evil.example) $x$"
    db.create_audit(make_audit(mini, name=name), "someone")
    at = goto(app.run(), "checklist")
    page = texts(at)
    assert plain(name) in page
    assert name not in page


def test_a_carried_forward_answer_is_confirmed_with_the_recheck_box(app, db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "met", "rechecked": False}},
                               carried_forward_from="2025/26"), "someone")
    at = goto(app.run(), "checklist")
    assert any("Carried forward from 2025/26" in w.value for w in at.warning)
    at.checkbox(key="rechecked::D1").check().run()
    assert stored(db, "D1").rechecked is True
    assert not any("Carried forward" in w.value for w in at.warning)


def test_an_audit_of_an_uninstalled_framework_version_is_explained_not_crashed(app, db, mini):
    from quality_offer.audit import Audit

    audit = make_audit(mini)
    data = audit.model_dump()
    data["framework"]["version"] = "9.9.9"
    db.create_audit(Audit.model_validate(data), "someone")
    at = goto(app.run(), "checklist")
    assert not at.exception
    assert any("not installed" in e.value for e in at.error)


def test_a_full_card_shows_its_kind_descriptors_prompts_and_references(checklist):
    at = checklist.radio(key="section").set_value("outcome-1").run()
    at.toggle(key="full_cards").set_value(True).run()
    headings = [h.value for h in at.subheader]
    assert any("O1\\.1" in h and "Expectation" in h for h in headings)
    assert not any(":material" in h for h in headings)  # no icon names read aloud
    page = texts(at)
    assert "Lesson observations" in page  # evidence prompt
    assert "High quality teaching\\." in page  # the reference's one-line summary
    assert "SEND Code of Practice 2015\\, paragraph 6\\.37" in page
    # The citation as misprinted, and the editors' note on it, stay out of the checklist.
    assert "10\\.0" not in page and "Published as" not in page
    radio = at.radio(key="rating::O1.1")
    assert radio.options == ["Not in place", "Emerging", "Established", "Exemplary"]
    assert [c for c in radio.proto.captions] == ["a", "b", "c", "d"]  # this criterion's own


def test_a_compact_card_is_one_line_with_the_details_one_click_away(checklist):
    at = checklist.radio(key="section").set_value("outcome-1").run()
    radio = at.radio(key="rating::O1.1")
    assert radio.options == ["Not in place", "Emerging", "Established", "Exemplary"]
    assert list(radio.proto.captions) == [] and radio.proto.horizontal
    assert "Lesson observations" not in texts(at)
    at.session_state["open::O1.1"] = True
    at.run()
    page = texts(at)
    assert "Lesson observations" in page and "**Emerging**: b" in page
    assert "High quality teaching\\." in page


def test_a_card_to_re_check_against_a_new_wording_gives_that_wording_in_full(
        app, db, mini, monkeypatch):
    """The notice says "check it against the wording above": a compact card's heading, cut
    short to one line, left the end of that wording out."""
    from quality_offer.ui.checklist_page import card

    monkeypatch.setattr(card, "SHORT", 12)
    db.create_audit(make_audit(mini, {
        "D1": {"rating": "met", "rechecked": False,
               "moved_from": {"version": "0.9", "criterion": "D1", "text": "Old words."}},
        "D2": {"rating": "met"}}), "someone")
    at = goto(app.run(), "checklist")
    assert not at.exception
    headings = [h.value for h in at.subheader]
    d1 = "D1: " + plain(mini.criterion("D1").text)
    assert d1 in headings, headings
    assert any(h.startswith("D2") and h.endswith("…") for h in headings), headings
    at = at.checkbox(key="rechecked::D1").check().run()
    assert db.get_audit(URN, YEAR).responses["D1"].rechecked


def test_the_task_list_says_each_sections_state_and_is_the_way_between_them(checklist):
    at = checklist.radio(key="rating::D1").set_value("not-met").run()
    at.radio(key="rating::D2").set_value("met").run()
    sections = at.radio(key="section")
    assert list(sections.proto.captions) == ["Completed: 2 of 2 answered, 1 gap",
                                             "Not started: 0 of 2 answered"]
    at = sections.set_value("outcome-1").run()
    assert [h.value for h in at.header] == ["Outcome 1: provision"]


def test_an_action_owner_date_and_status_can_come_before_its_words(checklist, db):
    at = checklist
    at.session_state["open::D1"] = True
    at.run()
    at.text_input(key="act_owner::D1").input("Headteacher").run()
    at.date_input(key="act_due::D1").set_value(dt.date(2027, 3, 31)).run()
    assert (stored(db, "D1").action.owner, stored(db, "D1").action.due) == (
        "Headteacher", dt.date(2027, 3, 31))
    at.text_area(key="act_what::D1").input("Publish the SEN information report").run()
    action = stored(db, "D1").action
    assert (action.what, action.owner, action.due) == (
        "Publish the SEN information report", "Headteacher", dt.date(2027, 3, 31))
    at.text_area(key="act_what::D1").input("").run()
    assert stored(db, "D1").action.owner == "Headteacher"  # the owner typed is kept


def test_filters_and_search_list_matching_criteria_from_every_section(checklist, db):
    at = checklist.radio(key="rating::D1").set_value("not-met").run()
    at.multiselect(key="show_only").set_value(["gaps"]).run()
    assert [k for k in (r.key for r in at.radio) if k.startswith("rating::")] == ["rating::D1"]
    at.multiselect(key="show_only").set_value(["unanswered"]).run()
    assert [r.key for r in at.radio if r.key.startswith("rating::")] == [
        "rating::D2", "rating::O1.1", "rating::O1.2"]
    at.multiselect(key="show_only").set_value([]).run()
    at.text_input(key="find").input("SENCO").run()
    assert [r.key for r in at.radio if r.key.startswith("rating::")] == ["rating::D2"]
    at.radio(key="rating::D2").set_value("met").run()  # rated from the search results
    assert stored(db, "D2").rating == "met"
    at.button(key="clear_find").click().run()
    assert at.text_input(key="find").value == ""


def test_a_new_sitting_opens_at_the_section_changed_last(app, db, mini):
    from quality_offer.audit import Response

    db.create_audit(make_audit(mini), "someone")
    db.save_response(URN, YEAR, "O1.2", Response(rating="emerging"), "someone",
                     expected_version=0)
    at = goto(app.run(), "checklist")
    assert at.radio(key="section").value == "outcome-1"


def test_a_signed_off_audit_reads_as_a_document_without_controls(app, db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "met", "evidence": {
        "text": "**Policy** 2026", "location": "Shared drive"}},
        "D2": {"rating": "not-met", "action": {"what": "Appoint", "owner": "Head"}}},
        status="signed-off"), "someone")
    at = goto(app.run(), "checklist")
    assert not [r for r in at.radio if (r.key or "").startswith("rating::")]
    page = texts(at)
    assert "**Rating:** Met: Yes\\." in page
    assert "**Evidence:** \\*\\*Policy\\*\\* 2026 (kept in Shared drive)" in page
    assert "**Action:** Appoint (not started, owner Head)" in page
    assert "**Rating:** not assessed" in page


def test_a_senco_is_told_before_editing_that_a_change_sets_given_signatures_aside(checklist, db):
    from quality_offer.audit import SignOff

    db.sign_off(URN, YEAR, SignOff(name="Hana Head", role="headteacher",
                                   date=dt.date(2026, 12, 1), reason="Two duties still open"),
                "setup", close=False)
    at = checklist.run()
    warning = " ".join(w.value for w in at.warning)
    assert "Already signed by Hana Head (Headteacher, 1 December 2026)" in warning
    assert "sets this signature aside" in warning
    at.radio(key="rating::D1").set_value("met").run()
    assert not [w for w in at.warning if "Already signed" in w.value]  # set aside: gone


def test_text_said_to_screen_readers_cannot_close_its_script():
    """The live region's text is written into a script; no text may end that script."""
    import json

    from quality_offer.ui.checklist_page.saved_line import _js_string

    said = 'Saved </script><img src=x onerror=alert(1)> & "done"'
    literal = _js_string(said)
    assert "<" not in literal and ">" not in literal
    assert json.loads(literal) == said
