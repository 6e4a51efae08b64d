"""Sign-off and history page: sign-off (with a comment), reopening, moderation, change history.

What each person sees is decided by :func:`quality_offer.permissions.can`, asked for this
audit's school and its authority as recorded in the database:

- the page first shows what is being signed (how complete the audit is, duties not met,
  overdue actions, answers not re-checked) and whose signatures are still needed;
- headteachers and governors sign; the audit becomes read-only once the signatures the
  school requires are in (``Audit.required_sign_offs``, by default the headteacher and a
  governor; a headteacher or administrator may change it), and an unfinished audit is signed
  only with a stated reason, which the report prints;
- whoever may edit the audit fills in the report's "Completed by" line;
- only someone who may both edit and sign off (a headteacher, an administrator) reopens a
  signed-off audit;
- an LA adviser records a moderated rating and note beside the school's own rating;
- everyone who may see the audit sees who changed what, and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st
from pydantic import ValidationError

from ..audit import (
    DEFAULT_REQUIRED,
    REQUIRED_CHOICES,
    Audit,
    SignOff,
    applicable,
    missing_sign_offs,
    missing_words,
    required_words,
)
from ..dates import long_date, when
from ..errors import InputError
from ..framework import Framework
from ..gaps import GapReport, analyse
from ..history_words import describe
from ..permissions import User, sign_off_roles
from ..store import Conflict, Forbidden, StoreError
from ..vocabulary import REQUIRED_SIGNER_LABELS, SIGN_OFF_ROLE_LABELS
from . import session
from .text import count, plain

MSG = "_review_msg"
MSG_AT = "_review_msg_at"  # Session State: the form whose button gave the message
SEEN = "_review_seen"  # Session State: (audit key, audit version) of the page as drawn
MOD_SEEN = "_mod_seen"  # Session State: (audit key, criterion, response version) in the form


def _say(level: str, text: str) -> None:
    st.session_state[MSG] = (level, text)


def _acting(form: str) -> None:
    """Note which form's button was pressed: its outcome is said just below it (:func:`_said`)."""
    st.session_state[MSG_AT] = form


def _said(form: str) -> None:
    """The outcome of ``form``'s button, said where the person pressed it.

    Said at the top of the page, it was out of sight of someone far down (a governor signing
    at 200% zoom saw her form unchanged), and the element it added there pushed every later
    one down a place, so the page drew them anew and keyboard focus on the pressed button
    fell to the page's body. The slot is drawn on every run, message or not, so nothing
    after it moves.
    """
    slot = st.empty()
    ss = st.session_state
    if ss.get(MSG_AT) != form or MSG not in ss:
        return
    ss.pop(MSG_AT, None)
    level, text = ss.pop(MSG)
    (slot.success if level == "success" else slot.error)(plain(text))


def _who() -> User:
    return session.current_user()


def _refused(what: str, exc: StoreError) -> None:
    """Say why the store refused; after a refused right, look the rights up afresh."""
    if isinstance(exc, Forbidden):
        session.forget_rights()
    _say("error", f"{what}: {exc}")


def _written(failed: str, write: Callable[[], Any]) -> tuple[bool, Any]:
    """Make one change through the store; if it is refused or the input is wrong, say so
    after ``failed`` ("Not saved: ...") and return (False, None), else (True, its result)."""
    try:
        return True, write()
    except StoreError as exc:
        _refused(failed, exc)
    except InputError as exc:
        _say("error", f"{failed}: {exc}")
    return False, None


# --- sign-off and reopening ---------------------------------------------------------------


def _sign(audit: Audit) -> None:
    _acting("sign_off")
    ss = st.session_state
    urn, year = audit.key
    if not _lines(audit):
        _say("error", "You cannot sign this audit.")
        return
    try:
        sign_off = SignOff(name=(ss.get("so_name") or "").strip(), role=ss.get("so_role"),
                           date=ss.get("so_date") or dt.date.today(),
                           comment=(ss.get("so_comment") or "").strip() or None,
                           reason=(ss.get("so_reason") or "").strip() or None)
    except ValidationError:
        _say("error", "Not signed off: give your name and your role.")
        return
    if sign_off.role not in _lines(audit):
        _say("error", "Not signed off: you cannot sign as "
                      f"{SIGN_OFF_ROLE_LABELS.get(sign_off.role, sign_off.role)}.")
        return
    seen = ss.get(SEEN)
    done, missing = _written("Not signed", lambda: session.store().sign_off(
        urn, year, sign_off, _who(),
        expected_audit_version=seen[1] if seen and seen[0] == audit.key else None))
    if not done:
        return
    if missing:
        _say("success", f"Signed as {SIGN_OFF_ROLE_LABELS[sign_off.role]}. The audit stays open "
                        f"until {missing_words(missing)} signs too.")
    else:
        _say("success", "Signed. Every signature the school requires is in: the audit is "
                        "signed off and now read-only.")


