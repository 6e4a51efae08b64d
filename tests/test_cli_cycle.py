"""``quality-offer cycle``: an authority's collection year and closing date, shown and set
through the store, as the deploy guide's table of cycle settings says."""

from __future__ import annotations

import datetime as dt

import pytest

from quality_offer.cli import main
from quality_offer.store import Store


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run(capsys, *args):
    code = main(["cycle", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_authority_with_no_collection_is_told_compare_opens_on_the_newest_year(db, capsys):
    code, out, _ = run(capsys, "919", "--database", db)
    assert code == 0 and "LA 919 has set no collection" in out


def test_the_year_and_closing_date_set_are_what_the_store_and_the_pages_read(db, capsys):
    code, out, _ = run(capsys, "919", "--year", "2026/27", "--closes", "2027-03-31",
                       "--database", db, "--user", "LA officer")
    assert code == 0
    assert "LA 919 is collecting 2026/27, closing on 31 March 2027 (set by LA officer" in out
    with Store(db) as store:
        cycle = store.cycle("919")
    assert (cycle.academic_year, cycle.closes_on) == ("2026/27", dt.date(2027, 3, 31))
    # the same year again keeps its date; a new year starts without one
    assert run(capsys, "919", "--year", "2026/27", "--database", db)[0] == 0
    with Store(db) as store:
        assert store.cycle("919").closes_on == dt.date(2027, 3, 31)
    code, out, _ = run(capsys, "919", "--year", "2027/28", "--database", db)
    assert code == 0 and "collecting 2027/28, with no closing date" in out
    assert run(capsys, "919", "--year", "2027/28", "--closes", "2028-03-31", "--database",
               db)[0] == 0
    code, out, _ = run(capsys, "919", "--year", "2027/28", "--no-closing-date",
                       "--database", db)
    assert "with no closing date" in out
    assert "collecting 2027/28" in run(capsys, "919", "--database", db)[1]
    with Store(db) as store:
        assert store.cycle("204") is None  # another authority's is untouched


@pytest.mark.parametrize("args, message", [
    (["919", "--year", "2026/28"], "is not an academic year"),
    (["919", "--year", "2026-27"], "is not an academic year"),
    (["91", "--year", "2026/27"], "an LA code is three digits"),
    (["919", "--year", "2026/27", "--closes", "31/03/2027"], "is not a date"),
    (["919", "--closes", "2027-03-31"], "need --year"),
])
def test_bad_settings_are_refused_and_nothing_is_changed(db, capsys, args, message):
    code, out, err = run(capsys, *args, "--database", db)
    assert code == 1 and message in err and out == ""
    with Store(db) as store:
        assert store.cycle("919") is None
