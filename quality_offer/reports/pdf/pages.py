"""The pages of the PDF report: the document, its page templates, footer and draft line.

The document turns headings into outline entries; the canvas writes the footer with "Page X of
Y" and, until the audit is signed off, a draft line at the top of every page. The body page is
the same for a report and for the pages laid out once and replayed (:mod:`..pdf_replay`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
)

from .fonts import FONT, FONT_BOLD
from .markup import fit_line
from .styles import (
    ACCENT,
    DRAFT_RED,
    FRAME_W,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    RULE,
    WHITE,
)


class ReportDoc(BaseDocTemplate):
    """Turns headings into outline entries as they are placed."""

    def afterFlowable(self, flowable: Flowable) -> None:
        mark = getattr(flowable, "outline", None)
        if mark:
            key, title, level = mark
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


class NumberedCanvas(Canvas):
    """Writes the footer on every page but the cover; "of Y" is a form filled in at the end.

    The total is a form XObject that reportlab lets a page use before it is defined, so the
    document is laid out once and outline entries and links keep their own pages.
    """

    TOTAL_FORM = "qoPageTotal"

    def __init__(self, *args: Any, footer: str = "", draft: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._footer = footer
        self._draft = draft

    def showPage(self) -> None:
        if self._pageNumber > 1:
            self._draw_footer()
        if self._draft:
            self._draw_draft()
        super().showPage()

    def _draw_draft(self) -> None:
        """A boxed line at the top of every page, the cover too: this is not signed off.

        It is never cut short: who still has to sign is the point of it. It shrinks a little
        to stay on one line, or takes two lines (in the top margin, above the page's text).
        """
        self.saveState()
        lines, size = draft_lines(self._draft, FRAME_W - 5 * mm)
        lead = size * 1.25
        h = 6.5 * mm + (len(lines) - 1) * lead
        y = PAGE_H - 4 * mm - h
        self.setFillColor(WHITE)
        self.setStrokeColor(DRAFT_RED)
        self.setLineWidth(1.2)
        self.rect(MARGIN_X, y, FRAME_W, h, stroke=1, fill=1)
        self.setFillColor(DRAFT_RED)
        self.setFont(FONT_BOLD, size)
        for n, line in enumerate(lines):
            self.drawString(MARGIN_X + 2.5 * mm, y + 2.2 * mm + (len(lines) - 1 - n) * lead,
                            line)
        self.restoreState()

    def save(self) -> None:
        self.beginForm(self.TOTAL_FORM)
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        self.drawString(0, 0, str(self._pageNumber - 1))
        self.endForm()
        super().save()

    def _draw_footer(self) -> None:
        self.saveState()
        y = MARGIN_BOTTOM - 11 * mm
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, y + 4 * mm, PAGE_W - MARGIN_X, y + 4 * mm)
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        page = f"Page {self._pageNumber} of "
        x = PAGE_W - MARGIN_X - pdfmetrics.stringWidth("Page 888 of 888", FONT, 8)
        self.drawString(MARGIN_X, y, fit_line(self._footer, FONT, 8, x - MARGIN_X - 6 * mm))
        self.drawString(x, y, page)
        self.saveState()
        self.translate(x + pdfmetrics.stringWidth(page, FONT, 8), y)
        self.doForm(self.TOTAL_FORM)
        self.restoreState()
        self.restoreState()


def cover_band(canv: Canvas, doc: BaseDocTemplate) -> None:
    """The accent band at the top of the cover."""
    canv.saveState()
    canv.setFillColor(ACCENT)
    canv.rect(0, PAGE_H - 42 * mm, PAGE_W, 42 * mm, stroke=0, fill=1)
    canv.setFillColor(WHITE)
    canv.setFont(FONT_BOLD, 11)
    canv.drawString(MARGIN_X, PAGE_H - 16 * mm, "Special educational needs and disabilities")
    canv.setFont(FONT, 10)
    title = doc.qo_framework_line  # type: ignore[attr-defined]
    while pdfmetrics.stringWidth(title, FONT, 10) > FRAME_W:
        title = title[:-2].rstrip() + "…"
    canv.drawString(MARGIN_X, PAGE_H - 23 * mm, title)
    canv.drawString(MARGIN_X, PAGE_H - 29 * mm,
                    "Measured against the SEND Code of Practice: 0 to 25 years (2015)")
    canv.restoreState()


#: The page and the text's starting font: the same for the report and its recorded pages.
LAYOUT: dict[str, Any] = {
    "pagesize": A4, "leftMargin": MARGIN_X, "rightMargin": MARGIN_X, "topMargin": MARGIN_TOP,
    "bottomMargin": MARGIN_BOTTOM, "initialFontName": FONT, "initialFontSize": 10}


def body_frame() -> Frame:
    """The text area of every page after the cover, the recorded pages' too."""
    return Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                 id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def recorded_pages(story: list[Flowable], canvasmaker: Callable[..., Canvas]) -> list[Any]:
    """Lays ``story`` out on body pages of a report, for :func:`.pdf_replay.replayed`."""
    made: list[Any] = []

    def make(*args: Any, **kw: Any) -> Canvas:
        made.append(canvasmaker(*args, **kw))
        return made[-1]

    doc = ReportDoc(io.BytesIO(), **LAYOUT)
    doc.addPageTemplates([PageTemplate("page", [body_frame()])])
    doc.build(story, canvasmaker=make)
    return made[0].pages


def draft_lines(text: str, width: float) -> tuple[list[str], float]:
    """The draft line's text in at most two lines that fit ``width``, and its font size.

    One line at 8.5 pt, else one line down to 7 pt, else two lines at 8 pt broken between
    words (the longest wording, every signature missing, fits in two). Nothing is cut.
    """
    for size in (8.5, 8, 7.5, 7):
        if pdfmetrics.stringWidth(text, FONT_BOLD, size) <= width:
            return [text], size
    size = 8.0
    words = text.split(" ")
    first = ""
    for i, word in enumerate(words):
        trial = f"{first} {word}".strip()
        if pdfmetrics.stringWidth(trial, FONT_BOLD, size) > width and first:
            return [first, " ".join(words[i:])], size
        first = trial
    return [first], size
