"""The Heatmap view: schools by section, coloured by share and labelled with it
(never colour alone), the same numbers as a table, and the audits shown apart.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from ...compare import Comparison, address
from ...compare.school_result import SchoolResult
from ..text import plain
from .drilldown import section_drilldown
from .links import school_links
from .words import (
    HANDED_IN,
    assessed_words,
    pct,
    phase_words,
    short_title,
    status_words,
    table_text,
    type_words,
)

#: Rows drawn in the heatmap chart; the table beside it always has every school.
CHART_ROWS = 60

#: A colour-blind-safe sequential scheme (cividis: dark blue to yellow, monotone lightness).
SCHEME = "cividis"


def heatmap_rows(comp: Comparison) -> list[dict[str, Any]]:
    """The heatmap's numbers: one row per school (latest audit), a percentage per section."""
    secs = comp.framework.sections
    rows = []
    for r in comp.current:
        row: dict[str, Any] = {"School": table_text(r.name), "URN": r.urn,
                               "Year": r.academic_year, "Phase": phase_words(r.phase),
                               "Type": type_words(r.type), "Area": table_text(r.area or ""),
                               "Status": status_words(r.status),
                               "Assessed": assessed_words(r)}
        for s in secs:
            row[short_title(s.title)] = pct(r.sections[s.id].share)
        row["Duties not met or partly met"] = len(r.unmet_duties)
        rows.append(row)
    return rows


def _shown_apart_view(comp: Comparison) -> None:
    """The audits with too little assessed to read as a result, listed apart."""
    apart = comp.shown_apart
    if not apart:
        return
    st.subheader(f"Shown apart: less than {comp.min_assessed:.0%} assessed")
    st.caption("These audits have too few answers to read as a result; they are not in the "
               "heatmap, the common gaps or the quartiles until more is assessed.")
    st.dataframe([{"School": table_text(r.name), "URN": r.urn, "Year": r.academic_year,
                   "Status": status_words(r.status),
                   "Assessed": assessed_words(r)} for r in apart],
                 hide_index=True, key="cmp_apart_table")
    school_links(apart)


def _order(comp: Comparison, how: str) -> list[SchoolResult]:
    """The schools in the order chosen above the chart."""
    return comp.lowest_first() if how == "Lowest first" else comp.current


def heatmap_chart(comp: Comparison, schools: list[SchoolResult]) -> alt.LayerChart:
    """Schools by section, coloured by share and labelled with it (never colour alone)."""
    secs = comp.framework.sections
    order = [f"{r.name} ({r.urn}, {r.assessed:.0%} assessed"
             + ("" if r.status in HANDED_IN else ", draft") + ")" for r in schools]
    now = {key: st.session_state.get(key) for key in address.FIELDS}
    data = []
    for r, label in zip(schools, order, strict=True):
        # a click on a cell opens the school beside the others, as the links under the
        # table do (which are the way in for a keyboard)
        opens = address.href(now, cmp_view="One school", cmp_school=r.urn)
        for s in secs:
            share = r.sections[s.id].share
            data.append({"School": label, "Section": short_title(s.title),
                         "Title": s.title, "Share": share, "Label": pct(share)
                         if share is not None else "none",
                         "Dark": share is not None and share < 0.5, "Opens": opens})
    x = alt.X("Section:N", sort=[short_title(s.title) for s in secs], title=None,
              axis=alt.Axis(orient="top", labelAngle=0, labelLimit=120))
    y = alt.Y("School:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(alt.Data(values=data)).encode(x=x, y=y)
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("Share:Q", title="Share at or above expected",
                        scale=alt.Scale(scheme=SCHEME, domain=[0, 1]),
                        legend=alt.Legend(format=".0%", orient="bottom",
                                          gradientLength=260)),
        tooltip=[alt.Tooltip("School:N"), alt.Tooltip("Title:N", title="Section"),
                 alt.Tooltip("Label:N", title="At or above expected")],
        href="Opens:N")
    # Cells with nothing assessed: their label ("not assessed") is in the text layer, so the
    # grey rectangles are decoration, hidden from screen readers (an empty group has no name).
    empty = base.transform_filter("datum.Share === null").mark_rect(
        color="#f3f2f1", stroke="#b1b4b6", strokeWidth=1, aria=False)
    text = base.mark_text(fontSize=12).encode(
        text="Label:N",
        color=alt.condition("datum.Dark", alt.value("white"), alt.value("#0b0c0c")))
    # The description becomes the SVG's accessible name (WCAG 2.2, 1.1.1).
    return (rect + empty + text).properties(
        height=alt.Step(26),
        description=f"Heatmap: the share of criteria met in each section, for "
                    f"{len(schools)} schools, each cell labelled with its figure.")


def show(comp: Comparison) -> None:
    """The view: the chart (at most :data:`CHART_ROWS` schools), the table with every
    school, the links, the audits shown apart and the drill-down."""
    st.header("Schools by section")
    st.caption("Each cell is the share of a school's assessed criteria in that section rated "
               "at or above the expected level (darker: lower). Rule: "
               + plain(comp.framework.manifest.rollup.section_rule))
    schools = comp.current
    if not schools:
        st.info("No school matches these filters.")
        _shown_apart_view(comp)
        return
    how = st.radio("Order", ["Lowest first", "Name"], key="cmp_order", horizontal=True)
    ordered = _order(comp, how)
    shown = ordered[:CHART_ROWS]
    if len(ordered) > CHART_ROWS:
        st.caption(f"The chart shows the first {CHART_ROWS} of {len(ordered):,} schools in "
                   "this order; the table below has every school. Narrow the filters to "
                   "chart others.")
    summary = "; ".join(
        f"{r.name}: " + ", ".join(f"{short_title(s.title)} {pct(r.sections[s.id].share)}"
                                  for s in comp.framework.sections) for r in shown[:10])
    with st.container(key="heatmap"):  # scrolls sideways on a phone (see theme.py)
        st.altair_chart(heatmap_chart(comp, shown), width="stretch",
                        alt=f"Heatmap of {len(shown)} schools by section. {summary}")
    st.subheader("The same numbers as a table")
    st.dataframe(heatmap_rows(comp), hide_index=True, key="cmp_heat_table")
    st.caption(" · ".join(plain(s.title) for s in comp.framework.sections))
    school_links(ordered, "Open a school beside the others")
    _shown_apart_view(comp)
    section_drilldown(comp)
