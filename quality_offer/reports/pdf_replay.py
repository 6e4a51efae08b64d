"""Pages that are the same in every school's report, laid out and drawn once per process.

The references and the appendix on how they were checked are a third of a report's pages and
half of its rendering time, yet they depend only on the framework and the criteria that apply:
for a batch of hundreds of schools they are the same pages again and again. They always start
at the top of a fresh page, so their layout never depends on what comes before.

:func:`replayed` lays such a run of flowables out once per process in a recording document
and hands back one flowable a page that writes the recorded drawing operators straight into
the report. :func:`record_drawing` and :func:`replay` do the same for one flowable's drawing
wherever it stands (the report's paragraphs drawn again and again). Two things in those
operators belong to the report being made, not to the recording, and are made afresh for
each report, in the order the drawing first made them:

* the text: reportlab numbers a TrueType font's characters per document in the order they
  are first drawn, so each run of text is recorded as (font, size, text) and encoded again
  by reportlab's own text encoder when it is replayed;
* the outline entries, page bookmarks and web links, which are objects of the document:
  they are recorded as the canvas calls that made them and made again.

The result is byte for byte the PDF drawn the slow way (tested). A recording that drew
anything else that belongs to a document (images, forms, transparency; on whole pages also
internal links and anchors, whose places are relative to a flowable) is not replayed: the
flowables are drawn as usual.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph

__all__ = ["RecordedPage", "ReplayedPage", "clear", "record_drawing", "replay", "replayed"]

#: Different sets of pages kept per process (a batch has a few: phases apply different
#: criteria); past this the oldest is dropped.
CACHE_LIMIT = 16

_MARK = re.compile("\x00(\\d+)\x00")

# An event: ("text", font, size, leading, rise, starts_font, text) or ("call", name, args, kw).
Event = tuple[Any, ...]


@dataclass(frozen=True)
class RecordedPage:
    """One page's drawing operators, with marks where text goes, and its events in order."""

    code: tuple[str, ...]
    events: tuple[Event, ...]


class _Unreplayable(Exception):
    """The recording drew something that belongs to one document only."""


class _RecordingText(PDFTextObject):
    """A text object that records each run of text instead of encoding it."""

    def _formatText(self, text: str) -> str:
        canv: _RecordingCanvas = self._canvas
        n = len(canv.events)
        # reportlab names the font subset before the first run after a font change only.
        canv.events.append(("text", self._fontname, self._fontsize, self._leading,
                            self._rise, self._curSubset == -1, text))
        self._curSubset = 0
        return f"\x00{n}\x00"


