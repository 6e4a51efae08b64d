"""The store keeps a SENCO's work: exact round-trips, refused stale saves, a full history.

Every test that touches a database runs twice: on SQLite (a file in a temporary folder) and on
a real PostgreSQL, each test in a fresh schema of its own. Without a server on
127.0.0.1:5432 the PostgreSQL half skips and says why.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import event

from quality_offer.audit import Action, Audit, Evidence, Response, School, SignOff, check
from quality_offer.errors import InputError
from quality_offer.store import (
    AuditExists,
    AuditNotFound,
    Conflict,
    Store,
    UnstorableText,
    data_dir,
    database_url,
)
from quality_offer.store.db import Base
from quality_offer.vocabulary import ACTION_STATUSES, EVIDENCE_KINDS
from quality_offer.yamlsafe import NOT_IN_NAMES

from .builders import make_audit

URN, YEAR = "123456", "2026/27"


# --- backends -----------------------------------------------------------------------------




@pytest.fixture
def store(url):
    with Store(url) as s:
        yield s


def full_audit(fw) -> Audit:
    """An audit with every field of every model set, including the easily-lost ones."""
    return make_audit(fw, {
        "D1": Response(
            rating="met",
            evidence=Evidence(text="SEN policy, ratified 3/2026.\nSee minutes.",
                              location="Governors' drive > Policies", kind="document"),
            action=Action(what="Review the policy with parents", owner="Ms Patel (SENCO)",
                          due=dt.date(2027, 3, 31), status="in-progress"),
            rechecked=False, moderated_rating="partly-met",
            moderation_note="Policy not yet on the website."),
        # Evidence present but empty is not the same as no evidence.
        "D2": Response(rating="partly-met", evidence=Evidence(), action=Action(what="")),
        "O1.1": Response(evidence=Evidence(text="Learning walks", kind="observation"),
                         action=Action(what="CPD on adaptive teaching", status="done")),
        "O1.2": Response(not_applicable_reason="No children looked after on roll.",
                         rechecked=False),
    }, status="submitted", completed_by="Ms A. Patel", carried_forward_from="2025/26",
        sign_offs=[SignOff(name="Mr Khan", role="headteacher", date=dt.date(2027, 7, 1),
                           comment="Agreed."),
                   SignOff(name="Mrs Jones", role="sen-governor", date=dt.date(2027, 7, 2))])


# --- round trips --------------------------------------------------------------------------


def test_a_full_audit_with_every_field_set_comes_back_exactly(store, mini):
    audit = full_audit(mini)
    assert check(mini, audit) == []
    store.create_audit(audit, user="Ms Patel")
    back = store.get_audit(URN, YEAR)
    assert back == audit
    assert list(back.responses) == list(audit.responses)  # the order they were given in
    assert back.model_dump(mode="json") == audit.model_dump(mode="json")


def test_an_audit_that_is_not_there_is_none_and_has_no_history(store):
    assert store.get_audit(URN, YEAR) is None
    assert store.history(URN, YEAR) == []
    assert store.response_version(URN, YEAR, "D1") == 0


def test_reopening_the_database_keeps_everything_and_does_not_migrate_again(url, mini):
    with Store(url) as first:
        first.create_audit(full_audit(mini), user="Ms Patel")
    with Store(url) as again:
        assert again.get_audit(URN, YEAR) == full_audit(mini)


# Free text from anywhere: any character a database can hold, plus some known troublemakers.
ODD = ["e\u0301 é", "\u202eRTL override", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀👩‍👩‍👧", "line\r\nbreaks\n",
       "  spaces kept  ", "=SUM(A1:A9)", "<script>alert(1)</script>", "'; DROP TABLE x;--",
       "\t\x01\x7f\u200b\ufeff", "\U0010ffff"]
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.one_of(st.text(CHARS, max_size=max_size), st.sampled_from(ODD))


# Names refuse control and direction characters (one could pass for another school).
names = texts(200).filter(lambda s: s and not NOT_IN_NAMES.search(s))
ids = st.from_regex(r"\A[A-Za-z][A-Za-z0-9._-]{0,20}\Z")
evidences = st.builds(Evidence, text=texts(500), location=texts(300),
                      kind=st.none() | st.sampled_from(EVIDENCE_KINDS))
actions = st.builds(Action, what=texts(500), owner=texts(300), due=st.none() | st.dates(),
                    status=st.sampled_from(ACTION_STATUSES))


@st.composite
def responses(draw) -> Response:
    na = draw(st.booleans())
    reason = draw(texts(500).filter(str.strip)) if na else None
    return Response(rating=None if na else draw(st.none() | ids),
                    evidence=draw(st.none() | evidences), action=draw(st.none() | actions),
                    not_applicable_reason=reason, rechecked=draw(st.booleans()),
                    moderated_rating=draw(st.none() | ids),
                    moderation_note=draw(st.none() | texts(500)))


sign_offs = st.builds(SignOff, name=names,
                      role=st.sampled_from(["senco", "headteacher", "sen-governor"]),
                      date=st.dates(), comment=st.none() | texts(300))
_urns = itertools.count(100000)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(answers=st.dictionaries(ids, responses(), max_size=5),
       name=names, completed_by=st.none() | texts(300),
       signs=st.lists(sign_offs, max_size=2))
def test_any_audit_with_any_text_round_trips_through_the_store(store, mini, answers, name,
                                                               completed_by, signs):
    urn = str(next(_urns))
    audit = make_audit(mini, answers, urn=urn, name=name, completed_by=completed_by,
                       sign_offs=signs)
    store.create_audit(audit, user=name)
    assert store.get_audit(urn, YEAR) == audit
    # and one answer saved on its own comes back too
    for cid, resp in list(answers.items())[:1]:
        store.save_response(urn, YEAR, cid, resp.model_copy(update={"rechecked": True}),
                            user=name, expected_version=1)
        expected = resp.model_copy(update={"rechecked": True})
        assert store.get_audit(urn, YEAR).responses[cid] == expected


def test_a_nul_character_in_free_text_is_refused_with_a_clear_message_and_nothing_is_saved(
        store, mini):
    """Decision: the store refuses NUL (PostgreSQL cannot hold it) before writing anything."""
    store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
    bad = Response(rating="met", evidence=Evidence(text="minutes\x00of the meeting"))
    with pytest.raises(UnstorableText) as caught:
        store.save_response(URN, YEAR, "D1", bad, user="Ms Patel", expected_version=1)
    message = str(caught.value)
    assert "responses.D1.evidence.text" in message and "NUL" in message
    assert "nothing was saved" in message
    assert store.get_audit(URN, YEAR).responses["D1"] == Response(rating="met")
    assert store.response_version(URN, YEAR, "D1") == 1

    with pytest.raises(ValidationError, match=r"NUL"):  # a name refuses it itself
        store.create_audit(make_audit(mini, urn="654321", name="Oak\x00Tree"), user="x")
    assert store.get_audit("654321", YEAR) is None
    with pytest.raises(UnstorableText, match=r"responses\.O1\.1\.action\.what"):
        store.import_audit(make_audit(mini, {"O1.1": {"action": {"what": "a\x00"}}}),
                           user="x")


def test_a_lone_surrogate_is_refused_by_the_model_before_it_can_reach_the_store():
    """Decision: surrogates never get in; pydantic refuses a string that is not Unicode."""
    with pytest.raises(ValidationError, match="unicode"):
        Evidence(text="broken \ud800 text")


# --- creating -----------------------------------------------------------------------------


def test_a_second_audit_for_the_same_school_and_year_is_refused(store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
    with pytest.raises(AuditExists, match=r"already an audit for Oak Tree .*123456.* 2026/27"):
        store.create_audit(make_audit(mini, {"D1": {"rating": "not-met"}}), user="Mr Smith")
    assert store.get_audit(URN, YEAR).responses["D1"].rating == "met"
    # another year of the same school is a different audit
    store.create_audit(make_audit(mini, year="2027/28"), user="Ms Patel")
    assert [a.academic_year for a in store.list_audits()] == ["2027/28", "2026/27"]


def test_saving_to_an_audit_that_does_not_exist_says_so(store):
    with pytest.raises(AuditNotFound, match="no audit for URN 123456 in 2026/27"):
        store.save_response(URN, YEAR, "D1", Response(rating="met"), "x", 0)
    with pytest.raises(AuditNotFound):
        store.set_status(URN, YEAR, "submitted", "x")


# --- saving -------------------------------------------------------------------------------


def test_each_save_bumps_the_version_and_updates_the_audit(store, mini):
    store.create_audit(make_audit(mini), user="Ms Patel")
    before = store.list_audits()[0].updated_at
    assert store.response_version(URN, YEAR, "D1") == 0
    assert store.save_response(URN, YEAR, "D1", Response(rating="partly-met"), "Ms Patel",
                               expected_version=0) == 1
    assert store.save_response(URN, YEAR, "D1", Response(rating="met"), "Ms Patel",
                               expected_version=1) == 2
    assert store.response_version(URN, YEAR, "D1") == 2
    summary = store.list_audits()[0]
    assert summary.updated_at > before and summary.answered == 1
    assert store.get_audit(URN, YEAR).responses["D1"] == Response(rating="met")


def test_a_stale_save_is_refused_and_says_what_changed(store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), user="Ms Patel")
    mine = store.response_version(URN, YEAR, "D1")  # both open the audit at version 1
    store.save_response(URN, YEAR, "D1", Response(rating="met"), user="Ms Patel",
                        expected_version=mine)
    with pytest.raises(Conflict) as caught:
        store.save_response(URN, YEAR, "D1", Response(rating="not-met",
                                                      evidence=Evidence(text="Mine")),
                            user="Mr Smith", expected_version=mine)
    message = str(caught.value)
    assert message.startswith("D1 was changed by Ms Patel at ")
    assert "rating partly-met -> met" in message
    assert message.endswith("your change was not saved. Reload to see it.")
    assert caught.value.current == Response(rating="met")
    assert caught.value.version == 2
    assert store.get_audit(URN, YEAR).responses["D1"] == Response(rating="met")
    assert store.response_version(URN, YEAR, "D1") == 2
    assert all(c.user != "Mr Smith" for c in store.history(URN, YEAR))


def test_a_conflict_message_lists_every_save_since_the_users_copy(store, mini):
    store.create_audit(make_audit(mini), user="Ms Patel")
    store.save_response(URN, YEAR, "O1.1", Response(rating="emerging"), "Ms Patel", 0)
    store.save_response(URN, YEAR, "O1.1", Response(
        rating="emerging", evidence=Evidence(text="x" * 80)), "Mr Khan", 1)
    with pytest.raises(Conflict) as caught:
        store.save_response(URN, YEAR, "O1.1", Response(rating="exemplary"), "Mr Smith", 0)
    message = str(caught.value)
    assert "by Ms Patel at" in message and "rating (blank) -> emerging" in message
    assert "; then by Mr Khan at" in message and 'evidence (blank) -> "xxx' in message
    assert "…" in message and "x" * 50 not in message  # long text is shortened


def test_a_first_save_from_a_copy_without_the_answer_is_refused_once_someone_answered(
        store, mini):
    store.create_audit(make_audit(mini), user="Ms Patel")
    store.save_response(URN, YEAR, "D2", Response(rating="met"), "Ms Patel", 0)
    with pytest.raises(Conflict, match="D2 was changed by Ms Patel"):
        store.save_response(URN, YEAR, "D2", Response(rating="not-met"), "Mr Smith", 0)


def test_saving_an_identical_response_records_nothing_and_keeps_the_version(store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
    before = store.history(URN, YEAR)
    updated = store.list_audits()[0].updated_at
    assert store.save_response(URN, YEAR, "D1", Response(rating="met"), "Mr Smith", 1) == 1
    assert store.history(URN, YEAR) == before
    assert store.list_audits()[0].updated_at == updated
    assert store.response_version(URN, YEAR, "D1") == 1


def test_the_history_lists_who_when_which_field_and_the_old_and_new_values(store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), user="Ms Patel")
    start = dt.datetime.now(dt.UTC)
    store.save_response(URN, YEAR, "D1", Response(
        rating="met", evidence=Evidence(text="Policy", kind="document"),
        action=Action(what="Publish", due=dt.date(2027, 1, 31))), "Mr Khan", 1)
    store.save_response(URN, YEAR, "D1", Response(rating="met", rechecked=False), "Ms Patel", 2)
    d1 = store.history(URN, YEAR, "D1")
    newest = [(c.user, c.field, c.old, c.new) for c in d1 if c.at >= start]
    assert newest == [
        ("Ms Patel", "rechecked", "true", "false"),
        ("Ms Patel", "action.status", "not-started", None),
        ("Ms Patel", "action.due", "2027-01-31", None),
        ("Ms Patel", "action.owner", "", None),
        ("Ms Patel", "action.what", "Publish", None),
        ("Ms Patel", "evidence.kind", "document", None),
        ("Ms Patel", "evidence.location", "", None),
        ("Ms Patel", "evidence.text", "Policy", None),
        ("Mr Khan", "action.status", None, "not-started"),
        ("Mr Khan", "action.due", None, "2027-01-31"),
        ("Mr Khan", "action.owner", None, ""),
        ("Mr Khan", "action.what", None, "Publish"),
        ("Mr Khan", "evidence.kind", None, "document"),
        ("Mr Khan", "evidence.location", None, ""),
        ("Mr Khan", "evidence.text", None, "Policy"),
        ("Mr Khan", "rating", "partly-met", "met"),
    ]
    assert all(c.at.tzinfo is not None and c.criterion_id == "D1" for c in d1)
    assert [c.at for c in d1] == sorted((c.at for c in d1), reverse=True)
    # the creation is there too, oldest
    assert (d1[-1].user, d1[-1].field, d1[-1].old) == ("Ms Patel", "rating", None)
    assert {c.criterion_id for c in store.history(URN, YEAR)} >= {None, "D1"}


def test_status_sign_offs_and_school_details_are_changed_and_recorded(store, mini):
    store.create_audit(make_audit(mini), user="Ms Patel")
    store.set_status(URN, YEAR, "submitted", user="Ms Patel")
    store.set_status(URN, YEAR, "submitted", user="Ms Patel")  # no change, nothing recorded
    sign = SignOff(name="Mr Khan", role="headteacher", date=dt.date(2027, 7, 1))
    store.add_sign_off(URN, YEAR, sign, user="Mr Khan")
    store.add_sign_off(URN, YEAR, sign, user="Mr Khan")  # the same twice is kept once
    school = School(urn=URN, name="Oak Tree Academy", la_code="919", phase="primary",
                    type="academy", area="DSPL 8")
    store.update_school(school, user="Admin")
    audit = store.get_audit(URN, YEAR)
    assert audit.status == "submitted" and audit.sign_offs == [sign]
    assert audit.school == school
    assert store.list_audits()[0].school_name == "Oak Tree Academy"
    recent = [(c.user, c.field, c.old, c.new) for c in store.history(URN, YEAR)[:4]]
    assert recent == [
        ("Admin", "school.type", "maintained", "academy"),
        ("Admin", "school.name", "Oak Tree Primary School", "Oak Tree Academy"),
        ("Mr Khan", "sign_off", None, "Mr Khan, headteacher, 2027-07-01"),
        ("Ms Patel", "status", "in-progress", "submitted"),
    ]
    with pytest.raises(ValueError, match="not a status"):
        store.set_status(URN, YEAR, "finished", user="Ms Patel")


# --- importing ----------------------------------------------------------------------------


def test_an_import_preview_of_a_new_audit_lists_everything_and_writes_nothing(store, mini):
    audit = full_audit(mini)
    preview = store.preview_import(audit)
    assert preview.is_new and preview.kept == []
    assert ("D1", "rating", None, "met") in preview.changes
    assert (None, "status", None, "submitted") in preview.changes
    assert "new audit with 4 answers" in preview.describe()
    assert store.get_audit(URN, YEAR) is None
    assert store.import_audit(audit, user="Importer") == preview
    assert store.get_audit(URN, YEAR) == audit


def test_an_import_over_a_stored_audit_previews_then_applies_and_records_the_changes(
        store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"},
                                         "D2": {"rating": "met"}}), user="Ms Patel")
    file = make_audit(mini, {"D1": {"rating": "met"}, "D2": {"rating": "met"},
                             "O1.1": {"rating": "emerging"}}, completed_by="Ms Patel")
    preview = store.preview_import(file)
    assert not preview.is_new
    assert sorted(preview.changes, key=str) == sorted([
        ("D1", "rating", "partly-met", "met"),
        ("O1.1", "rating", None, "emerging"), ("O1.1", "rechecked", None, "true"),
        (None, "completed_by", None, "Ms Patel")], key=str)
    assert store.get_audit(URN, YEAR).responses["D1"].rating == "partly-met"  # not yet
    applied = store.import_audit(file, user="Importer",
                                 expected_audit_version=preview.audit_version)
    assert applied.changes == preview.changes
    assert store.get_audit(URN, YEAR) == file
    assert store.response_version(URN, YEAR, "D1") == 2
    assert store.response_version(URN, YEAR, "D2") == 1  # unchanged, not bumped
    [change] = [c for c in store.history(URN, YEAR, "D1") if c.user == "Importer"]
    assert (change.field, change.old, change.new) == ("rating", "partly-met", "met")
    again = store.import_audit(file, user="Importer")
    assert again.changes == [] and "no changes" in again.describe()


def test_an_import_keeps_stored_answers_the_file_lacks_or_leaves_blank(store, mini):
    store.create_audit(make_audit(mini, {
        "D1": {"rating": "met"}, "D2": {"rating": "partly-met"},
        "O1.1": {"rating": "emerging", "moderated_rating": "not-in-place",
                 "moderation_note": "No observations seen."}}), user="Ms Patel")
    file = make_audit(mini, {"D2": {}, "O1.1": {"rating": "established"}})
    preview = store.preview_import(file)
    assert preview.kept == ["D1", "D2"]
    assert "2 stored answers not in the file kept as they are: D1, D2" in preview.describe()
    store.import_audit(file, user="Importer")
    stored = store.get_audit(URN, YEAR).responses
    assert stored["D1"] == Response(rating="met")
    assert stored["D2"] == Response(rating="partly-met")
    # the school's file predates the adviser's moderation, which is kept
    assert stored["O1.1"] == Response(rating="established", moderated_rating="not-in-place",
                                      moderation_note="No observations seen.")


def test_an_import_adds_sign_offs_and_never_removes_one(store, mini):
    audit = full_audit(mini)
    store.create_audit(audit, user="Ms Patel")
    new = SignOff(name="Ms Lee", role="chair-of-governors", date=dt.date(2027, 7, 9))
    store.import_audit(audit.model_copy(update={"sign_offs": [new]}), user="Importer")
    assert store.get_audit(URN, YEAR).sign_offs == [*audit.sign_offs, new]


def test_an_import_for_another_framework_version_is_refused_and_changes_nothing(store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
    other = make_audit(mini, {"D1": {"rating": "not-met"}}).model_copy(
        update={"framework": make_audit(mini).framework.model_copy(update={"version": "2.0"})})
    with pytest.raises(InputError, match=re.escape("stored audit uses mini 1.0.0 but this "
                                                   "file uses mini 2.0")):
        store.import_audit(other, user="Importer")
    assert store.get_audit(URN, YEAR).responses["D1"].rating == "met"


def test_an_import_is_refused_if_the_audit_changed_after_the_preview(store, mini):
    store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
    file = make_audit(mini, {"D1": {"rating": "not-met"}})
    preview = store.preview_import(file)
    store.save_response(URN, YEAR, "D1", Response(rating="partly-met"), "Ms Patel", 1)
    with pytest.raises(Conflict, match="changed since the import was previewed"):
        store.import_audit(file, user="Importer", expected_audit_version=preview.audit_version)
    assert store.get_audit(URN, YEAR).responses["D1"].rating == "partly-met"


# --- listing and scoping ------------------------------------------------------------------


def _three_schools(store, mini) -> None:
    store.create_audit(make_audit(mini, {"D1": {"rating": "met"},
                                         "O1.2": {"not_applicable_reason": "None on roll"},
                                         "O1.1": {"evidence": {"text": "notes only"}}},
                                  urn="100001", name="Ash Primary"), user="A")
    store.create_audit(make_audit(mini, urn="100002", name="Beech Infants"), user="B")
    store.create_audit(make_audit(mini, urn="100003", name="Cedar High", phase="secondary")
                       .model_copy(update={"school": School(
                           urn="100003", name="Cedar High", la_code="920",
                           phase="secondary", type="academy")}), user="C")


def test_list_audits_shows_progress_for_every_school(store, mini):
    _three_schools(store, mini)
    summaries = store.list_audits()
    assert [(s.urn, s.school_name, s.answered) for s in summaries] == [
        ("100001", "Ash Primary", 2), ("100002", "Beech Infants", 0),
        ("100003", "Cedar High", 0)]
    first = summaries[0]
    assert (first.academic_year, first.framework_id, first.framework_version,
            first.status) == (YEAR, "mini", "1.0.0", "in-progress")
    assert first.updated_at.tzinfo is not None


def test_a_scoped_list_never_shows_another_schools_audit_and_is_limited_in_the_sql(
        store, mini):
    _three_schools(store, mini)
    statements: list[tuple[str, object]] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    assert [s.urn for s in store.list_audits(urns=["100002"])] == ["100002"]
    sql, params = statements[-1]
    assert "WHERE" in sql and "100002" in str(params) and "100001" not in str(params)
    assert store.list_audits(urns=[]) == []
    assert [s.urn for s in store.list_audits(la_codes={"920"})] == ["100003"]
    assert [s.urn for s in store.list_audits(urns={"100001"}, la_codes={"920"})] == [
        "100001", "100003"]
    assert [a.school.urn for a in store.get_audits(urns=["100001"])] == ["100001"]
    assert [a.school.urn for a in store.get_audits(la_codes=["920"])] == ["100003"]
    assert store.get_audits(urns=[]) == []


def test_get_audits_loads_many_audits_exactly(store, mini):
    _three_schools(store, mini)
    store.create_audit(full_audit(mini), user="Ms Patel")
    loaded = {a.key: a for a in store.get_audits(academic_year=YEAR)}
    assert len(loaded) == 4
    assert loaded[(URN, YEAR)] == full_audit(mini)
    assert loaded[("100001", YEAR)] == store.get_audit("100001", YEAR)


# --- concurrency and crashes --------------------------------------------------------------


def test_two_writers_from_the_same_copy_only_the_first_is_kept(url, mini):
    """The second writer's transaction starts while the first is still open: it waits for
    the lock, then sees the new version and is refused."""
    with Store(url) as a, Store(url) as b:
        a.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), user="Ms Patel")
        version = b.response_version(URN, YEAR, "D1")
        in_commit = threading.Event()

        @event.listens_for(a.engine, "commit")
        def _slow_commit(conn):
            if not in_commit.is_set():  # hold the first save's transaction open a while
                in_commit.set()
                threading.Event().wait(0.3)

        results: dict[str, object] = {}

        def save(store, who, rating):
            try:
                results[who] = store.save_response(URN, YEAR, "D1", Response(rating=rating),
                                                   who, version)
            except Conflict as exc:
                results[who] = exc

        first = threading.Thread(target=save, args=(a, "Ms Patel", "met"))
        first.start()
        assert in_commit.wait(10)
        second = threading.Thread(target=save, args=(b, "Mr Smith", "not-met"))
        second.start()
        first.join(30)
        second.join(30)
        assert results["Ms Patel"] == 2
        assert isinstance(results["Mr Smith"], Conflict)
        assert "changed by Ms Patel" in str(results["Mr Smith"])
        assert b.get_audit(URN, YEAR).responses["D1"] == Response(rating="met")


@pytest.mark.parametrize("criterion", ["D1", "O1.1"], ids=["answered", "first answer"])
def test_many_writers_racing_from_the_same_copy_exactly_one_wins(url, mini, criterion):
    with Store(url) as setup:
        setup.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), user="setup")
        version = setup.response_version(URN, YEAR, criterion)
    stores = [Store(url) for _ in range(6)]
    try:
        start = threading.Barrier(len(stores))
        wins, refusals = [], []

        def save(i: int) -> None:
            start.wait()
            response = Response(evidence=Evidence(text=f"writer {i}"))
            try:
                stores[i].save_response(URN, YEAR, criterion, response, f"user {i}", version)
                wins.append(i)
            except Conflict:
                refusals.append(i)

        threads = [threading.Thread(target=save, args=(i,)) for i in range(len(stores))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(wins) == 1 and len(refusals) == len(stores) - 1
        stored = stores[0].get_audit(URN, YEAR).responses[criterion]
        assert stored.evidence.text == f"writer {wins[0]}"
        assert stores[0].response_version(URN, YEAR, criterion) == version + 1
    finally:
        for s in stores:
            s.close()


def test_several_stores_opening_a_new_database_at_once_all_work(url, mini):
    """App threads starting together take turns to migrate; none fails or migrates twice."""
    start = threading.Barrier(4)
    opened: list[Store] = []
    errors: list[BaseException] = []

    def open_store() -> None:
        start.wait()
        try:
            opened.append(Store(url))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == [] and len(opened) == 4
        opened[0].create_audit(make_audit(mini), user="x")
        assert all(s.get_audit(URN, YEAR) is not None for s in opened)
    finally:
        for s in opened:
            s.close()


def test_several_app_replicas_starting_at_once_on_a_new_database_all_open_it(url, tmp_path):
    """Separate processes (replicas behind a load balancer) queue on the database lock."""
    script = tmp_path / "open.py"
    script.write_text("import sys\nfrom quality_offer.store import Store\n"
                      "Store(sys.argv[1]).close()\nprint('ok')\n")
    children = [subprocess.Popen([sys.executable, str(script), url], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(3)]
    outcomes = [child.communicate(timeout=120) for child in children]
    assert [(c.returncode, out.strip()) for c, (out, _err) in zip(children, outcomes,
                                                                   strict=True)] == [
        (0, "ok")] * 3, [err for _out, err in outcomes]
    with Store(url) as store:
        assert store.list_audits() == []


KILLED_SAVE = textwrap.dedent("""
    import sys, time
    from sqlalchemy import event
    from quality_offer.audit import Response
    from quality_offer.store import Store

    store = Store(sys.argv[1])
    version = store.response_version("123456", "2026/27", "D1")

    @event.listens_for(store.engine, "commit")
    def _hang(conn):
        print("writing, not committed", flush=True)
        time.sleep(120)

    store.save_response("123456", "2026/27", "D1", Response(rating="not-met"),
                        "Killed process", version)
    print("committed", flush=True)