def _lines(audit: Audit) -> list[str]:
    """The sign-off lines the current user may sign, by their membership."""
    urn = audit.school.urn
    la_code = session.store().la_codes_of([urn]).get(urn, audit.school.la_code)
    return sign_off_roles(session.current_user(), urn, la_code)


def _reopen(audit: Audit) -> None:
    _acting("sign_off")
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


def _what_is_signed(report: GapReport) -> None:
    """What the signatories are putting their names to, before the form."""
    applicable_n = sum(sec.applicable for sec in report.sections)
    assessed = sum(sec.assessed + sec.not_applicable for sec in report.sections)
    d = report.duties
    rechecked = sum(1 for c in report.checks if c.kind == "not-rechecked")
    lines = [
        f"**How complete:** {assessed} of {applicable_n} criteria answered"
        + (f"; {count(len(report.not_assessed), 'criterion', 'criteria')} not assessed"
           if report.not_assessed else ""),
        f"**Statutory duties not met in full:** {d.not_met} not met, {d.partly_met} partly "
        "met" + (f" ({d.not_assessed} not assessed)" if d.not_assessed else ""),
        f"**Overdue actions:** {len(report.overdue_actions)}",
        f"**Answers carried forward and not re-checked:** {rechecked}",
    ]
    st.subheader("What you are signing")
    st.markdown("\n".join(f"- {line}" for line in lines))
    if report.unfinished:
        st.warning("This audit is not finished (" + "; ".join(report.unfinished) + "). You "
                   "can still sign it, but you must say why: the reason is printed on the "
                   "report.")


def _signatures(audit: Audit) -> None:
    current = audit.current_sign_offs
    if current:
        st.table([{"Name": plain(s.name), "Signed as": SIGN_OFF_ROLE_LABELS.get(s.role, s.role),
                   "Date": long_date(s.date), "Comment": plain(s.comment or ""),
                   "Reason for signing before it was finished": plain(s.reason or "")}
                  for s in current], hide_index=True)
    else:
        st.caption("Nobody has signed this audit yet.")
    missing = missing_sign_offs(audit.sign_offs, audit.required)
    if audit.status == "signed-off":
        st.success("Signed off: every signature the school requires is in.")
    else:
        verb = "have" if len(audit.required) > 1 else "has"
        st.info(f"The audit is signed off once {required_words(audit.required)} {verb} "
                "signed. "
                + (f"Still to sign: {missing_words(missing)}." if missing else
                   "Every required signature is in."))
    earlier = [s for s in audit.sign_offs if s.superseded]
    if earlier:
        st.caption("Signed before the audit was changed or reopened, so no longer counted "
                   "(they need signing again): "
                   + "; ".join(f"{plain(s.name)} ({SIGN_OFF_ROLE_LABELS.get(s.role, s.role)}, "
                               f"{long_date(s.date)})" for s in earlier))


def _sign_off_section(audit: Audit, fw: Framework) -> None:
    urn, la = audit.school.urn, audit.school.la_code
    st.header("Sign-off")
    _signatures(audit)
    if audit.status == "signed-off":
        if session.may("edit", urn, la) and session.may("sign_off", urn, la):
            st.button("Reopen the audit", key="reopen", on_click=_reopen, args=(audit,),
                      help="Makes the audit editable again; the signatures are kept on "
                           "record but it must be signed again.")
        _said("sign_off")  # "Signed off", or why it was not reopened
        return
    if not _lines(audit):
        return
    report = analyse(fw, audit)
    _what_is_signed(report)
    with st.form("sign_off", enter_to_submit=False):
        st.text_input("Your name", key="so_name", max_chars=200)
        st.selectbox("Signing as", _lines(audit), key="so_role", index=None,
                     format_func=SIGN_OFF_ROLE_LABELS.get, placeholder="Choose your role")
        st.date_input("Date", key="so_date", value=dt.date.today(), format="DD/MM/YYYY")
        st.text_area("Comment (optional)", key="so_comment", max_chars=5000)
        if report.unfinished:
            st.text_area("Why are you signing before the audit is finished? (required; "
                         "printed on the report)", key="so_reason", max_chars=5000)
        st.form_submit_button("Sign the audit", type="primary", on_click=_sign,
                              args=(audit,))
    _said("sign_off")


