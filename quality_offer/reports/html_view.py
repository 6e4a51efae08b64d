"""What the HTML report shows, worked out in Python and handed to its templates as plain data.

The templates in ``templates/html/`` hold the markup only: they loop and place, and every
choice of what to show and how to word it is made here (with the words shared by all outputs
from :mod:`.wording` and :mod:`quality_offer.vocabulary`). Keeping the choices here means a
template never needs a rule of its own, and a wording change is a Python change reviewed with
the PDF's.

Free text stays plain ``str`` in these views: the template environment escapes it (after
:func:`.wording.clean_text`), so nothing here builds markup out of what a user typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..citations import cited_list
from ..dates import long_date
from ..gaps import GapReport, Item, SectionResult
from ..vocabulary import (
    ACTION_STATUS_LABELS,
    AUDIT_STATUS_LABELS,
    CHECK_LABELS,
    EVIDENCE_CHECK_LABELS,
    EVIDENCE_KIND_LABELS,
    PRINTED_SIGN_OFFS,
    SIGN_OFF_ROLE_LABELS,
)
from .wording import (
    coming_when,
    overdue_words,
    printed_once,
    rating_tag,
    school_kind,
    share_text,
    unmet_line,
)


@dataclass(frozen=True)
class Tag:
    """A rating shown as a word on a coloured ground; the word carries the meaning."""

    text: str
    colour: str


@dataclass(frozen=True)
class Row:
    """One labelled line of a criterion; ``kind`` names the template macro that draws it."""

    label: str
    kind: str
    data: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemView:
    criterion: str
    kind: str
    tag: Tag
    text: str
    rows: list[Row]


@dataclass(frozen=True)
class Part:
    """One part of an archived answer: a short text, or free text whose lines are kept."""

    label: str
    text: str | None = None
    lines: str | None = None
    aside: str | None = None


@dataclass(frozen=True)
class ChartRow:
    """One section's bar in the chart, with its place and words worked out."""

    title: str
    y: int
    bar_width: str | None
    words: str
    unmet: str | None


def role_label(role: str) -> str:
    return SIGN_OFF_ROLE_LABELS.get(role, role)


def chart_words(sec: SectionResult) -> str:
    """A section's share in words, beside its bar and in the chart's description."""
    if sec.meeting_expectation_share is None:
        return "not assessed yet"
    words = (f"{sec.at_or_above} of {sec.assessed} assessed at or above expected "
             f"({share_text(sec.meeting_expectation_share)})")
    if sec.not_assessed:
        words += f", {sec.not_assessed} not assessed"
    return words


def chart(sections: Sequence[SectionResult], track: int = 260) -> dict[str, object]:
    """Bars, their heights and the one-sentence description of the section chart."""
    rows = []
    y = 0
    for sec in sections:
        share = sec.meeting_expectation_share or 0
        rows.append(ChartRow(title=sec.title, y=y,
                             bar_width=f"{track * share:.1f}" if share else None,
                             words=chart_words(sec),
                             unmet=unmet_line(sec.unmet_duties) if sec.flagged else None))
        y += 58 if sec.flagged else 42
    desc = "; ".join(f"{sec.title}: {chart_words(sec)}"
                     + (" — statutory duty not met in full" if sec.flagged else "")
                     for sec in sections)
    return {"rows": rows, "height": y + 4, "width": 760, "track": track, "desc": desc}


def cover_rows(r: GapReport) -> list[tuple[str, list[str]]]:
    """The cover's details: each a label and its lines."""
    s = r.school
    status = AUDIT_STATUS_LABELS.get(r.status, r.status)
    if r.is_draft:
        status += " (draft: not signed off)"
    fw = r.framework
    rows: list[tuple[str, list[str]]] = [
        ("URN", [s.get("urn", "")]),
        ("Academic year", [r.academic_year]),
        ("Framework", [f"{fw.get('title', '')}, version {fw.get('version', '')}"]),
        ("Status", [f"{status}, report as of {long_date(r.as_of)}"]),
        ("Completed by", [r.completed_by if r.completed_by else "Not recorded"]),
    ]
    kind = school_kind(s.get("phase"), s.get("type"))
    if kind:
        rows.append(("School", [kind]))
    if s.get("la_code"):
        rows.append(("Local authority",
                     [f"{s['la_code']}" + (f", {s['area']}" if s.get("area") else "")]))
    if r.current_sign_offs:
        rows.append(("Signed off by", [
            f"{so.name} ({role_label(so.role)}), {long_date(so.date)}"
            for so in r.current_sign_offs]))
    return rows


