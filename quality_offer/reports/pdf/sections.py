"""The full gap report, section by section: each criterion with its rating, evidence and action.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
)
from reportlab.platypus.flowables import HRFlowable

from ...dates import long_date
from ...gaps import GapReport, Item, RefOut
from ...vocabulary import (
    ACTION_STATUS_LABELS,
    EVIDENCE_KIND_LABELS,
)
from ..wording import printed_once, share_text
from .fonts import FONT
from .markup import esc, esc_attr, esc_line, item_tag, text_paragraphs, word_tag
from .paragraphs import Heading, Paragraph
from .styles import RULE, paragraph_styles


def _ref_line(ref: RefOut) -> str:
    return (f"<b>{escape(ref.cited)}</b> — {esc_line(ref.title)}: "
            f"{esc_line(ref.summary)}")


def _item(report: GapReport, item: Item) -> list[Flowable]:
    st = paragraph_styles()
    kind = "Statutory duty" if item.statutory else "Expectation"
    out: list[Flowable] = [
        Paragraph(f'<a name="crit-{esc_attr(item.criterion)}"/><font name="{FONT}" size="8.5" '
                  f'color="#505a5f"><b>{escape(item.criterion)}</b>\u2002·\u2002{kind}</font>'
                  f"\u2002{item_tag(item)}<br/>{esc(item.text)}", st["crit-text"]),
    ]
    field = st["field"]
    if item.not_applicable_reason is not None:
        out += text_paragraphs(item.not_applicable_reason, field, "Not applicable")
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
        out += text_paragraphs(item.moderation_note, field, "LA note")
    ev = item.evidence
    if ev is not None and not ev.empty:
        where = []
        if ev.location.strip():
            where.append(f"<b>Where:</b> {esc_line(ev.location)}")
        if ev.kind:
            where.append(f"<b>Kind:</b> {EVIDENCE_KIND_LABELS.get(ev.kind, ev.kind)}")
        out += text_paragraphs(ev.text, field, "Evidence", tail="\u2003".join(where) or None)
    elif item.rating is not None:
        out.append(Paragraph("None recorded", field, bulletText="Evidence"))
    if item.action is not None:
        act = item.action
        bits = [f"<b>Owner:</b> {esc_line(act.owner) or 'not named'}",
                f"<b>Due:</b> {long_date(act.due) or 'no date'}",
                f"<b>Status:</b> {ACTION_STATUS_LABELS.get(act.status, act.status)}"]
        if act.overdue(report.as_of):
            bits.append(word_tag("Overdue", "red"))
        out += text_paragraphs(act.what, field, "Action", tail="\u2003".join(bits))
    if item.moved_from is not None:
        mf = item.moved_from
        out += text_paragraphs(f"Not yet re-checked since the framework changed. In version "
                           f"{mf.version} the answer was to {mf.criterion}: "
                           f"\u201c{mf.text}\u201d", field, "Re-check")
    elif not item.rechecked:
        out.append(Paragraph("Carried forward from last year and not yet re-checked.", field,
                             bulletText="Note"))
    lines = [_ref_line(r) for r in printed_once(item.references)]
    if lines:
        out.append(Paragraph("<br/>".join(lines), field, bulletText="References"))
    out.append(HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=4,
                          spaceAfter=2))
    return out


def full_report(report: GapReport) -> list[Flowable]:
    """Every criterion by section, with its rating, evidence and action: the report in full."""
    st = paragraph_styles()
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
            out.append(Paragraph(word_tag("Duty not met in full", "red") + " "
                                 + escape(", ".join(sec.unmet_duties)), st["small"]))
        items = by_section.get(sec.id, [])
        if not items:
            out.append(Paragraph("No criterion in this section applies to the school.",
                                 st["body"]))
        for item in items:
            out += _item(report, item)
    return out


