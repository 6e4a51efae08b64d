"""A card's evidence and action, behind an expander: a fragment built only while the
expander is open, so typing or a click there redraws this part alone, and a closed card costs
one line saying what it holds."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ...applies_words import who
from ...audit import Response
from ...dates import short_date
from ...vocabulary import (
    ACTION_STATUS_LABELS,
    ACTION_STATUSES,
    EVIDENCE_KIND_LABELS,
    EVIDENCE_KINDS,
)
from ..text import one_line, plain
from . import saved_line
from .criterion_text import descriptors, prompts_and_references
from .saving import changed, reload_page_if_asked
from .state import Ctx, fill_missing, wkey

SHORT = 110  # characters of a criterion's text on a compact card's one line


def _card_summary(resp: Response | None) -> str:
    """What the evidence-and-action expander holds, so it need not be opened to know."""
    parts = []
    if resp and resp.evidence and not resp.evidence.empty:
        parts.append("evidence recorded")
    if resp and resp.action:
        due = f", due {short_date(resp.action.due)}" if resp.action.due else ""
        status = ACTION_STATUS_LABELS.get(resp.action.status, resp.action.status).lower()
        overdue = (resp.action.overdue(dt.date.today()))
        parts.append(f"action {status}{due}{' (overdue)' if overdue else ''}")
    return "; ".join(parts) if parts else "none recorded yet"


def _evidence_and_action(ctx: Ctx, cid: str, disabled: bool) -> None:
    """The evidence and action fields, each saved on its own as it changes."""
    ss = st.session_state
    cb = {"on_change": changed}

    def args(kind: str) -> tuple[Ctx, str, str]:
        return (ctx, cid, kind)

    st.markdown("**Evidence**")
    st.caption("Typed text is saved when you leave the box (Tab or click elsewhere) or press "
               "Ctrl+Enter; a line under the box says when it was saved.")
    st.text_area(f"Evidence for {cid}: what shows this rating is right", key=wkey("ev_text", cid),
                 max_chars=20_000, height=100, disabled=disabled, args=args("ev_text"), **cb)
    left, right = st.columns(2)
    with left:
        st.text_input("Where it is kept", key=wkey("ev_loc", cid), max_chars=300,
                      disabled=disabled, args=args("ev_loc"), **cb,
                      help="For example: SEN policy, shared drive > SEND > Policies")
    with right:
        st.selectbox("Kind of evidence", EVIDENCE_KINDS, index=None, key=wkey("ev_kind", cid),
                     format_func=EVIDENCE_KIND_LABELS.get, placeholder="Not given",
                     disabled=disabled, args=args("ev_kind"), **cb)
    st.markdown("**Action**")
    st.text_area(f"Action to improve {cid}", key=wkey("act_what", cid), max_chars=20_000,
                 height=80, disabled=disabled, args=args("act_what"), **cb,
                 help="Fill in the action, its owner, date and status in any order. Clearing "
                      "the action, owner and date removes it (its history is kept).")
    a, b, c = st.columns(3)
    with a:
        st.text_input("Owner", key=wkey("act_owner", cid), max_chars=300,
                      disabled=disabled, args=args("act_owner"), **cb)
    with b:
        st.date_input("Due by", value=None, key=wkey("act_due", cid), format="DD/MM/YYYY",
                      disabled=disabled, args=args("act_due"), **cb)
    with c:
        st.selectbox("Action status", ACTION_STATUSES, key=wkey("act_status", cid),
                     format_func=ACTION_STATUS_LABELS.get, disabled=disabled,
                     args=args("act_status"), **cb)
    base = ss.get(f"_base::{cid}")
    action = base.action if base is not None else None
    if action is not None and action.overdue(dt.date.today()):
        st.warning(f"This action was due on {short_date(action.due)} and is not done yet: "
                   "it is overdue.")


@st.fragment
def details(ctx: Ctx, cid: str) -> None:
    """Evidence and action for one criterion (and, on a compact card, the descriptors,
    prompts and references), built only while its expander is open."""
    reload_page_if_asked()
    fill_missing(cid)
    base: Response | None = st.session_state.get(f"_base::{cid}")
    crit = ctx.fw.criterion(cid)
    # The label stays the same whatever is recorded: a changing label would make a new
    # expander and close it under the user's cursor.
    label = (f"Details, evidence and action for {cid}" if ctx.compact
             else f"Evidence and action for {cid}")
    exp = st.expander(label, key=f"open::{cid}", on_change="rerun")
    if exp.open:
        with exp:
            if ctx.compact:
                if one_line(crit.text, SHORT) != crit.text:
                    st.markdown(plain(crit.text))
                scope = who(crit)  # the plain sentence; the legal reasoning is for editors
                if scope:
                    st.caption(plain(scope))
                descriptors(ctx, crit)
                prompts_and_references(ctx, crit)
            _evidence_and_action(ctx, cid, not ctx.editable)
    else:
        st.caption(f"Evidence and action: {_card_summary(base)}.")
    saved_line.show(f"_dmsg::{cid}")
