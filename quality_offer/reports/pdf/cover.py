"""The cover of the PDF report: the school, the audit's status and the statutory duties at a glance.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    Spacer,
)

from ...dates import long_date
from ...gaps import GapReport
from ...vocabulary import (
    AUDIT_STATUS_LABELS,
    SIGN_OFF_ROLE_LABELS,
)
from ..wording import clean_text, school_kind
from .markup import esc_line
from .paragraphs import Mark, Paragraph
from .styles import FRAME_W, MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, paragraph_styles
from .tables import plain_table


def cover_page(report: GapReport, generated: dt.date) -> list[Flowable]:
    """The cover: the school and its audit's status, on the page a reader sees first."""
    st = paragraph_styles()
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
    kind = school_kind(school.get("phase"), school.get("type"))
    if kind:
        rows.append(("School", esc_line(kind)))
    if school.get("la_code"):
        rows.append(("Local authority", esc_line(school["la_code"])
                     + (f", {esc_line(school['area'])}" if school.get("area") else "")))
    if signed:
        rows.append(("Signed off by", "<br/>".join(
            f"{esc_line(s.name)} ({SIGN_OFF_ROLE_LABELS.get(s.role, s.role)}), {long_date(s.date)}"
            for s in signed)))
    rows.append(("Generated", long_date(generated)))
    details = plain_table([[Paragraph(k, st["cellbold"]), Paragraph(v, st["cell"])]
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
