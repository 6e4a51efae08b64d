"""The app offers to move an audit on an older framework version, previews, then moves."""

from __future__ import annotations

import pytest

from quality_offer import framework as frameworks
from quality_offer.ui import plain
from tests.changing_framework import ANSWERS, VERSIONS, with_coming_duties

from .app_support import goto, texts
from .builders import make_audit

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
    # the section shown holds K2 (reworded) or K12 (now a duty): its card shows the wording
    # the school answered
    assert (says(at, "in version 1.0.0 to K2, which read: “Reworded criterion, old wording.” "
                     "Check it")
            or says(at, "to K12, which read: “Publish the SEN information report.” Check it"))
    assert not says(at, ".”.")  # one full stop, inside the quotation marks


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
    cid = next(c.key.split("::")[1] for c in at.checkbox if c.key.startswith("rechecked::"))
    at.checkbox(key=f"rechecked::{cid}").check().run()
    assert db.get_audit(URN, YEAR).responses[cid].rechecked
    assert not says(at.run(), f"to {cid}, which read:")


def test_the_framework_page_shows_what_changed_between_two_versions(app, db, versions):
    at = goto(app.run(), "framework")
    assert not at.exception
    page = texts(at)
    assert "What changed between versions" in page
    assert says(at, "From 1.0.0 to 2.0.0: **2 new, 4 withdrawn, 6 changed.**")
    assert says(at, "Reworded criterion, old wording.") and says(at, "To K9, to re-check")
    assert says(at, "Applies to: ") and says(at, "(Phases: secondary, all-through; schools: "
                                                 "every type of school.)")
    assert "Moved to another section" in page  # K12, made a duty, moved to the duties
    at.selectbox(key="diff_from").set_value("2.0.0").run()
    assert says(at, "Nothing changed in the criteria from 2.0.0 to 2.0.0.")


def test_next_years_audit_from_an_older_version_keeps_every_answer(app, db, versions):
    db.set_status(URN, YEAR, "signed-off", "head")
    at = goto(app.run(), "audits")
    at = at.button(key="carry_button").click().run()
    assert not at.exception
    nxt = db.get_audit(URN, "2027/28")
    assert nxt.framework.version == "2.0.0"
    assert nxt.responses["K9"].moved_from.criterion == "K6"
    assert len(nxt.archived) == 6
    assert db.get_audit(URN, YEAR).framework.version == "1.0.0"  # last year's untouched


def test_the_preview_offers_the_audit_file_as_it_stands_before_the_move(app, db, versions,
                                                                      deferred):
    from quality_offer import auditfile

    at = goto(app.run(), "checklist")
    assert "Audit file (YAML)" not in {b.proto.label for b in at.get("download_button")}
    at = buttons(at)["move_preview"].click().run()
    assert says(at, "Before moving, you can download the audit as it stands on version 1.0.0")
    assert {"Audit file (YAML)", "Audit file (JSON)"} <= {
        b.proto.label for b in at.get("download_button")}
    before = db.get_audit(URN, YEAR)
    name = next(n for n in deferred if n.endswith(".yaml"))
    kept, _ = auditfile.from_text(deferred[name](), name)
    assert kept.framework.version == "1.0.0"
    assert {c: r.evidence and r.evidence.text for c, r in kept.responses.items()} == {
        c: r.evidence and r.evidence.text for c, r in before.responses.items()}


def test_with_three_versions_installed_the_move_is_offered_to_the_newest_only(
        app, db, tmp_path, monkeypatch):
    import shutil

    root = tmp_path / "three"
    shutil.copytree(VERSIONS, root)
    middle = root / "changing-1.5.0"
    shutil.copytree(root / "changing-2.0.0", middle)
    manifest = middle / "framework.yaml"
    manifest.write_text(manifest.read_text().replace('version: "2.0.0"', 'version: "1.5.0"'))
    found = frameworks.registry(frameworks.shipped_folders(root))
    assert ("changing", "1.5.0") in found
    monkeypatch.setattr(frameworks, "shipped", lambda: found)
    db.create_audit(make_audit(found[("changing", "1.0.0")], ANSWERS), "someone")
    at = goto(app.run(), "checklist")
    assert says(at, "This audit uses version 1.0.0 of the criteria. Version 2.0.0 is installed.")
    labels = [b.proto.label for b in at.get("button")]
    assert "Preview the move to version 2.0.0" in labels
    assert not any("1.5.0" in label for label in labels)
    at = buttons(at)["move_preview"].click().run()
    at = buttons(at)["move_confirm"].click().run()
    assert db.get_audit(URN, YEAR).framework.version == "2.0.0"


def test_the_framework_page_gives_the_in_force_dates_of_coming_duties(app, db, tmp_path,
                                                                       monkeypatch):
    import shutil


    shutil.copytree(VERSIONS, tmp_path / "v")
    with_coming_duties(tmp_path / "v")
    found = frameworks.registry(frameworks.shipped_folders(tmp_path / "v"))
    monkeypatch.setattr(frameworks, "shipped", lambda: found)
    at = goto(app.run(), "framework")
    assert not at.exception
    table = next(t.value for t in at.table if "In force" in t.value.columns)
    rows = {r["Criterion"]: r["In force"] for _, r in table.iterrows()}
    assert rows == {"K10": "Comes into force on 1 September 2027",
                    plain("D1, level Met"): "Comes into force on 1 January 2028",
                    "K12": plain("Enacted; the date it comes into force is still to be set")}
    assert says(at, "Coming duties")
