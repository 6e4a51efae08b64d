"""Backups and restores: every audit, every change and every membership comes back, from and
into SQLite and PostgreSQL alike; a database that holds data is never overwritten unless the
operator says so; a file that is not a backup changes nothing.

The PostgreSQL half uses a throwaway schema of the test database on 127.0.0.1:5432 and skips,
saying why, when none answers.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from quality_offer.audit import Action, Evidence, Response, SignOff
from quality_offer.backup import TABLES, BackupError, NotEmpty, backup, head_revision, restore
from quality_offer.cli import main
from quality_offer.store import Conflict, Store
from quality_offer.store.engine import _alembic_config
from quality_offer.store.scratch import scratch_schema

from .builders import make_audit

YEAR = "2026/27"
A, B = "123456", "654321"


def database(request, tmp_path: Path, kind: str, name: str):
    """A new, empty database of ``kind``: a SQLite file or a throwaway PostgreSQL schema."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / (name + '.db')}"
    schema = scratch_schema(request.getfixturevalue("postgres_url"), "qo_backup")
    url = schema.__enter__()
    request.addfinalizer(lambda: schema.__exit__(None, None, None))
    return url


KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def fill(store: Store, mini) -> None:
    """Two schools' audits with history, a conflict, a sign-off, and memberships."""
    store.create_audit(make_audit(mini, {
        "D1": Response(rating="partly-met",
                       evidence=Evidence(text="SEN policy **2026**\n<b>minutes</b>",
                                         location="Governors' drive", kind="document"),
                       action=Action(what="Review with parents", owner="Ms Patel",
                                     due=dt.date(2027, 3, 31), status="in-progress")),
    }), user="Ms Patel")
    store.save_response(A, YEAR, "D2", Response(rating="met"), "Ms Patel", expected_version=0)
    store.save_response(A, YEAR, "D2", Response(rating="partly-met"), "Mr Smith",
                        expected_version=1)
    with pytest.raises(Conflict):
        store.save_response(A, YEAR, "D2", Response(rating="not-met"), "Ms Patel",
                            expected_version=1)
    store.add_sign_off(A, YEAR, SignOff(name="Mrs Jones", role="chair-of-governors",
                                        date=dt.date(2027, 7, 1), comment="Agreed"), "Mrs Jones")
    store.create_audit(make_audit(mini, {"O1.1": Response(rating="emerging")}, urn=B,
                                  name="Ash Lane Academy"), user="Mr Brown")
    moderated = Response(rating="emerging", moderated_rating="not-in-place",
                         moderation_note="No provision map seen")
    store.save_response(B, YEAR, "O1.1", moderated, "LA adviser", expected_version=1)
    keep = store.add_membership("https://idp.example", "sub-1", "Ms Patel", "senco", A, None,
                                "admin")
    gone = store.add_membership("https://idp.example", "sub-2", "Mr Left", "governor", B, None,
                                "admin")
    store.add_membership("https://idp.example", "sub-3", "Ms Adviser", "adviser", None, "919",
                         "admin")
    store.remove_membership(gone.id, "admin")
    assert keep.id


def every_row(url: str) -> dict[str, list[tuple]]:
    """Every table's rows in key order, as Python values (timestamps as aware UTC)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(
                select(t).order_by(*t.primary_key.columns))] for t in TABLES}
    finally:
        engine.dispose()


def as_seen(store: Store) -> dict[str, object]:
    """What the app shows: every audit, each audit's whole history, memberships and theirs."""
    return {
        "audits": store.get_audits(),
        "history": {(a.school.urn, a.academic_year): store.history(a.school.urn, a.academic_year)
                    for a in store.get_audits()},
        "memberships": store.list_memberships(),
        "membership_history": store.membership_history(),
    }


