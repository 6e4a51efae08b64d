"""Sign-in, roles and each school's data kept to itself, persona by persona, with AppTest.

The app runs in shared mode (an ``[auth]`` section in its secrets) and each persona signs in
through AppTest's ``at.user`` with the provider's issuer and subject claims, exactly what
``st.user`` gives a real session. Their memberships are in the test database.

Schools: A (100001) and B (200002) in authority 919; C (300003) in authority 204.
"""

from __future__ import annotations

import re

import pytest

from quality_offer.ui.nav import PAGES
from quality_offer.ui.session import NO_ACCESS

from .app_support import SECRETS, as_, goto, new_app, texts
from .personas import ISS, PERSONAS, YEAR, A, B, C

__all__ = ["ISS", "PERSONAS", "YEAR", "A", "B", "C"]

ALL = {p.url_path: p.title for p in PAGES}
SCHOOL_PAGES = ["Audits", "Checklist", "SEN information report", "Gap report",
                "Import and export", "Framework",
                "Sign-off and history"]
CAN_OPEN = {
    "senco_a": SCHOOL_PAGES,
    "senco_b": SCHOOL_PAGES,
    "governor_a": SCHOOL_PAGES,  # Import and export: export only
    "head_a": SCHOOL_PAGES,
    "adviser_919": [*SCHOOL_PAGES, "Compare schools"],
    "adviser_204": [*SCHOOL_PAGES, "Compare schools"],
    "admin": [*SCHOOL_PAGES, "Compare schools", "Administration"],
    "outsider": [],
}


def titles(at) -> list[str]:
    return [t.value for t in at.title]


# --- who sees which page --------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_each_persona_reaches_exactly_their_pages_even_by_typed_address(world, persona):
    at = as_(persona, urn=A if persona in ("senco_a", "governor_a", "head_a") else None)
    at.run()
    assert not at.exception
    for path, title in ALL.items():
        goto(at, path)
        assert not at.exception
        if title in CAN_OPEN[persona]:
            assert title in titles(at), (persona, path)
        else:
            assert title not in titles(at), (persona, path)


