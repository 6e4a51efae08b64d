"""The authority's collection: the year it collects and its closing date, set by its
advisers through the store; once set, the views open on that year and count the audits
schools have handed in.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import Comparison
from ...dates import long_date
from ...permissions import Scope
from ...store import StoreError
from .. import session
from ..text import count, plain
from .words import (
    HANDED_IN,
)


def with_collection(comp: Comparison, scope: Scope) -> Comparison:
    """Once the authority has opened a collection, the views open on its year and count the
    audits schools have handed in; drafts can be shown too, marked as drafts."""
    la_code = _one_authority(comp, scope)
    cycle = session.store().cycle(la_code) if la_code else None
    if la_code and session.may("set_cycle", la_code=la_code):
        _collection_form(la_code, cycle, comp)
    if cycle is None:
        return comp
    closes = f", closing {long_date(cycle.closes_on)}" if cycle.closes_on else ""
    if cycle.academic_year in comp.years and "_cmp_cycle_opened" not in st.session_state:
        st.session_state["_cmp_cycle_opened"] = True
        st.session_state.setdefault("cmp_year", cycle.academic_year)
    # The schools yet to submit this collection: a school that has started next year's audit
    # early has a draft too, but it is not one the authority is waiting for.
    drafts = sum(1 for r in comp.results if r.status not in HANDED_IN)
    waiting = sum(1 for r in comp.results if r.status not in HANDED_IN
                  and r.academic_year == cycle.academic_year)
    st.caption(f"The authority is collecting {cycle.academic_year}{closes}. The views count "
               "audits schools have submitted or signed off"
               + (f"; {count(waiting, 'draft')} of {cycle.academic_year} not yet submitted"
                  if waiting else "")
               + (f" (and {count(drafts - waiting, 'draft')} of "
                  f"{'another year' if drafts - waiting == 1 else 'other years'})"
                  if drafts > waiting else "") + ".")
    if drafts and st.toggle("Include drafts (audits not yet submitted), marked as drafts",
                            key="cmp_drafts"):
        return comp
    return comp.filter(status=HANDED_IN)


def _one_authority(comp: Comparison, scope: Scope) -> str | None:
    """The authority whose collection the page shows: an adviser's own; for someone who sees
    every authority (an administrator), the one authority the schools compared belong to."""
    if len(scope.la_codes) == 1 and not scope.everything:
        return next(iter(scope.la_codes))
    if scope.everything:
        codes = {r.la_code for r in comp.results if r.la_code}
        return next(iter(codes)) if len(codes) == 1 else None
    return None


def _save_collection(la_code: str) -> None:
    """Button callback: set the authority's collection through the store (which checks the
    right), and open the views on the year set."""
    ss = st.session_state
    year = str(ss.get("cmp_cycle_year") or "").strip()
    closes = ss.get("cmp_cycle_closes")
    try:
        cycle = session.store().set_cycle(la_code, year, closes, session.current_user())
    except StoreError as exc:
        ss["_cmp_cycle_msg"] = ("error", f"The collection was not changed: {exc}")
        return
    ss["_cmp_cycle_msg"] = ("success", f"The authority is now collecting "
                            f"{cycle.academic_year}" + (f", closing {long_date(cycle.closes_on)}"
                                                        if cycle.closes_on else "") + ".")
    ss["cmp_year"] = cycle.academic_year
    ss["_cmp_cycle_opened"] = True


def _collection_form(la_code: str, cycle: Any, comp: Comparison) -> None:
    """For the authority's advisers: the year it collects and the closing date."""
    ss = st.session_state
    msg = ss.pop("_cmp_cycle_msg", None)
    if msg:
        (st.success if msg[0] == "success" else st.error)(plain(msg[1]))
    ss.setdefault("cmp_cycle_year", cycle.academic_year if cycle else
                  (comp.years[-1] if comp.years else ""))
    ss.setdefault("cmp_cycle_closes", cycle.closes_on if cycle else None)
    label = (f"The authority's collection: {cycle.academic_year}" if cycle
             else "The authority's collection: not set")
    with st.expander(label):
        st.caption("Compare opens on the year collected and counts the audits schools have "
                   "submitted; schools see the year and the closing date on their Audits "
                   "page. Leave the date empty for no closing date.")
        left, right = st.columns(2)
        left.text_input("Academic year collected", key="cmp_cycle_year",
                        placeholder="2026/27", max_chars=7)
        right.date_input("Closing date", key="cmp_cycle_closes", format="DD/MM/YYYY")
        st.button("Save the collection", key="cmp_cycle_save", on_click=_save_collection,
                  args=(la_code,))
