"""The whole PDF report in order, and :func:`render_pdf`, which builds it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io

from reportlab import rl_config
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from ...dates import long_date
from ...gaps import GapReport
from ..pdf_replay import replayed
from ..wording import clean_text, draft_line
from .appendices import archived_answers, how_checked, not_assessed_and_checks, references_list
from .cover import cover_page
from .fonts import register_fonts
from .pages import LAYOUT, NumberedCanvas, ReportDoc, body_frame, cover_band, recorded_pages
from .plans import action_plan, coming_duties
from .sections import full_report
from .summary import governors_summary


def _story(report: GapReport, generated: dt.date) -> list[Flowable]:
    return [
        *cover_page(report, generated),
        NextPageTemplate("page"),
        PageBreak(),
        *governors_summary(report),
        PageBreak(),
        *full_report(report),
        PageBreak(),
        *action_plan(report),
        *coming_duties(report),
        *not_assessed_and_checks(report),
        *archived_answers(report),
        PageBreak(),
        # The same pages for every school of a framework: laid out once per process.
        *replayed(lambda: [*references_list(report), PageBreak(), *how_checked(report)],
                  recorded_pages),
    ]


def render_pdf(report: GapReport, *, deterministic: bool = False) -> bytes:
    """The report as PDF bytes; ``deterministic`` gives byte-identical output for tests."""
    register_fonts()
    generated = report.as_of if deterministic else dt.date.today()
    school = clean_text(report.school.get("name", ""))
    year = clean_text(report.academic_year)
    fw_line = clean_text(f"{report.framework.get('title', '')}, version "
                         f"{report.framework.get('version', '')}")
    buf = io.BytesIO()
    doc = ReportDoc(
        buf, **LAYOUT,
        title=f"SEND self-assessment: {school}, {year}",
        author=clean_text(report.completed_by or school),
        subject=fw_line, creator="Quality Offer", producer="Quality Offer (ReportLab)",
        keywords=["SEND", "Code of Practice", "self-assessment", clean_text(report.school.get(
            "urn", ""))],
        lang="en-GB", displayDocTitle=1, invariant=1 if deterministic else 0,
        pageCompression=1,
    )
    doc.qo_framework_line = fw_line  # type: ignore[attr-defined]
    frame = body_frame()
    doc.addPageTemplates([PageTemplate("cover", [frame], onPage=cover_band,
                                       autoNextPageTemplate="page"),
                          PageTemplate("page", [frame])])
    footer = f"{school} · {year} · generated {long_date(generated)}"
    # Compressed streams without the ASCII85 layer: a quarter smaller and quicker to write.
    # The setting is global in reportlab, so it is set for this build and put back.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(_story(report, generated),
                  canvasmaker=functools.partial(
                      NumberedCanvas, footer=footer,
                      draft=clean_text(draft_line(report)) if report.is_draft else ""))
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()
