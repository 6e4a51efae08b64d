"""The Not submitted view: the schools in the authority's GIAS extract that have no
audit for the year chosen.
"""

from __future__ import annotations

import streamlit as st

from ...compare import Comparison
from ...errors import InputError
from ...permissions import Scope
from ..text import count, plain
from .words import (
    phase_words,
    table_text,
    type_words,
)


def show(every: Comparison, year: str | None, scope: Scope) -> None:
    """The view: the GIAS extract the adviser uploads, read within their authorities, and
    the schools in it with no audit for ``year``."""
    from ... import gias

    st.header("Schools that have not submitted")
    st.markdown("Upload the authority's list of schools as a CSV extract from Get "
                "Information about Schools (GIAS, from the DfE): every open school in it "
                "without an audit is listed.")
    upload = st.file_uploader("GIAS extract (CSV)", type=["csv"], key="cmp_gias")
    area_column = st.text_input("Column to use as the area (optional)", key="cmp_gias_area",
                                placeholder="for example DistrictAdministrative (name)")
    if upload is None:
        return
    try:
        register = gias.parse_text(upload.getvalue(), upload.name,
                                   area_column=area_column.strip() or None)
    except InputError as exc:
        st.error("The file cannot be used: " + plain("; ".join(str(p) for p in exc.problems)))
        return
    if not scope.everything:
        register = register.in_las(scope.la_codes)
    cov = gias.coverage(register, every, year)
    st.markdown(f"**{cov['submitted']} of {count(cov['schools'], 'school')}** in the list "
                f"have an audit for {cov['academic_year'] or 'the year chosen'}; "
                f"{len(cov['not_submitted'])} have not.")
    if cov["not_submitted"]:
        st.dataframe([{"School": table_text(s["name"]), "URN": s["urn"],
                       "Phase": phase_words(s["phase"]), "Type": type_words(s["type"]),
                       "Area": table_text(s["area"] or ""), "LA code": s["la_code"] or ""}
                      for s in cov["not_submitted"]], hide_index=True,
                     key="cmp_not_submitted")
    if cov["problems"]:
        with st.expander(f"{count(len(cov['problems']), 'line')} of the file could not be "
                         "used as it is"):
            st.code("\n".join(cov["problems"][:200]), language=None, wrap_lines=True)
