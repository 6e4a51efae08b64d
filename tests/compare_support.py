"""Helpers for the AppTest suites of the authority's comparison page (``test_app_compare*``).

The page's views are switched by its segmented control and its data tables carry no key, so
the tests find a table by its columns; the cohort and download fixtures are in conftest.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from quality_offer.audit import Audit

from .app_support import as_, goto, texts
from .builders import make_audit
from .personas import YEAR


def authority_audit(mini, urn, name, la_code, responses, *, year=YEAR, phase="primary",
           school_type="maintained", area="DSPL 8") -> Audit:
    """An audit of a school of the given authority and area, as the comparison groups them."""
    data = make_audit(mini, responses, urn=urn, name=name, year=year, phase=phase,
                      school_type=school_type).model_dump()
    data["school"].update(la_code=la_code, area=area)
    return Audit.model_validate(data)


def everything(at) -> str:
    """All the page holds: text, tables, data tables, menus and the charts' data."""
    parts = [texts(at)]
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    for kind in ("selectbox", "multiselect", "radio", "segmented_control"):
        for w in getattr(at, kind):
            parts.append(" ".join(str(o) for o in w.options))
            parts.append(str(w.label))
    for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        parts.append(str(chart.proto))
    return "\n".join(parts)


def view(at, name: str):
    """Switch the comparison to one of its views and check the page ran."""
    at.segmented_control(key="cmp_view").set_value(name).run()
    assert not at.exception, at.exception
    return at


def open_compare(persona: str = "admin"):
    """The comparison page as the persona opens it from the menu."""
    at = as_(persona)
    goto(at, "compare")
    assert not at.exception, at.exception
    return at


def titles(at) -> list[str]:
    """The page's titles, in order."""
    return [t.value for t in at.title]


#: Each data table of the page, told apart by its columns (data tables carry no key).
TABLES = {
    "heatmap": lambda c: "Phase" in c and "URN" in c,
    "criteria": lambda c: "School" in c and "Phase" not in c and "Duty" not in c,
    "gaps": lambda c: "Rank" in c,
    "duties": lambda c: "Duty text" in c,
    "school": lambda c: "This school" in c,
    "trend": lambda c: "Schools with a duty not met" in c,
    "school trend": lambda c: "Year" in c and "URN" not in c and "Schools" not in c,
    "skipped": lambda c: "Why" in c,
    "not submitted": lambda c: "LA code" in c,
}


def table(at, name: str):
    """The one data table of the page with the columns of ``name`` in :data:`TABLES`."""
    found = [df.value for df in at.dataframe if TABLES[name](set(df.value.columns))]
    assert len(found) == 1, (name, [list(df.value.columns) for df in at.dataframe])
    return found[0]


LINK = re.compile(r"\[([^\]]+)\]\((\?[^)]*)\)")


def links(at) -> dict[str, str]:
    """Every link on the page to this page's own address: label -> address."""
    found: dict[str, str] = {}
    for el in list(at.markdown) + list(at.table):
        text = el.value if isinstance(el.value, str) else el.value.to_string()
        for label, href in LINK.findall(text):
            found.setdefault(label.replace("\\", ""), href)
    return found


def follow(persona: str, href: str):
    """Open an address in a new session, as following the link (or a shared copy) does."""
    at = as_(persona)
    query = parse_qs(urlsplit(href).query)
    at.query_params.update({k: v if len(v) > 1 else v[0] for k, v in query.items()})
    goto(at, "compare")
    assert not at.exception, at.exception
    return at
