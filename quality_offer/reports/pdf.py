"""The PDF report of one GapReport: cover, governors' summary, full gap report, action plan.

Built with reportlab's platypus. Choices that matter to readers and to safety:

* Every free-text string (evidence, actions, reasons, names) is cleaned of control
  characters and XML-escaped before it reaches a Paragraph, so markup typed into an audit
  prints literally and nothing (an ``<img src=...>``, a font file) is ever read from disk.
* Long free text is never put in a table cell. Evidence, reasons and notes flow as ordinary
  paragraphs that split across pages, so a 50,000-character answer or an unbroken string
  cannot break the build. Table cells (the action plan, priorities, sign-off comments) show
  at most a few hundred characters and end with "… (continues in the full gap report)" or
  "… (continues in the audit file)" where they cut; the full text is in the gap report.
* Fonts are DejaVu Sans, found on the system at run time (no font files ship with the
  package) and embedded, so Welsh, Polish and typographic characters print everywhere.
* Meaning never rests on colour: every rating tag, flag and overdue mark is a word.
* ``deterministic=True`` fixes the dates and the document id so two renders are identical.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paragraph import Paragraph as _RLParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from ..citations import cited_list
from ..dates import long_date, short_date
from ..gaps import ComingDuty, GapReport, Item, RefOut, SectionResult
from ..vocabulary import (
    ACTION_STATUS_LABELS,
    AUDIT_STATUS_LABELS,
    CHECK_LABELS,
    EVIDENCE_CHECK_LABELS,
    EVIDENCE_KIND_LABELS,
    PRINTED_SIGN_OFFS,
    SIGN_OFF_ROLE_LABELS,
)
from .pdf_replay import RecordedPage, record_drawing, replay, replayed
from .wording import clean_text, coming_when, draft_line, overdue_words, share_text

__all__ = ["FontNotFoundError", "render_pdf"]

# ---------------------------------------------------------------------------------------------
# Fonts

FONT = "QO-DejaVuSans"
FONT_BOLD = "QO-DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}


class FontNotFoundError(RuntimeError):
    """DejaVu Sans is not installed: the PDF cannot embed a font that prints every name."""


def _font_dirs() -> list[Path]:
    dirs: list[Path] = []
    if os.environ.get("QUALITY_OFFER_FONT_DIR"):
        dirs.append(Path(os.environ["QUALITY_OFFER_FONT_DIR"]))
    home = Path.home()
    dirs += [Path(p) for p in (
        "/usr/share/fonts/truetype/dejavu",      # Debian, Ubuntu (fonts-dejavu-core)
        "/usr/share/fonts/dejavu",               # Fedora, Alpine
        "/usr/share/fonts/TTF",                  # Arch
        "/usr/local/share/fonts",
        "/opt/homebrew/share/fonts",
        "/Library/Fonts",
        "C:/Windows/Fonts",
    )]
    dirs += [home / ".local/share/fonts", home / ".fonts", home / "Library/Fonts"]
    # matplotlib bundles DejaVu Sans; use it when it is there, without importing matplotlib.
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return dirs


#: Searched through (recursively) when the font is in none of the usual folders.
FONT_SEARCH_ROOTS: tuple[Path, ...] = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def _find_font(filename: str) -> Path:
    dirs = _font_dirs()
    for folder in dirs:
        if (folder / filename).is_file():
            return folder / filename
    for root in FONT_SEARCH_ROOTS:
        if root.is_dir():
            for path in root.rglob(filename):
                return path
    raise FontNotFoundError(
        f"The PDF report needs the font {filename} (DejaVu Sans) and it was not found. "
        "Install it (Debian/Ubuntu: apt-get install fonts-dejavu-core; Fedora: "
        "dnf install dejavu-sans-fonts; macOS: brew install --cask font-dejavu) or set "
        "QUALITY_OFFER_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf. "
        "Looked in: " + ", ".join(str(d) for d in dirs))


class _MeasuredTTFont(TTFont):
    """A TrueType font that remembers the width of each string it has measured.

    Line breaking measures every word, and report text repeats its words: a dictionary
    look-up is several times quicker than measuring again, even with reportlab's C
    accelerator (the rl-accel package) installed.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._widths: dict[str, float] = {}

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) > self.CACHE_LIMIT:
                self._widths.clear()
            get, default = self.face.charWidths.get, self.face.defaultWidth
            width = self._widths[text] = sum(get(ord(ch), default) for ch in text)
        return 0.001 * size * width

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        """The text as the font's character numbers in this document, as reportlab gives them.

        reportlab numbers characters as it first draws them, in a Python loop over every
        character drawn: a tenth of a report's time. Once every character of a text has its
        number in the first subset of 256 (most texts after the first page), translating
        the text through a table of those numbers gives the same bytes at C speed; anything
        else (a new character, a later subset) takes reportlab's own way, which numbers it.
        """
        state = self.state.get(doc)
        if state is not None and text and isinstance(text, str):
            numbers = state.assignments
            table = getattr(state, "qo_table", None)
            if table is None or table.size != len(numbers):
                table = state.qo_table = _Numbers(numbers)
            try:
                return [(0, text.translate(table).encode("latin-1"))]
            except _NotNumbered:
                pass
        return super().splitString(text, doc, encoding)


class _NotNumbered(Exception):
    """A character without a number in the first subset (not a LookupError, so that
    ``str.translate`` stops instead of leaving the character as it is)."""