class _RecordingCanvas(Canvas):
    """Records text runs and the canvas calls that make document objects, instead of
    making them; refuses what cannot be made again the same way."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.pages: list[RecordedPage] = []
        self.events: list[Event] = []

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        return _RecordingText(self, x, y, direction=direction)

    def _record(self, name: str, *args: Any, **kw: Any) -> None:
        self.events.append(("call", name, args, kw))

    def bookmarkPage(self, key: str, **kw: Any) -> None:
        self._record("bookmarkPage", key, **kw)

    def addOutlineEntry(self, title: str, key: str, level: int = 0,
                        closed: Any = None) -> None:
        self._record("addOutlineEntry", title, key, level=level, closed=closed)

    def _refuse(self, *args: Any, **kw: Any) -> None:
        raise _Unreplayable

    drawImage = drawInlineImage = doForm = beginForm = _refuse

    def recorded(self) -> RecordedPage:
        """The operators and events so far, when nothing else belongs to the document."""
        if (self._formsinuse or self._colorsUsed or self._shadingUsed
                or self._extgstate._c or self._psCommandsBeforePage
                or self._psCommandsAfterPage or self._annotationrefs):
            raise _Unreplayable
        page = RecordedPage(tuple(self._code), tuple(self.events))
        self.events = []
        return page

    def save(self) -> None:
        """Nothing to write: the operators are kept."""


class _PageRecorder(_RecordingCanvas):
    """Records whole pages; replayed outside any flowable, so links are made absolute."""

    def linkURL(self, url: str, rect: Any, relative: int = 0, **kw: Any) -> None:
        self._record("linkURL", url, tuple(self._absRect(rect, relative)), **kw, relative=0)

    linkRect = linkAbsolute = bookmarkHorizontal = bookmarkHorizontalAbsolute = \
        _RecordingCanvas._refuse

    def showPage(self) -> None:
        self.pages.append(self.recorded())
        super().showPage()


class _DrawingRecorder(_RecordingCanvas):
    """Records one flowable's drawing; replayed where it stands, so calls are kept as made
    (positions relative to the flowable stay right)."""

    def linkURL(self, *args: Any, **kw: Any) -> None:
        self._record("linkURL", *args, **kw)

    def linkRect(self, *args: Any, **kw: Any) -> None:
        self._record("linkRect", *args, **kw)

    def bookmarkHorizontal(self, *args: Any, **kw: Any) -> None:
        self._record("bookmarkHorizontal", *args, **kw)

    linkAbsolute = bookmarkHorizontalAbsolute = _RecordingCanvas._refuse


def replay(page: RecordedPage, canvas: Canvas) -> None:
    """Write a recording into ``canvas``: its text encoded and its objects made afresh."""
    texts: list[str] = []  # by event: the marks number the page's events
    encoder = canvas.beginText()  # on a recording canvas, records the text again
    for event in page.events:
        if event[0] == "text":
            _, encoder._fontname, encoder._fontsize, encoder._leading, encoder._rise, \
                starts, text = event
            if starts:
                encoder._curSubset = -1
            texts.append(encoder._formatText(text))
        else:
            _, name, args, kw = event
            getattr(canvas, name)(*args, **kw)
            texts.append("")

    def fill(match: re.Match[str]) -> str:
        return texts[int(match.group(1))]

    canvas._code.extend(_MARK.sub(fill, op) if "\x00" in op else op for op in page.code)


def record_drawing(draw: Callable[[Canvas], None], state: tuple[str, float, float],
                   pagesize: tuple[float, float]) -> RecordedPage | None:
    """What ``draw(canvas)`` draws on a canvas whose font, size and leading are ``state``;
    None when it draws something that cannot be replayed."""
    canvas = _DrawingRecorder(io.BytesIO(), pagesize=pagesize)
    canvas._fontname, canvas._fontsize, canvas._leading = state
    try:
        draw(canvas)
        return canvas.recorded()
    except _Unreplayable:
        return None


class ReplayedPage(Flowable):
    """A recorded page drawn into a report: fills its frame, writes the page's operators."""

    def __init__(self, page: RecordedPage) -> None:
        super().__init__()
        self.page = page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # The operators were recorded from the top of a page, where this flowable stands.
        replay(self.page, canvas)


def _key(flowables: Sequence[Flowable]) -> tuple[Any, ...] | None:
    """What the pages depend on, or None when a flowable is not one this module knows."""
    key: list[Any] = []
    for f in flowables:
        if isinstance(f, KeepTogether):
            inner = _key(f._content)
            if inner is None:
                return None
            key.append(("keep", inner))
        elif isinstance(f, PageBreak):
            key.append(("page",))
        elif isinstance(f, Paragraph):
            key.append((type(f).__name__, f.text, f.style.name, id(f.style), f.bulletText,
                        getattr(f, "outline", None)))
        else:
            return None
    return tuple(key)


_CACHE: dict[tuple[Any, ...], tuple[RecordedPage, ...] | None] = {}


def clear() -> None:
    """Forget every recording (for tests)."""
    _CACHE.clear()


def replayed(make: Callable[[], list[Flowable]],
             build: Callable[[list[Flowable], Callable[..., Canvas]], list[RecordedPage]],
             ) -> list[Flowable]:
    """The flowables ``make()`` returns, as recorded pages, recorded the first time seen.

    They must start at the top of a fresh page of the report's body template;
    ``build(story, canvasmaker)`` lays a story out on such pages with the given canvas and
    returns the canvas's ``pages``. Anything placed after the pages starts on a new page.
    ``make`` is called again for the recording, so the flowables handed back when the pages
    cannot be replayed have never been laid out.
    """
    flowables = make()
    key = _key(flowables)
    if key is None:
        return flowables
    pages = _CACHE.get(key, ())
    if pages == ():
        if len(_CACHE) >= CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)), None)  # the oldest; another thread may have gone first
        try:
            pages = tuple(build(make(), _PageRecorder))
        except _Unreplayable:
            pages = None
        _CACHE[key] = pages
    if not pages:
        return flowables
    out: list[Flowable] = []
    for n, page in enumerate(pages):
        if n:
            out.append(PageBreak())
        out.append(ReplayedPage(page))
    return out
