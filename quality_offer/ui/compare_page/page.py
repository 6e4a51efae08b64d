"""Compare schools: the local authority adviser's view of many schools' audits.

Everything on this page is computed by :mod:`quality_offer.compare`; the page only lays it
out. The audits come from the database, limited in the SQL to the authorities the user
advises (an administrator sees every school), or from audit files the adviser uploads.

This module is the page's frame: who may open it, where the audits come from, what was
left out, the filters, the view switch and the page's address. Each view is a module of
its own beside it.

- The comparison is computed once and kept for the session while the database has not
  changed (:func:`.database_source.data_version` is one small aggregate query); each
  audit's analysis is also kept per database by its version, so a change re-analyses only
  the audits changed.
- Every chart has its numbers beside it as text; every rating is said in words.
- Names and notes typed by schools reach the screen only through :func:`..text.plain` (in
  Markdown) or in data tables, which show text as it is and never as Markdown or HTML.
- Exports are formula-safe (:mod:`quality_offer.compare.tables`); the one meant to leave
  the authority names no school and suppresses small groups, and says so.
"""

from __future__ import annotations

import streamlit as st

from ...compare import Comparison, address
from .. import report_jobs, session
from ..text import count, plain
from . import (
    coverage_view,
    duties_view,
    exports_view,
    gaps_view,
    heatmap,
    moderation_view,
    school_view,
    trends_view,
)
from .collection import with_collection
from .database_source import compare_scope, database_comparison
from .filters import apply_filters
from .upload_source import files_comparison

VIEWS = ("Heatmap", "Common gaps", "Duties not met", "Moderation", "One school", "Trends",
         "Exports", "Not submitted")

FROM_DB, FROM_FILES = "The database", "Audit files I upload"


def render() -> None:
    """The page: only for advisers and administrators; the source, what was left out,
    the collection, the filters, then the view chosen; the address follows what is shown."""
    session.follow_page_request()
    st.title("Compare schools")
    user = session.current_user()
    if not session.may("compare"):
        st.error("Comparing schools is for local authority advisers and administrators.",
                 icon=":material/block:")
        return
    scope = compare_scope(user)
    report_jobs.sidebar_part(scope)
    _read_address()
    source = st.segmented_control("Audits from", [FROM_DB, FROM_FILES], key="cmp_source",
                                  default=FROM_DB, required=True)
    from_db = source != FROM_FILES
    if from_db:
        try:
            comp: Comparison | None = database_comparison(user)
        except LookupError:
            comp = None
        if comp is not None and not comp.results:
            where = ("" if scope.everything else " of your authority ("
                     + ", ".join(sorted(scope.la_codes)) + ")")
            st.info(f"There are no audits{where} in the database yet.")
            comp = None
    else:
        comp = files_comparison()
    if comp is None:
        return
    if comp.skipped:
        with st.expander(f"{count(len(comp.skipped), 'audit')} left out: see why"):
            st.dataframe([{"File": s.file, "Why": s.error} for s in comp.skipped],
                         hide_index=True, key="cmp_skipped")
    others = comp.other_versions()
    if others:
        with st.expander(f"{count(len(others), 'audit')} on another version than "
                         f"{comp.framework.version}: compared on the unchanged criteria only"):
            st.dataframe([{"School": o["name"], "URN": o["urn"], "Year": o["academic_year"],
                           "Version": o["framework_version"],
                           "Not compared (changed since)": ", ".join(o["not_comparable"])}
                          for o in others], hide_index=True, key="cmp_versions")
    if from_db:
        comp = with_collection(comp, scope)
    every, view, year = apply_filters(comp)
    if st.session_state.get("cmp_view") not in VIEWS:
        st.session_state.pop("cmp_view", None)
    n = len(view.current)
    apart = len(view.shown_apart)
    st.markdown(f"**{n:,} {'school' if n == 1 else 'schools'}** in this selection"
                + (f" (and {apart:,} shown apart, under {view.min_assessed:.0%} assessed)"
                   if apart else "")
                + (f", {year}" if year else ", all years (each school by its latest audit)")
                + f" · {plain(comp.framework.title)}, version {comp.framework.version}")
    choice = st.segmented_control("View", VIEWS, key="cmp_view", default=VIEWS[0],
                                  required=True, label_visibility="collapsed")
    if choice == "Heatmap":
        heatmap.show(view)
    elif choice == "Common gaps":
        gaps_view.show(view)
    elif choice == "Duties not met":
        duties_view.show(view)
    elif choice == "Moderation":
        moderation_view.show(view)
    elif choice == "One school":
        school_view.show(view, every, from_db)
    elif choice == "Trends":
        trends_view.show(every)
    elif choice == "Exports":
        exports_view.show(view, from_db, scope)
    elif choice == "Not submitted":
        coverage_view.show(every, year, scope)
    _write_address()


def _read_address() -> None:
    """Once per session, take the view from the page's address (a reload or a shared link)."""
    if st.session_state.get("_cmp_address_read"):
        return
    st.session_state["_cmp_address_read"] = True
    st.session_state.update(address.state_from(st.query_params.get_all, VIEWS))


def _write_address() -> None:
    """Keep the address in step with what is on screen, so it can be reloaded or shared."""
    wanted = address.params_from(st.session_state)
    for field in address.FIELDS.values():
        if field.param not in wanted and field.param in st.query_params:
            del st.query_params[field.param]
    for name, value in wanted.items():
        current = st.query_params.get_all(name)
        if current != (value if isinstance(value, list) else [value]):
            st.query_params[name] = value