""")


def test_a_process_killed_in_the_middle_of_a_save_leaves_the_last_saved_answer(
        url, mini, tmp_path):
    with Store(url) as store:
        store.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), user="Ms Patel")
    script = tmp_path / "killed_save.py"
    script.write_text(KILLED_SAVE)
    child = subprocess.Popen([sys.executable, str(script), url], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        line = child.stdout.readline()
        assert line.strip() == "writing, not committed", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    with Store(url) as reopened:
        assert reopened.get_audit(URN, YEAR).responses["D1"] == Response(rating="met")
        assert reopened.response_version(URN, YEAR, "D1") == 1
        assert all(c.user != "Killed process" for c in reopened.history(URN, YEAR))
        # and the database is not left locked: the next save goes through
        assert reopened.save_response(URN, YEAR, "D1", Response(rating="partly-met"),
                                      "Ms Patel", 1) == 2


# --- schema and settings ------------------------------------------------------------------


def test_the_migrations_build_exactly_the_tables_the_models_describe(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == _head()


def _head() -> str:
    """The one head of the migration chain."""
    from alembic.script import ScriptDirectory

    from quality_offer.store.engine import _alembic_config

    (head,) = ScriptDirectory.from_config(_alembic_config()).get_heads()
    return head


def test_sqlite_is_opened_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_the_settings_take_the_argument_then_the_environment_then_the_data_folder(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUALITY_OFFER_DATABASE_URL", raising=False)
    monkeypatch.delenv("QUALITY_OFFER_DATA_DIR", raising=False)
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'quality-offer.db'}"
    assert (tmp_path / "data").is_dir()
    monkeypatch.setenv("QUALITY_OFFER_DATA_DIR", str(tmp_path / "elsewhere"))
    assert data_dir() == tmp_path / "elsewhere" and data_dir().is_dir()
    with Store.from_settings() as store:
        assert store.list_audits() == []
    assert (tmp_path / "elsewhere" / "quality-offer.db").is_file()
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", "sqlite:///from-env.db")
    assert database_url() == "sqlite:///from-env.db"
    assert database_url("sqlite:///given.db") == "sqlite:///given.db"


def test_a_store_refuses_a_criterion_id_that_is_not_an_id(store, mini):
    store.create_audit(make_audit(mini), user="x")
    with pytest.raises(ValueError, match="not a criterion id"):
        store.save_response(URN, YEAR, "D1; DROP", Response(), "x", 0)


def test_no_answer_history_or_audit_is_ever_deleted_by_saving_importing_or_signing(
        store, mini):
    """Whatever the school does, the database only ever adds to an audit's history: no
    statement deletes an audit or a line of its change history."""
    from sqlalchemy import event

    deletes: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(statement.split("WHERE")[0].strip())

    store.create_audit(make_audit(mini), user="x")
    store.save_response(URN, YEAR, "D1", Response(rating="met"), "x", 0)
    store.save_response(URN, YEAR, "D1", Response(rating="not-met"), "x", 1)
    store.import_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}), "x")
    store.set_status(URN, YEAR, "submitted", "x")
    store.set_status(URN, YEAR, "in-progress", "x")
    event.remove(store.engine, "before_cursor_execute", watch)
    assert not [d for d in deletes if "audits" in d or "changes" in d]
    assert [c.new for c in store.history(URN, YEAR) if c.field == "rating"][:3] != []
    assert store.get_audit(URN, YEAR) is not None


def test_the_migrations_ship_inside_the_package():
    from alembic.script import ScriptDirectory

    import quality_offer
    from quality_offer.store.engine import _alembic_config

    folder = Path(quality_offer.__file__).parent / "migrations"
    assert (folder / "env.py").is_file() and (folder / "script.py.mako").is_file()
    # One chain from an empty database to one head: any earlier install upgrades to it.
    script = ScriptDirectory.from_config(_alembic_config())
    (head,) = script.get_heads()
    chain = list(script.walk_revisions("base", head))
    assert chain[-1].down_revision is None and len(chain) == len(list(script.walk_revisions()))
