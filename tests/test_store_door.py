"""The one door: every change to stored data asks the acting user's right, at the moment of writing.

Personas (healthchecks style) act on the store directly, as a crafted request, an imported file
or a stale page would: each action either happens or is refused with ``Forbidden`` and leaves
the database exactly as it was. Rights come from the memberships stored *now*, never from the
copy a page holds, so a removed member's next change is refused.

Schools: A (100001) and B (200002) in authority 919.
"""

from __future__ import annotations

import logging
import sqlite3

import pytest

from quality_offer.audit import Audit, Response, SignOff
from quality_offer.errors import InputError
from quality_offer.permissions import Membership, User
from quality_offer.store import (
    Conflict,
    Forbidden,
    SignedOff,
    Store,
    StoreUnavailable,
)

from .builders import make_audit
from .personas import ISS, NEXT, PERSONAS, YEAR, A, B, claiming

# The line each persona would sign, if any.
LINE = {"head_a": "headteacher", "governor_a": "sen-governor", "admin": "chair-of-governors"}


def snapshot(store: Store) -> tuple:
    """Everything a change could touch: both audits, their histories, the memberships."""
    return (store.get_audit(A, YEAR), store.get_audit(B, YEAR), store.get_audit(A, NEXT),
            store.history(A, YEAR), store.list_memberships(), store.la_codes_of([A, B]))


def _save(store, user, mini):
    v = store.response_version(A, YEAR, "D1")
    store.save_response(A, YEAR, "D1", Response(rating="met"), user, expected_version=v)


def _moderate(store, user, mini):
    v = store.response_version(A, YEAR, "D1")
    store.moderate(A, YEAR, "D1", "not-met", "No policy seen", user, expected_version=v)


def _sign(store, user, mini):
    line = LINE.get(user.name, "headteacher")
    store.sign_off(A, YEAR, SignOff(name="Someone", role=line, date="2027-03-01"), user)


def _reopen(store, user, mini):
    store.set_status(A, YEAR, "signed-off", "setup")
    store.reopen(A, YEAR, user)


def _submit(store, user, mini):
    store.submit(A, YEAR, user)


def _import(store, user, mini):
    store.import_audit(make_audit(mini, {"D1": {"rating": "met"}}, urn=A,
                                  name="Alder Primary School"), user)


def _next_year(store, user, mini):
    store.create_audit(make_audit(mini, urn=A, year=NEXT, name="Alder Primary School",
                                  carried_forward_from=YEAR), user)


def _members(store, user, mini):
    store.add_membership(ISS, "sub-new", "New", "senco", A, None, user)


def _unmember(store, user, mini):
    first = store.list_memberships()[0]
    store.remove_membership(first.id, user)


ACTIONS = {"save": _save, "moderate": _moderate, "sign_off": _sign, "reopen": _reopen,
           "submit": _submit, "import": _import, "next_year": _next_year,
           "add_member": _members, "remove_member": _unmember}

