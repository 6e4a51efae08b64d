"""An administrator of a one-authority installation sets its collection on the Compare page;
where the schools belong to several authorities, the page cannot tell which, so it offers
none (the command line's `quality-offer cycle LA_CODE` names it)."""

from __future__ import annotations

import datetime as dt

from .app_support import goto, school_audit
from .compare_support import everything, open_compare
from .personas import YEAR, A, B, C


def test_an_administrator_sets_the_only_authority_s_collection(db, mini):
    db.create_audit(school_audit(mini, A, "Alder Primary School", "919"), "setup")
    db.create_audit(school_audit(mini, B, "Birch Primary School", "919"), "setup")
    at = open_compare("admin")
    assert "The authority's collection: not set" in [e.label for e in at.expander]
    at.text_input(key="cmp_cycle_year").set_value(YEAR)
    at.date_input(key="cmp_cycle_closes").set_value(dt.date(2027, 3, 31))
    at.button(key="cmp_cycle_save").click().run()
    assert not at.exception, at.exception
    cycle = db.cycle("919")
    assert (cycle.academic_year, cycle.set_by) == (YEAR, "Ari Administrator")
    assert "The authority is collecting 2026/27, closing 31 March 2027" in everything(at)


def test_with_several_authorities_the_page_offers_no_collection_to_guess(db, mini):
    db.create_audit(school_audit(mini, A, "Alder Primary School", "919"), "setup")
    db.create_audit(school_audit(mini, C, "Cedar Primary School", "204"), "setup")
    at = goto(open_compare("admin"), "compare")
    assert not [e for e in at.expander if e.label.startswith("The authority's collection")]
