"""Paragraphs that parse their markup once per process and remember their lines.

Much of a report is the same for every school (criterion texts, headings, references, labels);
parsing, breaking and drawing it again for each report was most of a report's time. Headings
and marks also carry the PDF outline entries.
"""

from __future__ import annotations

import functools
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
)
from reportlab.platypus.paragraph import Paragraph as _RLParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from ..pdf_replay import RecordedPage, record_drawing, replay
from .styles import paragraph_styles


@functools.cache
def _style_ids() -> frozenset[int]:
    return frozenset(id(st) for st in paragraph_styles().values())


@functools.cache
def _plain_frag(style: ParagraphStyle) -> Any:
    """The fragment the parser makes of text with no markup in ``style``."""
    _style, frags, _bullet = ParaParser().parse("x", style)
    return frags[0]


_PARSED: dict[tuple[str, int], tuple[ParagraphStyle, list[Any], Any]] = {}
_PARSED_LIMIT = 20_000
# Line breaks of paragraphs with markup, per (text, style, width): a criterion's references
# and heading, a rating line, the references list are the same in every school's report.
_LAID_OUT: dict[tuple[str, int, float], tuple[float, list[float], Any, float]] = {}
_LAID_OUT_LIMIT = 5_000
# What drawing those lines wrote, per layout, bullet and the canvas's font, recorded the
# second time they are drawn (None: they cannot be replayed and are drawn anew).
_DRAWN: dict[tuple[Any, ...], RecordedPage | object | None] = {}
_UNSEEN, _SEEN_ONCE = object(), object()
_FUZZ = 1e-6


class Paragraph(_RLParagraph):
    """A Paragraph that parses its markup once per process and wraps once per width.

    Parsing markup (reportlab runs Python's HTML parser over every paragraph) was a fifth
    of a report's time, and much of a report is the same for every school: criterion texts,
    the references, headings, explanations, labels and tags. Parsed fragments are kept per
    (text, style) and copied for each use that may change them. Text with no markup
    at all (most free text) is not parsed: its one fragment is the style's own, as the
    parser would make it.

    Platypus wraps most paragraphs twice (once to test a keep-together group, once to place
    it); the lines depend only on the width, so the second time costs nothing. The lines of
    a paragraph with markup are kept per process too, for the next school's report: breaking
    mixed fonts into lines is the slowest part of layout. Drawing only reads them; a
    paragraph that must split across pages first breaks its own copy, since splitting edits
    the lines it is given. Remembered lines drawn a second time are recorded and replayed
    from then on (:mod:`.pdf_replay`): drawing mixed fonts costs as much as breaking them.
    """

    _wrapped_for: float | None = None
    _layout_key: tuple[str, int] | None = None
    _frags_shared = False

    def __init__(self, text: str, style: ParagraphStyle | None = None,
                 bulletText: str | None = None, frags: list[Any] | None = None,
                 caseSensitive: int = 1, encoding: str = "utf8") -> None:
        if frags is not None or style is None or id(style) not in _style_ids():
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        key = (text, id(style))
        parsed = _PARSED.get(key)
        if parsed is None:
            if "<" in text or "&" in text:
                parser = ParaParser()
                parser.caseSensitive = caseSensitive
                out_style, parsed_frags, bullet_frags = parser.parse(
                    cleanBlockQuotedText(text), style)
                if parsed_frags is None:  # reportlab's own message for bad markup
                    super().__init__(text, style, bulletText, None, caseSensitive, encoding)
                    return
                textTransformFrags(parsed_frags, out_style)
                parsed = (out_style, parsed_frags, bullet_frags)
            else:
                parsed = (style, [_plain_frag(style).clone(text=cleanBlockQuotedText(text))],
                          None)
            if len(_PARSED) >= _PARSED_LIMIT:
                _PARSED.clear()
            _PARSED[key] = parsed
        out_style, cached, bullet_frags = parsed
        if len(cached) > 1:  # plain text is quick to break; markup is worth remembering
            self._layout_key = key
        self.caseSensitive = caseSensitive
        self.encoding = encoding
        self._setup(text, out_style, bullet_frags or bulletText
                    or getattr(out_style, "bulletText", None), cached, cleanBlockQuotedText)
        self._frags_shared = True  # copied when first asked for: see frags

    @property
    def frags(self) -> list[Any]:
        """This paragraph's own copy of its fragments, made when something first asks.

        Line breaking and splitting change the fragments they are given, so each paragraph
        gets its own copy of the parsed ones; but a paragraph whose lines are remembered is
        drawn from those lines and never asks, and copying was a twentieth of a report's
        time.
        """
        frags = self.__dict__["_frags"]
        if self._frags_shared:
            frags = self.__dict__["_frags"] = [f.clone() for f in frags]
            self._frags_shared = False
        return frags

    @frags.setter
    def frags(self, value: list[Any]) -> None:
        self.__dict__["_frags"] = value
        self._frags_shared = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # split() drops blPara when it pushes the paragraph whole to the next page.
        if availWidth == self._wrapped_for and hasattr(self, "blPara"):
            return self.width, self.height
        key = self._layout_key and (*self._layout_key, availWidth)
        laid = _LAID_OUT.get(key) if key else None
        if laid is not None:
            self.width, self._wrapWidths, self.blPara, self.height = laid
            self._shared_lines = True
        else:
            super().wrap(availWidth, availHeight)
            self._shared_lines = False
            if key and availWidth >= _FUZZ:
                if len(_LAID_OUT) >= _LAID_OUT_LIMIT:
                    _LAID_OUT.clear()
                _LAID_OUT[key] = (self.width, self._wrapWidths, self.blPara, self.height)
                self._shared_lines = True
        self._wrapped_for = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # Splitting may change the lines' fragments; shared lines are never split.
        if getattr(self, "_shared_lines", False):
            _RLParagraph.wrap(self, availWidth, availHeight)
            self._shared_lines = False
            self._wrapped_for = availWidth
        return super().split(availWidth, availHeight)

    def draw(self) -> None:
        # Remembered lines are drawn the same way each time: the operators are recorded once
        # per process and replayed (text encoded for this document, links made again).
        if not getattr(self, "_shared_lines", False) or self._layout_key is None:
            return super().draw()
        canv = self.canv
        state = (canv._fontname, canv._fontsize, canv._leading)
        key = (*self._layout_key, self._wrapped_for, self.bulletText, *state)
        drawing = _DRAWN.get(key, _UNSEEN)
        if drawing is _UNSEEN:  # a school's own words are drawn once: no use recording them
            if len(_DRAWN) >= _LAID_OUT_LIMIT:
                _DRAWN.clear()
            _DRAWN[key] = _SEEN_ONCE
            return super().draw()
        if drawing is _SEEN_ONCE:
            drawing = _DRAWN[key] = record_drawing(self._draw_on, state, canv._pagesize)
        if drawing is None:
            return super().draw()
        replay(drawing, canv)

    def _draw_on(self, canvas: Canvas) -> None:
        canv, self.canv = self.canv, canvas
        try:
            _RLParagraph.draw(self)
        finally:
            self.canv = canv


class Heading(Paragraph):
    """A heading that also becomes a PDF outline (bookmark) entry."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int = 0,
                 outline: str | None = None) -> None:
        super().__init__(text, style)
        self.outline = (key, outline or text, level)


class Mark(Flowable):
    """An invisible flowable that only places an outline entry."""

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.outline = (key, title, level)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        pass