ALLOWED = {
    "senco_a": {"save", "submit", "import", "next_year"},
    "head_a": {"save", "sign_off", "reopen", "submit", "import", "next_year"},
    "governor_a": {"sign_off"},
    "adviser_919": {"moderate"},
    "adviser_204": set(),
    "senco_b": set(),
    "admin": set(ACTIONS),
    "outsider": set(),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", list(PERSONAS))
def test_each_persona_makes_exactly_the_changes_their_role_allows(door, mini, who, action):
    user = claiming(who)
    if action == "reopen":
        door.set_status(A, YEAR, "signed-off", "setup")
    before = snapshot(door)
    if action in ALLOWED[who]:
        ACTIONS[action](door, user, mini)
        assert snapshot(door) != before
        return
    with pytest.raises(Forbidden, match="nothing was"):
        ACTIONS[action](door, user, mini)
    assert snapshot(door) == before


def test_the_matrix_covers_every_persona_and_grants_something_to_each_role(mini):
    assert set(ALLOWED) == set(PERSONAS)
    granted = {a for actions in ALLOWED.values() for a in actions}
    assert granted == set(ACTIONS)


# --- a removed member ----------------------------------------------------------------------


def test_a_removed_member_is_refused_at_the_next_save_whatever_the_page_holds(door, mini):
    senco = claiming("senco_a")
    _save(door, senco, mini)
    mine = next(m for m in door.list_memberships() if m.subject == "sub-senco-a")
    door.remove_membership(mine.id, "admin")
    before = snapshot(door)
    v = door.response_version(A, YEAR, "D1")
    with pytest.raises(Forbidden, match="right to change this audit"):
        door.save_response(A, YEAR, "D1", Response(rating="not-met"), senco,
                         expected_version=v)
    assert snapshot(door) == before


def test_the_configured_first_administrator_keeps_the_role_without_a_stored_membership(door, mini):
    first = User(issuer=ISS, subject="sub-first", name="First",
                 memberships=(Membership(role="administrator"),),
                 configured=(Membership(role="administrator"),))
    door.add_membership(ISS, "sub-x", "X", "governor", A, None, first)
    claimed = User(issuer=ISS, subject="sub-first", name="Claims",
                   memberships=(Membership(role="administrator"),))
    with pytest.raises(Forbidden):
        door.add_membership(ISS, "sub-y", "Y", "governor", A, None, claimed)


# --- forgeries by import ------------------------------------------------------------------


def forged(mini, **extra) -> Audit:
    """The SENCO's own file, edited: signed off in others' names, moderated, the rating up."""
    responses = {"D1": {"rating": "met", "moderated_rating": "met",
                        "moderation_note": "Checked by the LA"}}
    fields = {"status": "signed-off",
              "sign_offs": [{"name": "Hana Head", "role": "headteacher", "date": "2027-03-01"},
                            {"name": "Gil Governor", "role": "sen-governor",
                             "date": "2027-03-01"}]}
    fields.update(extra)
    responses = fields.pop("responses", responses)
    return make_audit(mini, responses, urn=A, name="Alder Primary School", **fields)


def test_a_senco_cannot_sign_off_or_moderate_by_import_and_nothing_is_stored(door, mini):
    before = snapshot(door)
    for call in (door.preview_import, door.import_audit):
        with pytest.raises(Forbidden) as err:
            call(forged(mini), claiming("senco_a"))
        message = str(err.value)
        assert "moderation (D1)" in message
        assert "status to signed-off" in message
        assert "Hana Head as headteacher" in message
        assert "Gil Governor as sen governor" in message
    assert snapshot(door) == before


def test_a_senco_cannot_reopen_a_signed_off_audit_by_import(door, mini):
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-01"),
                claiming("head_a"))
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor", date="2027-03-01"),
                claiming("governor_a"))
    before = snapshot(door)
    with pytest.raises(Forbidden, match=r"status to in-progress.*headteacher or an admin"):
        door.import_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}, urn=A,
                                   name="Alder Primary School", status="in-progress"),
                        claiming("senco_a"))
    assert snapshot(door) == before


def test_a_headteacher_imports_her_own_sign_off_but_not_a_governors(door, mini):
    own = [{"name": "Hana Head", "role": "headteacher", "date": "2027-03-01"}]
    with pytest.raises(Forbidden, match="Gil Governor as sen governor"):
        door.import_audit(forged(mini, sign_offs=[*own, {"name": "Gil Governor",
                                                       "role": "sen-governor",
                                                       "date": "2027-03-01"}],
                               responses={"D1": {"rating": "met"}}), claiming("head_a"))
    before = snapshot(door)
    # Her own signature alone cannot lock the audit, by import any more than on the page.
    with pytest.raises(Forbidden, match=r"signed off, but a governor .* has not signed it"):
        door.import_audit(forged(mini, sign_offs=own, responses={"D1": {"rating": "met"}}),
                        claiming("head_a"))
    assert snapshot(door) == before
    door.import_audit(forged(mini, sign_offs=own, status="in-progress",
                           responses={"D1": {"rating": "met"}}), claiming("head_a"))
    stored = door.get_audit(A, YEAR)
    assert stored.status == "in-progress"
    assert [s.name for s in stored.sign_offs] == ["Hana Head"]
    # With the governor's signature already in, her file may lock it.
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor", date="2027-03-02"),
                claiming("governor_a"), close=False)
    door.import_audit(forged(mini, sign_offs=own, responses={"D1": {"rating": "met"}}),
                    claiming("head_a"))
    assert door.get_audit(A, YEAR).status == "signed-off"


