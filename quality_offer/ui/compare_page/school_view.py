"""The One school view: a school's share in each section beside the spread of the
others (quartiles, median), last year's figures and its duties not met; and the school
choice the Trends view shares.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from ...compare import Comparison
from ...compare.school_result import SchoolResult
from ...vocabulary import AUDIT_STATUS_LABELS
from .. import session
from ..text import plain
from .words import (
    pct,
    phase_words,
    short_title,
    type_words,
)

#: Share axes: 0% to 100%, with a little room so a mark at either end is drawn whole.
DOMAIN, TICKS = [-0.03, 1.03], [0, 0.2, 0.4, 0.6, 0.8, 1]


def school_choice(comp: Comparison, key: str) -> SchoolResult | None:
    """The school chosen under ``key`` among those filtered; a choice no longer offered
    falls back to the first. None, with a note, when no school matches."""
    schools = comp.current_all
    if not schools:
        st.info("No school matches these filters.")
        return None
    by_urn = {r.urn: r for r in schools}
    if st.session_state.get(key) not in by_urn:
        st.session_state.pop(key, None)
    urn = st.selectbox("School", list(by_urn), key=key,
                       format_func=lambda u: f"{by_urn[u].name} (URN {u})")
    return by_urn[urn]


def school_chart(detail: dict[str, Any]) -> alt.LayerChart:
    """The school's share (a point) on each section's spread: quartile box, median tick."""
    rows = []
    for s in detail["sections"]:
        d = s["distribution"]
        rows.append({"Section": short_title(s["title"]), "Title": s["title"],
                     "School": s["share"], "Q1": d["q1"], "Median": d["median"],
                     "Q3": d["q3"], "Min": d["min"], "Max": d["max"]})
    order = [r["Section"] for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("Section:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)))
    pc = alt.Axis(format=".0%", values=TICKS)
    scale = alt.Scale(domain=DOMAIN, nice=False)
    whisker = base.mark_rule(color="#505a5f").encode(
        x=alt.X("Min:Q", scale=scale, axis=pc, title="Share at or above expected"),
        x2="Max:Q")
    box = base.mark_bar(size=16, color="#b1b4b6").encode(x="Q1:Q", x2="Q3:Q")
    median = base.mark_tick(color="#0b0c0c", thickness=3, size=20).encode(x="Median:Q")
    point = base.mark_point(shape="diamond", size=160, filled=True, color="#1d70b8").encode(
        x="School:Q", tooltip=["Title:N", alt.Tooltip("School:Q", format=".0%"),
                               alt.Tooltip("Median:Q", format=".0%")])
    return (whisker + box + median + point).properties(height=alt.Step(34))


def show(comp: Comparison, every: Comparison, from_db: bool) -> None:
    """The view: one school's shares beside the spread of the others, as a chart and a
    table, with the way to its gap report for someone who may open it."""
    st.header("One school beside the others")
    res = school_choice(comp, "cmp_school")
    if res is None:
        return
    detail = every.school(res.urn, res.academic_year)
    assert detail is not None
    prev = detail["previous_year"]
    st.markdown(f"**{plain(res.name)}**, URN {res.urn}, {res.academic_year}, "
                f"{phase_words(res.phase)}, {type_words(res.type)}; audit "
                f"{AUDIT_STATUS_LABELS.get(res.status, res.status).lower()}. "
                + (f"Change is since {prev}." if prev else "No earlier audit to compare with."))
    st.caption(f"The spread is of the schools in the current filters that audited in "
               f"{res.academic_year}: grey "
               "bar from the lower to the upper quartile, black tick at the median, line "
               "from lowest to highest, blue diamond this school.")
    st.altair_chart(school_chart(detail), width="stretch",
                    alt="This school's share in each section beside the median and "
                        "quartiles of all schools; the table has the numbers.")
    st.dataframe([{
        "Section": short_title(s["title"]), "This school": pct(s["share"]),
        "Median": pct(s["distribution"]["median"]),
        "Lower quartile": pct(s["distribution"]["q1"]),
        "Upper quartile": pct(s["distribution"]["q3"]),
        "Where it sits": s["place"] or "",
        "Last year": pct(s["previous"]) if prev else "no audit",
        "Change": ("" if s["change"] is None else f"{s['change'] * 100:+.0f} points"),
        "Flagged (duty not met)": "yes" if s["flagged"] else "no",
    } for s in detail["sections"]], hide_index=True, key="cmp_school_table")
    if detail["unmet_duties"]:
        st.markdown("Statutory duties not met or partly met: "
                    + ", ".join(plain(c) for c in detail["unmet_duties"]) + ".")
    if (from_db and session.may_school("view", res.urn)
            and st.button("Open this school's gap report", key="cmp_open", type="primary")):
        session.select_audit(res.urn, res.academic_year)
        session.go("report")
