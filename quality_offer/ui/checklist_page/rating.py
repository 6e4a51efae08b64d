"""A card's answer: the rating (or "not applicable" with its reason) and, for an answer
carried forward or moved from an older wording, the re-check.

It is a fragment named for its criterion, so a rating click reruns this part of one card and
the progress bars (and the task list, when its counts change), not the page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ...audit import Response
from ..text import plain
from . import saved_line
from .navigation import keep_focus_on_card
from .progress import placeholders_only, progress
from .saving import changed, reload_page_if_asked
from .state import Ctx, answer_key, fill_missing, wkey


def answer(ctx: Ctx, cid: str) -> None:
    """The rating (or "not applicable") of one criterion, as a fragment named for it: a click
    reruns only this card and the progress bars (and the task list, when its counts change).
    """
    st.fragment(_answer_card, key=answer_key(cid))(ctx, cid)


def _answer_card(ctx: Ctx, cid: str) -> None:
    reload_page_if_asked()
    ss = st.session_state
    crit = ctx.fw.criterion(cid)
    scale = ctx.fw.scale_of(crit)
    fill_missing(cid)
    base: Response | None = ss.get(f"_base::{cid}")
    disabled = not ctx.editable
    if base is not None and not base.rechecked and base.moved_from is not None:
        mf = base.moved_from
        old_text = plain(mf.text.strip())
        stop = "" if old_text.endswith((".", "!", "?")) else "."  # never “…done.”.
        st.warning(f"The criteria changed in version {ctx.fw.version}. This answer was given "
                   f"in version {mf.version} to {mf.criterion}, which read: "
                   f"“{old_text}”{stop} Check it against the wording above, then "
                   "confirm it.", icon=":material/published_with_changes:")
        st.checkbox("Re-checked against the new wording: the answer still holds",
                    key=wkey("rechecked", cid), on_change=changed,
                    args=(ctx, cid, "rechecked"), disabled=disabled)
    elif base is not None and not base.rechecked and not base.blank:
        st.warning(f"Carried forward from {ctx.carried_from or 'last year'}: check this "
                   "answer still holds, then confirm it.")
        st.checkbox("Re-checked this year: the answer still holds", key=wkey("rechecked", cid),
                    on_change=changed, args=(ctx, cid, "rechecked"), disabled=disabled)
    na = bool(ss.get(wkey("na", cid)))
    st.radio(f"Rating for {cid}", scale.level_ids, index=None, key=wkey("rating", cid),
             format_func=lambda lv: scale.level(lv).label,
             captions=None if ctx.compact else [plain(crit.descriptor(lv, dt.date.today()))
                                                for lv in scale.level_ids],
             horizontal=ctx.compact,
             label_visibility="collapsed" if ctx.compact else "visible",
             on_change=changed, args=(ctx, cid, "rating"), disabled=disabled or na)
    if crit.na_allowed:
        st.checkbox("Not applicable to this school", key=wkey("na", cid),
                    on_change=changed, args=(ctx, cid, "na"), disabled=disabled,
                    help=(f"Only when {crit.na_when}" if crit.na_when else None))
        if na:
            st.text_input(f"Why {cid} does not apply", key=wkey("na_reason", cid),
                          max_chars=2000, on_change=changed,
                          args=(ctx, cid, "na_reason"), disabled=disabled)
    saved_line.show(f"_msg::{cid}")
    if ss.pop(f"_refocus::{cid}", False):
        keep_focus_on_card(cid)  # the re-check box that had focus is gone
    if ctx.settled:
        progress(ctx)
    else:
        placeholders_only(ctx)
