"""``quality-offer import`` and ``export`` end to end, on a SQLite file in a temporary folder."""

from __future__ import annotations

import re

import pytest

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.audit import applicable
from quality_offer.cli import main
from quality_offer.store import Store

from .builders import make_audit


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def mini_installed(mini, monkeypatch):
    """Make the mini framework the one installed, so audit files for it can be read."""
    monkeypatch.setattr(frameworks, "shipped", lambda: {(mini.id, mini.version): mini})
    return mini


def write(path, audit) -> str:
    path.write_text(auditfile.to_yaml(audit), encoding="utf-8")
    return str(path)


def test_an_imported_audit_file_exports_back_the_same(mini_installed, db, tmp_path, capsys):
    audit = make_audit(mini_installed, {
        "D1": {"rating": "met", "evidence": {"text": "SEN policy — “ratified”",
                                             "location": "drive", "kind": "document"}},
        "O1.1": {"rating": "emerging", "action": {"what": "CPD", "owner": "SENCO",
                                                   "due": "2027-01-31"}},
        "O1.2": {"not_applicable_reason": "None on roll"}}, completed_by="Ms Patel")
    assert main(["import", write(tmp_path / "oak.yaml", audit), "--database", db]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "Oak Tree Primary School (123456) 2026/27" in out
    assert "new audit with 3 answers" in out

    assert main(["export", "123456", "2026/27", "-o", str(tmp_path / "out.yaml"),
                 "--database", db]) == 0
    back, _ = auditfile.read(tmp_path / "out.yaml")
    assert back == audit
    assert main(["export", "123456", "2026/27", "-o", str(tmp_path / "out.json"),
                 "--database", db]) == 0
    assert auditfile.read(tmp_path / "out.json")[0] == audit


def test_importing_a_changed_file_reports_the_changes_and_keeps_answers_it_lacks(
        mini_installed, db, tmp_path, capsys):
    first = make_audit(mini_installed, {"D1": {"rating": "met"}, "D2": {"rating": "met"}})
    main(["import", write(tmp_path / "a.yaml", first), "--database", db])
    later = make_audit(mini_installed, {"D1": {"rating": "partly-met"}})
    capsys.readouterr()
    assert main(["import", write(tmp_path / "b.yaml", later), "--database", db,
                 "--user", "Ms Patel"]) == 0
    out = capsys.readouterr().out
    assert "1 answer changed" in out and "kept as they are: D2" in out
    with Store(db) as store:
        stored = store.get_audit("123456", "2026/27")
        assert stored.responses["D1"].rating == "partly-met"
        assert stored.responses["D2"].rating == "met"
        [change] = store.history("123456", "2026/27", "D1")[:1]
        assert (change.user, change.old, change.new) == ("Ms Patel", "met", "partly-met")


def test_a_file_with_a_nul_character_is_refused_and_the_database_is_unchanged(
        mini_installed, db, tmp_path, capsys):
    good = make_audit(mini_installed, {"D1": {"rating": "met", "evidence": {"text": "ok"}}})
    main(["import", write(tmp_path / "good.yaml", good), "--database", db])
    bad = tmp_path / "bad.yaml"
    bad.write_text(auditfile.to_yaml(good).replace("text: ok", 'text: "o\\0k"'))
    assert main(["import", str(bad), "--database", db]) == 1
    err = capsys.readouterr().err
    # refused where it stands, by the reader, before the database is opened for it
    assert re.search(r"bad\.yaml:\d+:\d+: responses\.D1\.evidence\.text: contains a NUL", err)
    with Store(db) as store:
        assert store.get_audit("123456", "2026/27") == good


def test_a_broken_file_among_several_is_reported_and_the_others_are_imported(
        mini_installed, db, tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: quality-offer-audit/1\nschool: [\n")
    other = write(tmp_path / "ok.yaml", make_audit(mini_installed, urn="100002"))
    assert main(["import", str(broken), other, "--database", db]) == 1
    captured = capsys.readouterr()
    assert "broken.yaml" in captured.err and "imported" in captured.out
    with Store(db) as store:
        assert [s.urn for s in store.list_audits()] == ["100002"]


def test_exporting_an_audit_that_is_not_there_fails_clearly(db, tmp_path, capsys):
    out = tmp_path / "none.yaml"
    assert main(["export", "999999", "2026/27", "-o", str(out), "--database", db]) == 1
    assert "no audit for URN 999999 in 2026/27" in capsys.readouterr().err
    assert not out.exists()


def test_import_uses_the_database_named_by_the_environment(mini_installed, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["import", write(tmp_path / "a.yaml", make_audit(mini_installed))]) == 0
    assert (tmp_path / "env.db").is_file()


def test_the_shipped_framework_audit_imports_and_exports(db, tmp_path, capsys):
    if main(["validate"]) != 0:
        pytest.skip("the shipped framework does not validate yet (criteria still being "
                    "written): " + capsys.readouterr().err.strip().splitlines()[-1])
    fw = frameworks.default()
    audit = make_audit(fw)
    criteria = applicable(fw, audit)
    answers = {}
    for i, crit in enumerate(criteria):
        scale = fw.scale_of(crit)
        answers[crit.id] = {"rating": scale.level_ids[i % len(scale.level_ids)],
                            "evidence": {"text": f"evidence for {crit.id}"}}
    audit = make_audit(fw, answers)
    assert main(["import", write(tmp_path / "herts.yaml", audit), "--database", db]) == 0
    assert main(["export", "123456", "2026/27", "-o", str(tmp_path / "back.yaml"),
                 "--database", db]) == 0
    assert auditfile.read(tmp_path / "back.yaml")[0] == audit


def test_an_import_keeps_a_recorded_schools_la_code_unless_asked_to_move_it(
        mini_installed, db, tmp_path, capsys):
    main(["import", write(tmp_path / "a.yaml", make_audit(mini_installed)), "--database", db])
    moved = make_audit(mini_installed, {"D1": {"rating": "met"}}).model_dump()
    moved["school"]["la_code"] = "204"
    from quality_offer.audit import Audit

    path = write(tmp_path / "b.yaml", Audit.model_validate(moved))
    assert main(["import", path, "--database", db]) == 0
    assert "only an administrator can move it" in capsys.readouterr().out
    with Store(db) as store:
        assert store.la_code_of("123456") == "919"
    assert main(["import", path, "--database", db, "--change-la-code"]) == 0
    with Store(db) as store:
        assert store.la_code_of("123456") == "204"
