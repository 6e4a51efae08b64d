"""The gap report as plain text, for the terminal (``quality-offer report --format text``)."""

from __future__ import annotations

from ..citations import cited_list
from ..dates import long_date
from ..gaps import GapReport
from ..vocabulary import SIGN_OFF_ROLE_LABELS
from .wording import coming_when, draft_line, overdue_words


def _share(value: float | None) -> str:
    return "not assessed" if value is None else f"{value:.0%}"


def render_text(report: GapReport) -> str:
    s = report.school
    d = report.duties
    lines = [draft_line(report), ""] if report.is_draft else []
    lines += [
        f"{s['name']} (URN {s['urn']}), {report.academic_year}",
        f"{report.framework['title']}, version {report.framework['version']}",
        f"Status: {report.status.replace('-', ' ')}. Report as of {long_date(report.as_of)}.",
        f"Completed by: {report.completed_by or 'not recorded'}",
        "",
        f"Statutory duties: {d.met} met, {d.partly_met} partly met, {d.not_met} not met, "
        f"{d.not_assessed} not assessed (of {d.total}).",
        "",
        "Sections (share of assessed criteria at or above the expected level):",
    ]
    for sec in report.sections:
        flag = "  UNMET DUTY: " + ", ".join(sec.unmet_duties) if sec.flagged else ""
        lines.append(f"  {sec.title}: {_share(sec.meeting_expectation_share)} "
                     f"({sec.at_or_above} of {sec.assessed} assessed; "
                     f"{sec.not_assessed} not assessed){flag}")
    lines += ["", f"Rule: {report.rules['section']}", f"Duties: {report.rules['duty']}", ""]
    lines.append(f"Gaps, most urgent first ({len(report.gaps)}):")
    for gap in report.gaps:
        refs = "; ".join(cited_list(gap.references))
        lines.append(f"  - {gap.criterion} [priority {gap.priority}: {gap.priority_label}] "
                     f"rated {gap.rating_label}, expected {gap.expected_label}; {refs}")
        lines.append(f"       action: {gap.action.what if gap.action else 'none planned'}")
    if not report.gaps:
        lines.append("  none")
    overdue = report.overdue_actions
    lines += ["", f"Overdue actions: {overdue_words(len(overdue))}"]
    for a in overdue:
        who = f"{a.owner}, " if a.owner.strip() else ""
        lines.append(f"  - {a.criterion}: {a.what} ({who}was due {long_date(a.due)})")
    lines += ["", "Sign-off:"]
    for so in report.current_sign_offs:
        lines.append(f"  - {so.name}, {SIGN_OFF_ROLE_LABELS.get(so.role, so.role)}, "
                     f"{long_date(so.date)}" + (f": {so.comment}" if so.comment else ""))
        if so.reason:
            lines.append(f"       signed before the audit was finished; the reason given: "
                         f"{so.reason}")
    if not report.current_sign_offs:
        lines.append("  nobody has signed yet")
    lines += ["", f"Not assessed ({len(report.not_assessed)}): "
              + (", ".join(report.not_assessed) or "none")]
    lines += ["", f"Duties that are coming, not counted above ({len(report.coming)}):"]
    for c in report.coming:
        what = f" (new wording for {c.level_label})" if c.level_label else ""
        lines.append(f"  - {c.criterion}{what}: {coming_when(c.in_force_on)}; "
                     + "; ".join(cited_list(c.enacted_by)))
        lines += [f"       prepare: {p}" for p in c.prepare]
    if not report.coming:
        lines.append("  none")
    lines += ["", f"Quality checks ({len(report.checks)}):"]
    lines += [f"  - {c.message}" for c in report.checks] or ["  none"]
    if report.archived:
        lines += ["", f"Archived answers, kept from earlier framework versions and not counted "
                      f"({len(report.archived)}):"]
        for a in report.archived:
            lines.append(f"  - {a.criterion} ({a.version}): {a.reason}")
    return "\n".join(lines)
