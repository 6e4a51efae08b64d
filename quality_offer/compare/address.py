"""What an adviser is looking at, written into the page's address and read back from it.

A reload, a bookmark or a link sent to a colleague opens the same comparison view: the same
filters, year, view, school, share assessed to be scored and drafts shown or not. The page
keeps its widgets' values under its own keys; this module maps those to short, readable
query parameters and back, and is pure so it can be tested without a browser. Values read
from an address are only suggestions: the page drops any that is not among its current
options (a school the reader may not see, a year not loaded, a share not offered), so a
shared link can never widen what someone sees nor break the page. Drafts in a link are
still only the reader's own authority's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .core import MIN_ASSESSED


@dataclass(frozen=True, slots=True)
class Field:
    """One widget's value in the address: its query name and whether it holds a list."""

    param: str
    many: bool = False
    switch: bool = False  # on or off: written ``yes`` when on, left out when off


#: Widget key on the Compare page -> its query parameter.
FIELDS: dict[str, Field] = {
    "cmp_phase": Field("phase", many=True),
    "cmp_type": Field("type", many=True),
    "cmp_area": Field("area", many=True),
    "cmp_year": Field("academic_year"),
    "cmp_view": Field("view"),
    "cmp_school": Field("school"),
    "cmp_section": Field("section"),
    "cmp_criterion": Field("criterion"),
    "cmp_trend_school": Field("trend_school"),
    "cmp_min_assessed": Field("min_assessed"),
    "cmp_drafts": Field("drafts", switch=True),
}

#: The shares (in percent) an adviser may set as the least assessed to be scored: steps of
#: 5, so a link reads as a round figure and a typed address cannot ask for 49.999%.
SHARES: tuple[int, ...] = tuple(range(0, 101, 5))
DEFAULT_SHARE = round(MIN_ASSESSED * 100)


def share_from(value: str) -> int | None:
    """A share from an address (``"40"`` -> 40), or None for anything not among
    :data:`SHARES` (``"45.5"``, ``"-5"``, ``"1e2"``, ``"<b>"``): the page then keeps its
    default, never a traceback."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return None
    share = int(text)
    return share if share in SHARES else None


def slug(label: str) -> str:
    """``Common gaps`` -> ``common-gaps``: a view's name as it reads in an address."""
    return "-".join(label.casefold().split())


def state_from(params: Callable[[str], list[str]], views: tuple[str, ...]) -> dict[str, Any]:
    """Widget values from an address; ``params(name)`` gives every value of one parameter."""
    state: dict[str, Any] = {}
    for key, f in FIELDS.items():
        values = [v for v in params(f.param) if v]
        if not values:
            continue
        if f.many:
            state[key] = list(dict.fromkeys(values))
        elif key == "cmp_view":
            by_slug = {slug(v): v for v in views}
            if values[0] in by_slug:
                state[key] = by_slug[values[0]]
        elif key == "cmp_min_assessed":
            share = share_from(values[0])
            if share is not None:
                state[key] = share
        elif f.switch:
            if values[0] == "yes":
                state[key] = True
        else:
            state[key] = values[0]
    return state


def params_from(state: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The query parameters for the widgets' current values (empty ones left out)."""
    out: dict[str, str | list[str]] = {}
    for key, f in FIELDS.items():
        value = state.get(key)
        if value in (None, "", []) or (f.switch and value is not True):
            continue
        if f.switch:
            out[f.param] = "yes"
        elif f.many:
            out[f.param] = [str(v) for v in value]
        elif key == "cmp_view":
            out[f.param] = slug(str(value))
        else:
            out[f.param] = str(value)
    return out


def keep_known(values: list[str], options: list[str]) -> list[str]:
    """The values that are still options, in order: a stale or foreign link narrows nothing."""
    allowed = set(options)
    return [v for v in values if v in allowed]


def href(state: Mapping[str, Any], **changes: Any) -> str:
    """A link to this page as it stands, with ``changes`` (widget key -> value) made: the
    address a table's school or criterion opens, keeping the filters and the year.

    A relative address (``?view=one-school&school=117000&phase=primary``), so it opens this
    page on the same server whatever its host name; values are percent-encoded.
    """
    params = params_from({**state, **changes})
    return "?" + urlencode(params, doseq=True)
