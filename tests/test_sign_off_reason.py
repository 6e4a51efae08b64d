"""Signing an unfinished audit needs a stated reason, checked by the store (page and import)."""

from __future__ import annotations

import pytest

from quality_offer.audit import Audit, SignOff, applicable
from quality_offer.store import Forbidden, ReasonNeeded, Store

from .builders import make_audit

URN, YEAR = "123456", "2026/27"


def finished(fw) -> Audit:
    """Every criterion that applies to the school answered at its expected level."""
    shell = make_audit(fw)
    return make_audit(fw, {c.id: {"rating": fw.scale_of(c).expected.id}
                           for c in applicable(fw, shell)})


@pytest.fixture
def db(url, herts):
    with Store(url) as store:
        store.create_audit(make_audit(herts, {herts.active[0].id: {"rating": "met"}}),
                           user="Ms Patel")
        yield store


def test_an_unfinished_audit_is_not_signed_without_a_reason(db):
    with pytest.raises(ReasonNeeded, match=r"not finished \(\d+ criteria not assessed\)"):
        db.sign_off(URN, YEAR, SignOff(name="Hana Head", role="headteacher",
                                       date="2027-03-01", reason="   "), "Hana Head")
    assert db.get_audit(URN, YEAR).sign_offs == []


def test_with_a_reason_the_signature_is_kept_with_its_reason_as_typed(db):
    why = "Outcome 5 is <b>reviewed</b> in the summer term; signed to meet the LA deadline."
    db.sign_off(URN, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-01",
                                   reason=why), "Hana Head")
    stored = db.get_audit(URN, YEAR)
    assert stored.sign_offs[0].reason == why
    assert stored.status == "in-progress"


def test_a_finished_audit_needs_no_reason(url, herts):
    with Store(url) as store:
        store.create_audit(finished(herts), user="Ms Patel")
        for name, line in (("Hana Head", "headteacher"), ("Gil Governor", "sen-governor")):
            store.sign_off(URN, YEAR, SignOff(name=name, role=line, date="2027-03-01"), name)
        assert store.get_audit(URN, YEAR).status == "signed-off"


def test_an_imported_signature_on_an_unfinished_audit_needs_its_reason(db, herts):
    from quality_offer.permissions import Membership, User
    head = User(issuer="https://id", subject="head", name="Hana Head",
                memberships=(Membership(role="headteacher", urn=URN),))
    db.add_membership(head.issuer, head.subject, "Hana Head", "headteacher", URN, None,
                     "setup")
    file = make_audit(herts, {herts.active[0].id: {"rating": "met"}}, sign_offs=[
        {"name": "Hana Head", "role": "headteacher", "date": "2027-03-01"}])
    with pytest.raises(Forbidden, match=r"unfinished audit .* with no reason"):
        db.import_audit(file, head)
    assert db.get_audit(URN, YEAR).sign_offs == []
    file = make_audit(herts, {herts.active[0].id: {"rating": "met"}}, sign_offs=[
        {"name": "Hana Head", "role": "headteacher", "date": "2027-03-01",
         "reason": "Signed for the LA deadline."}])
    db.import_audit(file, head)
    assert db.get_audit(URN, YEAR).sign_offs[0].reason == "Signed for the LA deadline."


def test_the_operator_restores_a_files_signatures_as_they_were(db, herts):
    """The command line restores an older file (signed before reasons were asked) as is."""
    file = make_audit(herts, {herts.active[0].id: {"rating": "met"}}, status="signed-off",
                      sign_offs=[{"name": "Hana Head", "role": "headteacher",
                                  "date": "2026-03-01"}])
    db.import_audit(file, "operator")
    stored = db.get_audit(URN, YEAR)
    assert stored.status == "signed-off" and stored.sign_offs[0].reason is None
