"""One criterion's card: what does not change is drawn here, once per page run; the answer
and the evidence are fragments (:mod:`.rating`, :mod:`.details`), so typing or clicking
redraws only them."""

from __future__ import annotations

import streamlit as st

from ...applies_words import who
from ..text import one_line, plain
from .criterion_text import anchor, prompts_and_references
from .details import SHORT, details
from .rating import answer
from .sir_status import SIR_CRITERIA, sir_status
from .state import Ctx


def criterion(ctx: Ctx, cid: str, where: str | None = None) -> None:
    """One criterion's card: what does not change is drawn here, once per page run; the
    answer and the evidence are fragments, so typing or clicking redraws only them.

    Compact (the default): the id, the text on one line and the rating side by side, with
    descriptors, prompts, references, evidence and action one click away.
    """
    crit = ctx.fw.criterion(cid)
    kind = "Statutory duty" if crit.statutory else "Expectation"
    with st.container(border=True, key=f"card-{cid}"):
        if ctx.compact:
            # An answer given to an older wording is to be checked against this one, which
            # the notice beside it calls "the wording above": there it is given in full.
            base = st.session_state.get(f"_base::{cid}")
            recheck = base is not None and not base.rechecked and base.moved_from is not None
            shown = " ".join(crit.text.split()) if recheck else one_line(crit.text, SHORT)
            text, rate = st.columns([5, 4], vertical_alignment="top")
            with text:
                st.subheader(f"{plain(cid)}: {plain(shown)}", anchor=anchor(cid))
                st.caption(kind + (f" · {plain(where)}" if where else ""))
            with rate:
                answer(ctx, cid)
            if cid in SIR_CRITERIA:
                sir_status(cid)
            details(ctx, cid)
            return
        # The kind is said in words inside the heading (a badge is colour and text).
        badge = ":violet-badge[Statutory duty]" if crit.statutory else ":blue-badge[Expectation]"
        st.subheader(f"{plain(cid)} {badge}", anchor=anchor(cid))
        st.markdown(plain(crit.text))
        if where:
            st.caption(plain(where))
        scope = who(crit)
        if scope:
            st.caption(plain(scope))
        left, right = st.columns([3, 2], gap="large")
        with left:
            answer(ctx, cid)
        with right:
            prompts_and_references(ctx, crit)
            if cid in SIR_CRITERIA:
                sir_status(cid)
        details(ctx, cid)