class _Numbers(dict[int, str]):
    """A ``str.translate`` table from characters to their one-byte numbers in a subset."""

    def __init__(self, numbers: dict[int, int]) -> None:
        super().__init__((c, chr(n)) for c, n in numbers.items() if n < 256)
        if 32 in self:
            self[0xA0] = self[32]  # reportlab prints a no-break space as a space
        self.size = len(numbers)

    def __missing__(self, char: int) -> str:
        raise _NotNumbered


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans once per process; bold maps to the bold face in markup."""
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(_MeasuredTTFont(name, str(_find_font(filename))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)


# ---------------------------------------------------------------------------------------------
# Look: a calm public-service style, black text, one accent colour, tags that carry words.

INK = colors.HexColor("#0b0c0c")
ACCENT = colors.HexColor("#1d70b8")
ACCENT_DARK = colors.HexColor("#003078")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
LIGHT = colors.HexColor("#f3f2f1")
WHITE = colors.white
# GOV.UK tag pairs (text, background): dark text on a pale ground passes contrast checks.
TAGS = {
    "green": ("#005a30", "#cce2d8"),
    "red": ("#2a0b06", "#f4cdc6"),
    "orange": ("#6e3619", "#fcd6c3"),
    "grey": ("#282d30", "#eeefef"),
    "blue": ("#0c2d4a", "#bbd4ea"),
}

PAGE_W, PAGE_H = A4
DRAFT_RED = colors.HexColor("#a1260d")  # 6.9:1 on white
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X

SUMMARY_CELL_CHARS = 300   # text of a criterion or action in a summary table
TABLE_CELL_CHARS = 600     # action text in the action plan
COMMENT_CHARS = 120        # a sign-off comment on the summary page
MAX_PRIORITIES = 5


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=INK,
                          spaceAfter=5, allowWidows=0, allowOrphans=0, splitLongWords=1,
                          bulletFontName=FONT, bulletFontSize=10)
    s: dict[str, ParagraphStyle] = {"body": base}

    def add(name: str, **kw: Any) -> None:
        s[name] = ParagraphStyle(name, parent=kw.pop("parent", base), **kw)

    add("h1", fontName=FONT_BOLD, fontSize=20, leading=25, spaceBefore=18, spaceAfter=10,
        keepWithNext=1)
    add("h2", fontName=FONT_BOLD, fontSize=15, leading=19, spaceBefore=14, spaceAfter=6,
        keepWithNext=1)
    add("h3", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4,
        keepWithNext=1)
    # Before a table: keepWithNext would carry the whole table to the next page.
    add("h3-table", parent=s["h3"], keepWithNext=0)
    add("h2-table", parent=s["h2"], keepWithNext=0)
    add("lead", fontSize=11.5, leading=16, spaceAfter=8)
    add("small", fontSize=8.5, leading=11.5, textColor=GREY, spaceAfter=3)
    add("small-ink", parent=s["small"], textColor=INK, spaceBefore=3)
    add("cell", fontSize=8.5, leading=11, spaceAfter=0)
    add("cellbold", parent=s["cell"], fontName=FONT_BOLD)
    add("th", fontName=FONT_BOLD, fontSize=8.5, leading=11, spaceAfter=0)
    add("crit-head", fontSize=8.5, leading=13, textColor=GREY, spaceBefore=8, spaceAfter=1,
        keepWithNext=1)
    add("crit-text", fontName=FONT_BOLD, fontSize=10.5, leading=14.5, spaceAfter=5,
        keepWithNext=1)
    # A label in the hanging indent, value beside it: splits across pages like any paragraph.
    add("field", leftIndent=27 * mm, bulletIndent=0, bulletFontName=FONT_BOLD,
        bulletFontSize=8.5, spaceAfter=3, fontSize=9.5, leading=13.5)
    add("field-more", parent=s["field"], spaceBefore=0)
    add("ref", leading=13, spaceAfter=8)
    add("bullet", leftIndent=6 * mm, bulletIndent=1.5 * mm, spaceAfter=4)
    add("cover-kicker", fontName=FONT_BOLD, fontSize=12, leading=16, textColor=WHITE)
    add("cover-title", fontName=FONT_BOLD, fontSize=26, leading=32, spaceAfter=6)
    add("cover-title-long", parent=s["cover-title"], fontSize=18, leading=23)
    add("cover-sub", fontSize=13, leading=18, textColor=GREY, spaceAfter=18)
    add("stat-n", fontName=FONT_BOLD, fontSize=19, leading=22, spaceAfter=0)
    add("stat-label", fontSize=9, leading=12, spaceAfter=0)
    add("right", parent=s["small"], alignment=TA_RIGHT)
    return s


# ---------------------------------------------------------------------------------------------
# Text helpers: every free-text string goes through one of these.


def esc(value: object) -> str:
    """Free text ready for a Paragraph: cleaned, XML-escaped, line breaks kept."""
    return escape(clean_text(value)).replace("\n", "<br/>")


def esc_line(value: object) -> str:
    """Free text on one line (names, owners, locations)."""
    return escape(" ".join(clean_text(value).split()))


def clip(value: object, limit: int, more: str = "continues in the full gap report") -> str:
    """At most ``limit`` characters, cut at a word, saying where the rest is."""
    text = clean_text(value).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return f"{cut.rstrip()}… ({more})" if more else f"{cut.rstrip()}…"


def _attr(value: str) -> str:
    return escape(clean_text(value), {'"': "&quot;"})


def _paragraphs(value: object, style: ParagraphStyle, label: str | None = None,
                chunk: int = 3000, tail: str | None = None) -> list[Paragraph]:
    """Free text as paragraphs, one per line, long ones cut into chunks at word boundaries.

    Chunks keep every flowable small, so text of any length splits across pages quickly.
    The label, if any, goes in the hanging indent of the first paragraph only; ``tail``
    (markup) is a paragraph of its own after them: text with no markup takes reportlab's
    fast line-breaking path, so markup never joins a long run of free text.
    """
    out: list[Paragraph] = []
    pieces: list[str] = []
    lines = [ln.strip() for ln in clean_text(value).split("\n")]
    for line in lines:
        if not line:
            continue
        while line:
            if len(line) <= chunk:
                piece, line = line, ""
            else:
                cut = line.rfind(" ", 0, chunk)
                cut = cut if cut > chunk // 2 else chunk
                piece, line = line[:cut], line[cut:].lstrip()
            pieces.append(escape(piece))
    if tail:
        pieces.append(tail)
    for n, piece in enumerate(pieces or [""]):
        out.append(Paragraph(piece, style, bulletText=None if n else label))
    return out


def _tag(text: str, colour: str) -> str:
    fg, bg = TAGS[colour]
    return (f'<font name="{FONT_BOLD}" size="8" color="{fg}" backColor="{bg}">'
            f"\u00a0{escape(text.upper())}\u00a0</font>")


def _item_tag(item: Item) -> str:
    if item.not_applicable_reason is not None:
        return _tag("Not applicable", "grey")
    if item.rating is None:
        return _tag("Not assessed", "grey")
    label = item.rating_label or item.rating
    if item.meets:
        return _tag(label, "green")
    return _tag(label, "red" if item.statutory else "orange")


@functools.cache
def _style_ids() -> frozenset[int]:
    return frozenset(id(st) for st in _styles().values())


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


class _Doc(BaseDocTemplate):
    """Turns headings into outline entries as they are placed."""

    def afterFlowable(self, flowable: Flowable) -> None:
        mark = getattr(flowable, "outline", None)
        if mark:
            key, title, level = mark
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


class _NumberedCanvas(Canvas):
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
        """A boxed line at the top of every page, the cover too: this is not signed off."""
        self.saveState()
        h = 6.5 * mm
        y = PAGE_H - 4 * mm - h
        self.setFillColor(WHITE)
        self.setStrokeColor(DRAFT_RED)
        self.setLineWidth(1.2)
        self.rect(MARGIN_X, y, FRAME_W, h, stroke=1, fill=1)
        self.setFillColor(DRAFT_RED)
        self.setFont(FONT_BOLD, 8.5)
        self.drawString(MARGIN_X + 2.5 * mm, y + 2.2 * mm,
                        _fit(self._draft, FONT_BOLD, 8.5, FRAME_W - 5 * mm))
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
        self.drawString(MARGIN_X, y, _fit(self._footer, FONT, 8, x - MARGIN_X - 6 * mm))
        self.drawString(x, y, page)
        self.saveState()
        self.translate(x + pdfmetrics.stringWidth(page, FONT, 8), y)
        self.doForm(self.TOTAL_FORM)
        self.restoreState()
        self.restoreState()


# ---------------------------------------------------------------------------------------------
# The parts of the report


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
           zebra: bool = True, extra: Iterable[tuple] = ()) -> Table:
    """A plain table: bold header on a light ground that repeats on every page."""
    # Rows never split across pages (a half row is hard to read): every cell is kept short
    # with clip(), so no row can be taller than a page.
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0,
                  hAlign="LEFT")
    style: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                  ("LINEBELOW", (0, 0), (-1, 0), 1, INK)]
    if zebra and len(rows) > 3:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, colors.HexColor("#fafafa")]))
    style += list(extra)
    table.setStyle(TableStyle(style))
    return table


def _cover(report: GapReport, generated: dt.date) -> list[Flowable]:
    st = _styles()
    school = report.school
    fw = report.framework
    status = AUDIT_STATUS_LABELS.get(report.status, report.status)
    if report.is_draft:
        status += " (draft: not signed off)"
    signed = report.current_sign_offs
    rows = [
        ("URN", esc_line(school.get("urn", ""))),
        ("Academic year", esc_line(report.academic_year)),
        ("Framework", f"{esc_line(fw.get('title', ''))}, version {esc_line(fw.get('version'))}"),
        ("Status", f"{escape(status)}, report as of {long_date(report.as_of)}"),
        ("Completed by", esc_line(report.completed_by) if report.completed_by
         else "Not recorded"),
    ]
    phase = school.get("phase")
    kind = school.get("type")
    if phase or kind:
        rows.append(("School", esc_line(
            " ".join(str(x).replace("-", " ") for x in (phase, kind) if x).capitalize()
            + " school")))
    if school.get("la_code"):
        rows.append(("Local authority", esc_line(school["la_code"])
                     + (f", {esc_line(school['area'])}" if school.get("area") else "")))
    if signed:
        rows.append(("Signed off by", "<br/>".join(
            f"{esc_line(s.name)} ({SIGN_OFF_ROLE_LABELS.get(s.role, s.role)}), {long_date(s.date)}"
            for s in signed)))
    rows.append(("Generated", long_date(generated)))
    details = _table([[Paragraph(k, st["cellbold"]), Paragraph(v, st["cell"])]
                      for k, v in rows], [38 * mm, FRAME_W - 38 * mm], header=False,
                     zebra=False, extra=[("FONTSIZE", (0, 0), (-1, -1), 10),
                                         ("TOPPADDING", (0, 0), (-1, -1), 6),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 7)])
    contents = [
        "Summary for governors: statutory duties, each section at a glance, top "
        "priorities and questions to ask, sign-off",
        "Full gap report: every criterion with its rating, evidence, action and references",
        "Action plan, duties that are coming, criteria not assessed, quality checks",
        "References: every paragraph of the Code and the law that the report cites",
        "Appendix: how the references were checked",
    ]
    name = clean_text(school.get("name", ""))
    title = st["cover-title"] if len(name) <= 60 else st["cover-title-long"]
    content = [
        Paragraph(esc_line(name), title),
        Paragraph("SEND provision self-assessment and gap report", st["cover-sub"]),
        details,
        Spacer(1, 10 * mm),
        Paragraph("In this report", st["h3"]),
        *[Paragraph(line, st["bullet"], bulletText="•") for line in contents],
    ]
    # The cover is one page whatever the names: squeeze rather than spill.
    return [
        Spacer(1, 34 * mm),
        Mark("cover", "Cover: " + name),
        KeepInFrame(FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 40 * mm, content,
                    mode="shrink"),
    ]


def _cover_band(canv: Canvas, doc: BaseDocTemplate) -> None:
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


def _duty_boxes(report: GapReport) -> Table:
    """Four boxes: the count, then the word; the colour only repeats what the word says."""
    st = _styles()
    d = report.duties
    cells = [(d.met, "met", "green"), (d.partly_met, "partly met", "orange"),
             (d.not_met, "not met", "red"), (d.not_assessed, "not assessed", "grey")]
    gap = 3 * mm
    box = (FRAME_W - 3 * gap) / 4
    row: list[Any] = []
    widths: list[float] = []
    style: list[tuple] = [("FONTNAME", (0, 0), (-1, -1), FONT),
                          ("VALIGN", (0, 0), (-1, -1), "TOP"),
                          ("LEFTPADDING", (0, 0), (-1, -1), 9),
                          ("TOPPADDING", (0, 0), (-1, -1), 5),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
    for i, (n, label, colour) in enumerate(cells):
        if i:
            row.append("")
            widths.append(gap)
        col = len(row)
        row.append([Paragraph(str(n), st["stat-n"]),
                    Paragraph(label.capitalize(), st["stat-label"])])
        widths.append(box)
        fg, bg = TAGS[colour]
        style += [("BACKGROUND", (col, 0), (col, 0), colors.HexColor(bg)),
                  ("LINEBEFORE", (col, 0), (col, 0), 4, colors.HexColor(fg))]
    table = Table([row], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2].rstrip() + "…"
    return text


def section_chart(sections: Sequence[SectionResult], width: float = FRAME_W) -> Drawing:
    """Each section's share at or above the expected level, with the numbers beside the bars.

    A flagged section gets a line in words under its bar; colour only repeats it.
    """
    track_w = width * 0.42
    text_x = track_w + 8
    heights = [39 if sec.flagged else 29 for sec in sections]
    drawing = Drawing(width, sum(heights) + 2)
    drawing.initialFontName = FONT  # the renderer's starting font: never an unembedded one
    drawing.initialFontSize = 8.5
    top = drawing.height
    for sec, row_h in zip(sections, heights, strict=True):
        drawing.add(String(0, top - 10, _fit(sec.title, FONT_BOLD, 8.5, width),
                           fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
        y = top - 25
        drawing.add(Rect(0, y, track_w, 10, fillColor=LIGHT, strokeColor=RULE,
                         strokeWidth=0.5))
        share = sec.meeting_expectation_share
        if share:
            drawing.add(Rect(0, y, track_w * share, 10, fillColor=ACCENT, strokeColor=None))
        if share is None:
            words = "Not assessed yet"
        else:
            words = (f"{sec.at_or_above} of {sec.assessed} assessed at or above expected "
                     f"({share_text(share)})")
            if sec.not_assessed:
                words += f", {sec.not_assessed} not assessed"
        drawing.add(String(text_x, y + 1.5, _fit(words, FONT, 8.5, width - text_x),
                           fontName=FONT, fontSize=8.5, fillColor=INK))
        if sec.flagged:
            n = len(sec.unmet_duties)
            flag = (f"{n} statutory dut{'ies' if n != 1 else 'y'} not met in full: "
                    + ", ".join(sec.unmet_duties))
            drawing.add(String(0, y - 10, _fit(flag, FONT_BOLD, 8, width),
                               fontName=FONT_BOLD, fontSize=8,
                               fillColor=colors.HexColor("#d4351c")))
        top -= row_h
    return drawing


def _signoff_table(report: GapReport) -> list[Flowable]:
    """Name, signature and date lines for each role, filled where the audit records them."""
    st = _styles()
    by_role = {s.role: s for s in report.current_sign_offs}
    roles = list(PRINTED_SIGN_OFFS) + [r for r in by_role if r not in PRINTED_SIGN_OFFS]
    rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                              ("Role", "Name", "", "Signature", "", "Date")]]
    for role in roles:
        s = by_role.get(role)
        rows.append([Paragraph(SIGN_OFF_ROLE_LABELS.get(role, role), st["cellbold"]),
                     Paragraph(esc_line(s.name) if s else "", st["cell"]), "", "", "",
                     Paragraph(long_date(s.date) if s else "", st["cell"])])
    gap = 5 * mm
    widths = [34 * mm, 48 * mm, gap, 48 * mm, gap, FRAME_W - 130 * mm - 2 * gap]
    table = Table(rows, colWidths=widths, rowHeights=[None] + [25] * len(roles),
                  hAlign="LEFT")
    style: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for col in (1, 3, 5):
        style.append(("LINEBELOW", (col, 1), (col, -1), 0.6, GREY))
    table.setStyle(TableStyle(style))
    out: list[Flowable] = [table, Spacer(1, 2 * mm)]
    for s in report.current_sign_offs:
        if s.comment and s.comment.strip():
            out.append(Paragraph(
                f"<b>{SIGN_OFF_ROLE_LABELS.get(s.role, s.role)}’s comment:</b> "
                + esc_line(clip(s.comment, COMMENT_CHARS, "continues in the audit file")),
                st["small"]))
    for s in report.current_sign_offs:
        if s.reason:
            out.append(Paragraph(
                f"<b>{esc_line(s.name)} ({SIGN_OFF_ROLE_LABELS.get(s.role, s.role)}) signed before "
                f"the audit was finished, on {long_date(s.date)}. The reason given:</b>",
                st["body"]))
            out += _paragraphs(s.reason, st["bullet"])
    return out


def _summary(report: GapReport) -> list[Flowable]:
    st = _styles()
    d = report.duties
    out: list[Flowable] = [
        Heading("Summary for governors", st["h1"], "summary"),
        Paragraph(
            "How the school rates its provision for pupils with special educational needs and "
            f"disabilities (SEND) in {esc_line(report.academic_year)}, against the "
            f"{esc_line(report.framework.get('title', ''))}. The school rated itself; "
            "this is a self-assessment, not an inspection judgement.", st["lead"]),
        Paragraph("Statutory duties: what the law says the school must do", st["h3"]),
        Paragraph(
            f"Of {d.total} legal duties, <b>{d.met} met</b>, <b>{d.partly_met} partly met</b>, "
            f"<b>{d.not_met} not met</b> and <b>{d.not_assessed} not assessed</b>.",
            st["body"]),
        _duty_boxes(report),
        Spacer(1, 4 * mm),
        Paragraph("Each section at a glance", st["h3"]),
        Paragraph("The bar shows the share of assessed criteria at or above the expected "
                  "level; the numbers are printed beside it.", st["small"]),
        section_chart(report.sections),
        Spacer(1, 2 * mm),
        Paragraph("<b>How this is worked out.</b> " + esc_line(report.rules.get("section", ""))
                  + " " + esc_line(report.rules.get("duty", "")), st["small"]),
    ]
    out += [CondPageBreak(45 * mm), Paragraph("Top priorities", st["h3-table"])]
    if not any(sec.assessed for sec in report.sections):
        out.append(Paragraph("Nothing has been assessed yet, so there are no priorities to "
                             "show.", st["body"]))
    elif report.gaps:
        rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                                  ("", "Criterion", "Rated", "Action planned")]]
        for n, gap in enumerate(report.gaps[:MAX_PRIORITIES], 1):
            action = "None planned"
            if gap.action:
                action = esc_line(clip(gap.action.what, 70, ""))
                who = ([esc_line(clip(gap.action.owner, 40, ""))]
                       if gap.action.owner.strip() else [])
                if gap.action.due:
                    who.append(f"by {long_date(gap.action.due)}")
                if who:
                    action += "<br/><font color='#505a5f'>" + ", ".join(who) + "</font>"
            rows.append([
                Paragraph(str(n), st["cellbold"]),
                Paragraph(f"<b>{escape(gap.criterion)}</b> "
                          f"{esc_line(clip(gap.text, 130, ''))}", st["cell"]),
                Paragraph(f"{escape(gap.rating_label)}<br/><font color='#505a5f'>"
                          f"expected: {escape(gap.expected_label)}</font>", st["cell"]),
                Paragraph(action, st["cell"]),
            ])
        out.append(_table(rows, [7 * mm, 72 * mm, 25 * mm, FRAME_W - 104 * mm], zebra=False))
        if len(report.gaps) > MAX_PRIORITIES:
            more = len(report.gaps) - MAX_PRIORITIES
            out.append(Paragraph(f"And {more} more gap{'s' if more != 1 else ''} in the full "
                                 "gap report.", st["small"]))
    else:
        out.append(Paragraph("No gaps: every assessed criterion is at or above the expected "
                             "level.", st["body"]))
    if report.not_assessed:
        n = len(report.not_assessed)
        out.append(Paragraph(f"<b>{n} criteri{'a are' if n != 1 else 'on is'} not assessed "
                             "yet</b> and not counted as met.", st["small"]))
    out += _overdue_summary(report)
    if report.questions:
        out.append(Paragraph("Questions governors could ask", st["h3"]))
        out += [Paragraph(esc_line(q), st["bullet"], bulletText=f"{i}.")
                for i, q in enumerate(report.questions, 1)]
    if report.coming:
        n = len(report.coming)
        out.append(Paragraph(
            f"<b>{n} dut{'ies' if n != 1 else 'y'} coming</b>: the law has changed but "
            f"{'they are' if n != 1 else 'it is'} not in force yet, so not counted here; "
            "see “Duties that are coming” for what to prepare.", st["small"]))
    table, *comments = _signoff_table(report)
    out.append(KeepTogether([
        Paragraph("Sign-off", st["h3"]),
        Paragraph("We have read this self-assessment and the action plan.", st["small"]),
        table,
    ]))
    out += comments
    return out


MAX_OVERDUE = 3  # named in the summary; every one is in the action plan


def _overdue_summary(report: GapReport) -> list[Flowable]:
    """Overdue actions for governors in one short paragraph: the most overdue by name, what,
    who and when it was due; every one is in the action plan."""
    st = _styles()
    overdue = report.overdue_actions
    text = f"<b>Overdue actions.</b> {escape(overdue_words(len(overdue)))}"
    if overdue:
        named = []
        for a in overdue[:MAX_OVERDUE]:
            who = esc_line(clip(a.owner, 40, "")) if a.owner.strip() else "no owner named"
            named.append(f"<b>{escape(a.criterion)}</b> {esc_line(clip(a.what, 60, ''))} "
                         f"({who}, due {long_date(a.due) if a.due else ''})")
        more = len(overdue) - MAX_OVERDUE
        text += (" Most overdue: " if len(overdue) > 1 else " ") + "; ".join(named) + "."
        text += (f" And {more} more in the action plan." if more > 0
                 else " See the action plan.")
    return [Paragraph(text, st["small-ink"])]


def _coming(report: GapReport) -> list[Flowable]:
    """Laws passed but not yet in force: apart from the gaps, with what to prepare."""
    st = _styles()
    out: list[Flowable] = [CondPageBreak(40 * mm),
                           Heading("Duties that are coming", st["h2-table"], "coming")]
    if not report.coming:
        return [*out, Paragraph("No law that is passed but not yet in force applies to the "
                                "school.", st["body"])]
    out.append(Paragraph("The law has changed but these duties are not in force yet. They "
                         "are not counted above and are not gaps; they show what the school "
                         "should prepare.", st["small"]))
    rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                              ("Criterion", "When", "What to prepare")]]
    for c in report.coming:
        rows.append([
            Paragraph(f"<b>{escape(c.criterion)}</b> {esc_line(_coming_text(c))}", st["cell"]),
            Paragraph(escape(coming_when(c.in_force_on)) + "<br/><font color='#505a5f'>"
                      + esc_line("; ".join(cited_list(c.enacted_by))) + "</font>",
                      st["cell"]),
            Paragraph("<br/>".join("• " + esc_line(p) for p in c.prepare), st["cell"]),
        ])
    out.append(_table(rows, [62 * mm, 40 * mm, FRAME_W - 102 * mm], zebra=False))
    return out


def _coming_text(c: ComingDuty) -> str:
    if c.level_label:
        return f"{c.text} (new wording for {c.level_label}: {c.descriptor})"
    return c.text


def _ref_line(ref: RefOut) -> str:
    return (f"<b>{escape(ref.cited)}</b> — {esc_line(ref.title)}: "
            f"{esc_line(ref.summary)}")


def _item(report: GapReport, item: Item) -> list[Flowable]:
    st = _styles()
    kind = "Statutory duty" if item.statutory else "Expectation"
    out: list[Flowable] = [
        Paragraph(f'<a name="crit-{_attr(item.criterion)}"/><font name="{FONT}" size="8.5" '
                  f'color="#505a5f"><b>{escape(item.criterion)}</b>\u2002·\u2002{kind}</font>'
                  f"\u2002{_item_tag(item)}<br/>{esc(item.text)}", st["crit-text"]),
    ]
    field = st["field"]
    if item.not_applicable_reason is not None:
        out += _paragraphs(item.not_applicable_reason, field, "Not applicable")
    elif item.rating is None:
        out.append(Paragraph(f"Not assessed yet (expected level: {escape(item.expected_label)})",
                             field, bulletText="Rating"))
    else:
        verdict = ("at or above the expected level" if item.meets
                   else "<b>below the expected level</b>")
        out.append(Paragraph(f"<b>{escape(item.rating_label or item.rating)}</b>: {verdict} "
                             f"({escape(item.expected_label)})", field, bulletText="Rating"))
    if item.moderated_rating:
        out.append(Paragraph(f"{escape(item.moderated_label or item.moderated_rating)} "
                             "(local authority moderation)", field, bulletText="Moderated"))
    if item.moderation_note and item.moderation_note.strip():
        out += _paragraphs(item.moderation_note, field, "LA note")
    ev = item.evidence
    if ev is not None and not ev.empty:
        where = []
        if ev.location.strip():
            where.append(f"<b>Where:</b> {esc_line(ev.location)}")
        if ev.kind:
            where.append(f"<b>Kind:</b> {EVIDENCE_KIND_LABELS.get(ev.kind, ev.kind)}")
        out += _paragraphs(ev.text, field, "Evidence", tail="\u2003".join(where) or None)
    elif item.rating is not None:
        out.append(Paragraph("None recorded", field, bulletText="Evidence"))
    if item.action is not None:
        act = item.action
        bits = [f"<b>Owner:</b> {esc_line(act.owner) or 'not named'}",
                f"<b>Due:</b> {long_date(act.due) or 'no date'}",
                f"<b>Status:</b> {ACTION_STATUS_LABELS.get(act.status, act.status)}"]
        if act.overdue(report.as_of):
            bits.append(_tag("Overdue", "red"))
        out += _paragraphs(act.what, field, "Action", tail="\u2003".join(bits))
    if item.moved_from is not None:
        mf = item.moved_from
        out += _paragraphs(f"Not yet re-checked since the framework changed. In version "
                           f"{mf.version} the answer was to {mf.criterion}: "
                           f"\u201c{mf.text}\u201d", field, "Re-check")
    elif not item.rechecked:
        out.append(Paragraph("Carried forward from last year and not yet re-checked.", field,
                             bulletText="Note"))
    lines = [_ref_line(r) for r in _once(item.references)]
    if lines:
        out.append(Paragraph("<br/>".join(lines), field, bulletText="References"))
    out.append(HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=4,
                          spaceAfter=2))
    return out


def _full_report(report: GapReport) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = [
        Heading("Full gap report", st["h1"], "full"),
        Paragraph("Every criterion that applies to the school, section by section, with the "
                  "school’s rating, its evidence and planned action, and the paragraphs of the "
                  "Code or the law it rests on. Each rating is printed as a word in a tag: "
                  "green is at or above the expected level, red a statutory duty below it, "
                  "orange an expectation below it, grey not assessed or not applicable.",
                  st["body"]),
    ]
    by_section: dict[str, list[Item]] = {}
    for item in report.items:
        by_section.setdefault(item.section, []).append(item)
    labels = report.level_labels
    for n, sec in enumerate(report.sections):
        if n:
            out.append(CondPageBreak(70 * mm))
        out.append(Heading(escape(sec.title), st["h2"], f"section-{n}", 1, outline=sec.title))
        counts = ", ".join(f"{labels.get(k, k)} {v}" for k, v in sec.counts.items())
        line = (f"{sec.applicable} applicable, {sec.assessed} assessed, "
                f"{sec.not_assessed} not assessed, {sec.not_applicable} not applicable. ")
        if counts:
            line += f"Ratings: {escape(counts)}. "
        line += (f"At or above the expected level: {share_text(sec.meeting_expectation_share)}"
                 + (f" ({sec.at_or_above} of {sec.assessed})." if sec.assessed else "."))
        out.append(Paragraph(line, st["small"]))
        if sec.flagged:
            out.append(Paragraph(_tag("Duty not met in full", "red") + " "
                                 + escape(", ".join(sec.unmet_duties)), st["small"]))
        items = by_section.get(sec.id, [])
        if not items:
            out.append(Paragraph("No criterion in this section applies to the school.",
                                 st["body"]))
        for item in items:
            out += _item(report, item)
    return out


def _action_plan(report: GapReport) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = [Heading("Action plan", st["h1"], "actions")]
    if not report.actions:
        return [*out, Paragraph("No actions are planned.", st["body"])]
    overdue = sum(1 for a in report.actions if a.overdue)
    out.append(Paragraph(
        f"{len(report.actions)} action{'s' if len(report.actions) != 1 else ''}, overdue ones "
        f"first{f'; {overdue} overdue' if overdue else ''}. Overdue means past its due date "
        f"on {long_date(report.as_of)} and not done.", st["body"]))
    rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                              ("Criterion", "Action", "Owner", "Due", "Status")]]
    red = []
    for i, a in enumerate(report.actions, 1):
        status = escape(ACTION_STATUS_LABELS.get(a.status, a.status))
        if a.overdue:
            status = f"<b>Overdue</b><br/>{status}"
            red.append(("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor("#d4351c")))
        rows.append([
            Paragraph(f'<a href="#crit-{_attr(a.criterion)}" color="#1d70b8">'
                      f"{escape(a.criterion)}</a>", st["cellbold"]),
            Paragraph(esc(clip(a.what, TABLE_CELL_CHARS)), st["cell"]),
            Paragraph(esc_line(clip(a.owner, 200, "continues in the audit file"))
                      or "Not named", st["cell"]),
            Paragraph(short_date(a.due) or "No date", st["cell"]),
            Paragraph(status, st["cell"]),
        ])
    out.append(_table(rows, [19 * mm, 68 * mm, 35 * mm, 23 * mm, FRAME_W - 145 * mm],
                      extra=red))
    return out


def _not_assessed_and_checks(report: GapReport) -> list[Flowable]:
    st = _styles()
    text_of = {i.criterion: i for i in report.items}
    out: list[Flowable] = [CondPageBreak(60 * mm),
                           Heading("Not assessed", st["h2"], "not-assessed")]
    if report.not_assessed:
        out.append(Paragraph("These criteria have no rating yet. They are not counted as met.",
                             st["body"]))
        rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                                  ("Criterion", "What it asks", "Section")]]
        for cid in report.not_assessed:
            item = text_of.get(cid)
            rows.append([Paragraph(escape(cid), st["cellbold"]),
                         Paragraph(esc_line(item.text) if item else "", st["cell"]),
                         Paragraph(escape(report.section_title(item.section)) if item else "",
                                   st["cell"])])
        out.append(_table(rows, [20 * mm, 100 * mm, FRAME_W - 120 * mm]))
    else:
        out.append(Paragraph("Every applicable criterion has been assessed.", st["body"]))
    if report.not_applicable:
        out += [CondPageBreak(40 * mm),
                Heading("Marked not applicable", st["h2-table"], "not-applicable")]
        rows = [[Paragraph(h, st["th"]) for h in ("Criterion", "Reason given")]]
        for na in report.not_applicable:
            rows.append([Paragraph(escape(na["criterion"]), st["cellbold"]),
                         Paragraph(esc(clip(na.get("reason", ""), TABLE_CELL_CHARS)),
                                   st["cell"])])
        out.append(_table(rows, [20 * mm, FRAME_W - 20 * mm]))
    out += [CondPageBreak(50 * mm), Heading("Quality checks", st["h2"], "checks")]
    if report.checks:
        out.append(Paragraph("Things to put right before the report is signed off.",
                             st["body"]))
        rows = [[Paragraph(h, st["th"]) for h in ("Check", "Criterion", "Detail")]]
        for c in report.checks:
            rows.append([Paragraph(CHECK_LABELS.get(c.kind, c.kind), st["cell"]),
                         Paragraph(escape(c.criterion), st["cellbold"]),
                         Paragraph(esc_line(c.message), st["cell"])])
        out.append(_table(rows, [38 * mm, 20 * mm, FRAME_W - 58 * mm]))
    else:
        out.append(Paragraph("No problems found.", st["body"]))
    return out


def _archived(report: GapReport) -> list[Flowable]:
    """The appendix of answers kept from earlier framework versions; empty when none."""
    if not report.archived:
        return []
    st = _styles()
    field = st["field"]
    labels = report.level_labels
    out: list[Flowable] = [
        CondPageBreak(60 * mm), Heading("Appendix: archived answers", st["h2"], "archived"),
        Paragraph("Answers given to criteria of an earlier version of the framework that have "
                  "no place in this one. They are kept as the school wrote them and are not "
                  "counted anywhere in this report.", st["body"])]
    for a in report.archived:
        ans = a.answer
        out.append(Paragraph(f'<font name="{FONT}" size="8.5" color="#505a5f"><b>'
                             f"{escape(a.criterion)}</b>\u2002·\u2002version "
                             f"{escape(a.version)}</font><br/>{esc(a.text)}",
                             st["crit-text"]))
        out += _paragraphs(a.reason, field, "Archived")
        if ans.rating:
            out.append(Paragraph(escape(labels.get(ans.rating, ans.rating)), field,
                                 bulletText="Rating"))
        if ans.not_applicable_reason is not None:
            out += _paragraphs(ans.not_applicable_reason, field, "Not applicable")
        if ans.evidence is not None and not ans.evidence.empty:
            where = (f"<b>Where:</b> {esc_line(ans.evidence.location)}"
                     if ans.evidence.location.strip() else None)
            out += _paragraphs(ans.evidence.text, field, "Evidence", tail=where)
        if ans.action is not None:
            owner = f"<b>Owner:</b> {esc_line(ans.action.owner)}" if ans.action.owner else None
            out += _paragraphs(ans.action.what, field, "Action", tail=owner)
        if ans.moderated_rating:
            out.append(Paragraph(escape(labels.get(ans.moderated_rating,
                                                   ans.moderated_rating)),
                                 field, bulletText="Moderated"))
        if ans.moderation_note:
            out += _paragraphs(ans.moderation_note, field, "LA note")
        out.append(HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=4,
                              spaceAfter=2))
    return out


def _references(report: GapReport) -> list[Flowable]:
    st = _styles()
    out: list[Flowable] = [Heading("References", st["h1"], "references"),
                           Paragraph("Every source the report cites, with a one-line summary "
                                     "and a link to the published text.", st["body"])]
    for ref in report.references:
        if not ref.exists:
            continue  # a misprint in the source: only the appendix speaks of it
        lines = [f"<b>{escape(ref.cited)}</b> — {esc_line(ref.title)}",
                 f"<font size='8.5'>{esc_line(ref.summary)}</font>"]
        if ref.url.startswith(("https://", "http://")):
            lines.append(f'<font size="8.5"><a href="{_attr(ref.url)}" color="#1d70b8">'
                         f"<u>{escape(ref.url)}</u></a></font>")
        # One paragraph per reference, kept whole on its page.
        out.append(KeepTogether([Paragraph("<br/>".join(lines), st["ref"])]))
    return out


def _once(refs: Sequence[RefOut]) -> list[RefOut]:
    """One reference per printed citation: unconfirmed paragraphs of a chapter print once."""
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.cited not in seen:
            seen.add(ref.cited)
            out.append(ref)
    return out


def _how_checked(report: GapReport) -> list[Flowable]:
    """The editors' trail, for readers who want to check the citations themselves."""
    st = _styles()
    out: list[Flowable] = [
        Heading("Appendix: how the references were checked", st["h1"], "how-checked"),
        Paragraph("The report prints each reference only as far as it has been verified: "
                  "where a paragraph number has not been confirmed against the published "
                  "text, the chapter or the Act is given instead. This appendix records, for "
                  "each criterion, how each reference was checked, the citations as the "
                  "source document printed them, and notes on scope.", st["body"]),
    ]
    for chk in report.reference_checks:
        lines = [f"<b>{escape(chk.criterion)}</b>"]
        for ref in [*chk.references, *chk.legal_basis]:
            lines.append(f"{escape(ref.id)}: "
                         f"{escape(EVIDENCE_CHECK_LABELS.get(ref.evidence, ref.evidence))}; "
                         f"printed as {esc_line(ref.cited)}.")
        pubs = chk.published_references
        if pubs and {r.id for r in pubs} != {r.id for r in chk.references}:
            lines.append("As published: " + ", ".join(
                escape(r.id) + ("" if r.exists else " (no such paragraph)") for r in pubs)
                + ".")
        for label, text in (("Why the references differ", chk.reference_note),
                            ("Note", chk.note), ("Scope", chk.scope_note)):
            if text:
                lines.append(f"{label}: {esc_line(text)}")
        out.append(Paragraph("<br/>".join(lines), st["ref"]))
    return out


