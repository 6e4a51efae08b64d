"""Import and export page: a file is checked, previewed, and only written on "Import"."""

from __future__ import annotations

from quality_offer import auditfile
from quality_offer.audit import Response
from quality_offer.ui import plain

from .app_support import goto, texts
from .builders import make_audit

URN, YEAR = "123456", "2026/27"


def upload(at, name, content: bytes):
    at.get("file_uploader")[0].upload(name, content, "application/yaml")
    return at.run()


def page(app):
    return goto(app.run(), "import-export")


def test_a_good_file_is_previewed_and_only_imported_on_the_button(app, db, mini):
    text = auditfile.dump(make_audit(mini, {"D1": {"rating": "met"}}), "yaml")
    at = upload(page(app), "oak.yaml", text.encode())
    assert not at.exception
    assert "What importing would change" in [s.value for s in at.subheader]
    assert "New audit with 1 answer" in texts(at)
    assert db.list_audits() == []  # nothing written by the preview
    at.button(key="import_button").click().run()
    assert any(plain("Imported oak.yaml") in s.value for s in at.success)
    assert db.get_audit(URN, YEAR).responses["D1"].rating == "met"


def test_the_preview_of_an_update_lists_old_and_new_values(app, db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "not-met"},
                                      "D2": {"rating": "met"}}), "someone")
    text = auditfile.dump(make_audit(mini, {"D1": {"rating": "met"}}), "json")
    at = upload(page(app), "oak.json", text.encode())
    table = at.table[0].value
    row = table[table["Criterion"] == "D1"].iloc[0]
    assert (row["Field"], row["Now"], row["After import"]) == ("rating", "Not met", "Met")
    assert "D2" in texts(at)  # kept as stored, and said so
    assert db.get_audit(URN, YEAR).responses["D1"].rating == "not-met"


def test_a_broken_file_is_refused_with_file_line_and_field(app, db):
    at = upload(page(app), "broken.yaml", b"format: quality-offer-audit/1\nschool: [unclosed\n")
    assert not at.exception
    assert any(plain("broken.yaml cannot be imported") in e.value for e in at.error)
    table = at.table[0].value
    assert table.iloc[0]["File"] == "broken\\.yaml" and table.iloc[0]["Line"] != ""
    assert "import_button" not in [b.key for b in at.button]
    assert db.list_audits() == []


def test_a_rating_for_an_unknown_criterion_is_refused_naming_it(app, db, mini):
    text = auditfile.dump(make_audit(mini, {"D1": {"rating": "met"}}), "yaml")
    text = text.replace("  D1:", "  X99:")
    at = upload(page(app), "odd.yaml", text.encode())
    table = at.table[0].value
    assert "unknown criterion" in table.iloc[0]["Problem"]
    assert table.iloc[0]["Field"] == plain("responses.X99")
    assert table.iloc[0]["Line"].isdigit()
    assert db.list_audits() == []


def test_a_level_that_is_not_on_the_scale_is_refused(app, db, mini):
    text = auditfile.dump(make_audit(mini, {"D1": {"rating": "met"}}), "yaml")
    at = upload(page(app), "odd.yaml", text.replace("rating: met", "rating: superb").encode())
    assert "not a level" in at.table[0].value.iloc[0]["Problem"]
    assert db.list_audits() == []


def test_a_file_that_is_not_an_audit_at_all_is_refused(app, db):
    at = upload(page(app), "notes.yaml", b"- just\n- a list\n")
    assert any("cannot be imported" in e.value for e in at.error)
    at = upload(page(app), "binary.yaml", b"\xff\xfe\x00garbage")
    assert not at.exception
    assert db.list_audits() == []


def test_an_audit_changed_after_the_preview_is_not_overwritten(app, db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "not-met"}}), "someone")
    text = auditfile.dump(make_audit(mini, {"D1": {"rating": "partly-met"}}), "yaml")
    at = upload(page(app), "oak.yaml", text.encode())
    db.save_response(URN, YEAR, "D1", Response(rating="met"), "Another SENCO",
                     expected_version=1)
    at.button(key="import_button").click().run()
    assert any("changed since the import was previewed" in e.value for e in at.error)
    assert db.get_audit(URN, YEAR).responses["D1"].rating == "met"


def test_the_current_audit_can_be_exported_as_yaml_and_json(app, db, mini):
    db.create_audit(make_audit(mini, {"D1": {"rating": "met"}}), "someone")
    at = page(app)
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Audit file (YAML)", "Audit file (JSON)"} <= labels


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(app, db):
    big = b"# padding\n" * 110_000  # about 1.1 MB
    at = upload(page(app), "huge.yaml", big)
    assert plain("the limit is 1,000,000") in at.table[0].value.iloc[0]["Problem"]
    assert db.list_audits() == []
