"""The app's frame and pages, driven with Streamlit's AppTest: happy paths and bad input.

The checklist's saving rules have their own file (test_app_checklist.py), and so does the
import page (test_app_import.py).
"""

from __future__ import annotations

import datetime as dt

from quality_offer.audit import academic_year_for, next_year
from quality_offer.permissions import LOCAL_USER, Membership, User
from quality_offer.reports.formats import available
from quality_offer.ui import LOCAL_BANNER, plain, specs_for

from .app_support import as_, goto, new_app, texts
from .builders import make_audit
from .personas import ISS, PERSONAS


def _start(at, urn="123456", name="Oak Tree Primary School", phase="primary",
           school_type="maintained", year=None):
    at.text_input(key="new_urn").input(urn)
    at.text_input(key="new_name").input(name)
    if phase:
        at.selectbox(key="new_phase").select(phase)
    if school_type:
        at.selectbox(key="new_type").select(school_type)
    if year:
        at.selectbox(key="new_year").select(year)
    at.button(key="FormSubmitter:new_audit-Start the audit").click()
    return at.run()


# --- the frame ------------------------------------------------------------------------------


def test_it_opens_on_the_audits_page_saying_plainly_that_everyone_has_access(app):
    at = app.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Audits"]
    assert LOCAL_BANNER in [i.value for i in at.info]
    assert "no sign-in is configured" in LOCAL_BANNER


def test_the_local_user_sees_every_page():
    titles = [p.title for p in specs_for(LOCAL_USER)]
    assert titles == ["Audits", "Checklist", "SEN information report", "Gap report",
                      "Import and export", "Framework", "Sign-off and history",
                      "Compare schools", "Administration"]


def test_a_governor_sees_no_import_and_nobody_signed_in_sees_nothing():
    governor = User(issuer="i", subject="g", name="A governor",
                    memberships=(Membership(role="governor", urn="123456"),))
    assert "Import and export" in [p.title for p in specs_for(governor)]  # export only
    assert specs_for(None) == []


def test_the_default_year_is_the_academic_year_of_today(app):
    at = app.run()
    assert at.selectbox(key="new_year").value == academic_year_for(dt.date.today())
    assert academic_year_for(dt.date(2027, 8, 31)) == "2026/27"
    assert academic_year_for(dt.date(2027, 9, 1)) == "2027/28"


# --- audits -----------------------------------------------------------------------------


def test_it_starts_an_audit_and_opens_its_checklist(app, db):
    at = _start(app.run(), year="2026/27")
    assert not at.exception
    assert [t.value for t in at.title] == ["Checklist"]
    audit = db.get_audit("123456", "2026/27")
    assert audit is not None and audit.school.name == "Oak Tree Primary School"
    assert audit.framework.id == "mini"


def test_it_refuses_an_invalid_urn_with_the_message_next_to_the_field(app, db):
    at = _start(app.run(), urn="12345x")
    assert [t.value for t in at.title] == ["Audits"]
    errors = [e.value for e in at.error]
    assert any("six digits" in e for e in errors), errors
    assert db.list_audits() == []


def test_it_asks_for_every_missing_field_at_once(app, db):
    at = _start(app.run(), urn="", name="", phase=None, school_type=None)
    errors = " ".join(e.value for e in at.error)
    assert "URN" in errors and "name" in errors
    assert "phase" in errors and "type of school" in errors
    assert db.list_audits() == []


def test_it_refuses_a_second_audit_for_the_same_school_and_year(app, db, mini):
    db.create_audit(make_audit(mini, year="2026/27"), "someone")
    at = _start(app.run(), year="2026/27")
    assert any("already an audit" in e.value for e in at.error)
    assert len(db.list_audits()) == 1


def test_it_resumes_an_audit_from_the_list_with_its_progress(app, db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), "someone")
    at = app.run()
    assert "1 of 4 answered (25%)" in [p.proto.text for p in at.get("progress")]
    at.button(key="open_checklist").click().run()
    assert [t.value for t in at.title] == ["Checklist"]
    assert at.radio(key="rating::D1").value == "met"


def test_it_starts_next_years_audit_from_last_years_marked_for_recheck(app, db, mini):
    db.create_audit(make_audit(mini, {
        "D1": {"rating": "met", "evidence": {"text": "Policy", "kind": "document"}},
        "O1.1": {"rating": "emerging", "action": {"what": "Train staff", "status": "done"}},
    }, year="2026/27"), "someone")
    at = app.run()
    at.button(key="carry_button").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Checklist"]
    audit = db.get_audit("123456", next_year("2026/27"))
    assert audit.carried_forward_from == "2026/27"
    assert audit.responses["D1"].rating == "met" and not audit.responses["D1"].rechecked
    assert audit.responses["O1.1"].action is None  # done actions stay behind
    assert any("Carried forward from 2026/27" in w.value for w in at.warning)


