"""The plain table every part of the report uses for short, tabular facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Table,
    TableStyle,
)

from .fonts import FONT
from .styles import INK, LIGHT, RULE, WHITE


def plain_table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
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


class StartTogether(CondPageBreak):
    """A page break taken only when a table's lead-in and its first row would not all fit.

    A fixed ``CondPageBreak`` guesses the height; a tall first row (a long criterion, a
    list of things to prepare) then leaves the heading and its sentence alone at the foot
    of a page with the table overleaf. This one measures them at layout time.
    """

    def __init__(self, lead: Sequence[Flowable], table: Table, rows: int = 2) -> None:
        super().__init__(0)
        self._lead = list(lead)
        self._table = table
        self._rows = rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        need = 0.0
        for f in self._lead:
            need += f.wrap(availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        self._table.wrap(availWidth, availHeight)
        need += sum(self._table._rowHeights[:self._rows])  # header and first row
        self.height = need
        return super().wrap(availWidth, availHeight)


def table_start(lead: Sequence[Flowable], table: Table) -> list[Flowable]:
    """``lead`` (heading, sentence) and ``table``, kept together up to the first row."""
    return [StartTogether(lead, table), *lead, table]
