"""The comparison from the database: the same answers as from the files, in few queries."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, event, text, update

from quality_offer.compare import build, from_store
from quality_offer.store import Store
from quality_offer.store.db import ResponseRow

from .builders import make_audit


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test PostgreSQL (trust auth, as user postgres or root), or skip."""
    import psycopg

    for user in ("postgres", "root"):
        try:
            psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="test",
                            connect_timeout=3).close()
        except psycopg.Error:
            continue
        return f"postgresql+psycopg://{user}@127.0.0.1:5432/test"
    pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A store of its own: a SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        with Store(f"sqlite:///{tmp_path / 'qo.db'}") as s:
            yield s
        return
    base = request.getfixturevalue("postgres_url")
    schema = f"qo_cmp_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with Store(f"{base}?options=-csearch_path%3D{schema}") as s:
            yield s
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def cohort(mini):
    """Four schools in two authorities, one with two years."""
    audits = [
        make_audit(mini, {"D1": {"rating": "met"}, "O1.1": {"rating": "emerging"}},
                   urn="300001", name="Ash"),
        make_audit(mini, {"D1": {"rating": "not-met"}, "O1.1": {"rating": "emerging",
                          "moderated_rating": "not-in-place", "moderation_note": "Seen"}},
                   urn="300002", name="Beech"),
        make_audit(mini, {"O1.2": {"not_applicable_reason": "None on roll"}},
                   urn="300003", name="Cedar", phase="16-plus", school_type="16-19-academy"),
        make_audit(mini, {"O1.1": {"rating": "not-in-place"}}, urn="300001", name="Ash",
                   year="2025/26"),
    ]
    other = make_audit(mini, {"D1": {"rating": "met"}}, urn="300004", name="Elm")
    other = other.model_copy(update={"school": other.school.model_copy(
        update={"la_code": "920"})})
    return [*audits, other]


@pytest.fixture
def filled(store, mini):
    audits = cohort(mini)
    for a in audits:
        store.import_audit(a, user="test")
    return audits


def test_the_database_gives_the_same_comparison_as_the_audits_themselves(store, mini, filled):
    from_db = from_store(store, frameworks=[mini])
    direct = build([(mini, a) for a in filled])
    assert from_db.to_json()["sections"] == direct.to_json()["sections"]
    assert from_db.to_json()["common_gaps"] == direct.to_json()["common_gaps"]
    assert from_db.to_json()["duties_not_met"] == direct.to_json()["duties_not_met"]
    cell = next(r for r in from_db.results if r.urn == "300002").cells["O1.1"]
    assert (cell.rating, cell.moderated_rating, cell.moderation_note) == (
        "emerging", "not-in-place", "Seen")


def test_the_comparison_is_read_in_two_queries_however_many_schools(store, mini, filled):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        from_store(store, frameworks=[mini])
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2
    assert not any("evidence_text" in s or "action_what" in s for s in selects)


def test_an_adviser_sees_only_the_schools_of_their_authority(store, mini, filled):
    comp = from_store(store, frameworks=[mini], la_codes=["920"])
    assert [r.urn for r in comp.results] == ["300004"]
    comp = from_store(store, frameworks=[mini], urns=["300003"])
    assert [r.urn for r in comp.results] == ["300003"]
    comp = from_store(store, frameworks=[mini], la_codes=["919"], years="2025/26")
    assert [(r.urn, r.academic_year) for r in comp.results] == [("300001", "2025/26")]


def test_a_stored_answer_the_framework_does_not_know_skips_that_audit_only(store, mini, filled):
    with store.engine.begin() as conn:
        conn.execute(update(ResponseRow.__table__)
                     .where(ResponseRow.rating == "not-met").values(rating="nope"))
    comp = from_store(store, frameworks=[mini])
    assert "300002" not in {r.urn for r in comp.results}
    (skip,) = comp.skipped
    assert skip.file == "URN 300002 2026/27 (database)"
    assert "does not fit framework mini 1.0.0 ('nope' is not known to it)" in skip.error


def test_a_callers_cache_reanalyses_only_the_audits_that_changed(store, mini, filled):
    cache: dict = {}
    first = from_store(store, frameworks=[mini], cache=cache)
    assert len(cache) == len(first.results)
    from quality_offer.audit import Response

    version = store.response_version("300001", "2026/27", "D1")
    store.save_response("300001", "2026/27", "D1", Response(rating="partly-met"), "test",
                        version)
    again = from_store(store, frameworks=[mini], cache=cache)
    before = {r.key: r for r in first.results}
    for r in again.results:
        assert (r is before[r.key]) == (r.key != ("300001", "2026/27"))
    changed = next(r for r in again.results if r.key == ("300001", "2026/27"))
    assert changed.sections["duties"].share == 0.0


def test_an_empty_database_gives_an_empty_comparison_not_an_error(store, mini):
    comp = from_store(store, frameworks=[mini])
    assert comp.results == () and comp.common_gaps() == [] and comp.trends() == []
    assert comp.to_json()["schools"] == 0
    with pytest.raises(LookupError, match="no framework"):
        from_store(store, frameworks=[])


def test_a_users_scope_limits_the_comparison_and_an_empty_scope_shows_nothing(store, mini,
                                                                             filled):
    from quality_offer.permissions import Scope

    assert from_store(store, frameworks=[mini], scope=Scope()).results == ()
    only = from_store(store, frameworks=[mini], scope=Scope(la_codes=frozenset({"920"})))
    assert [r.urn for r in only.results] == ["300004"]
    everything = from_store(store, frameworks=[mini], scope=Scope(everything=True))
    assert len(everything.results) == 5


def test_a_scope_and_a_list_of_urns_together_are_refused(store, mini, filled):
    from quality_offer.permissions import Scope

    with pytest.raises(ValueError, match="not both"):
        from_store(store, frameworks=[mini], scope=Scope(), urns=["300001"])


def test_a_hand_edited_row_the_audit_model_refuses_is_skipped_with_the_field(store, mini,
                                                                             filled):
    with store.engine.begin() as conn:
        conn.execute(update(ResponseRow.__table__)
                     .where(ResponseRow.rating == "not-met")
                     .values(not_applicable_reason="We are small"))
    comp = from_store(store, frameworks=[mini])
    (skip,) = comp.skipped
    assert "responses.D1" in skip.error and "not both" in skip.error
    assert len(comp.results) == 4
