"""Administrator page: who holds which role where.

People are identified by their identity provider's issuer and subject (shown on the "no
access yet" page they see after signing in), never by name or email; the display name is
only for the administrator's eyes. Every addition and removal is kept in the memberships'
audit trail. The rules for a valid membership live in
:func:`quality_offer.permissions.membership_problems`.
"""

from __future__ import annotations

import streamlit as st

from ..dates import when
from ..errors import InputError
from ..permissions import User
from ..store import StoreError
from ..vocabulary import ROLE_LABELS, ROLES
from . import session, signin
from .text import plain

MSG = "_admin_msg"  # Session State: (the form it is about, level, text)


def _who() -> User:
    return session.current_user()


def _add() -> None:
    ss = st.session_state
    if not session.may("manage_members"):
        ss[MSG] = ("add", "error", "Only an administrator can manage memberships.")
        return

    def text(key: str) -> str:
        return (ss.get(key) or "").strip()

    try:
        rec = session.store().add_membership(
            text("m_issuer"), text("m_subject"), text("m_name"), ss.get("m_role") or "",
            text("m_urn") or None, text("m_la") or None, _who())
    except InputError as exc:
        ss[MSG] = ("add", "error", "Not added: " + " ".join(p.message for p in exc.problems))
        return
    except StoreError as exc:
        ss[MSG] = ("add", "error", f"Not added: {exc}.")
        return
    for key in ("m_issuer", "m_subject", "m_name", "m_urn", "m_la"):
        ss[key] = ""
    signin.forget_user()
    ss[MSG] = ("add", "success", f"Added: {rec.describe()}.")


def _remove(membership_id: int) -> None:
    ss = st.session_state
    if not session.may("manage_members"):
        ss[MSG] = ("remove", "error", "Only an administrator can manage memberships.")
        return
    if not ss.get("m_remove_confirm"):
        ss[MSG] = ("remove", "error", "Not removed: tick the box to confirm first.")
        return
    try:
        session.store().remove_membership(membership_id, _who())
    except StoreError as exc:
        ss[MSG] = ("remove", "error", f"Not removed: {exc}.")
        return
    ss["m_remove_confirm"] = False
    signin.forget_user()
    ss[MSG] = ("remove", "success", "Removed.")


def _said(form: str) -> None:
    """What ``form``'s button did, said just below it, where the administrator pressed it.

    At the top of the page it was out of sight of the form, and the element it added there
    made the page redraw everything after it, dropping keyboard focus from the button. The
    slot is drawn on every run, message or not, so nothing after it moves.
    """
    slot = st.empty()
    message = st.session_state.get(MSG)
    if message and message[0] == form:
        del st.session_state[MSG]
        (slot.success if message[1] == "success" else slot.error)(plain(message[2]))


def _where(urn: str | None, la_code: str | None) -> str:
    return f"School {urn}" if urn else f"Authority {la_code}" if la_code else "Everywhere"


def render() -> None:
    st.title("Administration")
    if not session.may("manage_members"):  # the page list hides it; a typed URL gets this
        st.error("Only an administrator can open this page.")
        return
    store = session.store()
    members = store.list_memberships()
    st.header("Memberships")
    if members:
        st.table([{"Name": plain(m.display_name), "Role": ROLE_LABELS.get(m.role, m.role),
                   "Where": _where(m.urn, m.la_code), "Issuer": plain(m.issuer),
                   "Subject": plain(m.subject), "Added": f"{when(m.created_at)} by "
                                                         f"{plain(m.created_by)}"}
                  for m in members], hide_index=True)
    else:
        st.caption("Nobody has a membership yet.")

    st.header("Add a membership")
    st.markdown("The issuer and subject identify the person as the identity provider knows "
                "them; they see both on the page shown when they sign in without access.")
    with st.form("add_member", enter_to_submit=False):
        st.text_input("Issuer", key="m_issuer", max_chars=500,
                      placeholder="https://login.microsoftonline.com/<tenant-id>/v2.0")
        st.text_input("Subject", key="m_subject", max_chars=500)
        st.text_input("Display name (for you only)", key="m_name", max_chars=200)
        st.selectbox("Role", ROLES, index=None, key="m_role", format_func=ROLE_LABELS.get,
                     placeholder="Choose the role")
        left, right = st.columns(2)
        with left:
            st.text_input("School URN (SENCO, headteacher, governor)", key="m_urn",
                          max_chars=6, placeholder="123456")
        with right:
            st.text_input("LA code (adviser)", key="m_la", max_chars=3, placeholder="919")
        st.form_submit_button("Add the membership", type="primary", on_click=_add)
    _said("add")

    if members:
        st.header("Remove a membership")
        by_id = {m.id: m for m in members}
        chosen = st.selectbox("Membership", list(by_id), key="m_remove",
                              format_func=lambda i: by_id[i].describe())
        st.checkbox("Yes, remove this membership", key="m_remove_confirm")
        st.button("Remove", key="m_remove_button", on_click=_remove, args=(chosen,))
    _said("remove")  # also after the last membership is removed, with this section gone

    trail = store.membership_history()
    if trail:
        with st.expander(f"Memberships' history ({len(trail)})"):
            st.table([{"When": when(at), "Who": plain(who), "What": action,
                       "Membership": plain(detail)} for at, who, action, detail in trail[:500]],
                     hide_index=True)