def test_a_file_cannot_revive_a_signature_set_aside_by_reopening(door, mini):
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-01"),
                claiming("head_a"))
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor", date="2027-03-01"),
                claiming("governor_a"))
    door.reopen(A, YEAR, claiming("head_a"))
    before = snapshot(door)
    # The exported file with the governor's signature marked current again, and locked.
    revived = forged(mini, sign_offs=[
        {"name": "Hana Head", "role": "headteacher", "date": "2027-03-01"},
        {"name": "Gil Governor", "role": "sen-governor", "date": "2027-03-01"}],
        responses={"D1": {"rating": "met"}})
    with pytest.raises(Forbidden, match="Gil Governor as sen governor"):
        door.import_audit(revived, claiming("head_a"))
    assert snapshot(door) == before


def test_an_administrator_may_import_everything_in_the_file(door, mini):
    door.import_audit(forged(mini), claiming("admin"))
    stored = door.get_audit(A, YEAR)
    assert stored.status == "signed-off" and len(stored.sign_offs) == 2
    assert stored.responses["D1"].moderated_rating == "met"


def test_a_new_audit_by_import_or_creation_cannot_arrive_signed_off(door, mini):
    with pytest.raises(Forbidden, match="status to signed-off"):
        door.create_audit(make_audit(mini, urn=A, year=NEXT, name="Alder Primary School",
                                   status="signed-off"), claiming("senco_a"))
    with pytest.raises(Forbidden, match="status to signed-off"):
        door.import_audit(make_audit(mini, urn=A, year=NEXT, name="Alder Primary School",
                                   status="signed-off"), claiming("senco_a"))
    assert door.get_audit(A, NEXT) is None


@pytest.mark.parametrize("la_code", ["204", None])
def test_an_import_never_moves_a_recorded_school_to_another_authority(door, mini, la_code):
    data = make_audit(mini, {"D1": {"rating": "met"}}, urn=A,
                      name="Alder Primary School").model_dump()
    data["school"]["la_code"] = la_code
    audit = Audit.model_validate(data)
    preview = door.preview_import(audit, claiming("senco_a"))
    assert not any(f == "school.la_code" for _c, f, _o, _n in preview.changes)
    assert "only an administrator can move it" in preview.describe()
    door.import_audit(audit, claiming("senco_a"))
    assert door.la_code_of(A) == "919"
    assert door.get_audit(A, YEAR).responses["D1"].rating == "met"
    with pytest.raises(Forbidden, match="only an administrator can move"):
        door.import_audit(audit, claiming("senco_a"), change_la_code=True)
    assert door.la_code_of(A) == "919"


def test_an_administrator_moves_a_school_to_another_authority_only_on_purpose(door, mini):
    data = make_audit(mini, urn=A, name="Alder Primary School").model_dump()
    data["school"]["la_code"] = "204"
    school = Audit.model_validate(data).school
    door.update_school(school, claiming("admin"))
    assert door.la_code_of(A) == "919"
    door.update_school(school, claiming("admin"), change_la_code=True)
    assert door.la_code_of(A) == "204"
    assert any(c.field == "school.la_code" and c.new == "204" for c in door.history(A, YEAR))


# --- moderation -----------------------------------------------------------------------------


def test_moderation_drawn_before_the_schools_newer_answer_is_refused_and_undoes_nothing(door):
    adviser, senco = claiming("adviser_919"), claiming("senco_a")
    shown, seen = door.response_with_version(A, YEAR, "D1")  # the adviser's form is drawn
    assert shown.rating == "partly-met"
    newer = Response(rating="met", evidence={"text": "New SEN policy, March 2027",
                                             "location": "Policies folder"})
    door.save_response(A, YEAR, "D1", newer, senco, expected_version=seen)
    with pytest.raises(Conflict, match="rating partly-met -> met"):
        door.moderate(A, YEAR, "D1", "partly-met", "Policy out of date", adviser,
                    expected_version=seen)
    stored = door.get_audit(A, YEAR).responses["D1"]
    assert stored == newer


