"""What an adviser is looking at, written into the page's address and read back from it.

A reload, a bookmark or a link sent to a colleague opens the same comparison view: the same
filters, year, view and school. The page keeps its widgets' values under its own keys; this
module maps those to short, readable query parameters and back, and is pure so it can be
tested without a browser. Values read from an address are only suggestions: the page drops
any that is not among its current options (a school the reader may not see, a year not
loaded), so a shared link can never widen what someone sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True, slots=True)
class Field:
    """One widget's value in the address: its query name and whether it holds a list."""

    param: str
    many: bool = False


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
}


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
        else:
            state[key] = values[0]
    return state


def params_from(state: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The query parameters for the widgets' current values (empty ones left out)."""
    out: dict[str, str | list[str]] = {}
    for key, f in FIELDS.items():
        value = state.get(key)
        if value in (None, "", []):
            continue
        if f.many:
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
