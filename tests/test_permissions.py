"""Every persona against every action: allowed where the rules say, refused everywhere else."""

from __future__ import annotations

import pytest

from quality_offer.permissions import LOCAL_USER, User, can, scope

from .personas import HERTS, OTHER, A, B
from .personas import PERSONAS as CAST

SENCO_A = CAST["senco_a"].user()
SENCO_B = CAST["senco_b"].user()
GOVERNOR_A = CAST["governor_a"].user()
HEAD_A = CAST["head_a"].user()
ADVISER = CAST["adviser_919"].user()
ADVISER_OTHER = CAST["adviser_204"].user()
ADMIN = CAST["admin"].user()
NOBODY = CAST["outsider"].user()

SCHOOL_ACTIONS = ["view", "create", "edit", "submit", "sign_off", "comment", "moderate",
                  "import", "export", "history"]

# persona -> actions allowed on school A (in authority 919)
ALLOWED_ON_A = {
    "SENCO_A": {"view", "create", "edit", "submit", "import", "export", "history"},
    "SENCO_B": set(),
    "GOVERNOR_A": {"view", "sign_off", "comment", "export", "history"},
    "HEAD_A": {"view", "create", "edit", "submit", "sign_off", "comment", "import", "export",
               "history"},
    "ADVISER": {"view", "moderate", "export", "history"},
    "ADVISER_OTHER": set(),
    "ADMIN": set(SCHOOL_ACTIONS),
    "NOBODY": set(),
}
PERSONAS = {"SENCO_A": SENCO_A, "SENCO_B": SENCO_B, "GOVERNOR_A": GOVERNOR_A,
            "HEAD_A": HEAD_A, "ADVISER": ADVISER, "ADVISER_OTHER": ADVISER_OTHER,
            "ADMIN": ADMIN, "NOBODY": NOBODY}


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("action", SCHOOL_ACTIONS)
def test_each_persona_may_do_exactly_its_actions_on_school_a(who, action):
    assert can(PERSONAS[who], action, urn=A, la_code=HERTS) == (action in ALLOWED_ON_A[who])


def test_a_school_user_never_reaches_another_schools_audit():
    for action in SCHOOL_ACTIONS:
        assert not can(SENCO_A, action, urn=B, la_code=OTHER)
        assert not can(SENCO_A, action, urn=B, la_code=HERTS)  # same authority, other school


def test_an_adviser_sees_only_their_authority():
    assert can(ADVISER, "view", urn=B, la_code=HERTS)
    assert not can(ADVISER, "view", urn=B, la_code=OTHER)
    assert not can(ADVISER, "view", urn=B, la_code=None)


def test_only_advisers_and_administrators_compare_and_only_administrators_manage():
    assert [w for w, u in PERSONAS.items() if can(u, "compare")] == ["ADVISER", "ADVISER_OTHER",
                                                                     "ADMIN"]
    assert [w for w, u in PERSONAS.items() if can(u, "manage_members")] == ["ADMIN"]


def test_rights_never_come_from_a_display_name():
    impostor = User(issuer="https://idp.example", subject="x", name="Administrator")
    assert not can(impostor, "view", urn=A, la_code=HERTS)


def test_scopes_turn_memberships_into_what_queries_may_return():
    assert scope(SENCO_A).urns == {A} and not scope(SENCO_A).everything
    assert scope(ADVISER).la_codes == {HERTS} and scope(ADVISER).allows(B, HERTS)
    assert not scope(ADVISER).allows(B, OTHER)
    assert scope(ADMIN).everything
    assert scope(NOBODY) == scope(None)
    assert scope(GOVERNOR_A, "edit").urns == frozenset()


def test_the_local_user_has_full_rights_and_says_so():
    assert LOCAL_USER.local and can(LOCAL_USER, "manage_members")
    assert all(can(LOCAL_USER, a, urn=A, la_code=HERTS) for a in SCHOOL_ACTIONS)


def test_each_person_signs_only_their_own_line():
    from quality_offer.permissions import sign_off_roles

    assert sign_off_roles(GOVERNOR_A, A, HERTS) == ["sen-governor", "chair-of-governors"]
    assert sign_off_roles(HEAD_A, A, HERTS) == ["headteacher"]
    assert sign_off_roles(SENCO_A, A, HERTS) == ["senco"]  # their own line, nothing more
    assert sign_off_roles(GOVERNOR_A, B, HERTS) == []
    assert sign_off_roles(ADVISER, A, HERTS) == []
    assert sign_off_roles(LOCAL_USER, A, HERTS)[0] == "senco"
