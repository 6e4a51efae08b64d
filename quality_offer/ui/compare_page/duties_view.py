"""The Duties not met view: statutory duties a school rates not met or partly met,
with the authority's moderated rating beside the school's own.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import Comparison
from ..text import count
from .links import school_links
from .words import (
    table_text,
)


def duty_rows(comp: Comparison) -> list[dict[str, Any]]:
    """One row per school and duty not met or partly met, moderation beside it."""
    rows = []
    for school in comp.duties_not_met():
        for d in school["duties"]:
            rows.append({"School": table_text(school["name"]), "URN": school["urn"],
                         "Year": school["academic_year"], "Duty": d["criterion"],
                         "School's rating": d["rating_label"],
                         "Moderated rating": d["moderated_label"] or "not moderated",
                         "Moderation note": table_text(d["moderation_note"] or ""),
                         "Duty text": d["text"]})
    return rows


def show(comp: Comparison) -> None:
    """The view: the table of duties not met, and each school in it as a link."""
    st.header("Statutory duties not met, school by school")
    schools = comp.duties_not_met()
    n = len(comp.current)
    st.markdown(f"{len(schools)} of {count(n, 'school')} rate at least one statutory duty "
                "not met or partly met. The LA's moderated rating is beside the school's "
                "own where an adviser has recorded one.")
    if schools:
        st.dataframe(duty_rows(comp), hide_index=True, key="cmp_duty_table")
        by_key = {r.key: r for r in comp.current_all}
        school_links([by_key[(s["urn"], s["academic_year"])] for s in schools
                       if (s["urn"], s["academic_year"]) in by_key])
