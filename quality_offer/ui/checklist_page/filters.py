"""The search box and the "Show only" filters above the cards: what they ask for, and
clearing them. Which criteria match is :mod:`quality_offer.worklist`'s and
:mod:`quality_offer.search`'s to say."""

from __future__ import annotations

import streamlit as st

from ...worklist import FILTER_LABELS
from .state import FILTERS_KEY, SEARCH_KEY, Ctx


def search_and_filters(ctx: Ctx) -> tuple[list[str], str]:
    """The search box and filters; what they ask for."""
    q, f = st.columns([2, 3], vertical_alignment="bottom")
    with q:
        query = st.text_input("Search the criteria", key=SEARCH_KEY, max_chars=200,
                              placeholder="For example: annual review, EHCP")
    with f:
        # One Tab stop for all five (pills would be five).
        filters = st.multiselect("Show only", list(FILTER_LABELS), key=FILTERS_KEY,
                                 format_func=FILTER_LABELS.get,
                                 placeholder="All criteria of the section")
    return list(filters), (query or "").strip()


def clear_finder() -> None:
    """Button callback: empty the search box and the filters, so a section shows whole."""
    st.session_state[SEARCH_KEY] = ""
    st.session_state[FILTERS_KEY] = []
