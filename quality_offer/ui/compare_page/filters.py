"""The Compare page's filters: phase, type, area, academic year and the share assessed
to be scored. Every view and export on the page follows them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import Comparison, address
from .words import (
    phase_words,
    type_words,
)

ALL_YEARS = "All years"


def apply_filters(comp: Comparison) -> tuple[Comparison, Comparison, str | None]:
    """The filter widgets; returns (every year, the chosen year, the year or None)."""
    for key, field in (("cmp_phase", "phase"), ("cmp_type", "type"), ("cmp_area", "area")):
        if key in st.session_state:  # values from an address that are not options are dropped
            st.session_state[key] = address.keep_known(list(st.session_state[key]),
                                                       comp.values(field))
    cols = st.columns(5)
    phase = cols[0].multiselect("Phase", comp.values("phase"), key="cmp_phase",
                                format_func=phase_words, placeholder="All phases")
    kind = cols[1].multiselect("Type", comp.values("type"), key="cmp_type",
                               format_func=type_words, placeholder="All types")
    area = cols[2].multiselect("Area", comp.values("area"), key="cmp_area",
                               placeholder="All areas")
    years = comp.years
    options = [*reversed(years), ALL_YEARS]
    if st.session_state.get("cmp_year") not in options:
        st.session_state.pop("cmp_year", None)
    year = cols[3].selectbox("Academic year", options, key="cmp_year",
                             help="The latest year is shown first. With all years, each "
                                  "school counts once, by its latest audit.")
    share = _min_assessed(cols[4])
    every = comp.with_min_assessed(share / 100).filter(phase=phase or None, type=kind or None,
                                                       area=area or None)
    chosen = None if year == ALL_YEARS else year
    return every, (every.filter(year=chosen) if chosen else every), chosen


def _min_assessed(where: Any) -> int:
    """The least share (in percent) of its applicable criteria a school must have assessed
    to be scored; set here, every view and export on the page follows it."""
    if st.session_state.get("cmp_min_assessed") not in address.SHARES:
        st.session_state["cmp_min_assessed"] = address.DEFAULT_SHARE  # unset or not offered
    return int(where.selectbox(
        "Share assessed to be scored", address.SHARES, key="cmp_min_assessed",
        format_func=lambda p: f"{p}%",
        help="An audit with less of its applicable criteria assessed is shown apart, with "
             "how much it has assessed: it is not in the heatmap, the common gaps or the "
             f"quartiles. {address.DEFAULT_SHARE}% unless set."))
