"""The governors' summary: a chart by section, priorities, overdue actions and sign-off lines.

Meant to fit in two pages, so every cell is clipped and says where the rest of the text is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from ...dates import long_date
from ...gaps import GapReport, SectionResult
from ...vocabulary import (
    PRINTED_SIGN_OFFS,
    SIGN_OFF_ROLE_LABELS,
)
from ..wording import overdue_words, share_text, unmet_line
from .fonts import FONT, FONT_BOLD
from .markup import clip, esc_line, fit_line, text_paragraphs
from .paragraphs import Heading, Paragraph
from .styles import (
    ACCENT,
    COMMENT_CHARS,
    FRAME_W,
    GREY,
    INK,
    LIGHT,
    MAX_PRIORITIES,
    RULE,
    TAGS,
    paragraph_styles,
)
from .tables import plain_table


def _duty_boxes(report: GapReport) -> Table:
    """Four boxes: the count, then the word; the colour only repeats what the word says."""
    st = paragraph_styles()
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
        drawing.add(String(0, top - 10, fit_line(sec.title, FONT_BOLD, 8.5, width),
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
        drawing.add(String(text_x, y + 1.5, fit_line(words, FONT, 8.5, width - text_x),
                           fontName=FONT, fontSize=8.5, fillColor=INK))
        if sec.flagged:
            flag = unmet_line(sec.unmet_duties)
            drawing.add(String(0, y - 10, fit_line(flag, FONT_BOLD, 8, width),
                               fontName=FONT_BOLD, fontSize=8,
                               fillColor=colors.HexColor("#d4351c")))
        top -= row_h
    return drawing


def _signoff_table(report: GapReport) -> list[Flowable]:
    """Name, signature and date lines for each role, filled where the audit records them."""
    st = paragraph_styles()
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
            out += text_paragraphs(s.reason, st["bullet"])
    return out


def governors_summary(report: GapReport) -> list[Flowable]:
    """The governors' summary: what a governing body reads in two pages."""
    st = paragraph_styles()
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
        out.append(plain_table(rows, [7 * mm, 72 * mm, 25 * mm, FRAME_W - 104 * mm], zebra=False))
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
    st = paragraph_styles()
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
