"""Moving a stored audit to a new framework version: one transaction, in the history,
the old audit still exportable; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.audit import Response
from quality_offer.cli import main
from quality_offer.permissions import Membership, User
from quality_offer.store import Conflict, SignedOff, Store, StoreError
from quality_offer.upgrade import MoveRefused
from tests.builders import make_audit
from tests.changing_framework import ANSWERS, VERSIONS, texts

URN, YEAR = "123456", "2026/27"


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    found = frameworks.registry(frameworks.shipped_folders(VERSIONS))
    monkeypatch.setattr(frameworks, "shipped", lambda: found)
    return found


@pytest.fixture
def old(installed):
    return installed[("changing", "1.0.0")]


@pytest.fixture
def store(url):
    with Store(url) as s:
        yield s


@pytest.fixture
def stored(store, old):
    audit = make_audit(old, ANSWERS, completed_by="Ms A. Patel")
    store.create_audit(audit, user="senco")
    return audit


def test_a_stored_audit_moves_and_keeps_every_word(store, stored):
    move = store.move_audit(URN, YEAR, "2.0.0", user="Ms Patel")
    after = store.get_audit(URN, YEAR)
    assert after == move.after
    assert after.framework.version == "2.0.0"
    remaining = texts(after)
    assert all(t in remaining for t in texts(stored))
    assert {a.criterion for a in after.archived} == {"K3", "K5", "K7", "K8", "K11", "K12"}
    assert after.responses["K9"].moved_from.criterion == "K6"
    assert after.responses["K2"].moved_from.text == "Reworded criterion, old wording."


def test_the_move_is_in_the_history_with_who_and_which_versions(store, stored):
    store.move_audit(URN, YEAR, "2.0.0", user="Ms Patel")
    history = store.history(URN, YEAR)
    (version,) = [c for c in history if c.field == "framework_version"]
    assert (version.user, version.old, version.new) == ("Ms Patel", "1.0.0", "2.0.0")
    moved = {c.criterion_id: c.new for c in history if c.field == "moved"}
    assert moved["K6"] == "to K9" and moved["K5"] == "to the archived answers"
    (record,) = store.framework_moves(URN, YEAR)
    assert (record.user, record.from_version, record.to_version) == ("Ms Patel", "1.0.0",
                                                                      "2.0.0")


def test_the_audit_as_it_was_before_the_move_can_still_be_exported(store, stored, tmp_path,
                                                                    capsys):
    store.move_audit(URN, YEAR, "2.0.0", user="senco")
    assert store.audit_before_move(URN, YEAR) == stored
    out = tmp_path / "before.yaml"
    assert main(["export", URN, YEAR, "--before-move", "-o", str(out),
                 "--database", store.url]) == 0
    assert auditfile.read(out)[0] == stored


def test_moving_twice_changes_nothing_the_second_time(store, stored):
    store.move_audit(URN, YEAR, "2.0.0", user="senco")
    history = store.history(URN, YEAR)
    again = store.move_audit(URN, YEAR, "2.0.0", user="senco")
    assert again.no_change
    assert store.history(URN, YEAR) == history
    assert len(store.framework_moves(URN, YEAR)) == 1


def test_a_signed_off_audit_is_not_moved_until_reopened(store, stored):
    store.set_status(URN, YEAR, "signed-off", user="head")
    with pytest.raises(MoveRefused, match="signed off"):
        store.move_audit(URN, YEAR, "2.0.0", user="senco")
    assert store.get_audit(URN, YEAR).framework.version == "1.0.0"
    store.set_status(URN, YEAR, "in-progress", user="head")
    store.move_audit(URN, YEAR, "2.0.0", user="senco")
    assert store.get_audit(URN, YEAR).framework.version == "2.0.0"


def test_a_governor_may_not_move_an_audit(store, stored):
    governor = User("iss", "gov", memberships=(Membership("governor", urn=URN),))
    with pytest.raises(StoreError, match="may not change"):
        store.move_audit(URN, YEAR, "2.0.0", user="gov", actor=governor)
    senco_elsewhere = User("iss", "s", memberships=(Membership("senco", urn="654321"),))
    with pytest.raises(StoreError):
        store.move_audit(URN, YEAR, "2.0.0", user="s", actor=senco_elsewhere)
    assert store.get_audit(URN, YEAR).framework.version == "1.0.0"
    senco = User("iss", "s", memberships=(Membership("senco", urn=URN),))
    with pytest.raises(StoreError):  # rights are the stored memberships, not the claimed ones
        store.move_audit(URN, YEAR, "2.0.0", user="s", actor=senco)
    store.add_membership("iss", "s", "S", "senco", URN, None, "setup")
    store.move_audit(URN, YEAR, "2.0.0", user="s", actor=senco)


def test_a_move_previewed_before_someone_saved_is_refused(store, stored):
    preview_version = store.list_audits()[0]
    version = _audit_version(store)
    store.save_response(URN, YEAR, "K10", Response(rating="emerging"), user="other",
                        expected_version=0)
    with pytest.raises(Conflict, match="Preview it again"):
        store.move_audit(URN, YEAR, "2.0.0", user="senco", expected_audit_version=version)
    assert store.get_audit(URN, YEAR).framework.version == "1.0.0"
    assert preview_version.framework_version == "1.0.0"


def _audit_version(store) -> int:
    from sqlalchemy import select

    from quality_offer.store.db import AuditRow

    with store._reading() as s:
        return s.scalar(select(AuditRow.version))


def test_confirming_a_moved_answer_after_the_move_saves(store, stored):
    store.move_audit(URN, YEAR, "2.0.0", user="senco")
    k2 = store.get_audit(URN, YEAR).responses["K2"]
    version = store.response_version(URN, YEAR, "K2")
    store.save_response(URN, YEAR, "K2", k2.model_copy(update={"rechecked": True}),
                        user="senco", expected_version=version)
    assert store.get_audit(URN, YEAR).responses["K2"].rechecked


def test_a_moved_audit_exported_and_imported_elsewhere_comes_back_the_same(store, stored,
                                                                           tmp_path):
    store.move_audit(URN, YEAR, "2.0.0", user="senco")
    moved = store.get_audit(URN, YEAR)
    with Store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        other.import_audit(moved, user="import")
        assert other.get_audit(URN, YEAR) == moved
        assert other.get_audits() == [moved]


def test_upgrade_on_the_command_line_moves_a_stored_audit(store, stored, capsys):
    assert main(["upgrade", "--urn", URN, "--year", YEAR, "--to", "2.0.0", "--dry-run",
                 "--database", store.url]) == 0
    assert "kept as archived answers" in capsys.readouterr().out
    assert store.get_audit(URN, YEAR).framework.version == "1.0.0"
    assert main(["upgrade", "--urn", URN, "--year", YEAR, "--to", "2.0.0",
                 "--database", store.url, "--user", "Ms Patel"]) == 0
    assert "moved URN 123456 2026/27 to changing 2.0.0" in capsys.readouterr().err
    assert store.get_audit(URN, YEAR).framework.version == "2.0.0"
    assert main(["upgrade", "--urn", URN, "--year", YEAR, "--to", "9.0.0",
                 "--database", store.url]) == 1
    assert "'9.0.0' is not installed" in capsys.readouterr().err


def test_upgrade_of_a_missing_stored_audit_fails_clearly(store, capsys):
    assert main(["upgrade", "--urn", URN, "--year", YEAR, "--to", "2.0.0",
                 "--database", store.url]) == 1
    assert "no audit for URN 123456 in 2026/27" in capsys.readouterr().err


def test_a_signed_off_audit_refuses_to_move_from_the_command_line(store, stored, capsys):
    store.set_status(URN, YEAR, "signed-off", user="head")
    assert main(["upgrade", "--urn", URN, "--year", YEAR, "--to", "2.0.0",
                 "--database", store.url]) == 1
    assert "not moved, nothing was changed" in capsys.readouterr().err


def test_signed_off_is_the_stores_own_error_for_answers(store, stored):
    store.move_audit(URN, YEAR, "2.0.0", user="senco")
    store.set_status(URN, YEAR, "signed-off", user="head")
    with pytest.raises(SignedOff):
        store.save_response(URN, YEAR, "K10", Response(rating="emerging"), user="senco",
                            expected_version=0)