def test_moderation_changes_only_the_moderation_fields(door):
    adviser = claiming("adviser_919")
    before = door.get_audit(A, YEAR).responses["D1"]
    _shown, seen = door.response_with_version(A, YEAR, "D1")
    door.moderate(A, YEAR, "D1", "not-met", "No policy seen", adviser, expected_version=seen)
    after = door.get_audit(A, YEAR).responses["D1"]
    assert after.rating == before.rating and after.evidence == before.evidence
    assert (after.moderated_rating, after.moderation_note) == ("not-met", "No policy seen")
    fields = {c.field for c in door.history(A, YEAR, "D1") if c.user == "adviser_919"}
    assert fields == {"moderated_rating", "moderation_note"}


def test_an_adviser_cannot_change_the_schools_answer_through_a_save(door):
    v = door.response_version(A, YEAR, "D1")
    with pytest.raises(Forbidden, match="answers"):
        door.save_response(A, YEAR, "D1", Response(rating="met", moderated_rating="met"),
                         claiming("adviser_919"), expected_version=v)
    with pytest.raises(Forbidden, match="moderation"):
        door.save_response(A, YEAR, "D1", Response(rating="partly-met", moderated_rating="met"),
                         claiming("senco_a"), expected_version=v)
    assert door.get_audit(A, YEAR).responses["D1"] == Response(rating="partly-met")


# --- sign-off -------------------------------------------------------------------------------


def test_the_first_signature_does_not_lock_the_audit_the_required_ones_do(door):
    head = claiming("head_a")
    missing = door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher",
                                           date="2027-03-01"), head)
    stored = door.get_audit(A, YEAR)
    assert stored.status == "in-progress" and stored.sign_offs[0].name == "Hana Head"
    assert missing == [("sen-governor", "chair-of-governors")]
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor",
                                 date="2027-03-02"), claiming("governor_a"))
    stored = door.get_audit(A, YEAR)
    assert stored.status == "signed-off" and len(stored.sign_offs) == 2
    at = {c.at for c in door.history(A, YEAR) if c.user == "governor_a"}
    assert len(at) == 1  # the signature and the lock: one transaction, one moment
    v = door.response_version(A, YEAR, "D1")
    with pytest.raises(SignedOff):
        door.save_response(A, YEAR, "D1", Response(rating="not-met"), claiming("senco_a"),
                         expected_version=v)


def test_a_change_after_a_signature_sets_it_aside_so_it_is_needed_again(door, mini):
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-01"),
                claiming("head_a"))
    _save(door, claiming("senco_a"), None)  # still editable: an answer changes
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor",
                                 date="2027-03-02"), claiming("governor_a"))
    stored = door.get_audit(A, YEAR)
    assert stored.status == "in-progress"  # the head signed what the audit was before
    assert [(s.name, s.superseded) for s in stored.sign_offs] == [("Hana Head", True),
                                                                   ("Gil Governor", False)]
    history = door.history(A, YEAR)
    assert any(r.field == "sign_off_superseded" and r.new == "changed" for r in history)
    # Moderation sits beside the school's answer: it sets no signature aside.
    _moderate(door, claiming("adviser_919"), mini)
    assert not door.get_audit(A, YEAR).sign_offs[1].superseded
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-03"),
                claiming("head_a"))
    assert door.get_audit(A, YEAR).status == "signed-off"


