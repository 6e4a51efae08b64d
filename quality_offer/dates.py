"""Dates and times as people in English schools read them, the same in every output.

Every date or time a user sees is formatted here. Month names are spelled out here, not with
``strftime``'s ``%B``, so the server's locale cannot turn "March" into "März"; times are shown
in UK time (Europe/London), whatever the server's clock is set to.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

try:
    UK: dt.tzinfo = zoneinfo.ZoneInfo("Europe/London")
except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - no tz database: UTC, not a crash
    UK = dt.UTC


def long_date(value: dt.date | None) -> str:
    """3 March 2027."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def short_date(value: dt.date | None) -> str:
    """3 Mar 2027, for a narrow table column."""
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}" if value else ""


def uk_time(moment: dt.datetime) -> dt.datetime:
    """A stored time (UTC, or naive meaning UTC) as the clock on a school's wall shows it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(UK)


def today() -> dt.date:
    """Today's date in the UK (a server on UTC is an hour behind in summer)."""
    return dt.datetime.now(UK).date()


def clock(moment: dt.datetime | None = None, *, seconds: bool = False) -> str:
    """14:05 (or 14:05:09) in UK time; now when no moment is given."""
    local = uk_time(moment) if moment is not None else dt.datetime.now(UK)
    return f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"


def when(moment: dt.datetime | None, *, now: dt.datetime | None = None,
         long: bool = False) -> str:
    """A stored time as people say it: "14:05 on 3 Mar 2027" ("3 March 2027" with ``long``).

    With ``now``, a time earlier the same day is only the clock time ("14:05").
    """
    if moment is None:
        return ""
    local = uk_time(moment)
    if now is not None and uk_time(now).date() == local.date():
        return clock(local)
    day = long_date(local.date()) if long else short_date(local.date())
    return f"{clock(local)} on {day}"
