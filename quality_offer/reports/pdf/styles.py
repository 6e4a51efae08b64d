"""The look of the PDF report: colours, page margins, paragraph styles and cell limits.

One place for them, so the cover, the summary, the full report and the appendices share a calm
public-service style (black text, one accent colour, tags that carry words).
"""

from __future__ import annotations

import functools
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .fonts import FONT, FONT_BOLD

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
def paragraph_styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, made once: paragraphs are remembered per style object."""
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
