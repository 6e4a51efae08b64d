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
from .appendices import _archived, _how_checked, _not_assessed_and_checks, _references
from .cover import _cover
from .fonts import register_fonts
from .pages import _LAYOUT, _body_frame, _cover_band, _Doc, _NumberedCanvas, _recorded_pages
from .plans import _action_plan, _coming
from .sections import _full_report
from .summary import _summary


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
