"""The pages every school's report shares (references, how they were checked) are laid out
once per process and replayed, and so are paragraphs drawn again and again (a criterion's
heading, a rating line); what a reader gets must be exactly what drawing them makes.

Replayed text is encoded afresh for each report, because a font's character numbers depend
on the words drawn before (a Welsh or Polish name on the cover moves them); links and
outline entries are made again for each report.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak

from quality_offer.reports import pdf_replay
from quality_offer.reports.pdf import document, pages, paragraphs, render_pdf, styles

from .pdf_support import answers, flat, link_targets, report_of, text_of


def drawn_without_replay(monkeypatch, reports):
    """The reports drawn the slow way: no page or paragraph replayed."""
    with monkeypatch.context() as m:
        m.setattr(document, "replayed", lambda make, build: make())
        m.setattr(paragraphs, "record_drawing", lambda draw, state, pagesize: None)
        m.setattr(paragraphs, "_DRAWN", {})
        return [render_pdf(r, deterministic=True) for r in reports]


def replayed_paragraphs() -> int:
    return sum(isinstance(d, pdf_replay.RecordedPage) for d in paragraphs._DRAWN.values())


def test_replayed_pages_are_byte_for_byte_the_pages_drawn(mini, monkeypatch):
    pdf_replay.clear()
    plain = report_of(mini, answers(mini), name="Oak Tree Primary School")
    # Characters first drawn on the cover and in the evidence renumber the font's subset.
    welsh = report_of(mini, answers(mini, **{"O1.1": {
        "rating": "established", "evidence": {"text": "Żółć, Ŵŷ, “Łódź” — naïve café",
                                              "location": "Ystafell", "kind": "document"}}}),
        name="Ysgol Gymraeg Ŵŷ — “Łódź”")
    paragraphs._DRAWN.clear()
    replayed = [render_pdf(r, deterministic=True) for r in (plain, welsh, plain, welsh)]
    assert [pages is not None for pages in pdf_replay._CACHE.values()] == [True]
    assert replayed_paragraphs() > 5  # criteria's headings (with their anchors), ratings
    assert replayed == drawn_without_replay(monkeypatch, [plain, welsh]) * 2
    text = flat(text_of(replayed[1]))
    assert "References Every source" in text and "Ysgol Gymraeg Ŵŷ" in text
    assert set(link_targets(replayed[1])) == {ref.url for ref in welsh.references}


def test_schools_citing_different_references_get_their_own_pages(herts, monkeypatch):
    pdf_replay.clear()
    reports = [report_of(herts, {}, phase=phase, name=f"A {phase} school")
               for phase in ("nursery", "secondary")]
    assert reports[0].references != reports[1].references
    replayed = [render_pdf(r, deterministic=True) for r in reports]
    assert len(pdf_replay._CACHE) == 2
    assert replayed == drawn_without_replay(monkeypatch, reports)


def test_pages_with_an_internal_link_are_drawn_as_usual():
    pdf_replay.clear()
    style = styles.paragraph_styles()["body"]

    def make():
        return [paragraphs.Paragraph('<a href="#summary">Back</a>', style), PageBreak()]

    out = pdf_replay.replayed(make, pages.recorded_pages)
    assert [type(f).__name__ for f in out] == ["Paragraph", "PageBreak"]