def test_an_imported_change_sets_earlier_signatures_aside_but_keeps_the_files_own(door, mini):
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor", date="2027-03-01"),
                claiming("governor_a"))
    own = {"name": "Hana Head", "role": "headteacher", "date": "2027-03-02"}
    changed = forged(mini, sign_offs=[own], responses={"D1": {"rating": "not-met"}})
    before = snapshot(door)
    # The governor signed the answers before the file's change: they cannot lock it now.
    with pytest.raises(Forbidden, match=r"a governor .* has not signed it"):
        door.import_audit(changed, claiming("head_a"))
    assert snapshot(door) == before
    door.import_audit(changed.model_copy(update={"status": "in-progress"}), claiming("head_a"))
    stored = door.get_audit(A, YEAR)
    assert [(s.name, s.superseded) for s in stored.sign_offs] == [("Gil Governor", True),
                                                                   ("Hana Head", False)]


def test_two_governors_without_the_headteacher_do_not_lock_it(door):
    for line in ("sen-governor", "chair-of-governors"):
        door.sign_off(A, YEAR, SignOff(name="Someone", role=line, date="2027-03-01"),
                    claiming("admin"))
    assert door.get_audit(A, YEAR).status == "in-progress"


def test_a_person_cannot_lock_an_audit_by_status_without_the_signatures(door):
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-01"),
                claiming("head_a"))
    before = snapshot(door)
    with pytest.raises(Forbidden, match=r"a governor .* still to sign"):
        door.set_status(A, YEAR, "signed-off", claiming("admin"))
    assert snapshot(door) == before


def test_reopening_sets_the_signatures_aside_so_the_audit_must_be_signed_again(door):
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-01"),
                claiming("head_a"))
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor",
                                 date="2027-03-01"), claiming("governor_a"))
    door.reopen(A, YEAR, claiming("head_a"))
    _save(door, claiming("senco_a"), None)
    door.sign_off(A, YEAR, SignOff(name="Hana Head", role="headteacher", date="2027-03-05"),
                claiming("head_a"))
    stored = door.get_audit(A, YEAR)
    assert stored.status == "in-progress"  # the governor's old signature no longer counts
    assert [s.superseded for s in stored.sign_offs] == [True, True, False]
    door.sign_off(A, YEAR, SignOff(name="Gil Governor", role="sen-governor",
                                 date="2027-03-05"), claiming("governor_a"))
    assert door.get_audit(A, YEAR).status == "signed-off"


def test_a_governor_cannot_sign_as_the_headteacher(door):
    before = snapshot(door)
    with pytest.raises(Forbidden, match="cannot sign as headteacher"):
        door.sign_off(A, YEAR, SignOff(name="Gil", role="headteacher", date="2027-03-01"),
                    claiming("governor_a"))
    assert snapshot(door) == before


def test_a_report_changed_after_it_was_read_is_not_signed(door):
    seen = door.audit_version(A, YEAR)
    _save(door, claiming("senco_a"), None)
    with pytest.raises(Conflict, match="changed after you opened it"):
        door.sign_off(A, YEAR, SignOff(name="Hana", role="headteacher", date="2027-03-01"),
                    claiming("head_a"), expected_audit_version=seen)
    assert door.get_audit(A, YEAR).status == "in-progress"


def test_several_signatures_can_wait_before_the_audit_is_closed(door):
    door.sign_off(A, YEAR, SignOff(name="Gil", role="sen-governor", date="2027-03-01"),
                claiming("governor_a"), close=False)
    assert door.get_audit(A, YEAR).status == "in-progress"
    door.sign_off(A, YEAR, SignOff(name="Hana", role="headteacher", date="2027-03-02"),
                claiming("head_a"))
    stored = door.get_audit(A, YEAR)
    assert stored.status == "signed-off" and len(stored.sign_offs) == 2
    with pytest.raises(SignedOff):
        _save(door, claiming("head_a"), None)


# --- no personal data in the log ------------------------------------------------------------

EVIDENCE = "Pupil J.S., EHCP annex: dyslexia and anxiety, seen by Dr Rahman"


