"""The appendices: what was not assessed and the checks, archived answers, references and how
they were checked.

The references and how they were checked are the same for every school of a framework, which
is why :mod:`.document` lays them out once per process and replays them.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
)
from reportlab.platypus.flowables import HRFlowable

from ...gaps import GapReport
from ...vocabulary import (
    CHECK_LABELS,
    EVIDENCE_CHECK_LABELS,
)
from .fonts import FONT
from .markup import clip, esc, esc_attr, esc_line, text_paragraphs
from .paragraphs import Heading, Paragraph
from .styles import FRAME_W, RULE, TABLE_CELL_CHARS, paragraph_styles
from .tables import plain_table, table_start


def not_assessed_and_checks(report: GapReport) -> list[Flowable]:
    """Criteria not yet rated or marked not applicable, and the checks to put right first.

    Unrated criteria are listed so nobody reads them as met.
    """
    st = paragraph_styles()
    text_of = {i.criterion: i for i in report.items}
    heading = Heading("Not assessed", st["h2"], "not-assessed")
    out: list[Flowable] = []
    if report.not_assessed:
        rows: list[list[Any]] = [[Paragraph(h, st["th"]) for h in
                                  ("Criterion", "What it asks", "Section")]]
        for cid in report.not_assessed:
            item = text_of.get(cid)
            rows.append([Paragraph(escape(cid), st["cellbold"]),
                         Paragraph(esc_line(item.text) if item else "", st["cell"]),
                         Paragraph(escape(report.section_title(item.section)) if item else "",
                                   st["cell"])])
        out += table_start(
            [heading, Paragraph("These criteria have no rating yet. They are not counted as "
                                "met.", st["body"])],
            plain_table(rows, [20 * mm, 100 * mm, FRAME_W - 120 * mm]))
    else:
        out += [CondPageBreak(30 * mm), heading,
                Paragraph("Every applicable criterion has been assessed.", st["body"])]
    if report.not_applicable:
        rows = [[Paragraph(h, st["th"]) for h in ("Criterion", "Reason given")]]
        for na in report.not_applicable:
            rows.append([Paragraph(escape(na["criterion"]), st["cellbold"]),
                         Paragraph(esc(clip(na.get("reason", ""), TABLE_CELL_CHARS)),
                                   st["cell"])])
        out += table_start(
            [Heading("Marked not applicable", st["h2-table"], "not-applicable")],
            plain_table(rows, [20 * mm, FRAME_W - 20 * mm]))
    heading = Heading("Quality checks", st["h2"], "checks")
    if report.checks:
        # Criterion first, as in every other table of the report and in the HTML.
        rows = [[Paragraph(h, st["th"]) for h in ("Criterion", "Check", "Detail")]]
        for c in report.checks:
            rows.append([Paragraph(escape(c.criterion), st["cellbold"]),
                         Paragraph(CHECK_LABELS.get(c.kind, c.kind), st["cell"]),
                         Paragraph(esc_line(c.message), st["cell"])])
        out += table_start(
            [heading, Paragraph("Things to put right before the report is signed off.",
                                st["body"])],
            plain_table(rows, [20 * mm, 38 * mm, FRAME_W - 58 * mm]))
    else:
        out += [CondPageBreak(30 * mm), heading, Paragraph("No problems found.", st["body"])]
    return out


def archived_answers(report: GapReport) -> list[Flowable]:
    """The appendix of answers kept from earlier framework versions; empty when none."""
    if not report.archived:
        return []
    st = paragraph_styles()
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
        out += text_paragraphs(a.reason, field, "Archived")
        if ans.rating:
            out.append(Paragraph(escape(labels.get(ans.rating, ans.rating)), field,
                                 bulletText="Rating"))
        if ans.not_applicable_reason is not None:
            out += text_paragraphs(ans.not_applicable_reason, field, "Not applicable")
        if ans.evidence is not None and not ans.evidence.empty:
            where = (f"<b>Where:</b> {esc_line(ans.evidence.location)}"
                     if ans.evidence.location.strip() else None)
            out += text_paragraphs(ans.evidence.text, field, "Evidence", tail=where)
        if ans.action is not None:
            owner = f"<b>Owner:</b> {esc_line(ans.action.owner)}" if ans.action.owner else None
            out += text_paragraphs(ans.action.what, field, "Action", tail=owner)
        if ans.moderated_rating:
            out.append(Paragraph(escape(labels.get(ans.moderated_rating,
                                                   ans.moderated_rating)),
                                 field, bulletText="Moderated"))
        if ans.moderation_note:
            out += text_paragraphs(ans.moderation_note, field, "LA note")
        out.append(HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=4,
                              spaceAfter=2))
    return out


def references_list(report: GapReport) -> list[Flowable]:
    """Every source the report cites, with a link: the same pages for a framework's schools."""
    st = paragraph_styles()
    out: list[Flowable] = [Heading("References", st["h1"], "references"),
                           Paragraph("Every source the report cites, with a one-line summary "
                                     "and a link to the published text.", st["body"])]
    for ref in report.references:
        if not ref.exists:
            continue  # a misprint in the source: only the appendix speaks of it
        lines = [f"<b>{escape(ref.cited)}</b> — {esc_line(ref.title)}",
                 f"<font size='8.5'>{esc_line(ref.summary)}</font>"]
        if ref.url.startswith(("https://", "http://")):
            lines.append(f'<font size="8.5"><a href="{esc_attr(ref.url)}" color="#1d70b8">'
                         f"<u>{escape(ref.url)}</u></a></font>")
        # One paragraph per reference, kept whole on its page.
        out.append(KeepTogether([Paragraph("<br/>".join(lines), st["ref"])]))
    return out


def how_checked(report: GapReport) -> list[Flowable]:
    """The editors' trail, for readers who want to check the citations themselves."""
    st = paragraph_styles()
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
