"""Links within the Compare page: real links (reached by Tab, followed by Enter, and
shareable) to a school's One school view or a criterion school by school, keeping the
filters and year in the address.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import address
from ...compare.school_result import SchoolResult
from ..text import plain


def here(label: str, **changes: Any) -> str:
    """A Markdown link to this page with ``changes`` made to its address: a real link, which
    a keyboard user reaches with Tab and follows with Enter, and which can be shared."""
    now = {key: st.session_state.get(key) for key in address.FIELDS}
    return f"[{plain(label)}]({address.href(now, **changes)})"


def school_link(r: SchoolResult) -> str:
    """The school's name, linking to its One school view (same filters and year)."""
    return here(r.name, cmp_view="One school", cmp_school=r.urn)


def criterion_link(cid: str, section: str, label: str | None = None) -> str:
    """The criterion, linking to it school by school in the drill-down."""
    return here(label or cid, cmp_view="Heatmap", cmp_section=section, cmp_criterion=cid)


#: At most this many schools are listed as links under a table; the One school view has all.
LINKED_SCHOOLS = 200


def school_links(schools: list[SchoolResult], what: str = "Open a school") -> None:
    """Each school in a table as a link to its One school view, under the table."""
    if not schools:
        return
    shown = schools[:LINKED_SCHOOLS]
    more = (f" · and {len(schools) - len(shown):,} more in the One school view"
            if len(schools) > len(shown) else "")
    st.markdown(f"{what}: " + " · ".join(school_link(r) for r in shown) + more)