def test_the_sidebar_says_who_is_signed_in_with_which_roles_and_signs_out(world):
    at = as_("senco_a").run()
    side = " ".join(str(m.value) for m in [*at.sidebar.markdown, *at.sidebar.caption])
    assert "Sam SENCO of A" in side and "school 100001" in side
    at.sidebar.button(key="signout").click().run()  # st.logout: the browser is redirected
    assert at.user == {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert "Quality Offer" in titles(at)
    assert at.button(key="signin_microsoft").label == "Sign in with Microsoft"


def test_someone_not_signed_in_sees_a_sign_in_button_per_provider_and_nothing_else(world):
    at = new_app()
    at.secrets = SECRETS
    at.user = {"is_logged_in": False}
    at.query_params["urn"] = A
    at.query_params["year"] = "2026-27"
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with Microsoft", "Sign in with Google"]
    assert "Alder" not in texts(at)
    goto(at, "checklist")
    assert "Checklist" not in titles(at) and "Alder" not in texts(at)


def test_someone_signed_in_without_membership_sees_only_the_no_access_page(world):
    at = as_("outsider", urn=A).run()
    assert titles(at) == ["You do not have access yet"]
    page = texts(at)
    assert "sub-nobody" in page and ISS in page
    assert "the SEND team at County Hall" in page
    assert "Alder" not in page
    for path in ALL:
        goto(at, path)
        assert titles(at) == ["You do not have access yet"]
    assert at.button(key="signout_noaccess").label == "Sign out"


@pytest.mark.parametrize("secrets_auth, words", [
    ({"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "changeme",
      "client_id": "x", "client_secret": "Vb7Kq2mX9pL4wR8tZ3nC6yH1",
      "server_metadata_url": "https://idp.example.test/.well-known/openid-configuration"},
     "cookie_secret"),
    ({"redirect_uri": "http://localhost:8501/oauth2callback"}, "cookie_secret is missing"),
])
def test_a_weak_or_missing_secret_stops_the_app_with_a_plain_message(world, secrets_auth,
                                                                        words):
    at = new_app()
    at.secrets = {"auth": secrets_auth}
    at.user = {"is_logged_in": True, "iss": ISS, "sub": "first-admin"}
    at.run()
    assert not at.exception
    assert titles(at) == ["Quality Offer cannot start"]
    assert words in texts(at)


def test_local_mode_is_unchanged_with_its_banner(db):
    at = new_app().run()
    assert not at.exception
    assert any("Local mode" in i.value for i in at.info)


# --- every school's data kept to itself ----------------------------------------------------


@pytest.mark.parametrize("path", ["checklist", "gap-report", "sign-off"])
def test_it_rejects_another_schools_audit_typed_into_the_address(world, path):
    at = as_("senco_b", urn=A)
    goto(at, path)
    assert not at.exception
    page = texts(at)
    assert NO_ACCESS in page
    assert "Alder" not in page and "partly" not in page.lower()


def test_it_says_the_same_for_an_audit_that_does_not_exist(world):
    at = as_("senco_b", urn="999999")
    goto(at, "checklist")
    assert NO_ACCESS in texts(at)


def test_the_export_page_offers_nothing_of_another_schools_audit(world):
    at = as_("senco_b", urn=A)
    goto(at, "import-export")
    assert not at.exception
    assert "Alder" not in texts(at)
    assert "100001" not in texts(at)


@pytest.mark.parametrize("persona, sees, not_sees", [
    ("senco_a", ["Alder"], ["Birch", "Cedar"]),
    ("senco_b", ["Birch"], ["Alder", "Cedar"]),
    ("governor_a", ["Alder"], ["Birch", "Cedar"]),
    ("adviser_919", ["Alder", "Birch"], ["Cedar"]),
    ("adviser_204", ["Cedar"], ["Alder", "Birch"]),
    ("admin", ["Alder", "Birch", "Cedar"], []),
])
def test_the_audit_list_holds_only_the_schools_a_persona_may_see(world, persona, sees,
                                                                not_sees):
    at = as_(persona).run()
    assert not at.exception
    options = " ".join(at.selectbox(key="resume_choice").options)
    for name in sees:
        assert name in options
    for name in not_sees:
        assert name not in options
        assert name not in texts(at)


def test_an_adviser_of_another_authority_cannot_open_that_authoritys_schools(world):
    for path in ("checklist", "gap-report", "sign-off"):
        at = as_("adviser_204", urn=A)
        goto(at, path)
        assert NO_ACCESS in texts(at) and "Alder" not in texts(at)


def test_the_adviser_of_the_authority_reads_its_schools(world):
    at = as_("adviser_919", urn=B)
    goto(at, "gap-report")
    assert not at.exception
    assert "Birch" in texts(at)


# --- actions ----------------------------------------------------------------------------------


def test_a_senco_rates_their_own_schools_audit(world):
    at = as_("senco_a", urn=A)
    goto(at, "checklist")
    radio = at.radio(key="rating::D1")
    assert not radio.disabled
    radio.set_value("met").run()
    assert world.get_audit(A, YEAR).responses["D1"].rating == "met"


@pytest.mark.parametrize("persona, urn", [("governor_a", A), ("adviser_919", A)])
def test_governors_and_advisers_cannot_rate(world, persona, urn):
    at = as_(persona, urn=urn)
    goto(at, "checklist")
    assert not at.exception
    assert "You can read this audit but not change it." in texts(at)
    # They read the audit as a document: ratings as text, no control to change them.
    assert not [r for r in at.radio if (r.key or "").startswith("rating::")]
    assert "**Rating:** not assessed" in texts(at)


def test_a_senco_cannot_start_an_audit_for_another_school(world):
    at = as_("senco_a").run()
    at.text_input(key="new_urn").input(B)
    at.text_input(key="new_name").input("Birch Primary School")
    at.selectbox(key="new_phase").select("primary")
    at.selectbox(key="new_type").select("maintained")
    at.selectbox(key="new_year").select("2027/28" if "2027/28" in
                                        at.selectbox(key="new_year").options else
                                        at.selectbox(key="new_year").options[-1])
    at.button(key="FormSubmitter:new_audit-Start the audit").click().run()
    assert "only for your own school" in texts(at)
    assert len(world.list_audits(urns={B})) == 1


@pytest.mark.parametrize("persona", ["governor_a", "adviser_919", "adviser_204"])
def test_those_who_may_not_create_see_no_new_audit_form(world, persona):
    at = as_(persona).run()
    assert "Start a new audit" not in texts(at)


def _sign_off(at, name, role, comment="", reason=""):
    at.text_input(key="so_name").input(name)
    at.selectbox(key="so_role").select(role)
    if comment:
        at.text_area(key="so_comment").input(comment)
    if reason:
        at.text_area(key="so_reason").input(reason)
    at.button(key="FormSubmitter:sign_off-Sign the audit").click()
    return at.run()


WHY = "Outcome 2 is reviewed at the spring meeting; signed for the LA's deadline."


def shown(at) -> str:
    """The page's text as read: Markdown's backslash escapes taken out."""
    return re.sub(r"\\(.)", r"\1", texts(at))


def test_the_audit_is_read_only_once_the_governor_and_the_headteacher_have_signed(world):
    at = as_("governor_a", urn=A)
    goto(at, "sign-off")
    assert not at.exception
    _sign_off(at, "Gil Governor", "sen-governor", "Good progress on outcome 1.", WHY)
    audit = world.get_audit(A, YEAR)
    assert audit.status == "in-progress"  # the first signature does not lock it
    assert audit.sign_offs[0].comment == "Good progress on outcome 1."
    assert audit.sign_offs[0].reason == WHY
    assert "stays open until the headteacher signs too" in shown(at)
    head = as_("head_a", urn=A)
    goto(head, "sign-off")
    assert "Still to sign: the headteacher." in shown(head)
    _sign_off(head, "Hana Head", "headteacher", reason=WHY)
    assert world.get_audit(A, YEAR).status == "signed-off"
    assert "the audit is signed off and now read-only" in shown(head)
    goto(at, "sign-off")
    assert "reopen" not in [b.key for b in at.button]  # a governor cannot reopen
    senco = as_("senco_a", urn=A)
    goto(senco, "checklist")
    assert not senco.exception
    assert not [r for r in senco.radio if (r.key or "").startswith("rating::")]
    assert "signed off" in shown(senco)
    goto(senco, "sign-off")
    assert "reopen" not in [b.key for b in senco.button]  # a SENCO cannot reopen


def test_signing_an_unfinished_audit_shows_what_is_signed_and_needs_a_reason(world):
    at = as_("head_a", urn=A)
    goto(at, "sign-off")
    page = texts(at)
    assert "What you are signing" in page
    assert "1 of 4 criteria answered; 3 criteria not assessed" in page
    assert "1 not met" not in page and "0 not met, 1 partly met" in page
    assert "you must say why" in page
    _sign_off(at, "Hana Head", "headteacher")
    assert "Not signed: the audit is not finished (3 criteria not assessed)" in shown(at)
    assert world.get_audit(A, YEAR).sign_offs == []


def test_only_a_headteacher_or_administrator_reopens_a_signed_off_audit(world):
    world.set_status(A, YEAR, "signed-off", "setup")
    gov = as_("governor_a", urn=A)
    goto(gov, "sign-off")
    assert "reopen" not in [b.key for b in gov.button]
    head = as_("head_a", urn=A)
    goto(head, "sign-off")
    head.button(key="reopen").click().run()
    assert world.get_audit(A, YEAR).status == "in-progress"
    goto(head, "checklist")
    assert not head.radio(key="rating::D1").disabled


def test_a_governor_can_sign_only_as_a_governor(world):
    at = as_("governor_a", urn=A)
    goto(at, "sign-off")
    assert at.selectbox(key="so_role").options == ["SEN governor", "Chair of governors"]
    head = as_("head_a", urn=A)
    goto(head, "sign-off")
    assert head.selectbox(key="so_role").options == ["Headteacher"]


def test_a_senco_signs_only_as_the_senco_and_that_alone_locks_nothing(world):
    at = as_("senco_a", urn=A)
    goto(at, "sign-off")
    assert at.selectbox(key="so_role").options == ["SENCO"]
    _sign_off(at, "Priya Patel", "senco", reason=WHY)
    audit = world.get_audit(A, YEAR)
    assert [s.role for s in audit.sign_offs] == ["senco"] and audit.status == "in-progress"


def test_a_headteacher_may_ask_for_fewer_signatures_a_senco_only_for_more(world):
    senco = as_("senco_a", urn=A)
    goto(senco, "sign-off")
    senco.multiselect(key="required_sign_offs").set_value(["headteacher"])
    senco.button(key="FormSubmitter:required_form-Save the signatures needed").click().run()
    assert "only a headteacher or an administrator can ask for fewer" in shown(senco)
    assert world.get_audit(A, YEAR).required_sign_offs is None
    head = as_("head_a", urn=A)
    goto(head, "sign-off")
    head.multiselect(key="required_sign_offs").set_value(["headteacher"])
    head.button(key="FormSubmitter:required_form-Save the signatures needed").click().run()
    assert world.get_audit(A, YEAR).required_sign_offs == ["headteacher"]
    assert "The audit is signed off once the headteacher has signed." in shown(head)
    _sign_off(head, "Hana Head", "headteacher", reason=WHY)
    assert world.get_audit(A, YEAR).status == "signed-off"


def test_the_adviser_records_a_moderated_rating_and_note(world):
    at = as_("adviser_919", urn=A)
    goto(at, "sign-off")
    assert not at.exception
    at.selectbox(key="mod_criterion").select("D1").run()
    at.selectbox(key="mod_rating").select("not-met")
    at.text_area(key="mod_note").input("No evidence of the SEN information report.")
    at.button(key="FormSubmitter:moderation-Save the moderation").click().run()
    r = world.get_audit(A, YEAR).responses["D1"]
    assert (r.rating, r.moderated_rating) == ("partly-met", "not-met")
    assert r.moderation_note == "No evidence of the SEN information report."


@pytest.mark.parametrize("persona", ["senco_a", "governor_a", "head_a"])
def test_school_staff_cannot_moderate(world, persona):
    at = as_(persona, urn=A)
    goto(at, "sign-off")
    assert "mod_rating" not in [s.key for s in at.selectbox]


def test_the_change_history_is_shown_to_those_who_may_see_the_audit_only(world):
    world.save_response(A, YEAR, "D1", world.get_audit(A, YEAR).responses["D1"]
                        .model_copy(update={"rating": "met"}), "Sam SENCO of A",
                        expected_version=1)
    at = as_("governor_a", urn=A)
    goto(at, "sign-off")
    assert "Change history" in texts(at) and "Sam SENCO of A" in texts(at)
    other = as_("senco_b", urn=A)
    goto(other, "sign-off")
    assert "Sam SENCO of A" not in texts(other) and "Change history" not in texts(other)


# --- the administrator page ---------------------------------------------------------------


def test_the_administrator_adds_and_removes_a_membership_with_confirmation(world):
    at = as_("admin")
    goto(at, "admin")
    assert "Administration" in titles(at)
    at.text_input(key="m_issuer").input(ISS)
    at.text_input(key="m_subject").input("sub-new-senco")
    at.text_input(key="m_name").input("Nia New SENCO")
    at.selectbox(key="m_role").select("senco")
    at.text_input(key="m_urn").input(C)
    at.button(key="FormSubmitter:add_member-Add the membership").click().run()
    assert not at.exception
    assert world.memberships_for(ISS, "sub-new-senco")[0].urn == C
    new = next(m for m in world.list_memberships() if m.subject == "sub-new-senco")
    at.selectbox(key="m_remove").select(new.id)
    at.button(key="m_remove_button").click().run()
    assert "tick the box" in texts(at)
    assert world.memberships_for(ISS, "sub-new-senco")
    at.selectbox(key="m_remove").select(new.id)
    at.checkbox(key="m_remove_confirm").check()
    at.button(key="m_remove_button").click().run()
    assert world.memberships_for(ISS, "sub-new-senco") == []
    assert [a for _, _, a, _ in world.membership_history()][:2] == ["remove", "add"]


@pytest.mark.parametrize("role, urn, la, words", [
    ("senco", "12345", "", "six digits"),
    ("senco", "", "", "needs a school URN"),
    ("adviser", "", "", "needs a local authority code"),
    ("adviser", "", "91", "three digits"),
    ("governor", A, "919", "leave the LA code blank"),
])
def test_the_administrator_is_told_what_is_wrong_with_a_membership(world, role, urn, la,
                                                                   words):
    at = as_("admin")
    goto(at, "admin")
    at.text_input(key="m_issuer").input(ISS)
    at.text_input(key="m_subject").input("sub-x")
    at.selectbox(key="m_role").select(role)
    at.text_input(key="m_urn").input(urn)
    at.text_input(key="m_la").input(la)
    at.button(key="FormSubmitter:add_member-Add the membership").click().run()
    assert words in texts(at)
    assert world.memberships_for(ISS, "sub-x") == []


def _in_order(block):
    """Every element of a page, in the order it is drawn."""
    for child in block.children.values():
        if getattr(child, "children", None):
            yield from _in_order(child)
        else:
            yield child


def test_what_the_add_button_did_is_said_below_it_not_at_the_top_of_the_page(world):
    at = as_("admin")
    goto(at, "admin")
    at.text_input(key="m_subject").input("sub-x")
    at.button(key="FormSubmitter:add_member-Add the membership").click().run()
    order = [(e.type, getattr(e, "label", None) or getattr(e, "value", None))
             for e in _in_order(at.main)]
    button = order.index(("button", "Add the membership"))
    error = next(i for i, (kind, text) in enumerate(order)
                 if kind == "error" and "Not added" in str(text))
    assert error > button, order


def test_memberships_are_found_by_issuer_and_subject_never_by_name(world):
    at = new_app()
    at.secrets = SECRETS
    at.user = {"is_logged_in": True, "iss": "https://another-idp.test", "sub": "sub-senco-a",
               "name": "Sam SENCO of A", "email": "sam@alder.sch.uk"}
    at.run()
    assert titles(at) == ["You do not have access yet"]


# --- a removed member -----------------------------------------------------------------------


def test_a_removed_members_next_rating_click_is_refused_with_a_plain_message(world):
    at = as_("senco_a", urn=A)
    goto(at, "checklist")
    at.radio(key="rating::D1").set_value("met").run()
    assert world.get_audit(A, YEAR).responses["D1"].rating == "met"
    mine = next(m for m in world.list_memberships() if m.subject == "sub-senco-a")
    world.remove_membership(mine.id, "setup")
    # at once: the page still holds her rights (kept for a few seconds), the store does not
    at.radio(key="rating::D1").set_value("not-met").run()
    assert not at.exception
    assert world.get_audit(A, YEAR).responses["D1"].rating == "met"
    # the refusal drops the kept rights, so the page is drawn again on what is stored now
    assert "You do not have access yet" in titles(at)


def test_the_senco_fills_in_completed_by_and_the_governor_only_reads_it(world):
    at = as_("senco_a", urn=A)
    goto(at, "sign-off")
    key = f"completed_by:{A}:{YEAR}"
    at.text_input(key=key).input("Priya Patel, SENCO <Alder>")
    at.button(key="FormSubmitter:completed_by_form-Save “Completed by”").click().run()
    assert not at.exception
    assert world.get_audit(A, YEAR).completed_by == "Priya Patel, SENCO <Alder>"
    gov = as_("governor_a", urn=A)
    goto(gov, "sign-off")
    assert key not in [t.key for t in gov.text_input]
    assert "Completed by: Priya Patel, SENCO <Alder>" in shown(gov).replace("**", "")


def test_the_change_history_on_the_page_reads_in_plain_words(world):
    at = as_("senco_a", urn=A)
    goto(at, "checklist")
    at.radio(key="rating::D1").set_value("met").run()
    goto(at, "sign-off")
    history = at.table[-1].value
    assert list(history.columns) == ["When", "Who", "What changed"]
    rows = "\n".join(history["What changed"].map(lambda t: re.sub(r"\\(.)", r"\1", t)))
    assert "Changed the rating of D1 from Partly met to Met" in rows
    assert "Started the audit" in rows
    assert "rating" not in list(history.columns)


def test_the_gap_report_page_says_draft_and_shows_the_reason_given(world):
    head = as_("head_a", urn=A)
    goto(head, "sign-off")
    _sign_off(head, "Hana Head", "headteacher", reason=WHY)
    goto(head, "gap-report")
    assert not head.exception
    page = shown(head)
    assert "DRAFT: not signed off; still to sign: a governor" in page
    assert WHY in page


def test_a_signature_given_before_a_change_is_shown_as_needed_again(world):
    head = as_("head_a", urn=A)
    goto(head, "sign-off")
    _sign_off(head, "Hana Head", "headteacher", reason=WHY)
    senco = as_("senco_a", urn=A)
    goto(senco, "checklist")
    senco.radio(key="rating::D1").set_value("met").run()
    goto(head, "sign-off")
    page = shown(head)
    assert "Still to sign: the headteacher and a governor" in page
    assert "so no longer counted (they need signing again): Hana Head (Headteacher" in page
    assert "Changed the audit after Hana Head as Headteacher" in page
