"""Free text made safe for a Paragraph, and the tags that carry a rating in words.

Every string typed into an audit reaches the PDF through one of these: cleaned of control
characters, XML-escaped, cut where a table cell would overflow, split into small paragraphs.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from ...gaps import Item
from ..wording import clean_text, rating_tag
from .fonts import FONT_BOLD
from .paragraphs import Paragraph
from .styles import TAGS


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
    cut = cut.rstrip().rstrip(",;:.")  # "person…", not "person,…"
    return f"{cut}… ({more})" if more else f"{cut}…"


def esc_attr(value: str) -> str:
    """Free text ready for a markup attribute (a link's address): quotes escaped too."""
    return escape(clean_text(value), {'"': "&quot;"})


def text_paragraphs(value: object, style: ParagraphStyle, label: str | None = None,
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


def word_tag(text: str, colour: str) -> str:
    """A coloured tag whose word carries the meaning; the colour only repeats it."""
    fg, bg = TAGS[colour]
    return (f'<font name="{FONT_BOLD}" size="8" color="{fg}" backColor="{bg}">'
            f"\u00a0{escape(text.upper())}\u00a0</font>")


def item_tag(item: Item) -> str:
    """The tag of a criterion's rating, or why it has none (the rule: ``rating_tag``)."""
    return word_tag(*rating_tag(item))


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width``: footers and chart labels hold one line."""
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2].rstrip() + "…"
    return text