def _story(report: GapReport, generated: dt.date) -> list[Flowable]:
    return [
        *_cover(report, generated),
        NextPageTemplate("page"),
        PageBreak(),
        *_summary(report),
        PageBreak(),
        *_full_report(report),
        PageBreak(),
        *_action_plan(report),
        *_coming(report),
        *_not_assessed_and_checks(report),
        *_archived(report),
        PageBreak(),
        # The same pages for every school of a framework: laid out once per process.
        *replayed(lambda: [*_references(report), PageBreak(), *_how_checked(report)],
                  _recorded_pages),
    ]


#: The page and the text's starting font: the same for the report and its recorded pages.
_LAYOUT: dict[str, Any] = {
    "pagesize": A4, "leftMargin": MARGIN_X, "rightMargin": MARGIN_X, "topMargin": MARGIN_TOP,
    "bottomMargin": MARGIN_BOTTOM, "initialFontName": FONT, "initialFontSize": 10}


def _body_frame() -> Frame:
    return Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                 id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _recorded_pages(story: list[Flowable], canvasmaker: Callable[..., Canvas]) -> list[Any]:
    """Lays ``story`` out on body pages of a report, for :func:`.pdf_replay.replayed`."""
    made: list[Any] = []

    def make(*args: Any, **kw: Any) -> Canvas:
        made.append(canvasmaker(*args, **kw))
        return made[-1]

    doc = _Doc(io.BytesIO(), **_LAYOUT)
    doc.addPageTemplates([PageTemplate("page", [_body_frame()])])
    doc.build(story, canvasmaker=make)
    return made[0].pages


