"""The comparison as spreadsheets (XLSX, CSV) for advisers' own analysis, formula-safe.

Free text in audits (school names, moderation notes) is typed by many people; a cell that
begins with ``=`` (or ``+``, ``-``, ``@``, a tab or a line break) is run as a formula by
Excel and LibreOffice when the file is opened ("CSV injection"). Every text cell goes through
one neutraliser: the project's :func:`quality_offer.reports.spreadsheets.safe_cell` where
it is installed, otherwise the small one here, which follows the same OWASP rule (a leading
apostrophe). Numbers stay numbers so the adviser can still sort and chart them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from .core import Comparison
from .loading import collector_paused
from .school_result import SchoolResult


def neutralise(value: Any) -> Any:
    """A cell value a spreadsheet will show, never run: text that could start a formula gets
    a leading apostrophe; numbers, booleans and None are returned as they are."""
    if isinstance(value, str):
        from ..reports.spreadsheets import looks_like_formula

        if looks_like_formula(value):
            return "'" + value
    return value


def cell_guard() -> Callable[[Any], Any]:
    """The shared neutraliser if the exports module provides one, else ours."""
    try:
        from ..reports.spreadsheets import safe_cell
    except ImportError:
        return neutralise
    return safe_cell


def section_rows(comp: Comparison) -> tuple[list[str], list[list[Any]]]:
    """Schools by section: the heatmap's numbers."""
    sections = comp.framework.sections
    head = ["URN", "School", "Academic year", "Phase", "Type", "Area", "Status",
            *[s.title for s in sections], "Unmet duties", "Share assessed", "Scored"]
    rows = []
    for r in comp.results:
        rows.append([r.urn, r.name, r.academic_year, r.phase, r.type, r.area or "", r.status,
                     *[r.sections[s.id].share for s in sections],
                     ", ".join(d.criterion for d in r.unmet_duties), r.assessed,
                     scored_words(comp, r)])
    return head, rows


def scored_words(comp: Comparison, result: SchoolResult) -> str:
    """Whether a row counts, said in the export itself: a reader of the file alone must not
    take a barely started audit's 100% for a result."""
    return "yes" if comp.scored(result) else (
        f"no: shown apart, under {comp.min_assessed:.0%} assessed")


def share_words(comp: Comparison) -> str:
    """The completeness rule a file was made with, for its About sheet."""
    return (f"{comp.min_assessed:.0%}: an audit with less of its applicable criteria assessed "
            "is shown apart, left out of the common gaps, the distribution and the medians")


def response_rows(comp: Comparison) -> tuple[list[str], list[list[Any]]]:
    """One row per school per applicable criterion: the long table advisers pivot."""
    fw = comp.framework
    head = ["URN", "School", "Academic year", "Phase", "Type", "Area", "Status", "Section",
            "Section share at or above expected", "Criterion", "Criterion text", "Statutory",
            "Rating", "Meets expected", "Moderated rating", "Moderation note", "Scored"]
    rows = []
    for r in comp.results:
        scored = scored_words(comp, r)
        for crit in fw.criteria:
            cell = r.cells.get(crit.id)
            if cell is None:
                continue
            sid = fw.section_of(crit.id)
            rating = "not applicable" if cell.not_applicable else (cell.rating or "not assessed")
            meets = "" if cell.meets is None else ("yes" if cell.meets else "no")
            rows.append([r.urn, r.name, r.academic_year, r.phase, r.type, r.area or "",
                         r.status, sid, r.sections[sid].share, crit.id, crit.text,
                         "yes" if crit.statutory else "no", rating, meets,
                         cell.moderated_rating or "", cell.moderation_note or "", scored])
    return head, rows


#: The common gaps' columns in every export, named as the Compare page names them.
GAP_HEAD = ["Rank", "Criterion", "Criterion text", "Section", "Kind", "Schools below expected",
            "Schools assessed", "Share below"]
GAP_SHARE = GAP_HEAD.index("Share below")


def kind_words(statutory: bool) -> str:
    return "Statutory duty" if statutory else "Expectation"


def gap_rows(comp: Comparison) -> tuple[list[str], list[list[Any]]]:
    """The common gaps, each named by its criterion's text beside its id, and its section's
    title, as the page shows them."""
    titles = {s.id: s.title for s in comp.framework.sections}
    rows = [[i, g.criterion, g.text, titles.get(g.section, g.section), kind_words(g.statutory),
             g.schools_below, g.schools_assessed, g.share]
            for i, g in enumerate(comp.common_gaps(), 1)]
    return GAP_HEAD, rows


def duty_rows(comp: Comparison) -> tuple[list[str], list[list[Any]]]:
    head = ["URN", "School", "Academic year", "Duty", "Rating", "Moderated rating",
            "Moderation note", "Duty text"]
    rows = []
    for school in comp.duties_not_met():
        for d in school["duties"]:
            rows.append([school["urn"], school["name"], school["academic_year"],
                         d["criterion"], d["rating_label"], d["moderated_label"] or "",
                         d["moderation_note"] or "", d["text"]])
    return head, rows


