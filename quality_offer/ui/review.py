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

from ..audit import Audit, SignOff, applicable
from ..dates import long_date, when
from ..errors import InputError
from ..framework import Framework
from ..permissions import User, sign_off_roles
from ..store import Conflict, Forbidden, StoreError
from ..vocabulary import SIGN_OFF_ROLE_LABELS
from . import session
from .text import plain

MSG = "_review_msg"
SEEN = "_review_seen"  # Session State: (audit key, audit version) of the page as drawn
MOD_SEEN = "_mod_seen"  # Session State: (audit key, criterion, response version) in the form


def _say(level: str, text: str) -> None:
    st.session_state[MSG] = (level, text)


def _who() -> User:
    return session.current_user()


def _refused(what: str, exc: StoreError) -> None:
    """Say why the store refused; after a refused right, look the rights up afresh."""
    if isinstance(exc, Forbidden):
        session.forget_rights()
    _say("error", f"{what}: {exc}")


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
                      f"{SIGN_OFF_ROLE_LABELS.get(sign_off.role, sign_off.role)}.")
        return
    seen = ss.get(SEEN)
    try:
        session.store().sign_off(urn, year, sign_off, _who(), expected_audit_version=(
            seen[1] if seen and seen[0] == audit.key else None))
    except StoreError as exc:
        _refused("Not signed off", exc)
        return
    except InputError as exc:
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
    try:
        session.store().reopen(urn, year, _who())
    except StoreError as exc:
        _refused("Not reopened", exc)
        return
    _say("success", "Reopened: the audit can be changed again, and will need signing off.")


def _sign_off_section(audit: Audit) -> None:
    urn, la = audit.school.urn, audit.school.la_code
    st.header("Sign-off")
    if audit.sign_offs:
        st.table([{"Name": plain(s.name), "Role": SIGN_OFF_ROLE_LABELS.get(s.role, s.role),
                   "Date": long_date(s.date), "Comment": plain(s.comment or "")}
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
                     format_func=SIGN_OFF_ROLE_LABELS.get, placeholder="Choose your role")
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
    seen = ss.get(MOD_SEEN)
    if not seen or seen[:2] != (audit.key, cid):  # the form was not drawn for this answer
        _say("error", "Not saved: the form was out of date. Look at the school's answer "
                      "again, then moderate.")
        return
    try:
        # Only the two moderation fields are sent: the school's answer stays as stored, and
        # an answer changed since the form was drawn refuses the moderation (Conflict).
        session.store().moderate(urn, year, cid, ss.get("mod_rating"),
                                 (ss.get("mod_note") or "").strip() or None, _who(),
                                 expected_version=seen[2])
    except Conflict as exc:
        _say("error", f"Not saved: {exc}")
        return
    except StoreError as exc:
        _refused("Not saved", exc)
        return
    except (ValidationError, InputError) as exc:
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
        # The answer and its version read together: what the adviser sees is what the
        # moderation is checked against when it is saved.
        own, version = session.store().response_with_version(*audit.key, cid)
        st.session_state[MOD_SEEN] = (audit.key, cid, version)
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
    key = session.current_key()
    # The version is read before the audit, so a sign-off can only name a version at or
    # below the report drawn: if anything changed in between, the sign-off is refused.
    if key is not None and session.may_school("view", key[0]):
        st.session_state[SEEN] = (key, session.store().audit_version(*key))
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