def render_pdf(report: GapReport, *, deterministic: bool = False) -> bytes:
    """The report as PDF bytes; ``deterministic`` gives byte-identical output for tests."""
    register_fonts()
    generated = report.as_of if deterministic else dt.date.today()
    school = clean_text(report.school.get("name", ""))
    year = clean_text(report.academic_year)
    fw_line = clean_text(f"{report.framework.get('title', '')}, version "
                         f"{report.framework.get('version', '')}")
    buf = io.BytesIO()
    doc = _Doc(
        buf, **_LAYOUT,
        title=f"SEND self-assessment: {school}, {year}",
        author=clean_text(report.completed_by or school),
        subject=fw_line, creator="Quality Offer", producer="Quality Offer (ReportLab)",
        keywords=["SEND", "Code of Practice", "self-assessment", clean_text(report.school.get(
            "urn", ""))],
        lang="en-GB", displayDocTitle=1, invariant=1 if deterministic else 0,
        pageCompression=1,
    )
    doc.qo_framework_line = fw_line  # type: ignore[attr-defined]
    frame = _body_frame()
    doc.addPageTemplates([PageTemplate("cover", [frame], onPage=_cover_band,
                                       autoNextPageTemplate="page"),
                          PageTemplate("page", [frame])])
    footer = f"{school} · {year} · generated {long_date(generated)}"
    # Compressed streams without the ASCII85 layer: a quarter smaller and quicker to write.
    # The setting is global in reportlab, so it is set for this build and put back.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(_story(report, generated),
                  canvasmaker=functools.partial(
                      _NumberedCanvas, footer=footer,
                      draft=clean_text(draft_line(report)) if report.is_draft else ""))
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()
