"""Printable reports of one :class:`~quality_offer.gaps.GapReport`: PDF and HTML.

Both render the same GapReport and compute nothing of their own; the helpers here are only
about wording and cleaning text, so the PDF, the HTML and the spreadsheets say things the
same way.
"""

from __future__ import annotations

import datetime as dt
import re

from ..citations import SOURCE_NAMES, cited, cited_list
from ..dates import MONTHS, long_date, short_date

__all__ = [
    "MONTHS",
    "SOURCE_NAMES",
    "cited",
    "cited_list",
    "clean_text",
    "coming_when",
    "long_date",
    "share_text",
    "short_date",
]

def coming_when(day: dt.date | None) -> str:
    """When a coming duty starts to bind schools, in words for every output."""
    if day is None:
        return "Enacted; the date it comes into force is still to be set"
    return f"Comes into force on {long_date(day)}"


# C0 and C1 control characters other than tab and newline, lone surrogates and the
# non-characters U+FFFE / U+FFFF: no font has a glyph for them and XML refuses most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Free text made printable: line ends unified, control characters shown as U+FFFD.

    Replacing rather than dropping keeps it visible that something was there.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", text)


def share_text(share: float | None) -> str:
    return "not assessed" if share is None else f"{share:.0%}"
