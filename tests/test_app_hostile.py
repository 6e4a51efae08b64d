"""The hostile-input corpus through the Import and Compare pages (AppTest).

A file that cannot be read shows the same located problems as the command line (never
"Something went wrong"), nothing of it is saved, and in a compare upload the good files are
compared while every bad one is listed with its located reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from quality_offer import auditfile
from quality_offer.errors import InputError
from quality_offer.store import Store

from .app_support import goto, new_app, texts
from .compare_support import everything, table
from .hostile_corpus import AUDIT, audit_cases


def schools(at) -> list[str]:
    """The URNs in the table of schools compared (whichever view draws it)."""
    found = [df.value for df in at.dataframe
             if {"School", "URN"} <= set(df.value.columns)]
    assert found, [list(df.value.columns) for df in at.dataframe]
    return sorted(found[0]["URN"])


FILES = [c for c in audit_cases() if c.special is None]
WENT_WRONG = "Something went wrong"


@pytest.fixture
def shipped_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh database for the app, with the shipped framework the corpus is written for."""
    url = f"sqlite:///{tmp_path / 'quality-offer.db'}"
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", url)
    store = Store(url)
    yield store
    store.close()


@pytest.mark.parametrize("case", FILES, ids=[c.name for c in FILES])
def test_the_import_page_shows_each_bad_files_problems_where_they_stand(case, shipped_db):
    at = goto(new_app().run(), "import-export")
    at.get("file_uploader")[0].upload(case.filename, case.content, "application/yaml")
    at.run()
    assert not at.exception, at.exception
    assert WENT_WRONG not in texts(at)
    if case.accept:
        assert "What importing would change" in [s.value for s in at.subheader]
        return
    assert any("cannot be imported" in e.value for e in at.error)
    shown = at.table[0].value
    with pytest.raises(InputError) as caught:  # what the command line says, in its order
        auditfile.from_text(case.content, case.filename)
    problems = caught.value.problems
    expected = problems[:200]
    assert list(shown["Line"]) == ["" if p.line is None else str(p.line) for p in expected]
    assert list(shown["Column"]) == ["" if p.column is None else str(p.column)
                                     for p in expected]
    if not case.whole_file:
        assert all(shown["Line"] != "")
    if len(problems) > 200:
        assert f"{len(problems) - 200:,} more" in texts(at)
    assert "import_button" not in [b.key for b in at.button]
    assert shipped_db.list_audits() == []


def test_a_compare_upload_compares_the_good_files_and_lists_every_bad_one_located(
        shipped_db):
    good = [("rowan-1.yaml", AUDIT.replace("123456", "400001").replace("Oak Tree Primary",
                                                                          "Rowan One").encode()),
            ("rowan-2.yaml", AUDIT.replace("123456", "400002").replace("Oak Tree Primary",
                                                                          "Rowan Two").encode())]
    bad = [c for c in FILES if not c.accept]
    at = goto(new_app().run(), "compare")  # local mode: every right
    at.segmented_control(key="cmp_source").set_value("Audit files I upload").run()
    at.file_uploader(key="cmp_upload").set_value(
        [(name, data, "application/yaml") for name, data in good]
        + [(c.filename, c.content, "application/yaml") for c in bad]).run()
    at.button(key="cmp_upload_go").click().run()
    assert not at.exception, at.exception
    assert WENT_WRONG not in texts(at)
    assert schools(at) == ["400001", "400002"]
    skipped = table(at, "skipped")
    why = dict(zip(skipped["File"], skipped["Why"], strict=True))
    assert sorted(why) == sorted(c.filename for c in bad)
    for c in bad:
        if not c.whole_file:
            assert re.match(r"line \d+, column \d+: ", why[c.filename]), (c.name, why[c.filename])
    assert "qo-compare-" not in everything(at)


def test_files_over_the_total_upload_size_are_left_out_by_name_and_the_rest_compared(
        shipped_db, monkeypatch):
    from quality_offer.ui.compare_page import upload_source

    monkeypatch.setattr(upload_source, "TOTAL_UPLOAD_BYTES", 2 * len(AUDIT.encode()) + 10)
    files = [(f"school-{i}.yaml", AUDIT.replace("123456", f"40000{i}").encode(),
              "application/yaml") for i in range(1, 5)]
    at = goto(new_app().run(), "compare")
    at.segmented_control(key="cmp_source").set_value("Audit files I upload").run()
    at.file_uploader(key="cmp_upload").set_value(files).run()
    at.button(key="cmp_upload_go").click().run()
    assert not at.exception
    assert schools(at) == ["400001", "400002"]
    skipped = table(at, "skipped")
    assert sorted(skipped["File"]) == ["school-3.yaml", "school-4.yaml"]
    assert all("over" in w and "MB" in w for w in skipped["Why"])
