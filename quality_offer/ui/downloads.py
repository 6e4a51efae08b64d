"""Download buttons for one audit's files, shared by the pages that offer them.

The report formats come from :mod:`quality_offer.reports.formats` (the same list the CLI
reads); every file is built only when its button is clicked, from the report or audit the
page already holds.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .. import auditfile
from ..audit import Audit
from ..gaps import GapReport
from ..reports.formats import available, file_stem


def _lazy(render: Callable[[GapReport], bytes], report: GapReport) -> Callable[[], bytes]:
    return lambda: render(report)


def report_downloads(report: GapReport, audit: Audit) -> None:
    """One button per report format this install can make."""
    stem = file_stem(audit.school.urn, audit.academic_year)
    formats = available()
    if not formats:
        st.caption("The printable reports are not available in this install.")
    # A row of columns for each three buttons, so that Tab and a phone's single column
    # take them in the order they are read, not column by column.
    items = list(formats.items())
    for row in range(0, len(items), 3):
        for column, (ext, (fmt, render)) in zip(st.columns(3), items[row:row + 3],
                                                strict=False):
            with column:
                st.download_button(fmt.label, _lazy(render, report),
                                   file_name=f"{stem}.{ext}",
                                   mime=fmt.mime, on_click="ignore",
                                   key=f"download_{ext}", icon=":material/download:",
                                   width="stretch")


def audit_file_downloads(audit: Audit, key: str) -> None:
    """The audit file as YAML and JSON, side by side, built only when clicked."""
    stem = file_stem(audit.school.urn, audit.academic_year)
    for column, (fmt, mime) in zip(st.columns(3), (("yaml", "application/yaml"),
                                                   ("json", "application/json")),
                                   strict=False):
        with column:
            st.download_button(f"Audit file ({fmt.upper()})",
                               lambda fmt=fmt: auditfile.dump(audit, fmt),
                               file_name=f"{stem}.{fmt}", mime=mime, on_click="ignore",
                               key=f"{key}_{fmt}", icon=":material/download:",
                               width="stretch")
