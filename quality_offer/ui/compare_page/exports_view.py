"""The Exports view: the comparison as spreadsheets (each built only when its button is
clicked), the summary to share that names no school, and every school's PDF report.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ...compare import Comparison
from ...compare.privacy import DEFAULT_THRESHOLD, shared_summary
from ...compare.tables import shared_xlsx, to_csv, to_xlsx
from ...permissions import Scope
from .. import report_jobs, session
from ..text import count, plain
from .database_source import data_version

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_files(comp: Comparison, threshold: int) -> dict[str, tuple[str, str, str,
                                                                     Callable[[], bytes]]]:
    """key -> (label, file name, mime, build): each file built only when clicked."""
    stem = "quality-offer-comparison"
    return {
        "xlsx": ("Comparison (XLSX)", f"{stem}.xlsx", XLSX, lambda: to_xlsx(comp)),
        "csv": ("Every answer (CSV)", f"{stem}.csv", "text/csv",
                lambda: to_csv(comp).encode("utf-8-sig")),
        "shared": ("Summary to share (XLSX)",
                   f"{stem}-shared-threshold-{threshold}.xlsx", XLSX,
                   lambda: shared_xlsx(comp, threshold)),
    }


def show(comp: Comparison, from_db: bool, scope: Scope) -> None:
    """The view: the downloads, the threshold for the summary to share, and the PDF
    reports (from the database only: uploaded files have no stored audit to report on)."""
    st.header("Exports")
    n = len({r.urn for r in comp.results})
    audits = count(len(comp.results), 'audit')
    st.markdown(f"The exports hold the {count(n, 'school')} and {audits} "
                f"in the current filters. An audit with less than {comp.min_assessed:.0%} "
                "of its criteria assessed is marked as shown apart and left out of the "
                "common gaps and the quartiles. Spreadsheet cells that would run as a formula "
                "are made harmless (a leading apostrophe).")
    threshold = int(st.number_input(
        "Smallest group shown in the summary to share", min_value=1, max_value=100,
        value=DEFAULT_THRESHOLD, step=1, key="cmp_threshold",
        help="Any group (phase, type, area, criterion) of fewer schools than this has its "
             "figures replaced by 'suppressed'."))
    files = export_files(comp, threshold)
    cols = st.columns(3)
    for col, (key, (label, name, mime, build)) in zip(cols, files.items(), strict=True):
        with col:
            st.download_button(label, build, file_name=name, mime=mime, on_click="ignore",
                               key=f"cmp_dl_{key}", icon=":material/download:",
                               width="stretch")
    summary = shared_summary(comp, threshold)
    st.info("**The summary to share** names no school. It gives the authority's medians by "
            "phase, type and area and the common gaps. " + plain(summary["note"])
            + f" In this selection, {count(summary['suppressed'], 'group')} "
            f"{'is' if summary['suppressed'] == 1 else 'are'} suppressed.",
            icon=":material/shield:")
    st.subheader("Every school's PDF report")
    if not from_db:
        st.caption("The PDF reports are made from the database; load the audits into the "
                   "database (Import and export page) to make them.")
        return
    report_jobs.start_part(comp, scope, data_version(session.store(), scope))
