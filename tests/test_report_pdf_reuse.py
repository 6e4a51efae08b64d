"""What a PDF report reuses between schools (parsed markup) never leaks into the next one.

Within one process, markup parsed for one report is reused by the next; layout changes the
fragments it is given, so each use must get its own copy. Reports made one after another
must be byte for byte what a fresh process makes, with each school's own words.
"""

from __future__ import annotations

from quality_offer.reports.pdf import paragraphs, render_pdf

from .pdf_support import MARKUP, answers, flat, report_of, text_of


def test_reports_made_one_after_another_are_what_an_unshared_build_makes(mini, monkeypatch):
    first = report_of(mini, answers(mini), name="Ash & Elm <Primary>")
    second = report_of(mini, answers(mini, **{"O1.1": {
        "rating": "emerging", "evidence": {"text": MARKUP, "location": "Hall & office",
                                           "kind": "document"}}}), name="Birch School")
    shared = [render_pdf(r, deterministic=True) for r in (first, second, first)]
    monkeypatch.setattr(paragraphs, "_style_ids", lambda: frozenset())
    monkeypatch.setattr(paragraphs, "_PARSED", {})
    unshared = [render_pdf(r, deterministic=True) for r in (first, second)]
    assert shared[0] == unshared[0] == shared[2]
    assert shared[1] == unshared[1]
    text = flat(text_of(shared[1]))
    assert "Birch School" in text and "Ash & Elm" not in text
    assert flat(MARKUP) in text
