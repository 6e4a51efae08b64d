"""What one change does to an answer, as the checklist's controls save it."""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.audit import Response
from quality_offer.editing import FIELDS, NotYet, changed_response, field_values, knock_on


def test_a_rating_clears_not_applicable_and_keeps_the_evidence() -> None:
    base = Response(not_applicable_reason="No nursery", evidence={"text": "Minutes"})
    new = changed_response(base, "rating", "met")
    assert new is not None
    assert (new.rating, new.not_applicable_reason, new.evidence.text) == ("met", None, "Minutes")


def test_ticking_not_applicable_waits_for_the_reason_and_the_reason_saves_it() -> None:
    with pytest.raises(NotYet, match="Say why"):
        changed_response(Response(rating="met"), "na", True)
    new = changed_response(Response(rating="met"), "na_reason", "  We have no sixth form ")
    assert new is not None and new.rating is None
    assert new.not_applicable_reason == "We have no sixth form"
    with pytest.raises(NotYet, match="reason is needed"):
        changed_response(None, "na_reason", "   ")


def test_an_action_s_owner_date_and_status_may_come_before_its_words() -> None:
    new = changed_response(None, "act_owner", "Ms Patel")
    assert new is not None and new.action is not None
    assert (new.action.what, new.action.owner) == ("", "Ms Patel")
    new = changed_response(new, "act_due", dt.date(2027, 3, 31))
    new = changed_response(new, "act_what", "Train TAs in precision teaching")
    assert new is not None and new.action is not None
    assert (new.action.what, new.action.owner, new.action.due) == (
        "Train TAs in precision teaching", "Ms Patel", dt.date(2027, 3, 31))


def test_emptying_every_part_of_an_action_removes_it() -> None:
    base = Response(rating="emerging", action={"what": "Train TAs"})
    new = changed_response(base, "act_what", "   ")
    assert new is not None and new.action is None and new.rating == "emerging"


def test_nothing_to_save_is_said_as_none() -> None:
    assert changed_response(None, "na", False) is None
    assert changed_response(None, "act_what", "") is None


def test_an_unknown_field_is_a_programming_error_not_a_silent_no_op() -> None:
    with pytest.raises(ValueError):
        changed_response(None, "colour", "red")


def test_a_card_shows_a_stored_answer_field_by_field_and_an_empty_card_for_none() -> None:
    assert field_values(None) == {
        "rating": None, "na": False, "na_reason": "", "ev_text": "", "ev_loc": "",
        "ev_kind": None, "act_what": "", "act_owner": "", "act_due": None,
        "act_status": "not-started", "rechecked": True}
    resp = Response(not_applicable_reason="No nursery", evidence={"text": "Minutes"},
                    action={"what": "Train TAs", "due": dt.date(2027, 3, 31)}, rechecked=False)
    shown = field_values(resp)
    assert list(shown) == list(FIELDS)
    assert (shown["na"], shown["na_reason"], shown["ev_text"], shown["act_due"],
            shown["rechecked"]) == (True, "No nursery", "Minutes", dt.date(2027, 3, 31), False)


def test_each_saved_change_sets_the_other_fields_to_what_was_saved() -> None:
    """What :func:`knock_on` says is what the saved answer shows: the card never shows a
    tick, a rating or an action's owner that the answer no longer has."""
    base = Response(not_applicable_reason="No nursery",
                    action={"what": "Train TAs", "status": "in-progress"})
    for kind, value, expected in [
            ("rating", "met", {"na": False}),
            ("na_reason", "No sixth form", {"rating": None}),
            ("act_what", "", {"act_owner": "", "act_due": None, "act_status": "not-started"}),
            ("act_what", "Train all TAs", {}),
            ("ev_text", "Minutes", {})]:
        saved = changed_response(base, kind, value)
        assert saved is not None
        assert knock_on(kind, saved) == expected, kind
        shown = field_values(saved)
        assert {k: shown[k] for k in expected} == expected, kind


def test_a_new_audit_may_be_for_two_years_back_this_year_or_next() -> None:
    from quality_offer.audit import years_for_new_audit

    assert years_for_new_audit(dt.date(2026, 12, 5)) == ["2024/25", "2025/26", "2026/27",
                                                         "2027/28"]
    assert years_for_new_audit(dt.date(2027, 8, 31))[2] == "2026/27"
    assert years_for_new_audit(dt.date(2027, 9, 1))[2] == "2027/28"


def test_next_year_starts_only_from_audits_whose_following_year_is_not_there_yet() -> None:
    from quality_offer.audit import years_to_carry_forward

    keys = [("100001", "2025/26"), ("100001", "2026/27"), ("200002", "2025/26"),
            ("300003", "2024/25")]
    assert years_to_carry_forward(keys) == [("100001", "2026/27"), ("200002", "2025/26"),
                                            ("300003", "2024/25")]
