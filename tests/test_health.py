"""``quality-offer check``: what monitoring reads. Exit 0 only when the database answers, its
schema is current and the frameworks validate; each failure says what is wrong in a sentence,
and the check never creates a database or changes one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from quality_offer.backup import head_revision
from quality_offer.cli import main
from quality_offer.store import Store

from .builders import make_audit
from .conftest import FIXTURES


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    Store(url).close()
    return url


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_a_healthy_installation_passes_every_check_with_exit_code_0(db, capsys):
    assert main(["check", "--database", db]) == 0
    out = lines(capsys)
    assert out[0].startswith("OK   database: reachable at sqlite:///")
    assert out[0].endswith(": 0 audits, 0 people with memberships")
    assert out[1] == f"OK   schema: current (revision {head_revision()})"
    assert out[2].startswith("OK   frameworks: valid: herts-send-quality-offer ")


def test_a_missing_database_fails_and_is_not_created(tmp_path, capsys):
    where = tmp_path / "nothing-here.db"
    assert main(["check", "--database", f"sqlite:///{where}"]) == 1
    assert lines(capsys)[0] == f"FAIL database: no database file at {where}"
    assert not where.exists()


def test_an_unreachable_server_fails_naming_it_without_its_password(capsys):
    url = "postgresql+psycopg://qo:s3cret-pw@127.0.0.1:1/quality_offer"
    assert main(["check", "--database", url]) == 1
    out = lines(capsys)
    assert out[0].startswith("FAIL database: cannot connect to "
                             "postgresql+psycopg://qo:***@127.0.0.1:1/quality_offer: ")
    assert "s3cret-pw" not in "\n".join(out)
    assert out[1] == "FAIL schema: not checked: no database"


def test_a_schema_behind_or_ahead_of_the_code_fails_saying_which(db, capsys):
    engine = create_engine(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert main(["check", "--database", db]) == 1
    assert lines(capsys)[1] == (f"FAIL schema: at revision 0001, this version expects "
                                f"{head_revision()}: `quality-offer migrate` (the app servers run "
                                f"it as they start) upgrades it")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    engine.dispose()
    assert main(["check", "--database", db]) == 1
    assert "which this version does not know" in lines(capsys)[1]


def test_an_empty_database_fails_the_schema_check(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    create_engine(f"sqlite:///{empty}").connect().close()
    assert main(["check", "--database", f"sqlite:///{empty}"]) == 1
    assert lines(capsys)[1].startswith("FAIL schema: no Quality Offer tables yet")


def test_audits_of_a_framework_version_not_installed_fail_the_check(db, mini, capsys):
    with Store(db) as store:
        store.create_audit(make_audit(mini), user="x")
    assert main(["check", "--database", db]) == 1
    assert lines(capsys)[2] == ("FAIL frameworks: stored audits use framework versions that "
                                "are not installed: mini 1.0.0")


def test_criteria_that_do_not_validate_fail_the_check(db, tmp_path):
    from quality_offer import health

    broken = tmp_path / "criteria"
    shutil.copytree(FIXTURES / "frameworks" / "mini", broken / "mini")
    manifest = broken / "mini" / "framework.yaml"
    manifest.write_text(manifest.read_text().replace("version:", "versoin:", 1))
    found = health.check(db, criteria=broken)[2]
    assert not found.ok
    assert found.detail.startswith("mini has ") and "quality-offer validate" in found.detail


def test_the_json_output_is_for_monitoring_tools(db, capsys):
    assert main(["check", "--database", db, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert [f["name"] for f in report["findings"]] == ["database", "schema", "frameworks"]


def test_the_check_reads_the_database_url_from_the_environment(db, monkeypatch, capsys):
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", db)
    assert main(["check"]) == 0
    assert Path(db.removeprefix("sqlite:///")).name in lines(capsys)[0]


def test_migrate_creates_the_tables_the_check_then_finds_current(tmp_path, capsys):
    """What the app servers' units run before they start: on a fresh database the tables exist
    before anyone signs in (so the first backup and check succeed), and a second run, as when
    the other server starts, changes nothing."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    create_engine(url).connect().close()
    for _ in range(2):
        assert main(["migrate", "--database", url]) == 0
        assert lines(capsys) == [f"schema current (revision {head_revision()}) at {url}"]
    assert main(["check", "--database", url]) == 0
    assert lines(capsys)[1] == f"OK   schema: current (revision {head_revision()})"
