"""The adviser's Compare schools page, with AppTest, persona by persona.

Schools (from tests/test_app_roles.py): Alder (100001) and Birch (200002) in authority 919,
Cedar (300003) in 204; here a few more 919 schools are added where a cohort is needed.
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile

import pytest
from openpyxl import load_workbook

from quality_offer import auditfile

from .app_support import as_, goto, new_app, texts
from .compare_support import authority_audit, everything, open_compare, table, titles, view
from .personas import ISS, PERSONAS, YEAR, A, B, C

VIEWS = ("Heatmap", "Common gaps", "Duties not met", "One school", "Trends", "Exports",
         "Not submitted")


# --- who may open it ---------------------------------------------------------------------


@pytest.mark.parametrize("persona, sees, never", [
    ("adviser_919", ["Alder", "Birch"], ["Cedar", C]),
    ("adviser_204", ["Cedar"], ["Alder", "Birch", A, B]),
])
def test_an_adviser_sees_only_their_authoritys_schools_in_every_view(world, persona, sees,
                                                                    never):
    at = open_compare(persona)
    assert "Compare schools" in titles(at)
    for name in VIEWS:
        page = everything(view(at, name))
        for word in never:
            assert word not in page, (name, word)
    assert all(word in everything(view(at, "Heatmap")) for word in sees)


def test_the_administrator_sees_every_authoritys_schools(world):
    page = everything(open_compare("admin"))
    assert all(name in page for name in ("Alder", "Birch", "Cedar"))


@pytest.mark.parametrize("persona", ["senco_a", "governor_a", "head_a", "outsider"])
def test_school_staff_and_people_without_membership_cannot_open_it_even_by_address(
        world, persona):
    at = as_(persona)
    goto(at, "compare")
    assert not at.exception
    assert "Compare schools" not in titles(at)
    assert "Birch" not in everything(at) and "Cedar" not in everything(at)


def test_the_menu_offers_compare_to_advisers_and_administrators_only():
    from quality_offer.permissions import Membership, User
    from quality_offer.ui.nav import specs_for

    def names(*memberships):
        return [s.name for s in specs_for(User("i", "s", memberships=memberships))]

    assert "compare" in names(Membership("adviser", la_code="919"))
    assert "compare" in names(Membership("administrator"))
    for role in ("senco", "headteacher", "governor"):
        assert "compare" not in names(Membership(role, urn=A))


def test_a_school_role_does_not_widen_what_an_adviser_compares(world):
    world.add_membership(ISS, PERSONAS["adviser_919"][0], "Ada", "senco", C, None, "setup")
    page = everything(open_compare("adviser_919"))
    assert "Cedar" not in page and "Alder" in page


# --- a cohort with a planted common gap -------------------------------------------------------


def test_a_planted_common_gap_comes_first_with_its_count_and_share(cohort):
    at = view(open_compare("adviser_919"), "Common gaps")
    gaps = table(at, "gaps")
    first = gaps.iloc[0]
    assert (first["Criterion"], first["Schools below expected"], first["Schools assessed"],
            first["Share below"]) == ("O1.1", 5, 6, "83%")
    assert first["Kind"] == "Expectation"
    d2 = gaps[gaps["Criterion"] == "D2"].iloc[0]
    assert (d2["Kind"], d2["Schools below expected"]) == ("Statutory duty", 2)
    assert "Most common: **O1\\.1**" in texts(at)


def test_filters_change_the_tables(cohort):
    at = open_compare("adviser_919")
    heat = table(at, "heatmap")
    assert len(heat) == 6
    at.multiselect(key="cmp_phase").set_value(["secondary"]).run()
    heat = table(at, "heatmap")
    assert sorted(heat["School"]) == ["Hazel Academy", "Oak Academy"]
    assert "2 schools" in texts(at)
    view(at, "Common gaps")
    assert table(at, "gaps").iloc[0]["Schools assessed"] == 2
    at.multiselect(key="cmp_phase").set_value([]).run()
    at.multiselect(key="cmp_area").set_value(["DSPL 9"]).run()
    assert len(table(at, "gaps")) and "3 schools" in texts(at)


def test_the_heatmap_has_a_chart_and_the_same_numbers_as_text(cohort):
    at = open_compare("adviser_919")
    charts = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
    assert charts
    spec = json.loads(charts[0].proto.spec)
    assert "cividis" in json.dumps(spec)
    heat = table(at, "heatmap")
    oak = heat[heat["School"] == "Oak Academy"].iloc[0]
    assert oak["Statutory duties"] == "100%" and oak["Outcome 1"] == "100%"
    hazel = heat[heat["School"] == "Hazel Academy"].iloc[0]
    assert hazel["Statutory duties"] == "50%" and hazel["Outcome 1"] == "50%"
    crit = table(at, "criteria")
    assert set(crit.columns) >= {"School", "D1", "D2"}
    assert crit[crit["School"] == "Hazel Academy"].iloc[0]["D2"] == \
        "Partly met (below expected)"
    at.selectbox(key="cmp_section").set_value("outcome-1").run()
    crit = table(at, "criteria")
    assert crit[crit["School"] == "Oak Academy"].iloc[0]["O1.1"] == "Established"


def test_duties_not_met_are_listed_school_by_school_with_the_moderated_rating(cohort):
    at = view(open_compare("adviser_919"), "Duties not met")
    duties = table(at, "duties")
    assert sorted(duties["School"]) == ["'=HYPERLINK(\"http://evil.test\",\"Willow\")",
                                        "Elm Primary School", "Hazel Academy"]
    willow = duties[duties["URN"] == "100004"].iloc[0]
    assert (willow["School's rating"], willow["Moderated rating"]) == ("Partly met", "Not met")
    assert "3 of 6 schools" in texts(at)


def test_one_school_sits_beside_the_quartiles_and_opens_its_gap_report(cohort):
    at = view(open_compare("adviser_919"), "One school")
    at.selectbox(key="cmp_school").set_value("100005").run()
    rows = table(at, "school")
    duties = rows[rows["Section"] == "Statutory duties"].iloc[0]
    assert duties["This school"] == "50%" and duties["Median"] == "75%"
    assert duties["Where it sits"] == "between the lower quartile and the median"
    at.button(key="cmp_open").click().run()
    assert "Gap report" in titles(at)
    assert "Hazel Academy" in texts(at)


def test_trends_follow_the_authority_and_a_school_year_by_year(cohort, mini):
    cohort.create_audit(authority_audit(
        mini, "100005", "Hazel Academy", "919",
        {"D1": {"rating": "met"}, "D2": {"rating": "not-met"}},
        year="2025/26", phase="secondary", school_type="academy", area="DSPL 9"), "setup")
    at = view(open_compare("adviser_919"), "Trends")
    trend = table(at, "trend")
    assert list(trend["Year"]) == ["2025/26", "2026/27"]
    assert list(trend["Schools"]) == [1, 6]
    at.selectbox(key="cmp_trend_school").set_value("100005").run()
    mine = table(at, "school trend")
    assert list(mine["Statutory duties"]) == ["50%", "50% (+0)"]


# --- exports ----------------------------------------------------------------------------------


def test_the_xlsx_and_csv_downloads_hold_no_formulas(cohort, deferred):
    view(open_compare("adviser_919"), "Exports")
    xlsx = deferred["quality-offer-comparison.xlsx"]()
    wb = load_workbook(io.BytesIO(xlsx))
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)
    assert "'=HYPERLINK(\"http://evil.test\",\"Willow\")" in values
    assert "Cedar Primary School" not in values
    text = deferred["quality-offer-comparison.csv"]().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=1+2 no evidence" in cells and "Cedar Primary School" not in cells


def test_the_export_to_share_suppresses_small_groups_and_says_so(cohort, deferred):
    at = view(open_compare("adviser_919"), "Exports")
    assert 'shown as "suppressed"' in texts(at).replace("\\", "")
    shared = load_workbook(io.BytesIO(deferred["quality-offer-comparison-shared-threshold-5"
                                               ".xlsx"]()))
    by_phase = {row[0]: row for row in shared["By phase"].iter_rows(min_row=2,
                                                                    values_only=True)}
    assert by_phase["secondary"][1] == "suppressed"  # two schools
    assert by_phase["primary"][1] == "suppressed"  # else worked out from the total
    names = [c.value for ws in shared for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and ("Hazel" in v or "Alder" in v) for v in names)
    assert "suppressed" in str(shared["About"]["B1"].value)
    at.number_input(key="cmp_threshold").set_value(2).run()
    lower = load_workbook(io.BytesIO(deferred["quality-offer-comparison-shared-threshold-2"
                                              ".xlsx"]()))
    by_phase = {row[0]: row for row in lower["By phase"].iter_rows(min_row=2,
                                                                   values_only=True)}
    assert by_phase["secondary"][1] == 2 and by_phase["primary"][1] == 4


def test_every_schools_pdf_report_comes_in_one_zip(cohort, deferred, monkeypatch):
    monkeypatch.setenv("QUALITY_OFFER_REPORT_WORKERS", "1")  # the test's framework is here
    at = view(open_compare("adviser_919"), "Exports")
    at.button(key="cmp_zip_go").click().run()
    assert not at.exception
    for _ in range(300):  # made in the background: the page is run again until it is ready
        if "Download the reports (zip)" in {b.proto.label for b in at.get("download_button")}:
            break
        time.sleep(0.1)
        at.run()
    assert "Download the reports (zip)" in {b.proto.label for b in at.get("download_button")}
    data = deferred["quality-offer-reports.zip"]()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert len(names) == 6 and all(zf.read(n)[:4] == b"%PDF" for n in names)
    assert not any("300003" in n for n in names)


# --- files and the register -------------------------------------------------------------------


def test_broken_uploaded_files_are_listed_by_name_and_skipped(db, mini):
    good = [auditfile.dump(authority_audit(mini, f"40000{i}", f"Rowan {i} School", "919",
                                           {"D1": {"rating": "met"}, "D2": {"rating": "met"}}),
                           "yaml").encode()
            for i in (1, 2)]
    at = goto(new_app().run(), "compare")  # local mode: every right
    at.segmented_control(key="cmp_source").set_value("Audit files I upload").run()
    at.file_uploader(key="cmp_upload").set_value([
        ("rowan-1.yaml", good[0], "application/yaml"),
        ("broken.yaml", b"school: [unclosed\n", "application/yaml"),
        ("rowan-2.yaml", good[1], "application/yaml"),
        ("wrong.json", b'{"format": "something-else"}', "application/json"),
    ]).run()
    at.button(key="cmp_upload_go").click().run()
    assert not at.exception
    skipped = table(at, "skipped")
    assert sorted(skipped["File"]) == ["broken.yaml", "wrong.json"]
    assert all(skipped["Why"].str.len() > 10)
    assert "qo-compare-" not in everything(at)  # no temporary paths shown
    assert sorted(table(at, "heatmap")["School"]) == ["Rowan 1 School",
                                                              "Rowan 2 School"]


def test_schools_that_have_not_submitted_are_listed_from_a_gias_extract(db, mini):
    from .conftest import FIXTURES

    csv_bytes = (FIXTURES / "gias" / "edubasealldata_sample.csv").read_bytes()
    db.create_audit(authority_audit(mini, "117000", "Oak Tree Primary School", "919", {}), "setup")
    at = view(goto(new_app().run(), "compare"), "Not submitted")
    at.file_uploader(key="cmp_gias").set_value(("gias.csv", csv_bytes, "text/csv")).run()
    assert not at.exception
    missing = table(at, "not submitted")
    assert "117000" not in set(missing["URN"]) and "117001" in set(missing["URN"])


def test_an_authority_with_no_audits_yet_is_told_so(db):
    subject, name, _ = PERSONAS["adviser_919"]
    db.add_membership(ISS, subject, name, "adviser", None, "919", "setup")
    at = open_compare("adviser_919")
    assert "There are no audits of your authority (919) in the database yet." in texts(at)


def test_a_second_session_reuses_the_analyses_and_still_compares(cohort):
    first = everything(open_compare("adviser_919"))
    second = open_compare("adviser_919")  # the per-database analysis cache is warm now
    assert "Something went wrong" not in texts(second)
    assert everything(second).count("Hazel Academy") == first.count("Hazel Academy") > 0


def test_a_change_in_the_database_shows_on_the_next_run(cohort):
    at = open_compare("adviser_919")
    assert table(at, "heatmap").set_index("URN").loc["100006", "Statutory duties"] == "100%"
    audit = cohort.get_audit("100006", YEAR)
    cohort.save_response("100006", YEAR, "D1", audit.responses["D1"].model_copy(
        update={"rating": "not-met"}), "Sam", expected_version=1)
    at.run()
    assert table(at, "heatmap").set_index("URN").loc["100006", "Statutory duties"] == "50%"


def test_a_school_name_with_markup_is_shown_as_typed_never_formatted(db, mini):
    from quality_offer.ui.text import plain

    name = "**Rowan** [click](http://evil.test) <b>School</b> :red[x]"
    db.create_audit(authority_audit(mini, "400001", name, "919", {"D1": {"rating": "not-met"}}),
                    "setup")
    at = view(goto(new_app().run(), "compare"), "One school")
    markdown = [m.value for m in at.markdown]
    assert any(plain(name) in m for m in markdown)
    assert not any(name in m for m in markdown)  # never unescaped in Markdown
    view(at, "Duties not met")
    assert table(at, "duties").iloc[0]["School"] == name  # data tables show text as it is


def test_large_counts_read_with_their_thousands_grouped():
    """An authority's 1,000 schools read the same in the heading, the exports and the
    background job's sidebar."""
    from quality_offer.ui.text import count

    assert count(1000, "school") == "1,000 schools"
    assert count(1, "criterion", "criteria") == "1 criterion"
