"""The overall and section progress bars. They live outside the cards, and each answer
fragment redraws them: Streamlit lets a fragment write to containers made in the full run,
provided it writes to them on every full run too."""

from __future__ import annotations

import streamlit as st

from ..text import count, percent
from .state import ANSWERED, Ctx


def progress(ctx: Ctx) -> None:
    """The overall and section bars, from the answered map."""
    done: dict[str, bool] = st.session_state.get(ANSWERED, {}).get("done", {})
    total = len(ctx.order)
    n = sum(1 for cid in ctx.order if done.get(cid))
    ctx.overall.progress(n / total if total else 0.0,
                         text=f"Overall: {n} of {count(total, 'criterion', 'criteria')} "
                              f"answered ({percent(n, total)})")
    if ctx.section_bar is None:
        return
    cids = ctx.sections[ctx.section_id]
    s_n = sum(1 for cid in cids if done.get(cid))
    ctx.section_bar.progress(s_n / len(cids) if cids else 0.0,
                             text=f"This section: {s_n} of {len(cids)} answered")


def placeholders_only(ctx: Ctx) -> None:
    """Reserve this card's place in the progress containers without drawing them again."""
    ctx.overall.empty()
    if ctx.section_bar is not None:
        ctx.section_bar.empty()
