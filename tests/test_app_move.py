"""The app offers to move an audit on an older framework version, previews, then moves."""

from __future__ import annotations

import pytest

from quality_offer import framework as frameworks
from quality_offer.ui import plain
from tests.test_upgrade import ANSWERS
from tests.test_versions import VERSIONS

from .test_app_support import app, db, goto, make_audit, texts

__all__ = ["app", "db"]
URN, YEAR = "123456", "2026/27"


@pytest.fixture
def versions(db, monkeypatch):
    found = frameworks.registry(frameworks.shipped_folders(VERSIONS))
    monkeypatch.setattr(frameworks, "shipped", lambda: found)
    old = found[("changing", "1.0.0")]
    db.create_audit(make_audit(old, ANSWERS), "someone")
    return found


def says(at, text: str) -> bool:
    """Whether the page shows ``text`` (Markdown escapes aside)."""
    page = texts(at)
    return text in page or plain(text) in page or text in page.replace("\\", "")


def buttons(at):
    return {b.key: b for b in at.button}


def test_an_audit_on_an_older_version_says_so_and_offers_a_preview(app, db, versions):
    at = goto(app.run(), "checklist")
    assert not at.exception
    assert says(at, "This audit uses version 1.0.0 of the criteria. Version 2.0.0 is installed.")
    assert "move_confirm" not in buttons(at)
    at = buttons(at)["move_preview"].click().run()
    assert says(at, "Moving from 1.0.0 to 2.0.0") and says(at, "4 kept as archived answers")
    assert says(at, "withdrawn and replaced by K9: moves there to re-check")
    assert db.get_audit(URN, YEAR).framework.version == "1.0.0"  # a preview writes nothing


def test_the_move_after_the_preview_moves_the_audit_and_shows_old_wording(app, db, versions):
    at = goto(app.run(), "checklist")
    at = buttons(at)["move_preview"].click().run()
    at = buttons(at)["move_confirm"].click().run()
    assert not at.exception
    moved = db.get_audit(URN, YEAR)
    assert moved.framework.version == "2.0.0"
    assert len(moved.archived) == 6
    assert says(at, "No answer is lost.")
    assert not says(at, "Version 2.0.0 is installed")
    assert "Archived answers (6)" in " ".join(e.label for e in at.expander)
    assert says(at, "K5 evidence")
    # K12 became a duty: its card (in the first section) shows the wording answered
    assert says(at, "in version 1.0.0 to K12, which read: “Publish the SEN information report.”")


def test_a_move_refused_because_the_audit_changed_since_the_preview(app, db, versions):
    from quality_offer.audit import Response

    at = goto(app.run(), "checklist")
    at = buttons(at)["move_preview"].click().run()
    db.save_response(URN, YEAR, "K10", Response(rating="emerging"), "another",
                     expected_version=0)
    at = buttons(at)["move_confirm"].click().run()
    assert says(at, "changed since the move was previewed")
    assert db.get_audit(URN, YEAR).framework.version == "1.0.0"


def test_a_signed_off_audit_offers_no_move(app, db, versions):
    db.set_status(URN, YEAR, "signed-off", "head")
    at = goto(app.run(), "checklist")
    assert says(at, "It cannot be moved now: the audit is signed off")
    assert "move_preview" not in buttons(at)


def test_confirming_a_re_check_hides_the_old_wording(app, db, versions):
    at = goto(app.run(), "checklist")
    at = buttons(at)["move_preview"].click().run()
    at = buttons(at)["move_confirm"].click().run()
    assert says(at, "which read:")
    at.checkbox(key="rechecked::K12").check().run()
    assert db.get_audit(URN, YEAR).responses["K12"].rechecked
    assert not says(at.run(), "which read:")
