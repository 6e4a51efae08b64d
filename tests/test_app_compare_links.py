"""Compare's tables open what is behind them: each school its One school view, each common
gap its criterion school by school. The links are real Markdown links (an ``<a href>`` a
keyboard user reaches with Tab and follows with Enter), carrying the page's address state,
so a link followed, reloaded or sent to a colleague opens the same thing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from quality_offer.compare import address

from .app_support import texts
from .compare_support import LINK, follow, links, open_compare, view


def test_each_school_in_the_heatmap_links_to_its_one_school_view(cohort):
    at = open_compare("adviser_919")
    at.multiselect(key="cmp_phase").set_value(["secondary"]).run()
    found = links(at)
    assert {"Hazel Academy", "Oak Academy"} <= set(found)
    assert "Alder Primary School" not in found  # filtered out
    href = found["Hazel Academy"]
    query = parse_qs(urlsplit(href).query)
    assert (query["view"], query["school"], query["phase"]) == (["one-school"], ["100005"],
                                                                ["secondary"])
    opened = follow("adviser_919", href)
    assert opened.segmented_control(key="cmp_view").value == "One school"
    assert opened.selectbox(key="cmp_school").value == "100005"
    assert opened.multiselect(key="cmp_phase").value == ["secondary"]
    assert "**Hazel Academy**" in texts(opened)


def test_each_common_gap_links_to_its_criterion_school_by_school(cohort):
    at = view(open_compare("adviser_919"), "Common gaps")
    found = links(at)
    label = next(k for k in found if k.startswith("O1.1: "))
    assert "High quality teaching" in label  # named by its text, not only its id
    opened = follow("adviser_919", found[label])
    assert opened.segmented_control(key="cmp_view").value == "Heatmap"
    page = texts(opened).replace("\\", "")
    assert "**O1.1**: High quality teaching that is differentiated and personalised." in page
    (rows,) = [t.value for t in opened.table if "Answer" in t.value.columns]
    answers = {LINK.match(s).group(1): a.replace("\\", "")
               for s, a in zip(rows["School"], rows["Answer"], strict=True)}
    assert answers["Beech Primary School"] == "Not in place (below expected)"
    assert answers["Oak Academy"] == "Established"
    assert len(answers) == 6  # the adviser's own authority only
    # and every school in it links on to its own view
    assert parse_qs(urlsplit(links(opened)["Oak Academy"]).query)["school"] == ["100006"]
    opened.button(key="cmp_criterion_close").click().run()
    assert "criterion" not in opened.query_params
    assert not [t for t in opened.table if "Answer" in t.value.columns]


def test_a_link_to_a_criterion_of_another_section_or_a_made_up_one_opens_the_section(cohort):
    opened = follow("adviser_919", "?view=heatmap&section=outcome-1&criterion=D2")
    assert not [t for t in opened.table if "Answer" in t.value.columns]
    opened = follow("adviser_919", "?view=heatmap&section=outcome-1&criterion=<b>")
    assert not [t for t in opened.table if "Answer" in t.value.columns]
    assert "criterion" not in opened.query_params


def test_a_link_keeps_the_filters_and_year_and_changes_only_what_it_opens():
    state = {"cmp_phase": ["primary"], "cmp_year": "2026/27", "cmp_view": "Common gaps",
             "cmp_school": None}
    href = address.href(state, cmp_view="Heatmap", cmp_section="outcome-1",
                        cmp_criterion="O1.1")
    assert href.startswith("?")
    back = address.state_from(lambda name: parse_qs(href[1:]).get(name, []), ("Heatmap",))
    assert back == {"cmp_phase": ["primary"], "cmp_year": "2026/27", "cmp_view": "Heatmap",
                    "cmp_section": "outcome-1", "cmp_criterion": "O1.1"}
    assert "(" not in address.href({}, cmp_school="a (b)")  # cannot end a Markdown link


def test_a_heatmap_cell_opens_its_school_too(cohort):
    at = open_compare("adviser_919")
    (chart,) = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
    spec = str(chart.proto)
    assert "Opens" in spec and "school=100006" in spec and "view=one-school" in spec
