"""The terminal report: the same facts as every other output, in plain lines."""

from __future__ import annotations

from quality_offer.gaps import analyse
from quality_offer.reports.text import render_text

from .builders import make_audit


def test_the_text_report_names_duties_gaps_and_what_is_not_assessed(mini):
    audit = make_audit(mini, {"D1": {"rating": "not-met"}, "O1.1": {"rating": "emerging",
                              "action": {"what": "Train TAs"}}})
    text = render_text(analyse(mini, audit))
    assert "Statutory duties: 0 met, 0 partly met, 1 not met, 1 not assessed (of 2)." in text
    assert ("- D1 [priority 1: Statutory duty not met] rated Not met, expected Met; "
            "SEND Code of Practice 2015, paragraph 6.2") in text
    assert "10.0" not in text
    assert "action: Train TAs" in text
    assert "Not assessed (2): D2, O1.2" in text
