"""Compare's drill-down for a cohort on mixed framework versions: a criterion a school's
version asks differently is marked not comparable, never shown as an answer or as "does not
apply"."""

from __future__ import annotations

import pytest

from quality_offer import framework as frameworks
from quality_offer.upgrade import plan
from tests.changing_framework import ANSWERS, VERSIONS

from .app_support import goto, texts
from .builders import make_audit
from .compare_support import view


@pytest.fixture
def mixed(db, monkeypatch):
    """Ash and Birch moved to 2.0.0; Cedar still on 1.0.0."""
    found = frameworks.registry(frameworks.shipped_folders(VERSIONS))
    monkeypatch.setattr(frameworks, "shipped", lambda: found)
    old, new = found[("changing", "1.0.0")], found[("changing", "2.0.0")]
    for urn, name in (("100001", "Ash School"), ("100002", "Birch School")):
        db.create_audit(plan(make_audit(old, ANSWERS, urn=urn, name=name), old, new).after,
                        "setup")
    db.create_audit(make_audit(old, {**ANSWERS, "K2": {"rating": "not-in-place"}},
                               urn="100003", name="Cedar School"), "setup")
    for urn in ("100001", "100002", "100003"):
        db.submit(urn, "2026/27", "setup")
    return found


def drill(at):
    at = view(at, "Heatmap")
    at.selectbox(key="cmp_section").set_value("outcome-1").run()
    (rows,) = [df.value for df in at.dataframe if "K1" in df.value.columns]
    return at, rows.set_index("School")


def test_a_criterion_another_version_asks_differently_is_marked_not_comparable(app, mixed):
    at, rows = drill(goto(app.run(), "compare"))
    assert not at.exception
    assert rows.loc["Cedar School", "Version"] == "1.0.0"
    assert rows.loc["Ash School", "Version"] == "2.0.0"
    # K2 was reworded in 2.0.0: Cedar's "not in place" answered the old wording
    assert rows.loc["Cedar School", "K2"] == ("not comparable (version 1.0.0 asks it "
                                              "differently)")
    assert "not in place" not in rows.loc["Cedar School", "K2"].lower()
    # K10 is new in 2.0.0: Cedar was never asked it, which is not "does not apply"
    assert rows.loc["Cedar School", "K10"].startswith("not comparable")
    # K1 is unchanged: Cedar's answer stands beside the others'
    assert not rows.loc["Cedar School", "K1"].startswith("not comparable")
    assert rows.loc["Cedar School", "K1"] == rows.loc["Ash School", "K1"]
    assert not any(str(v).startswith("not comparable") for v in rows.loc["Ash School"])
    page = texts(at).replace("\\", "").replace("\xa0", " ")
    assert "1 school on another version of the criteria than 2.0.0" in page
    assert ("**: Reworded criterion, new wording. (not comparable for 1 school on another "
            "version)") in page
    assert "**: Unchanged criterion." in page and "Unchanged criterion. (not" not in page
