"""The Compare page keeps its view in the address: a reload or a shared link opens the same.

AppTest starts each run with the query parameters a browser would send; what the page writes
back is what the browser's address bar would show after the click.
"""

from __future__ import annotations

import pytest

from quality_offer.compare import address

from .app_support import as_, goto
from .compare_support import open_compare, view
from .personas import A, C

pytestmark = pytest.mark.usefixtures("world")


def _param(at, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return value if isinstance(value, list) else [value]


def test_choosing_a_view_and_a_school_writes_them_into_the_address():
    at = view(open_compare("adviser_919"), "One school")
    at.selectbox(key="cmp_school").set_value(A).run()
    assert _param(at, "view") == ["one-school"]
    assert _param(at, "school") == [A]


def test_an_address_opens_the_same_view_school_and_filters():
    at = as_("adviser_919")
    at.query_params.update({"view": "one-school", "school": A, "phase": "primary"})
    goto(at, "compare")
    assert not at.exception, at.exception
    assert at.segmented_control(key="cmp_view").value == "One school"
    assert at.selectbox(key="cmp_school").value == A
    assert at.multiselect(key="cmp_phase").value == ["primary"]


def test_a_link_naming_another_authoritys_school_or_a_made_up_view_shows_neither():
    at = as_("adviser_919")
    at.query_params.update({"view": "everything", "school": C, "phase": "<b>x</b>"})
    goto(at, "compare")
    assert not at.exception, at.exception
    assert at.segmented_control(key="cmp_view").value == "Heatmap"
    assert at.multiselect(key="cmp_phase").value == []
    view(at, "One school")
    assert at.selectbox(key="cmp_school").value != C
    assert C not in at.selectbox(key="cmp_school").options


def test_address_fields_round_trip():
    state = {"cmp_phase": ["primary", "special"], "cmp_view": "Common gaps",
             "cmp_year": "2026/27", "cmp_school": "117000", "cmp_type": []}
    params = address.params_from(state)
    assert params == {"phase": ["primary", "special"], "view": "common-gaps",
                      "academic_year": "2026/27", "school": "117000"}
    back = address.state_from(lambda name: (v if isinstance(v := params.get(name, []), list)
                                            else [v]), ("Heatmap", "Common gaps"))
    assert back == {k: v for k, v in state.items() if v}
