"""The Trends view: the authority's median share per section by year, and one
school's shares by year.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from ...compare import Comparison
from .school_view import DOMAIN, TICKS, school_choice
from .words import (
    pct,
    short_title,
)


def trend_rows(every: Comparison) -> list[dict[str, Any]]:
    """The authority's medians per section and year, as table rows."""
    titles = {s.id: s.title for s in every.framework.sections}
    rows = []
    for t in every.trends():
        row: dict[str, Any] = {"Year": t["academic_year"], "Schools": t["schools"]}
        for sid, d in t["sections"].items():
            row[f"{short_title(titles[sid])} median"] = pct(d["median"])
        row["Schools with a duty not met"] = t["schools_with_unmet_duties"]
        rows.append(row)
    return rows


def _line_chart(rows: list[dict[str, Any]], title: str, order: list[str]) -> alt.Chart:
    """Shares by year, one line per section: colour, dash and marker shape all differ."""
    chart = alt.Chart(alt.Data(values=rows)).mark_line(point=alt.OverlayMarkDef(size=60)).encode(
        x=alt.X("Year:N", title="Academic year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Share:Q", title=title, scale=alt.Scale(domain=DOMAIN, nice=False),
                axis=alt.Axis(format=".0%", values=TICKS)),
        # two columns of section names: three ran off the right of a phone's screen
        color=alt.Color("Section:N", sort=order, scale=alt.Scale(scheme="tableau10"),
                        legend=alt.Legend(orient="bottom", columns=2)),
        strokeDash=alt.StrokeDash("Section:N", sort=order, legend=None),
        shape=alt.Shape("Section:N", sort=order, legend=None),
        tooltip=["Year:N", "Section:N", alt.Tooltip("Share:Q", format=".0%")])
    return chart.properties(height=300)


def show(every: Comparison) -> None:
    """The view: the authority's medians by year, then one school's shares by year."""
    st.header("Trends across years")
    titles = {s.id: s.title for s in every.framework.sections}
    order = [short_title(t) for t in titles.values()]
    trends = every.trends()
    if not trends:
        st.info("No audits in this selection.")
        return
    st.subheader("The authority")
    st.caption("Median share at or above expected, per section and year. The number of "
               "schools is given for each year: a changing group of schools moves the median "
               "as much as real change does.")
    points = [{"Year": t["academic_year"], "Section": short_title(titles[sid]),
               "Share": d["median"]}
              for t in trends for sid, d in t["sections"].items() if d["median"] is not None]
    if len(trends) > 1:
        st.altair_chart(_line_chart(points, "Median share", order), width="stretch",
                        alt="Median share per section by year; the table has the numbers.")
    else:
        st.caption(f"Only {trends[0]['academic_year']} so far: a trend needs two years.")
    st.dataframe(trend_rows(every), hide_index=True, key="cmp_trend_table")
    st.subheader("One school")
    res = school_choice(every, "cmp_trend_school")
    if res is None:
        return
    rows = every.school_trend(res.urn)
    points = [{"Year": t["academic_year"], "Section": short_title(titles[sid]),
               "Share": v} for t in rows for sid, v in t["sections"].items() if v is not None]
    if len(rows) > 1:
        st.altair_chart(_line_chart(points, "Share", order), width="stretch",
                        alt=f"{res.name}: share per section by year.")
    st.dataframe([{"Year": t["academic_year"],
                   **{short_title(titles[sid]): pct(v) + (
                       f" ({t['change'][sid] * 100:+.0f})" if t["change"][sid] is not None
                       else "") for sid, v in t["sections"].items()},
                   "Duties not met or partly met": ", ".join(t["unmet_duties"]) or "none"}
                  for t in rows], hide_index=True, key="cmp_school_trend_table")
    st.caption("In brackets: the change in percentage points on the year before.")
