"""Dates as people write them in a UK report, the same in every output.

Month names are spelled out here, not with strftime, so the system locale cannot change them.
"""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(value: dt.date | None) -> str:
    """3 March 2027."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def short_date(value: dt.date | None) -> str:
    """3 Mar 2027, for a narrow table column."""
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}" if value else ""
