"""A school hands its audit to the authority on the Audits page, and may take it back.

Schools: A (100001) in authority 919. The authority's collection, once set, is said on the
Audits page with its closing date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .app_support import as_, goto, texts
from .personas import YEAR, A

pytestmark = pytest.mark.usefixtures("world")


def audits_page(persona: str):
    at = goto(as_(persona, urn=A), "audits")
    assert not at.exception, at.exception
    return at


def test_a_senco_sees_what_is_incomplete_then_submits_and_withdraws(db):
    at = audits_page("senco_a")
    assert "not assessed yet" in texts(at)
    at.button(key=f"submit::{A}::{YEAR}").click().run()
    assert "Submitted to the local authority." in texts(at)
    assert db.get_audit(A, YEAR).status == "submitted"
    at.button(key=f"withdraw::{A}::{YEAR}").click().run()
    assert "Withdrawn" in texts(at)
    assert db.get_audit(A, YEAR).status == "in-progress"


def test_a_governor_is_offered_neither_submit_nor_withdraw():
    at = audits_page("governor_a")
    keys = {b.key for b in at.button}
    assert f"submit::{A}::{YEAR}" not in keys and f"withdraw::{A}::{YEAR}" not in keys


def test_withdrawing_after_moderation_is_refused_in_plain_words(db):
    at = audits_page("senco_a")
    at.button(key=f"submit::{A}::{YEAR}").click().run()
    db.moderate(A, YEAR, "D1", "not-met", "Seen on the visit.", "adviser",
                expected_version=db.response_version(A, YEAR, "D1"))
    at.button(key=f"withdraw::{A}::{YEAR}").click().run()
    assert "can no longer be withdrawn" in texts(at)
    assert db.get_audit(A, YEAR).status == "submitted"


def test_the_authoritys_collection_and_closing_date_show_on_the_audits_page(db):
    db.set_cycle("919", "2026/27", dt.date(2027, 3, 31), "setup")
    assert ("collecting audits for 2026/27, closing on 31 March 2027"
            in texts(audits_page("senco_a")))
