"""Sign-off and history page: sign-off (with a comment), reopening, moderation, change history.

What each person sees is decided by :func:`quality_offer.permissions.can`, asked for this
audit's school and its authority as recorded in the database:

- headteachers and governors sign off (a governor's comment goes with the sign-off);
  signing off makes the audit read-only for everyone;
- only someone who may both edit and sign off (a headteacher, an administrator) reopens a
  signed-off audit;
- an LA adviser records a moderated rating and note beside the school's own rating;
- everyone who may see the audit sees who changed what, and when.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import ValidationError

from ..audit import Audit, Response, SignOff, applicable
from ..errors import InputError
from ..framework import Framework
from ..permissions import sign_off_roles
from ..store import Conflict, StoreError
from . import session
from .text import plain, when

SIGN_OFF_ROLES = {"senco": "SENCO", "headteacher": "Headteacher",
                  "sen-governor": "SEN governor", "chair-of-governors": "Chair of governors"}
MSG = "_review_msg"


def _say(level: str, text: str) -> None:
    st.session_state[MSG] = (level, text)


def _who() -> str:
    return session.user_label(session.current_user())


# --- sign-off and reopening ---------------------------------------------------------------


def _sign(audit: Audit) -> None:
    ss = st.session_state
    urn, year = audit.key
    if not session.may_school("sign_off", urn):
        _say("error", "You cannot sign this audit off.")
        return
    try:
        sign_off = SignOff(name=(ss.get("so_name") or "").strip(), role=ss.get("so_role"),
                           date=ss.get("so_date") or dt.date.today(),
                           comment=(ss.get("so_comment") or "").strip() or None)
    except ValidationError:
        _say("error", "Not signed off: give your name and your role.")
        return
    if sign_off.role not in _lines(audit):
        _say("error", "Not signed off: you cannot sign as "
                      f"{SIGN_OFF_ROLES.get(sign_off.role, sign_off.role)}.")
        return
    try:
        session.store().add_sign_off(urn, year, sign_off, _who())
        session.store().set_status(urn, year, "signed-off", _who())
    except (StoreError, InputError) as exc:
        _say("error", f"Not signed off: {exc}")
        return
    _say("success", "Signed off. The audit is now read-only.")


def _lines(audit: Audit) -> list[str]:
    """The sign-off lines the current user may sign, by their membership."""
    urn = audit.school.urn
    la_code = session.store().la_codes_of([urn]).get(urn, audit.school.la_code)
    return sign_off_roles(session.current_user(), urn, la_code)


def _reopen(audit: Audit) -> None:
    urn, year = audit.key
    if not (session.may_school("edit", urn) and session.may_school("sign_off", urn)):
        _say("error", "Only a headteacher (or an administrator) can reopen a signed-off "
                      "audit.")
        return
    session.store().set_status(urn, year, "in-progress", _who())
    _say("success", "Reopened: the audit can be changed again, and will need signing off.")


def _sign_off_section(audit: Audit) -> None:
    urn, la = audit.school.urn, audit.school.la_code
    st.header("Sign-off")
    if audit.sign_offs:
        st.table([{"Name": plain(s.name), "Role": SIGN_OFF_ROLES.get(s.role, s.role),
                   "Date": s.date.isoformat(), "Comment": plain(s.comment or "")}
                  for s in audit.sign_offs], hide_index=True)
    else:
        st.caption("Nobody has signed this audit off yet.")
    if audit.status == "signed-off":
        if session.may("edit", urn, la) and session.may("sign_off", urn, la):
            st.button("Reopen the audit", key="reopen", on_click=_reopen, args=(audit,),
                      help="Makes the audit editable again; the sign-offs are kept.")
        return
    if not session.may("sign_off", urn, la):
        return
    with st.form("sign_off", enter_to_submit=False):
        st.text_input("Your name", key="so_name", max_chars=200)
        st.selectbox("Signing as", _lines(audit), key="so_role", index=None,
                     format_func=SIGN_OFF_ROLES.get, placeholder="Choose your role")
        st.date_input("Date", key="so_date", value=dt.date.today(), format="DD/MM/YYYY")
        st.text_area("Comment (optional)", key="so_comment", max_chars=5000)
        st.form_submit_button("Sign off the audit", type="primary", on_click=_sign,
                              args=(audit,))


# --- moderation ---------------------------------------------------------------------------


def _moderate(audit: Audit, fw: Framework) -> None:
    ss = st.session_state
    urn, year = audit.key
    cid = ss.get("mod_criterion")
    if not session.may_school("moderate", urn) or cid is None or not fw.has(cid):
        _say("error", "Not saved: you cannot moderate this audit.")
        return
    base = audit.responses.get(cid) or Response()
    data = base.model_dump()
    data.update(moderated_rating=ss.get("mod_rating"),
                moderation_note=(ss.get("mod_note") or "").strip() or None)
    try:
        new = Response.model_validate(data)
        store = session.store()
        store.save_response(urn, year, cid, new, _who(),
                            expected_version=store.response_version(urn, year, cid))
    except (ValidationError, Conflict, StoreError, InputError) as exc:
        _say("error", f"Not saved: {exc}")
        return
    _say("success", f"Moderation of {cid} saved.")


def _moderation_section(audit: Audit, fw: Framework) -> None:
    st.header("Moderation")
    crits = applicable(fw, audit)
    if not crits:
        return
    cid = st.selectbox("Criterion", [c.id for c in crits], key="mod_criterion",
                       format_func=lambda c: f"{c}: {plain(fw.criterion(c).text)[:90]}")
    with st.form("moderation", enter_to_submit=False):
        crit = fw.criterion(cid)
        scale = fw.scale_of(crit)
        own = audit.responses.get(cid)
        st.caption("The school's rating: " + (scale.level(own.rating).label
                                               if own and own.rating else "not rated"))
        st.selectbox("Moderated rating", scale.level_ids, index=None, key="mod_rating",
                     format_func=lambda lv: scale.level(lv).label,
                     placeholder="Not moderated")
        st.text_area("Moderation note", key="mod_note", max_chars=5000)
        st.form_submit_button("Save the moderation", type="primary", on_click=_moderate,
                              args=(audit, fw))
    moderated = [(c, r) for c, r in audit.responses.items() if r.moderated_rating]
    if moderated:
        st.table([{"Criterion": c, "School's rating": r.rating or "",
                   "Moderated rating": r.moderated_rating or "",
                   "Note": plain(r.moderation_note or "")} for c, r in moderated],
                 hide_index=True)


# --- history ------------------------------------------------------------------------------


def _history(audit: Audit) -> None:
    st.header("Change history")
    records = session.store().history(*audit.key)
    if not records:
        st.caption("No changes recorded yet.")
        return
    st.table([{"When": when(r.at), "Who": plain(r.user), "Criterion": r.criterion_id or "",
               "Field": r.field, "Before": plain(r.old or ""), "After": plain(r.new or "")}
              for r in records[:500]], hide_index=True)
    if len(records) > 500:
        st.caption(f"The newest 500 of {len(records)} changes are shown.")


def render() -> None:
    session.follow_page_request()
    st.title("Sign-off and history")
    opened = session.open_audit()  # scoped: another school's audit shows nothing of it
    if opened is None:
        return
    audit, fw = opened
    session.audit_heading(audit, fw)
    message = st.session_state.pop(MSG, None)
    if message:
        (st.success if message[0] == "success" else st.error)(plain(message[1]))
    urn, la = audit.school.urn, audit.school.la_code
    _sign_off_section(audit)
    if session.may("moderate", urn, la):
        _moderation_section(audit, fw)
    if session.may("history", urn, la):
        _history(audit)
