"""The Common gaps view: the criteria most schools rate below expected, the list an
authority decides its training and support from.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import Comparison
from ..text import count, one_line, plain
from .links import criterion_link
from .words import (
    level_labels,
    short_title,
)


def gap_rows(comp: Comparison, limit: int | None = None) -> list[dict[str, Any]]:
    """The common gaps as table rows, most schools below expected first."""
    labels = level_labels(comp)
    titles = {s.id: s.title for s in comp.framework.sections}
    rows = []
    for i, g in enumerate(comp.common_gaps()[:limit], 1):
        rows.append({
            "Rank": i, "Kind": "Statutory duty" if g.statutory else "Expectation",
            "Criterion": g.criterion, "Section": short_title(titles[g.section]),
            "Schools below expected": g.schools_below,
            "Schools assessed": g.schools_assessed, "Share below": f"{g.share:.0%}",
            "Ratings": ", ".join(f"{labels.get(lv, lv)} {n}" for lv, n in g.counts.items()),
            "Criterion text": g.text})
    return rows


def show(comp: Comparison) -> None:
    """The view: the most common gap in words, the table, and each criterion as a link."""
    st.header("Criteria most schools rate below expected")
    n = len(comp.current)
    st.markdown(f"Of {count(n, 'school')}, most schools below first: the list to decide "
                "the authority's training and support. Statutory duties are marked "
                "**Statutory duty** in the Kind column; on a tie, duties come first. Shares "
                "are of the schools that assessed the criterion.")
    rows = gap_rows(comp)
    if not rows:
        st.info("No criterion is rated below expected by any school in this selection.")
        return
    top = rows[0]
    st.markdown(f"Most common: **{plain(top['Criterion'])}** ({top['Kind'].lower()}), "
                f"{top['Schools below expected']} of {top['Schools assessed']} schools "
                f"below expected ({top['Share below']}).")
    st.dataframe(rows, hide_index=True, key="cmp_gaps_table",
                 column_config={"Criterion text": st.column_config.TextColumn(width="large")})
    st.markdown("Open a criterion school by school:\n" + "\n".join(
        f"{i}. " + criterion_link(g.criterion, g.section,
                                  f"{g.criterion}: {one_line(g.text, 90)}")
        + f" ({g.schools_below} of {g.schools_assessed} below expected)"
        for i, g in enumerate(comp.common_gaps(), 1)))
