"""The action plan, and the duties coming into force that the school should prepare for.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
)

from ...citations import cited_list
from ...dates import long_date
from ...gaps import ComingDuty, GapReport
from ...vocabulary import (
    ACTION_STATUS_LABELS,
)
from ..wording import action_plan_intro, coming_when
from .markup import clip, esc, esc_attr, esc_line
from .paragraphs import Heading, Paragraph
from .styles import FRAME_W, TABLE_CELL_CHARS, paragraph_styles
from .tables import plain_table, table_start


def action_plan(report: GapReport) -> list[Flowable]:
    """Every action in one table, for the people who carry them out."""
    st = paragraph_styles()
    out: list[Flowable] = [Heading("Action plan", st["h1"], "actions")]
    if not report.actions:
        return [*out, Paragraph("No actions are planned.", st["body"])]
    out.append(Paragraph(action_plan_intro(len(report.actions), len(report.overdue_actions),
                                           report.as_of), st["body"]))
    rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                              ("Criterion", "Action", "Owner", "Due", "Status")]]
    red = []
    for i, a in enumerate(report.actions, 1):
        status = escape(ACTION_STATUS_LABELS.get(a.status, a.status))
        if a.overdue:
            status = f"<b>Overdue</b><br/>{status}"
            red.append(("LINEBEFORE", (0, i), (0, i), 3, colors.HexColor("#d4351c")))
        rows.append([
            Paragraph(f'<a href="#crit-{esc_attr(a.criterion)}" color="#1d70b8">'
                      f"{escape(a.criterion)}</a>", st["cellbold"]),
            Paragraph(esc(clip(a.what, TABLE_CELL_CHARS)), st["cell"]),
            Paragraph(esc_line(clip(a.owner, 200, "continues in the audit file"))
                      or "Not named", st["cell"]),
            Paragraph(long_date(a.due) or "No date", st["cell"]),
            Paragraph(status, st["cell"]),
        ])
    # Dates written in full, as everywhere else in the report ("30 November 2026").
    out.append(plain_table(rows, [19 * mm, 60 * mm, 32 * mm, 34 * mm, FRAME_W - 145 * mm],
                      extra=red))
    return out


def coming_duties(report: GapReport) -> list[Flowable]:
    """Laws passed but not yet in force: apart from the gaps, with what to prepare."""
    st = paragraph_styles()
    heading = Heading("Duties that are coming", st["h2-table"], "coming")
    if not report.coming:
        return [CondPageBreak(40 * mm), heading,
                Paragraph("No law that is passed but not yet in force applies to the school.",
                          st["body"])]
    lead = [heading, Paragraph("The law has changed but these duties are not in force yet. "
                               "They are not counted above and are not gaps; they show what "
                               "the school should prepare.", st["small"])]
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
    return table_start(lead, plain_table(rows, [62 * mm, 40 * mm, FRAME_W - 102 * mm],
                                         zebra=False))


def _coming_text(c: ComingDuty) -> str:
    if c.level_label:
        return f"{c.text} (new wording for {c.level_label}: {c.descriptor})"
    return c.text