def distribution_rows(comp: Comparison) -> tuple[list[str], list[list[Any]]]:
    head = ["Section", "Schools", "Minimum", "Lower quartile", "Median", "Upper quartile",
            "Maximum"]
    titles = {s.id: s.title for s in comp.framework.sections}
    rows = [[titles[sid], d.schools, d.minimum, d.lower_quartile, d.median, d.upper_quartile,
             d.maximum] for sid, d in comp.distribution().items()]
    return head, rows


def skipped_rows(comp: Comparison) -> tuple[list[str], list[list[Any]]]:
    return ["File", "Error"], [[s.file, s.error] for s in comp.skipped]


def to_csv(comp: Comparison) -> str:
    """Every school's every applicable criterion, one row each, formula-safe."""
    guard = cell_guard()
    head, rows = response_rows(comp)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([guard(h) for h in head])
    for row in rows:
        writer.writerow(["" if v is None else guard(v) for v in row])
    return buf.getvalue()


def to_xlsx(comp: Comparison) -> bytes:
    """A workbook: about, sections, responses, common gaps, duties, distribution, skipped.

    Written with XlsxWriter's shared-string table (see :mod:`quality_offer.workbook`): a
    thousand schools' responses are some 780,000 cells, kept until the workbook is closed,
    so the garbage collector is paused meanwhile rather than re-scan them all again and again.
    """
    with collector_paused():
        return _workbook(comp)


def _workbook(comp: Comparison) -> bytes:
    from ..workbook import FastWorkbook

    book = FastWorkbook(cell_guard())
    fw = comp.framework
    filters = "; ".join(f"{k}: {', '.join(v)}" for k, v in comp.filters.items()) or "none"
    about = book.book.add_worksheet("About")
    about.set_column(0, 0, 18)
    about.set_column(1, 1, 90)
    book.rows(about, [
        ["Framework", f"{fw.title} (version {fw.version})"],
        ["Schools", len({r.urn for r in comp.results})],
        ["Audits", len(comp.results)],
        ["Academic years", ", ".join(comp.years)],
        ["Filters", filters],
        ["Files skipped", len(comp.skipped)],
        ["Share assessed to be scored", share_words(comp)],
        ["Section rule", fw.manifest.rollup.section_rule],
        ["Duty rule", fw.manifest.rollup.duty_rule],
        ["Shares", "Share of assessed criteria at or above the expected level; empty where "
                   "none was assessed. Not-applicable and unrated answers are left out."],
    ])
    sheets: list[tuple[str, Callable[[Comparison], tuple[list[str], list[list[Any]]]],
                       set[int]]] = [
        ("Sections", section_rows, {*range(7, 7 + len(fw.sections)), 8 + len(fw.sections)}),
        ("Common gaps", gap_rows, {GAP_SHARE}),
        ("Duties not met", duty_rows, set()),
        ("Distribution", distribution_rows, {2, 3, 4, 5, 6}),
        ("Responses", response_rows, {8}),
        ("Skipped files", skipped_rows, set()),
    ]
    for title, rows_of, percent_cols in sheets:
        head, rows = rows_of(comp)
        book.sheet(title, head, rows, percent=percent_cols)
        del rows  # one sheet's rows in memory at a time
    return book.close()


def shared_xlsx(comp: Comparison, threshold: int = 5) -> bytes:
    """The workbook that may leave the authority: aggregates only, small groups suppressed.

    Built from :func:`quality_offer.compare.privacy.shared_summary`; no school is named and
    the suppression note is the first thing a reader sees.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .privacy import shared_summary

    guard = cell_guard()
    data = shared_summary(comp, threshold)
    titles = {s.id: s.title for s in comp.framework.sections}
    wb = Workbook()
    about = wb.active
    about.title = "About"
    for row in [["Note", data["note"]],
                ["Framework", f"{comp.framework.title} (version {comp.framework.version})"],
                ["Academic years", ", ".join(data["years"])],
                ["Suppression threshold", threshold],
                ["Groups suppressed", data["suppressed"]],
                ["Share assessed to be scored", share_words(comp)],
                ["Figures", "Median share of assessed criteria at or above the expected "
                            "level, per section."]]:
        about.append([guard(v) for v in row])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100

    def sheet(title: str, key: str, groups: list[dict[str, Any]]) -> None:
        ws = wb.create_sheet(title)
        head = [key.replace("_", " ").capitalize(), "Schools",
                *[titles[sid] for sid in titles], "Schools with an unmet duty"]
        ws.append(head)
        for c in ws[1]:
            c.font = Font(bold=True)
        for g in groups:
            sections = g["sections"] if isinstance(g["sections"], dict) else {}
            ws.append([guard(v) for v in [g[key], g["schools"],
                                          *[sections.get(sid) for sid in titles],
                                          g["schools_with_unmet_duties"]]])

    sheet("Authority", "group", [data["authority"]])
    for by in ("phase", "type", "area"):
        sheet(f"By {by}", by, data[f"by_{by}"])
    ws = wb.create_sheet("Common gaps")
    ws.append(GAP_HEAD)
    for c in ws[1]:
        c.font = Font(bold=True)
    for i, g in enumerate(data["common_gaps"], 1):
        ws.append([guard(v) for v in [i, g["criterion"], g["text"],
                                      titles.get(g["section"], g["section"]),
                                      kind_words(g["statutory"]), g["schools_below"],
                                      g["schools_assessed"], g["share"]]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
