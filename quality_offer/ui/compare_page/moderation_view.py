"""The Moderation view: the adviser's queue, and every answer where the authority's
view differs from the school's own.
"""

from __future__ import annotations

import streamlit as st

from ...compare import Comparison
from .words import (
    level_labels,
    table_text,
)


def show(comp: Comparison) -> None:
    """The adviser's queue, and every answer where the authority's view differs."""
    st.header("Moderation")
    labels = level_labels(comp)
    queue = comp.moderation_queue()
    st.subheader("Submitted and not yet moderated")
    rows = queue["not_moderated"]
    if rows:
        st.dataframe([{"School": table_text(r["name"]), "URN": r["urn"], "Year": r["academic_year"],
                       "Assessed": f"{r['assessed']:.0%}"} for r in rows],
                     hide_index=True, key="cmp_mod_waiting")
    else:
        st.markdown("Every submitted audit has at least one moderated answer.")
    st.subheader("Duties rated met with no evidence recorded")
    rows = queue["met_without_evidence"]
    if rows:
        st.dataframe([{"School": table_text(r["name"]), "URN": r["urn"], "Year": r["academic_year"],
                       "Duties": ", ".join(r["criteria"])} for r in rows],
                     hide_index=True, key="cmp_mod_noevidence")
    else:
        st.markdown("None: every duty rated met has evidence recorded.")
    st.subheader("Most unlike last year's moderation")
    rows = queue["unlike_last_year"]
    if rows:
        st.dataframe([{"School": table_text(r["name"]), "URN": r["urn"], "Year": r["academic_year"],
                       "Answers unlike last year's moderation": r["differences"],
                       "Criteria": ", ".join(r["criteria"])} for r in rows],
                     hide_index=True, key="cmp_mod_unlike")
    else:
        st.markdown("No school has a rating unlike last year's moderation of it.")
    st.subheader("Where the authority's view differs")
    diffs = comp.differences()
    if not diffs:
        st.markdown("No moderated rating differs from the school's own.")
        return
    st.caption("The school's own rating stays as the school gave it; the authority's is "
               "beside it, never over it.")
    st.dataframe([{"School": table_text(d["name"]), "URN": d["urn"], "Criterion": d["criterion"],
                   "Criterion text": d["text"],
                   "School's rating": labels.get(d["rating"] or "", "not assessed"),
                   "Authority's rating": labels.get(d["moderated_rating"],
                                                    d["moderated_rating"]),
                   "Note": table_text(d["moderation_note"] or "")} for d in diffs],
                 hide_index=True, key="cmp_mod_differs")
