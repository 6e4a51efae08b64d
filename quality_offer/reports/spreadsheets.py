"""Spreadsheet exports of one GapReport: an XLSX workbook and a CSV of every response.

LA advisers open these in Excel or LibreOffice, so free text is made safe first: any text
starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a newline (after any
spaces, in their full-width forms too, or after a semicolon or tab inside the text) gets a
leading apostrophe and is written as a plain string cell, so a spreadsheet never evaluates
it as a formula (CSV/formula injection). Characters the XLSX format cannot hold are replaced
with U+FFFD rather than crashing. Numbers stay numbers and dates stay dates. Like the other
outputs, these render the GapReport and compute nothing of their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..citations import cited_list
from ..dates import long_date
from ..gaps import ComingDuty, GapReport, Item, RefOut
from ..vocabulary import (
    ACTION_STATUS_LABELS,
    AUDIT_STATUS_LABELS,
    EVIDENCE_KIND_LABELS,
    SIGN_OFF_ROLE_LABELS,
)
from .wording import coming_when

__all__ = ["RESPONSE_COLUMNS", "looks_like_formula", "report_xlsx", "responses_csv", "safe_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A spreadsheet also runs a formula that starts after leading spaces, one typed with the
# full-width signs of East Asian keyboards (＝ ＋ － ＠), and one after a semicolon or a tab,
# which some locales and programs read as the separator between cells of a CSV line.
_FORMULA = re.compile(r"(?:\A|[;\t])[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
# What openpyxl refuses, plus what XML cannot hold at all (lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
XLSX_CELL_LIMIT = 32_767  # Excel's most characters in one cell
CUT_NOTE = "… (continues in the audit file)"


def safe_cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet cell: formula-looking text neutralised.

    Text that a spreadsheet would run as a formula gets a leading apostrophe; characters a
    workbook cannot store become U+FFFD. Numbers, booleans, dates and None pass unchanged.
    """
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("\ufffd", value)
    if looks_like_formula(value):
        value = "'" + value
    return value


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet could run ``value`` (or a cell split from it) as a formula."""
    return value.startswith(FORMULA_STARTS) or _FORMULA.search(value) is not None


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _refs(refs: Sequence[RefOut]) -> str:
    """Citations as printed for schools: only as precise as they are verified."""
    return "; ".join(cited_list(list(refs)))


RESPONSE_COLUMNS: tuple[str, ...] = (
    "Criterion", "Section", "Text", "Statutory", "Rating", "Expected", "Meets expected",
    "Not applicable reason", "Evidence", "Evidence location", "Evidence kind",
    "Action", "Action owner", "Action due", "Action status", "References",
    "In force", "Re-checked", "Moderated rating", "Moderation note",
)


def _response_row(report: GapReport, item: Item) -> list[Any]:
    ev, act = item.evidence, item.action
    return [
        item.criterion, report.section_title(item.section), item.text,
        _yes_no(item.statutory), item.rating_label or "", item.expected_label,
        _yes_no(item.meets), item.not_applicable_reason or "",
        ev.text if ev else "", ev.location if ev else "",
        EVIDENCE_KIND_LABELS.get(ev.kind, ev.kind) if ev and ev.kind else "",
        act.what if act else "", act.owner if act else "", act.due if act else None,
        ACTION_STATUS_LABELS.get(act.status, act.status) if act else "",
        _refs(item.references), "Yes", _yes_no(item.rechecked),
        item.moderated_label or "", item.moderation_note or "",
    ]


def _coming_row(report: GapReport, c: ComingDuty) -> list[Any]:
    """A coming duty in the responses table: no rating, never counted, its date in words."""
    text = c.text if not c.level_label else (
        f"{c.text} (new wording for {c.level_label}: {c.descriptor})")
    row: list[Any] = [""] * len(RESPONSE_COLUMNS)
    row[0], row[1], row[2], row[3] = (c.criterion, report.section_title(c.section), text,
                                      _yes_no(c.statutory))
    row[RESPONSE_COLUMNS.index("References")] = _refs(c.enacted_by)
    row[RESPONSE_COLUMNS.index("In force")] = f"No: {coming_when(c.in_force_on).lower()}"
    return row


def _all_rows(report: GapReport) -> list[list[Any]]:
    return ([_response_row(report, item) for item in report.items]
            + [_coming_row(report, c) for c in report.coming])


def responses_csv(report: GapReport) -> str:
    """Every response as CSV (same columns as the Responses sheet), with a UTF-8 BOM.

    The BOM makes Excel read the file as UTF-8, so names like Łódź survive a double-click.
    Dates are ISO 8601 (2027-03-01).
    """
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(RESPONSE_COLUMNS)
    for row in _all_rows(report):
        writer.writerow([
            "" if v is None else (v.isoformat() if isinstance(v, dt.date) else safe_cell(v))
            for v in row])
    return "\ufeff" + buf.getvalue()


# ---------------------------------------------------------------------------------------------
# XLSX

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
DATE_FORMAT = "d mmm yyyy"
WIDTHS = {"Text": 60, "Evidence": 60, "Action": 45, "Not applicable reason": 35,
          "Moderation note": 35, "Detail": 70, "What to prepare": 60, "Section": 32,
          "Value": 60, "Evidence location": 28, "Action owner": 24, "Owner": 24}


def _xlsx_value(value: Any) -> Any:
    """A cell value: safe, within Excel's limit, and truly empty rather than "".

    Line ends become "\n": XML turns a bare carriage return into a newline on reading, so
    writing them as they are would not survive a round trip anyway.
    """
    if value == "":
        return None
    value = safe_cell(value)
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if len(value) > XLSX_CELL_LIMIT:
            value = value[:XLSX_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
    return value


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
           *, first: bool = False, percent: Sequence[str] = ()) -> None:
    """A sheet with a bold, frozen header row, wrapped long text and real dates."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for r, row in enumerate(rows, start=2):
        for c, raw in enumerate(row, start=1):
            value = _xlsx_value(raw)
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                # An explicit string cell: never a formula, nor an error code like "#N/A".
                cell.value = value
                cell.data_type = "s"
                if len(value) > 40 or "\n" in value:
                    cell.alignment = WRAP
                else:
                    cell.alignment = TOP
            else:
                cell.value = value
                cell.alignment = TOP
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                elif (c <= len(headers) and headers[c - 1] in percent
                      and isinstance(value, float)):
                    cell.number_format = "0%"
    for c, header in enumerate(headers, start=1):
        width = WIDTHS.get(header, max(12, min(24, len(header) + 4)))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def report_xlsx(report: GapReport) -> bytes:
    """The report as an XLSX workbook: Summary, Responses, Gaps and Actions sheets."""
    wb = Workbook()
    s, d = report.school, report.duties
    summary: list[list[Any]] = [
        ["School", s.get("name", "")], ["URN", s.get("urn", "")],
        ["Academic year", report.academic_year],
        ["Framework", report.framework.get("title", "")],
        ["Framework version", report.framework.get("version", "")],
        ["Status", AUDIT_STATUS_LABELS.get(report.status, report.status)],
        ["Report as of", report.as_of], ["Completed by", report.completed_by or ""],
        ["Statutory duties", d.total], ["Duties met", d.met],
        ["Duties partly met", d.partly_met], ["Duties not met", d.not_met],
        ["Duties not assessed", d.not_assessed], ["Gaps", len(report.gaps)],
        ["Not assessed", len(report.not_assessed)], ["Actions", len(report.actions)],
        ["Overdue actions", sum(1 for a in report.actions if a.overdue)],
        ["Duties that are coming (not counted)", len(report.coming)],
        ["Rule for sections", report.rules.get("section", "")],
        ["Rule for duties", report.rules.get("duty", "")],
    ]
    for so in report.current_sign_offs:
        who = SIGN_OFF_ROLE_LABELS.get(so.role, so.role)
        summary.append([f"Signed off by the {who}", f"{so.name}, {long_date(so.date)}"])
        if so.reason:
            summary.append([f"Why the {who} signed before the audit was finished", so.reason])
    levels = list(report.level_labels)
    section_headers = ["Section", "Applicable", "Assessed", "At or above expected",
                       "Share at or above expected", "Not assessed", "Not applicable",
                       "Statutory duty not met", "Unmet duties",
                       *[report.level_labels[lv] for lv in levels]]
    summary.append([])
    summary.append(section_headers)
    header_row = len(summary) + 1
    for sec in report.sections:
        summary.append([sec.title, sec.applicable, sec.assessed, sec.at_or_above,
                        sec.meeting_expectation_share, sec.not_assessed, sec.not_applicable,
                        _yes_no(sec.flagged), ", ".join(sec.unmet_duties),
                        *[sec.counts.get(lv) for lv in levels]])
    _sheet(wb, "Summary", ["Item", "Value"], summary, first=True)
    ws = wb["Summary"]
    for cell in ws[header_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for row in ws.iter_rows(min_row=header_row + 1, min_col=5, max_col=5):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0%"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 40
    for c in range(3, len(section_headers) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.auto_filter.ref = None

    _sheet(wb, "Responses", RESPONSE_COLUMNS, _all_rows(report))
    _sheet(wb, "Gaps", ["Priority", "Priority label", "Criterion", "Section", "Text",
                        "Statutory", "Rating", "Expected", "References", "Action",
                        "Action owner", "Action due", "Action status"],
           [[g.priority, g.priority_label, g.criterion, report.section_title(g.section), g.text,
             _yes_no(g.statutory), g.rating_label, g.expected_label, _refs(g.references),
             g.action.what if g.action else "", g.action.owner if g.action else "",
             g.action.due if g.action else None,
             ACTION_STATUS_LABELS.get(g.action.status, g.action.status) if g.action else ""]
            for g in report.gaps])
    _sheet(wb, "Actions", ["Criterion", "Section", "Action", "Owner", "Due", "Status",
                           "Overdue"],
           [[a.criterion, report.section_title(a.section), a.what, a.owner, a.due,
             ACTION_STATUS_LABELS.get(a.status, a.status), _yes_no(a.overdue)]
            for a in report.actions])
    _sheet(wb, "Coming duties", ["Criterion", "Section", "Text", "When", "What to prepare",
                                 "Enacted by"],
           [[c.criterion, report.section_title(c.section), _coming_row(report, c)[2],
             coming_when(c.in_force_on), "\n".join(c.prepare), _refs(c.enacted_by)]
            for c in report.coming])
    if report.archived:
        labels = report.level_labels
        _sheet(wb, "Archived answers", [
            "Criterion", "Version", "Worded", "Why archived", "Rating", "Not applicable reason",
            "Evidence", "Evidence location", "Action", "Action owner", "Moderated rating",
            "Moderation note"],
            [[x.criterion, x.version, x.text, x.reason,
              labels.get(x.answer.rating or "", x.answer.rating or ""),
              x.answer.not_applicable_reason or "",
              x.answer.evidence.text if x.answer.evidence else "",
              x.answer.evidence.location if x.answer.evidence else "",
              x.answer.action.what if x.answer.action else "",
              x.answer.action.owner if x.answer.action else "",
              labels.get(x.answer.moderated_rating or "", x.answer.moderated_rating or ""),
              x.answer.moderation_note or ""]
             for x in report.archived])
    wb.properties.title = safe_cell(f"SEND self-assessment: {s.get('name', '')}, "
                                    f"{report.academic_year}")
    wb.properties.creator = "Quality Offer"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