def priorities(r: GapReport, shown: int = 5) -> dict[str, object]:
    """The governors' top gaps: which case applies, and the first few gaps as rows."""
    if not any(sec.assessed for sec in r.sections):
        return {"case": "nothing-assessed", "rows": [], "more": 0}
    if not r.gaps:
        return {"case": "no-gaps", "rows": [], "more": 0}
    rows = []
    for n, gap in enumerate(r.gaps[:shown], 1):
        who: list[str] = []
        if gap.action:
            who = [gap.action.owner] if gap.action.owner.strip() else []
            if gap.action.due:
                who.append(f"by {long_date(gap.action.due)}")
        rows.append({"n": n, "gap": gap, "action": gap.action.what if gap.action else None,
                     "who": ", ".join(who)})
    return {"case": "gaps", "rows": rows, "more": max(len(r.gaps) - shown, 0)}


def sign_off_rows(r: GapReport) -> list[dict[str, str]]:
    """The signature table: the printed roles always, then any other role that signed."""
    by_role = {so.role: so for so in r.current_sign_offs}
    roles = list(PRINTED_SIGN_OFFS) + [x for x in by_role if x not in PRINTED_SIGN_OFFS]
    rows = []
    for role in roles:
        so = by_role.get(role)
        rows.append({"role": role_label(role), "name": so.name if so else "",
                     "date": long_date(so.date) if so else ""})
    return rows


def overdue_view(r: GapReport) -> dict[str, object]:
    return {"words": overdue_words(len(r.overdue_actions)),
            "rows": [{"criterion": a.criterion, "what": a.what, "owner": a.owner or "Not named",
                      "due": long_date(a.due) if a.due else ""} for a in r.overdue_actions]}


def section_counts(r: GapReport, sec: SectionResult) -> str:
    """The line under a section's heading in the full report."""
    counts = ", ".join(f"{r.level_labels.get(k, k)} {v}" for k, v in sec.counts.items())
    line = (f"{sec.applicable} applicable, {sec.assessed} assessed, {sec.not_assessed} not "
            f"assessed, {sec.not_applicable} not applicable. ")
    if counts:
        line += f"Ratings: {counts}. "
    return line + f"At or above the expected level: {share_text(sec.meeting_expectation_share)}."


def item_tag(item: Item) -> Tag:
    """The tag of a criterion's rating, or why it has none (the rule: ``rating_tag``)."""
    return Tag(*rating_tag(item))


def item_view(r: GapReport, item: Item) -> ItemView:
    """One criterion of the full report: its tag and its labelled lines, in order."""
    rows: list[Row] = []
    if item.not_applicable_reason is not None:
        rows.append(Row("Not applicable", "paras", {"text": item.not_applicable_reason}))
    elif item.rating is None:
        rows.append(Row("Rating", "text", {
            "text": f"Not assessed yet (expected level: {item.expected_label})"}))
    else:
        rows.append(Row("Rating", "rating", {"label": item.rating_label or item.rating,
                                              "meets": item.meets,
                                              "expected": item.expected_label}))
    if item.moderated_rating:
        rows.append(Row("Moderated", "text", {
            "text": f"{item.moderated_label or item.moderated_rating} "
                    "(local authority moderation)"}))
    if item.moderation_note and item.moderation_note.strip():
        rows.append(Row("LA note", "paras", {"text": item.moderation_note}))
    ev = item.evidence
    if ev is not None and not ev.empty:
        rows.append(Row("Evidence", "evidence", {
            "text": ev.text if ev.text.strip() else None,
            "location": ev.location if ev.location.strip() else None,
            "kind": EVIDENCE_KIND_LABELS.get(ev.kind, ev.kind) if ev.kind else None}))
    elif item.rating is not None:
        rows.append(Row("Evidence", "text", {"text": "None recorded"}))
    if item.action is not None:
        act = item.action
        rows.append(Row("Action", "action", {
            "what": act.what, "owner": act.owner or "not named",
            "due": long_date(act.due) or "no date",
            "status": ACTION_STATUS_LABELS.get(act.status, act.status),
            "overdue": act.overdue(r.as_of)}))
    if item.moved_from is not None:
        rows.append(Row("Re-check", "moved", {"moved": item.moved_from}))
    elif not item.rechecked:
        rows.append(Row("Note", "text", {
            "text": "Carried forward from last year and not yet re-checked."}))
    if item.references:
        rows.append(Row("References", "references", {"refs": printed_once(item.references)}))
    return ItemView(criterion=item.criterion,
                    kind="Statutory duty" if item.statutory else "Expectation",
                    tag=item_tag(item), text=item.text, rows=rows)


