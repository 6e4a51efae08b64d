"""Handing an audit to the authority: the collection's closing date, submit and withdraw.

The page says what is still incomplete before the button (a SENCO should know what she is
handing in), and the store decides whether the move is allowed; a refusal is shown in the
store's own words. Nothing here decides a right beyond hiding buttons nobody could use.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..dates import long_date
from ..gaps import analyse
from ..store import Forbidden, StoreError
from . import session
from .text import count, plain


def collection_line(la_code: str | None) -> None:
    """The authority's collection and its closing date, where the authority has set one."""
    cycle = session.store().cycle(la_code)
    if cycle is None:
        return
    closes = (f", closing on {long_date(cycle.closes_on)}" if cycle.closes_on else "")
    late = cycle.closes_on is not None and cycle.closes_on < dt.date.today()
    text = (f"Your local authority is collecting audits for {cycle.academic_year}{closes}."
            + (" The closing date has passed; you can still submit." if late else ""))
    st.info(text, icon=":material/event:")


def panel(urn: str, year: str) -> None:
    """Submit or withdraw this audit, with what is incomplete said first."""
    store = session.store()
    la_code = store.la_code_of(urn)
    audit = store.get_audit(urn, year)
    if audit is None or not session.may("submit", urn, la_code):
        return
    msg_key = f"_submission_msg::{urn}::{year}"
    if audit.status == "in-progress":
        fw = session.framework_of(audit)
        if isinstance(fw, session.FrameworkProblem):
            return
        report = analyse(fw, audit, dt.date.today())
        missing = len(report.not_assessed)
        unmet = [g.criterion for g in report.gaps if g.statutory]
        with st.expander("Submit this audit to the local authority"):
            if missing:
                st.warning(f"{count(missing, 'criterion', 'criteria')} not assessed yet: "
                           f"{plain(', '.join(report.not_assessed[:12]))}"
                           + (" and more" if missing > 12 else "")
                           + ". You can submit now and the authority will see it as "
                             "incomplete, or finish first.")
            else:
                st.success("Every criterion that applies to the school is assessed.")
            if unmet:
                st.markdown(f"Statutory duties not fully met: {plain(', '.join(unmet))}.")
            st.caption("You can withdraw it again until the authority moderates it or it is "
                       "signed off.")
            if st.button("Submit to the local authority", key=f"submit::{urn}::{year}",
                         type="primary"):
                _move(store.submit, urn, year, msg_key, "Submitted to the local authority.")
    elif audit.status == "submitted":
        st.caption("This audit has been submitted to the local authority.")
        if st.button("Withdraw the submission", key=f"withdraw::{urn}::{year}"):
            _move(store.withdraw, urn, year, msg_key, "Withdrawn: the audit is in progress "
                                                      "again.")
    message = st.session_state.pop(msg_key, None)
    if message:
        (st.error if message[0] == "error" else st.success)(message[1])


def _move(change, urn: str, year: str, msg_key: str, done: str) -> None:
    try:
        change(urn, year, session.current_user())
    except (Forbidden, StoreError) as exc:
        st.session_state[msg_key] = ("error", f"Not changed: {exc}")
    else:
        st.session_state[msg_key] = ("ok", done)
    st.rerun()