@pytest.mark.parametrize("target_kind", KINDS)
@pytest.mark.parametrize("source_kind", KINDS)
def test_a_backup_restored_into_an_empty_database_gives_back_every_audit_history_and_membership(
        request, tmp_path, mini, source_kind, target_kind):
    source = database(request, tmp_path, source_kind, "source")
    target = database(request, tmp_path, target_kind, "target")
    with Store(source) as store:
        fill(store, mini)
        before = as_seen(store)
    out = tmp_path / "backup.sqlite"
    summary = backup(source, out)
    assert summary.rows["audits"] == 2 and summary.rows["memberships"] == 2
    assert summary.rows["membership_changes"] == 4

    restored = restore(out, target)
    assert restored.rows == summary.rows
    assert every_row(target) == every_row(source)
    with Store(target) as store:
        assert as_seen(store) == before
        assert store.get_audit(A, YEAR).responses["D1"].evidence.text == \
            "SEN policy **2026**\n<b>minutes</b>"
        # Work carries on in the restored database: new rows get new ids.
        earlier = len(store.history(A, YEAR, "D2"))
        store.save_response(A, YEAR, "D2", Response(rating="met"), "Ms Patel",
                            expected_version=2)
        store.add_membership("https://idp.example", "sub-4", "Mr New", "senco", B, None,
                             "admin")
        store.create_audit(make_audit(mini, urn="111111", name="New School"), user="x")
        assert len(store.history(A, YEAR, "D2")) == earlier + 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_restore_over_a_database_that_holds_data_is_refused_and_changes_nothing(
        request, tmp_path, mini, kind):
    source = database(request, tmp_path, "sqlite", "source")
    target = database(request, tmp_path, kind, "target")
    with Store(source) as store:
        fill(store, mini)
    backup(source, tmp_path / "b.sqlite")
    with Store(target) as store:
        store.create_audit(make_audit(mini, {"D1": Response(rating="met")}, urn="222222",
                                      name="Elm Primary"), user="Someone")
    before = every_row(target)

    held = r"already holds 1 school, 1 audit, 1 answer, 9 recorded changes;"
    with pytest.raises(NotEmpty, match=held):
        restore(tmp_path / "b.sqlite", target)
    assert every_row(target) == before

    restore(tmp_path / "b.sqlite", target, force=True)
    assert every_row(target) == every_row(source)
    with Store(target) as store:
        assert store.get_audit("222222", YEAR) is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_backup_taken_while_audits_are_being_saved_is_one_consistent_moment(
        request, tmp_path, mini, kind):
    source = database(request, tmp_path, kind, "live")
    with Store(source) as store:
        for i in range(5):
            store.create_audit(make_audit(mini, urn=f"10000{i}", name=f"School {i}"), "x")
        stop = threading.Event()
        saved = [0]

        def keep_saving() -> None:
            ratings = ["not-met", "partly-met", "met"]
            while not stop.is_set():
                n = saved[0]
                store.save_response(f"10000{n % 5}", YEAR, "D1",
                                    Response(rating=ratings[n % 3]), "SENCO",
                                    expected_version=n // 5)
                saved[0] += 1

        writer = threading.Thread(target=keep_saving)
        writer.start()
        try:
            while saved[0] < 20:
                stop.wait(0.01)
            backup(source, tmp_path / "b.sqlite")
            during = saved[0]
        finally:
            stop.set()
            writer.join()
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restore(tmp_path / "b.sqlite", target)
    with Store(target) as store:
        audits = store.get_audits()
        assert len(audits) == 5
        total = 0
        for audit in audits:
            urn = audit.school.urn
            changes = [c for c in store.history(urn, YEAR, "D1") if c.field == "rating"]
            version = store.response_version(urn, YEAR, "D1")
            # Each save wrote its answer and its change together: a torn copy would differ.
            assert len(changes) == version
            if version:
                assert changes[0].new == audit.responses["D1"].rating
            total += version
        assert 20 <= total <= during + 1


def test_a_backup_from_an_older_version_is_upgraded_on_a_copy_and_restored(tmp_path, mini):
    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    backup(f"sqlite:///{old}", tmp_path / "old-backup.sqlite")
    copy = (tmp_path / "old-backup.sqlite").read_bytes()
    target = f"sqlite:///{tmp_path / 'new.db'}"
    summary = restore(tmp_path / "old-backup.sqlite", target)
    assert summary.revision == head_revision() != "0001"
    assert (tmp_path / "old-backup.sqlite").read_bytes() == copy  # the backup is only read
    with Store(target) as store:
        store.add_membership("https://idp.example", "s", "N", "administrator", None, None, "x")


# --- the command line ---------------------------------------------------------------------


def test_the_commands_back_up_and_restore_and_say_what_they_copied(tmp_path, mini, capsys):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    with Store(source) as store:
        fill(store, mini)
    out = tmp_path / "nightly.sqlite"
    assert main(["backup", str(out), "--database", source]) == 0
    said = capsys.readouterr().err
    assert f"wrote {out}: 2 schools, 2 audits, 3 answers, " in said
    assert not list(tmp_path.glob(".quality-offer-*"))  # no temporary files left behind
    with sqlite3.connect(out) as conn:  # any SQLite tool can look inside
        assert conn.execute("SELECT count(*) FROM audits").fetchone() == (2,)

    target = f"sqlite:///{tmp_path / 'b.db'}"
    assert main(["restore", str(out), "--database", target]) == 0
    assert "restored" in capsys.readouterr().err
    assert main(["restore", str(out), "--database", target]) == 1
    err = capsys.readouterr().err
    assert err.startswith("not restored: the database already holds 2 schools, 2 audits")
    assert "add --force" in err
    assert main(["restore", str(out), "--database", target, "--force"]) == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"format: quality-offer-audit/1\n", "not a Quality Offer backup (not a SQLite database)"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "not a readable backup"),
    (b"", "not a Quality Offer backup (not a SQLite database)"),
])
def test_a_file_that_is_not_a_backup_is_refused_and_the_database_is_unchanged(
        tmp_path, mini, capsys, content, message):
    target = f"sqlite:///{tmp_path / 'a.db'}"
    with Store(target) as store:
        fill(store, mini)
    before = every_row(target)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    assert main(["restore", str(bad), "--database", target, "--force"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert every_row(target) == before


def test_a_sqlite_database_of_another_program_or_a_newer_version_is_refused(tmp_path, capsys):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    assert main(["restore", str(other), "--database", f"sqlite:///{tmp_path / 't.db'}"]) == 1
    assert "not a Quality Offer backup (no schema revision in it)" in capsys.readouterr().err

    newer = tmp_path / "newer.sqlite"
    Store(f"sqlite:///{tmp_path / 'n.db'}").close()
    backup(f"sqlite:///{tmp_path / 'n.db'}", newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BackupError, match="made by a newer version of Quality Offer"):
        restore(newer, f"sqlite:///{tmp_path / 'x.db'}")


def test_a_backup_of_a_missing_or_unreachable_database_writes_no_file(tmp_path, capsys):
    out = tmp_path / "b.sqlite"
    assert main(["backup", str(out), "--database", f"sqlite:///{tmp_path / 'none.db'}"]) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    assert main(["backup", str(out), "--database",
                 "postgresql+psycopg://nobody@127.0.0.1:1/none"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("no backup written: cannot read the database") and "Traceback" not in err
    assert not out.exists()
    assert main(["backup", str(tmp_path), "--database", "sqlite:///x.db"]) == 1
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.postgres
def test_a_postgresql_backup_refuses_a_schema_this_version_does_not_build(request, tmp_path):
    url = database(request, tmp_path, "postgres", "pg")
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    with pytest.raises(BackupError, match="at schema revision 0001"):
        backup(url, tmp_path / "b.sqlite")
    assert not (tmp_path / "b.sqlite").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_laptops_database_file_restores_directly_onto_the_server(request, tmp_path, mini,
                                                                   kind):
    laptop = tmp_path / "quality-offer.db"
    with Store(f"sqlite:///{laptop}") as store:  # still open: the file is in WAL mode
        fill(store, mini)
        target = database(request, tmp_path, kind, "server")
        restore(laptop, target)
        assert every_row(target) == every_row(f"sqlite:///{laptop}")


def test_every_table_a_backup_counts_is_named_in_words_singular_and_plural():
    from quality_offer.backup import counted
    from quality_offer.store.db import Base

    for table in Base.metadata.tables:
        one, two = counted({table: 1}), counted({table: 2})
        assert one.removeprefix("1 ") != two.removeprefix("2 "), (one, two)  # not "1 cycles"