def full_sections(r: GapReport) -> list[dict[str, object]]:
    """The full report, section by section, each with the criteria that apply."""
    by_section: dict[str, list[Item]] = {}
    for item in r.items:
        by_section.setdefault(item.section, []).append(item)
    return [{"n": n, "title": sec.title, "line": section_counts(r, sec),
             "unmet": unmet_line(sec.unmet_duties) if sec.flagged else None,
             "items": [item_view(r, item) for item in by_section.get(sec.id, [])]}
            for n, sec in enumerate(r.sections)]


def action_rows(r: GapReport) -> list[dict[str, object]]:
    return [{"criterion": a.criterion, "what": a.what, "owner": a.owner or "Not named",
             "due": long_date(a.due) or "No date",
             "status": ACTION_STATUS_LABELS.get(a.status, a.status), "overdue": a.overdue}
            for a in r.actions]


def coming_rows(r: GapReport) -> list[dict[str, object]]:
    return [{"duty": c, "when": coming_when(c.in_force_on),
             "enacted": "; ".join(cited_list(c.enacted_by))} for c in r.coming]


def not_assessed_rows(r: GapReport) -> list[tuple[str, str, str]]:
    items = {i.criterion: i for i in r.items}
    return [(cid, items[cid].text if cid in items else "",
             r.section_title(items[cid].section) if cid in items else "")
            for cid in r.not_assessed]


def check_rows(r: GapReport) -> list[tuple[str, str, str]]:
    return [(c.criterion, CHECK_LABELS.get(c.kind, c.kind), c.message) for c in r.checks]


def archived_rows(r: GapReport) -> list[dict[str, object]]:
    """The appendix of answers kept from earlier framework versions, part by part."""
    rows = []
    for a in r.archived:
        ans = a.answer
        parts: list[Part] = []
        if ans.rating:
            parts.append(Part("Rating", text=r.level_labels.get(ans.rating, ans.rating)))
        if ans.not_applicable_reason is not None:
            parts.append(Part("Not applicable", lines=ans.not_applicable_reason))
        if ans.evidence is not None and not ans.evidence.empty:
            parts.append(Part("Evidence", lines=ans.evidence.text,
                              aside=ans.evidence.location
                              if ans.evidence.location.strip() else None))
        if ans.action is not None:
            parts.append(Part("Action", lines=ans.action.what,
                              aside=ans.action.owner or None))
        if ans.moderated_rating:
            parts.append(Part("Moderated", text=r.level_labels.get(ans.moderated_rating,
                                                                   ans.moderated_rating)))
        if ans.moderation_note:
            parts.append(Part("LA note", lines=ans.moderation_note))
        rows.append({"archived": a, "parts": parts})
    return rows


def reference_list(r: GapReport) -> list[dict[str, object]]:
    """Every source cited, linked only when its address is a web address."""
    return [{"ref": ref,
             "url": ref.url if ref.url.startswith(("https://", "http://")) else None}
            for ref in r.references if ref.exists]  # a misprint: only the appendix speaks of it


def how_checked(r: GapReport) -> list[tuple[str, list[str]]]:
    """The editors' trail: per criterion, how each reference was checked, as lines."""
    out = []
    for chk in r.reference_checks:
        lines = [f"{ref.id}: {EVIDENCE_CHECK_LABELS.get(ref.evidence, ref.evidence)}; "
                 f"printed as {ref.cited}." for ref in [*chk.references, *chk.legal_basis]]
        pubs = chk.published_references
        if pubs and {x.id for x in pubs} != {x.id for x in chk.references}:
            lines.append("As published: " + ", ".join(
                x.id + ("" if x.exists else " (no such paragraph)") for x in pubs) + ".")
        for label, text in (("Why the references differ", chk.reference_note),
                            ("Note", chk.note), ("Scope", chk.scope_note)):
            if text:
                lines.append(f"{label}: {text}")
        out.append((chk.criterion, lines))
    return out