# --- the signatures the school requires --------------------------------------------------



def _save_required(audit: Audit) -> None:
    _acting("required_form")
    urn, year = audit.key
    done, _ = _written("Not changed", lambda: session.store().set_required_sign_offs(
        urn, year, list(st.session_state.get("required_sign_offs") or []), _who()))
    if done:
        _say("success", "Saved the signatures this audit needs.")


def _required_section(audit: Audit) -> None:
    urn, la = audit.school.urn, audit.school.la_code
    if audit.status == "signed-off" or not session.may("edit", urn, la):
        return
    with st.expander("Signatures this audit needs"):
        st.caption("By default the headteacher and a governor sign: the headteacher answers "
                   "for the school's SEND provision and the governing body holds its legal "
                   "duties. The SENCO wrote the audit, so their signature is optional. Only "
                   "a headteacher or an administrator can ask for fewer.")
        if "required_sign_offs" not in st.session_state:
            st.session_state["required_sign_offs"] = list(audit.required_sign_offs
                                                          or DEFAULT_REQUIRED)
        with st.form("required_form", enter_to_submit=False):
            st.multiselect("Signatures needed to sign the audit off", list(REQUIRED_CHOICES),
                           key="required_sign_offs", format_func=REQUIRED_SIGNER_LABELS.get)
            st.form_submit_button("Save the signatures needed", on_click=_save_required,
                                  args=(audit,))
        _said("required_form")


# --- the report's "Completed by" line ---------------------------------------------------


def _cb_key(audit: Audit) -> str:
    """The field's key, one per audit: another audit opened shows its own line."""
    return "completed_by:" + ":".join(audit.key)


def _save_completed_by(audit: Audit) -> None:
    _acting("completed_by_form")
    urn, year = audit.key
    if not session.may_school("edit", urn):
        _say("error", "Not saved: you cannot change this audit.")
        return
    done, _ = _written("Not saved", lambda: session.store().set_completed_by(
        urn, year, st.session_state.get(_cb_key(audit)), _who()))
    if done:
        _say("success", "Saved the report's “Completed by” line.")


def _completed_by_section(audit: Audit) -> None:
    urn, la = audit.school.urn, audit.school.la_code
    if audit.status == "signed-off" or not session.may("edit", urn, la):
        st.markdown("**Completed by:** " + (plain(audit.completed_by) if audit.completed_by
                                            else "not recorded"))
        return
    key = _cb_key(audit)
    if key not in st.session_state:
        st.session_state[key] = audit.completed_by or ""
    with st.form("completed_by_form", enter_to_submit=False):
        st.text_input("Completed by (printed on the report)", key=key, max_chars=300,
                      help="Who completed the audit, e.g. the SENCO's name and role.")
        st.form_submit_button("Save “Completed by”", on_click=_save_completed_by,
                              args=(audit,))
    _said("completed_by_form")


# --- moderation ---------------------------------------------------------------------------


def _moderate(audit: Audit, fw: Framework) -> None:
    _acting("moderation")
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
    _said("moderation")
    moderated = [(c, r) for c, r in audit.responses.items() if r.moderated_rating]
    if moderated:
        st.table([{"Criterion": c, "School's rating": r.rating or "",
                   "Moderated rating": r.moderated_rating or "",
                   "Note": plain(r.moderation_note or "")} for c, r in moderated],
                 hide_index=True)


# --- history ------------------------------------------------------------------------------


def _history(audit: Audit, fw: Framework) -> None:
    st.header("Change history")
    records = session.store().history(*audit.key)
    if not records:
        st.caption("No changes recorded yet.")
        return
    st.table([{"When": when(r.at), "Who": plain(r.user), "What changed": plain(describe(r, fw))}
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
    top = st.empty()  # a message whose form is not drawn this time (rights changed)
    urn, la = audit.school.urn, audit.school.la_code
    _completed_by_section(audit)
    _sign_off_section(audit, fw)
    _required_section(audit)
    if session.may("moderate", urn, la):
        _moderation_section(audit, fw)
    if session.may("history", urn, la):
        _history(audit, fw)
    message = st.session_state.pop(MSG, None)
    st.session_state.pop(MSG_AT, None)
    if message:
        (top.success if message[0] == "success" else top.error)(plain(message[1]))