# --- gap report -------------------------------------------------------------------------


def test_the_gap_report_shows_duties_gaps_and_downloads(app, db, mini):
    db.create_audit(make_audit(mini, {
        "D1": {"rating": "not-met"}, "D2": {"rating": "met"},
        "O1.1": {"rating": "emerging", "action": {"what": "Coach *all* staff", "owner": "SENCO",
                                                   "due": "2020-01-01"}},
    }), "someone")
    at = goto(app.run(), "gap-report")
    assert not at.exception
    page = texts(at)
    assert "Duties met: 1 of 2" in page and "Duties not met: 1 of 2" in page
    assert "Statutory duty not met (1)" in page
    assert "Expectation emerging (1)" in page
    assert "Overdue" in page  # said in words, not colour
    assert plain("Coach *all* staff") in page  # user text escaped, never formatted
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Audit file (YAML)", "Audit file (JSON)"} <= labels
    assert {fmt.label for fmt, _render in available().values()} <= labels
    assert {"PDF report", "HTML report", "Spreadsheet (XLSX)"} <= labels
    assert len(at.get("vega_lite_chart")) == 2  # one profile chart per section


def test_the_gap_report_says_where_to_start_when_there_is_no_audit(app):
    at = goto(app.run(), "gap-report")
    assert not at.exception
    assert any("Start one on the Audits page" in i.value for i in at.info)


def test_every_download_renders_the_same_report(db, mini):
    from quality_offer.gaps import analyse

    report = analyse(mini, make_audit(mini, {"D1": {"rating": "met"}}))
    assert set(available()) == {"pdf", "html", "xlsx", "csv"}
    for ext, (_fmt, render) in available().items():
        data = render(report)
        assert data, ext
        if ext == "pdf":
            assert data[:4] == b"%PDF"


# --- framework ---------------------------------------------------------------------------


def test_the_framework_page_lists_every_criterion_and_reference(app):
    at = goto(app.run(), "framework")
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert sum(1 for label in labels if label.startswith(("D", "O"))) == 4
    assert "SEND Code of Practice 2015\\, paragraph 6\\.85" in texts(at)
    assert "CoP 6\\.85" not in texts(at)  # the editors' id shows in the source view only


def test_the_framework_source_view_shows_editors_how_each_reference_was_checked(app):
    at = goto(app.run(), "framework")
    assert "There is no paragraph 10" not in texts(at)
    at.toggle(key="framework_source_view").set_value(True).run()
    page = texts(at)
    assert "Source view (for editors)" in page
    assert "CoP 6\\.85: Checked against the published text" in page
    assert "Citations as published: CoP 10\\.0" in page


def test_the_framework_search_finds_by_id_words_and_reference(app):
    at = goto(app.run(), "framework")

    def found(query):
        at.text_input(key="framework_search").input(query).run()
        return [e.label.split(" ")[0] for e in at.expander if "·" in e.label]

    assert found("D2") == ["D2"]
    assert found("looked after") == ["O1\\.2"]
    assert found("CoP 10.0") == ["O1\\.1"]  # the citation as published
    assert found("no such words anywhere") == []


def test_a_new_session_finds_the_most_recent_audit_without_being_told(db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), "someone")
    at = goto(new_app().run(), "checklist")
    assert at.radio(key="rating::D1").value == "partly-met"


# --- production settings -----------------------------------------------------------------


def test_the_production_settings_hide_errors_limit_uploads_and_table_downloads():
    import tomllib

    from streamlit import config

    from .app_support import ROOT

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["client"]["showErrorDetails"] == "none"  # no traceback reaches a user
    assert settings["client"]["toolbarMode"] == "minimal"
    assert settings["client"]["disableDataExport"] is True  # no formula-unsafe CSV export
    assert settings["server"]["maxUploadSize"] == 2
    for section, values in settings.items():
        for name in values:
            if not isinstance(values[name], dict):
                assert f"{section}.{name}" in config._config_options_template, (section, name)


def test_an_empty_audits_page_tells_each_person_what_they_can_do(db):
    """Nobody who cannot start an audit is told to start one; nobody in a shared
    deployment is told the audits are "on this computer"."""
    for persona in ("adviser_919", "senco_a"):
        subject, name, memberships = PERSONAS[persona]
        for role, urn, la in memberships:
            db.add_membership(ISS, subject, name, role, urn, la, "setup")
    adviser = texts(goto(as_("adviser_919").run(), "audits"))
    assert "There is no audit for you to see yet" in adviser
    assert "Start one below" not in adviser and "this computer" not in adviser
    senco = texts(goto(as_("senco_a").run(), "audits"))
    assert "No audit has been started yet. Start one below" in senco