def test_a_failing_save_logs_no_evidence_and_says_so_in_the_apps_words(door, caplog):
    path = door.engine.url.database
    with sqlite3.connect(path) as raw:  # the database turns every change to answers down
        raw.execute("CREATE TRIGGER refuse BEFORE UPDATE ON responses "
                    "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    v = door.response_version(A, YEAR, "D1")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreUnavailable, match="nothing was saved") as err:
        door.save_response(A, YEAR, "D1", Response(rating="met", evidence={"text": EVIDENCE}),
                         claiming("senco_a"), expected_version=v)
    assert "A write to the database failed" in caplog.text
    said = [caplog.text, str(err.value), str(err.value.__cause__),
            str(err.value.__context__)]
    assert not any("dyslexia" in text or "Rahman" in text for text in said)
    assert door.get_audit(A, YEAR).responses["D1"] == Response(rating="partly-met")


# --- the pages only call the door -----------------------------------------------------------


def test_no_page_imports_sqlalchemy_or_the_stores_tables():
    import ast
    from pathlib import Path

    ui = Path(__file__).parents[1] / "quality_offer" / "ui"
    found = []
    for path in sorted(ui.rglob("*.py")):  # the pages that are packages too
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names
                      if n.startswith("sqlalchemy") or n.endswith(("store.db", "store.store"))
                      or (isinstance(node, ast.ImportFrom) and node.level and n in (
                          "store.db", "store.store"))]
        assert ".engine.connect" not in path.read_text(), path.name
    assert found == []


# --- the signatures a school requires ------------------------------------------------------


def test_the_school_may_require_the_senco_too_and_then_the_audit_waits_for_them(door):
    door.set_required_sign_offs(A, YEAR, ["headteacher", "governor", "senco"],
                              claiming("senco_a"))  # asking for more: the edit right
    for who, line in (("head_a", "headteacher"), ("governor_a", "sen-governor")):
        door.sign_off(A, YEAR, SignOff(name=who, role=line, date="2027-03-01"), claiming(who))
    assert door.get_audit(A, YEAR).status == "in-progress"
    door.sign_off(A, YEAR, SignOff(name="Priya", role="senco", date="2027-03-02"),
                claiming("senco_a"))
    assert door.get_audit(A, YEAR).status == "signed-off"


def test_a_senco_signs_their_own_line_but_cannot_lock_or_reopen(door):
    with pytest.raises(Forbidden, match="cannot sign as headteacher"):
        door.sign_off(A, YEAR, SignOff(name="Priya", role="headteacher", date="2027-03-01"),
                    claiming("senco_a"))
    door.sign_off(A, YEAR, SignOff(name="Priya", role="senco", date="2027-03-01"),
                claiming("senco_a"))
    before = snapshot(door)
    with pytest.raises(Forbidden):
        door.set_status(A, YEAR, "signed-off", claiming("senco_a"))
    assert snapshot(door) == before


def test_only_a_headteacher_or_administrator_asks_for_fewer_signatures(door):
    before = snapshot(door)
    for who in ("senco_a", "governor_a"):
        with pytest.raises(Forbidden):
            door.set_required_sign_offs(A, YEAR, ["headteacher"], claiming(who))
    assert snapshot(door) == before
    with pytest.raises(InputError, match="require the headteacher or a governor"):
        door.set_required_sign_offs(A, YEAR, ["senco"], claiming("head_a"))
    door.sign_off(A, YEAR, SignOff(name="Hana", role="headteacher", date="2027-03-01"),
                claiming("head_a"))
    # Asking for what is already signed signs the audit off in the same transaction.
    door.set_required_sign_offs(A, YEAR, ["headteacher"], claiming("head_a"))
    stored = door.get_audit(A, YEAR)
    assert stored.required_sign_offs == ["headteacher"] and stored.status == "signed-off"
    with pytest.raises(SignedOff):
        door.set_required_sign_offs(A, YEAR, ["headteacher", "governor"], claiming("head_a"))


def test_a_file_cannot_lower_the_signatures_needed_for_a_senco(door, mini):
    before = snapshot(door)
    file = make_audit(mini, {"D1": {"rating": "met"}}, urn=A, name="Alder Primary School",
                      required_sign_offs=["sen-governor"])
    with pytest.raises(Forbidden, match="asks for fewer signatures"):
        door.import_audit(file, claiming("senco_a"))
    assert snapshot(door) == before
    door.import_audit(file, claiming("head_a"))
    assert door.get_audit(A, YEAR).required_sign_offs == ["sen-governor"]
