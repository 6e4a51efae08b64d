"""One section criterion by criterion, school by school, under the heatmap; and one
criterion alone, which a common gap's link opens.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import Comparison
from ...compare.school_result import SchoolResult
from ..text import count, plain
from .links import criterion_link, school_link
from .words import (
    level_labels,
    table_text,
)


def criterion_rows(comp: Comparison, section: str) -> list[dict[str, Any]]:
    """Schools by criterion in one section: the rating in words, moderation beside it."""
    labels = level_labels(comp)
    fw = comp.framework
    crits = [c.id for c in fw.active if fw.section_of(c.id) == section]
    mixed = any(r.comparable is not None for r in comp.current)
    rows = []
    for r in comp.current:
        row: dict[str, Any] = {"School": table_text(r.name), "URN": r.urn}
        if mixed:
            row["Version"] = r.framework_version
        for cid in crits:
            row[cid] = answer_words(r, cid, labels)
        rows.append(row)
    return rows


def answer_words(r: SchoolResult, cid: str, labels: dict[str, str]) -> str:
    """A school's answer to one criterion, in words, moderation beside it."""
    cell = r.cells.get(cid)
    if not r.compares(cid):
        return f"not comparable (version {r.framework_version} asks it differently)"
    if cell is None:
        text = "does not apply"
    elif cell.not_applicable:
        text = "not applicable"
    elif cell.rating is None:
        text = "not assessed"
    else:
        text = labels.get(cell.rating, cell.rating)
        if cell.meets is False:
            text += " (below expected)"
    if cell is not None and cell.moderated_rating:
        text += f"; moderated: {labels.get(cell.moderated_rating, cell.moderated_rating)}"
    return text


def _close_criterion() -> None:
    """Button callback: back from one criterion to the whole section."""
    st.session_state.pop("cmp_criterion", None)


def _one_criterion(comp: Comparison, cid: str) -> None:
    """One criterion school by school: what a common gap's link opens."""
    fw = comp.framework
    crit = fw.criterion(cid)
    labels = level_labels(comp)
    st.markdown(f"**{plain(cid)}**{' (statutory duty)' if crit.statutory else ''}: "
                f"{plain(crit.text)}")
    mixed = any(r.comparable is not None for r in comp.current)
    st.table([{"School": school_link(r), "URN": r.urn,
               **({"Version": r.framework_version} if mixed else {}),
               "Answer": plain(answer_words(r, cid, labels))} for r in comp.current],
             hide_index=True)
    st.button("Show the whole section", key="cmp_criterion_close", on_click=_close_criterion)


def section_drilldown(comp: Comparison) -> None:
    """Under the heatmap: the section chosen, criterion by criterion; or the one criterion
    a link named, while it is in that section (a stale or foreign link shows the section)."""
    st.subheader("One section, criterion by criterion")
    fw = comp.framework
    titles = {s.id: s.title for s in fw.sections}
    section = st.selectbox("Section", list(titles), key="cmp_section",
                           format_func=lambda s: titles[s])
    crits = [c for c in fw.active if fw.section_of(c.id) == section]
    if st.session_state.get("cmp_criterion") not in {c.id for c in crits}:
        st.session_state.pop("cmp_criterion", None)  # a stale or foreign link: the section
    elif comp.current:
        _one_criterion(comp, st.session_state["cmp_criterion"])
        return
    others = [r for r in comp.current if r.comparable is not None]
    if others:
        st.caption(f"{count(len(others), 'school')} on another version of the criteria than "
                   f"{plain(fw.version)}: a criterion that version asks differently (new, "
                   "reworded, re-scoped or re-levelled) is marked not comparable, and that "
                   "school's answer to it is left out of every count.")
    st.dataframe(criterion_rows(comp, section), hide_index=True, key="cmp_crit_table")

    def apart(cid: str) -> str:
        n = sum(1 for r in others if not r.compares(cid))
        return f" (not comparable for {count(n, 'school')} on another version)" if n else ""

    with st.expander("What the criteria in this section are"):
        st.markdown("\n".join(f"- **{criterion_link(c.id, section)}**"
                              f"{' (statutory duty)' if c.statutory else ''}: {plain(c.text)}"
                              f"{plain(apart(c.id))}" for c in crits))
