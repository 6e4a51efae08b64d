"""The HTML report of one GapReport: one self-contained, accessible page.

Same content as the PDF, for screen readers, for email and for the web. One file with
nothing to fetch: no scripts, no web fonts, no images; the chart is inline SVG with a text
alternative and the same numbers in a table. Meaning never rests on colour: ratings, flags and
overdue actions are words.

The markup is in Jinja2 templates (``templates/html/``); what to show and how to word it is
worked out in :mod:`.html_view`. The environment escapes every value a template prints, after
:func:`.wording.clean_text` has replaced control characters, so text typed into an audit shows
as typed: markup, template syntax and links included. Only values built here as
:class:`markupsafe.Markup` (the chart, a CSS string) reach the page unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..dates import long_date
from ..gaps import GapReport, SectionResult
from . import html_view as view
from .wording import action_plan_intro, clean_text, draft_line, share_text

__all__ = ["render_html", "section_chart_svg"]


def _printable(value: object) -> object:
    """Every printed value made printable; markup built by this module passes unchanged."""
    return value if isinstance(value, Markup) else clean_text(value)


def _lines(value: object) -> list[str]:
    """Free text as its lines, for templates that keep the line breaks as <br>."""
    return clean_text(value).split("\n")


def _paras(value: object) -> list[str]:
    """Free text as its non-blank lines, for templates that print a paragraph each."""
    return [ln for ln in clean_text(value).split("\n") if ln.strip()]


@cache
def environment() -> Environment:
    """The one template environment of the process: loading and compiling happen once.

    Autoescaping is on for every template (the SVG and the CSS included), and an unknown
    name is an error rather than an empty string, so a misspelt field cannot vanish quietly.
    """
    env = Environment(loader=PackageLoader("quality_offer.reports", "templates/html"),
                      autoescape=True, undefined=StrictUndefined, finalize=_printable,
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(lines=_lines, paras=_paras, share=share_text, long_date=long_date,
                       role=view.role_label)
    return env


def section_chart_svg(sections: Sequence[SectionResult]) -> str:
    """A horizontal bar per section, numbers beside each bar, with a title and description.

    A flagged section gets its own line in words under the bar; colour only repeats it.
    """
    return environment().get_template("chart.svg.j2").render(view.chart(sections))


def _css_string(text: str) -> Markup:
    """Text as a CSS string literal: everything but letters, digits and plain punctuation
    hex-escaped, so it is safe inside <style>, where HTML escapes are not decoded."""
    out = "".join(c if c.isalnum() or c in " :;,.()-" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{out}"')


def render_html(report: GapReport) -> str:
    """The report as one self-contained HTML document (UTF-8 text)."""
    r = report
    fw = f"{r.framework.get('title', '')}, version {clean_text(r.framework.get('version'))}"
    # Printed, the draft line is in the top margin of every page (a CSS page-margin box):
    # a position: fixed banner repeats too, but over the first lines of each page's text.
    draft = draft_line(r) if r.is_draft else None
    return environment().get_template("report.html.j2").render(
        r=r, school=r.school.get("name", ""), year=r.academic_year, framework=fw,
        as_of=long_date(r.as_of), draft=draft,
        draft_css=_css_string(draft) if draft is not None else None,
        chart_svg=Markup(section_chart_svg(r.sections)),
        cover=view.cover_rows(r), priorities=view.priorities(r), overdue=view.overdue_view(r),
        sign_offs=view.sign_off_rows(r), full=view.full_sections(r),
        actions=view.action_rows(r), coming=view.coming_rows(r),
        actions_intro=action_plan_intro(len(r.actions), len(r.overdue_actions), r.as_of),
        not_assessed=view.not_assessed_rows(r), checks=view.check_rows(r),
        archived=view.archived_rows(r), references=view.reference_list(r),
        how_checked=view.how_checked(r))
