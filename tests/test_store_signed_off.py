"""A signed-off audit keeps the answers the governors signed; moderation may still be added."""

from __future__ import annotations

import pytest

from quality_offer.audit import Response
from quality_offer.store import SignedOff, Store

from .builders import make_audit


@pytest.fixture
def signed(url, mini):
    with Store(url) as store:
        store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
        store.set_status("123456", "2026/27", "signed-off", user="Mr Head")
        yield store


def test_a_signed_off_audits_answers_cannot_be_changed(signed):
    version = signed.response_version("123456", "2026/27", "D1")
    with pytest.raises(SignedOff, match=r"signed off.*rating.*reopen"):
        signed.save_response("123456", "2026/27", "D1", Response(rating="not-met"),
                             user="Ms Patel", expected_version=version)
    assert signed.get_audit("123456", "2026/27").responses["D1"].rating == "met"


def test_an_adviser_can_still_moderate_a_signed_off_audit(signed):
    version = signed.response_version("123456", "2026/27", "D1")
    signed.save_response("123456", "2026/27", "D1",
                         Response(rating="met", moderated_rating="partly-met",
                                  moderation_note="Policy out of date"),
                         user="LA adviser", expected_version=version)
    stored = signed.get_audit("123456", "2026/27").responses["D1"]
    assert (stored.rating, stored.moderated_rating) == ("met", "partly-met")


def test_importing_over_a_signed_off_audit_is_refused_and_changes_nothing(signed, mini):
    with pytest.raises(SignedOff):
        signed.import_audit(make_audit(mini, {"D1": {"rating": "not-met"}}), user="Ms Patel")
    assert signed.get_audit("123456", "2026/27").responses["D1"].rating == "met"


def test_reopening_lets_answers_change_again(signed):
    signed.set_status("123456", "2026/27", "in-progress", user="Mr Head")
    version = signed.response_version("123456", "2026/27", "D1")
    signed.save_response("123456", "2026/27", "D1", Response(rating="partly-met"),
                         user="Ms Patel", expected_version=version)
    assert signed.get_audit("123456", "2026/27").responses["D1"].rating == "partly-met"
