"""Gap analysis: a pure function from (framework, audit, date) to the one GapReport.

Every output (screen, PDF, HTML, spreadsheet, JSON) renders this object and computes nothing
of its own, so they can never disagree. Unrated criteria are "not assessed", reported apart
and never counted as met; a gap is an applicable criterion rated below its expected level.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from .audit import (
    Action,
    ArchivedAnswer,
    Audit,
    Evidence,
    MovedFrom,
    SignOff,
    applicable,
    coming,
)
from .citations import cited
from .dates import long_date
from .framework import Framework
from .models import Criterion, InForce
from .vocabulary import PRIORITY_LABELS, CheckKind


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class RefOut(Out):
    id: str
    #: The citation as printed for schools: only as precise as it is verified.
    cited: str
    source: str
    ref: str
    title: str
    summary: str
    evidence: str
    exists: bool
    url: str


class SectionResult(Out):
    id: str
    title: str
    applicable: int
    assessed: int
    not_assessed: int
    not_applicable: int
    counts: dict[str, int]
    at_or_above: int
    meeting_expectation_share: float | None
    unmet_duties: list[str]
    flagged: bool


class Item(Out):
    """One applicable criterion and the school's answer, for the full report."""

    criterion: str
    section: str
    text: str
    statutory: bool
    scale: str
    rating: str | None
    rating_label: str | None
    expected: str
    expected_label: str
    meets: bool | None
    not_applicable_reason: str | None
    evidence: Evidence | None
    action: Action | None
    rechecked: bool
    moderated_rating: str | None
    moderated_label: str | None
    moderation_note: str | None
    references: list[RefOut]
    published_references: list[RefOut]
    reference_note: str | None
    #: The wording answered before a framework move, while the answer awaits its re-check.
    moved_from: MovedFrom | None = None


class Gap(Out):
    criterion: str
    section: str
    text: str
    statutory: bool
    rating: str
    rating_label: str
    expected: str
    expected_label: str
    priority: int
    priority_label: str
    references: list[RefOut]
    published_references: list[RefOut]
    reference_note: str | None
    action: Action | None


class Check(Out):
    kind: CheckKind
    criterion: str
    message: str


class ActionRow(Out):
    criterion: str
    section: str
    what: str
    owner: str
    due: dt.date | None
    status: str
    overdue: bool


class ComingDuty(Out):
    """A law enacted but not yet in force on the report's date: shown apart, never a gap.

    ``level`` is empty for a whole criterion that is coming, or names the level whose wording
    the law changes. ``in_force_on`` is empty while the date is still to be set.
    """

    criterion: str
    section: str
    text: str
    statutory: bool
    level: str | None
    level_label: str | None
    descriptor: str | None
    in_force_on: dt.date | None
    commencement: str
    prepare: list[str]
    enacted_by: list[RefOut]


class ReferenceCheck(Out):
    """The editors' trail for one criterion: how its references were checked.

    For the report's appendix "How the references were checked" only; the pages schools act
    on print each reference's ``cited`` form and nothing of this.
    """

    criterion: str
    references: list[RefOut]
    published_references: list[RefOut]
    reference_note: str | None
    legal_basis: list[RefOut]
    note: str | None
    scope_note: str | None


class DutySummary(Out):
    met: int
    partly_met: int
    not_met: int
    not_assessed: int
    total: int


class GapReport(Out):
    school: dict[str, Any]
    framework: dict[str, str]
    academic_year: str
    status: str
    completed_by: str | None
    sign_offs: list[SignOff]
    as_of: dt.date
    rules: dict[str, str]
    duties: DutySummary
    sections: list[SectionResult]
    items: list[Item]
    gaps: list[Gap]
    not_assessed: list[str]
    not_applicable: list[dict[str, str]]
    checks: list[Check]
    actions: list[ActionRow]
    questions: list[str]
    references: list[RefOut]
    #: Laws enacted but not in force on ``as_of`` that apply to the school: listed apart,
    #: with what to prepare, and never counted in the sections, the duties or the gaps.
    coming: list[ComingDuty] = []
    #: The scholarly trail, criterion by criterion, for the appendix on how the references
    #: were checked: evidence levels, citations as published, notes on scope.
    reference_checks: list[ReferenceCheck] = []
    #: The label of every rating level, by level id, in scale order: outputs name the levels
    #: that ``SectionResult.counts`` counts without guessing labels from ids.
    level_labels: dict[str, str] = {}
    #: Answers kept from earlier framework versions: shown in an appendix, never counted.
    archived: list[ArchivedAnswer] = []
    #: The signatures that lock the audit, each group met by any one of its lines.
    required_signatures: list[tuple[str, ...]] = [("headteacher",),
                                                  ("sen-governor", "chair-of-governors")]

    def section_title(self, section_id: str) -> str:
        return next(s.title for s in self.sections if s.id == section_id)

    @property
    def unfinished(self) -> list[str]:
        """Why the audit is not finished, in plain words; empty when every applicable
        criterion is assessed and every answer carried forward has been re-checked."""
        out = []
        n = len(self.not_assessed)
        if n:
            out.append(f"{n} criteri{'a' if n != 1 else 'on'} not assessed")
        moved = {i.criterion for i in self.items if i.moved_from is not None}
        waiting = [c.criterion for c in self.checks if c.kind == "not-rechecked"]
        n = sum(1 for cid in waiting if cid not in moved)
        if n:
            out.append(f"{n} answer{'s' if n != 1 else ''} carried forward from last year "
                       "and not re-checked")
        n = sum(1 for cid in waiting if cid in moved)
        if n:
            out.append(f"{n} answer{'s' if n != 1 else ''} given to an older wording of the "
                       "criteria and not re-checked against the new one")
        return out

    @property
    def overdue_actions(self) -> list[ActionRow]:
        """Actions past their due date and not done, the most overdue first."""
        return [a for a in self.actions if a.overdue]

    @property
    def is_draft(self) -> bool:
        """Not signed off: every output marks the report as a draft."""
        return self.status != "signed-off"

    @property
    def missing_signatures(self) -> list[tuple[str, ...]]:
        """The required signatures not yet given."""
        have = {s.role for s in self.current_sign_offs}
        return [g for g in self.required_signatures if not have.intersection(g)]

    @property
    def current_sign_offs(self) -> list[SignOff]:
        """The signatures that count: those not superseded by a reopening."""
        return [s for s in self.sign_offs if not s.superseded]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (the ``report --format json`` output)."""
        data = self.model_dump(mode="json")
        data["not_assessed"] = list(self.not_assessed)
        return data


def _ref(fw: Framework, ref_id: str) -> RefOut:
    r = fw.references[ref_id]
    return RefOut(id=r.id, cited=cited(r), source=r.source, ref=r.ref, title=r.title,
                  summary=r.summary, evidence=r.evidence, exists=r.exists, url=r.url)


def _trail(fw: Framework, crit: Criterion) -> ReferenceCheck:
    return ReferenceCheck(
        criterion=crit.id, references=[_ref(fw, r) for r in crit.references],
        published_references=[_ref(fw, r) for r in crit.published_references],
        reference_note=crit.reference_note,
        legal_basis=[_ref(fw, r) for r in crit.legal_basis], note=crit.note,
        scope_note=crit.applies_to.note)


def _coming(fw: Framework, crit: Criterion, in_force: InForce, level: str | None,
            descriptor: str | None = None) -> ComingDuty:
    scale = fw.scale_of(crit)
    return ComingDuty(
        criterion=crit.id, section=fw.section_of(crit.id), text=crit.text,
        statutory=crit.statutory, level=level,
        level_label=scale.level(level).label if level else None, descriptor=descriptor,
        in_force_on=in_force.date, commencement=in_force.commencement,
        prepare=list(in_force.prepare), enacted_by=[_ref(fw, r) for r in in_force.enacted_by])


def _priority(crit: Criterion, rank: int) -> int:
    """1 duty not met, 2 duty partly met, 3 expectation not in place, 4 emerging.

    ``rank`` is the rating's place on its scale, 0 for the lowest level.
    """
    return (1 if crit.statutory else 3) + (1 if rank else 0)


def _cut(text: str, limit: int) -> str:
    """At most about ``limit`` characters, cut at a word, without the comma or stop before
    the cut: "person…", not "person,..." nor "websi"."""
    if len(text) <= limit:
        return text
    return text[:limit - 3].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _question(gap: Gap) -> str:
    short = _cut(gap.text.rstrip("."), 140)
    if gap.statutory:
        return (f"{gap.criterion} is a legal duty rated {gap.rating_label.lower()}: "
                f"what is being done to meet it in full, by whom and by when? ({short})")
    if gap.action is None:
        return (f"{gap.criterion} is rated {gap.rating_label.lower()} and has no action: "
                f"what would it take to reach {gap.expected_label.lower()}? ({short})")
    return (f"{gap.criterion} is rated {gap.rating_label.lower()}: how will we know the "
            f"action \"{_cut(gap.action.what, 80)}\" has worked? ({short})")


def analyse(fw: Framework, audit: Audit, today: dt.date | None = None, *,
            detail: bool = True) -> GapReport:
    """The gap report for one audit. Pure: the same inputs always give the same report.

    ``detail=False`` leaves out what only a school's own report prints (checks, actions,
    coming duties, references and their trail, questions): the comparison of a thousand
    schools reads only the sections, items and gaps, and building the rest was half of its
    time. What it does keep is made by the very same lines as the full report's.
    """
    today = today or dt.date.today()
    crits = applicable(fw, audit, today)
    responses = audit.responses
    items: list[Item] = []
    gaps: list[tuple[int, int, int, Gap]] = []
    checks: list[Check] = []
    actions: list[ActionRow] = []
    not_assessed: list[str] = []
    not_applicable: list[dict[str, str]] = []
    cited: list[str] = []
    section_order = {s.id: i for i, s in enumerate(fw.sections)}
    position = {c.id: i for i, c in enumerate(fw.criteria)}
    duty = {"met": 0, "partly_met": 0, "not_met": 0, "not_assessed": 0, "total": 0}

    per_section: dict[str, list[Criterion]] = {s.id: [] for s in fw.sections}
    for crit in crits:
        per_section[fw.section_of(crit.id)].append(crit)

    sections: list[SectionResult] = []
    for section in fw.sections:
        levels_in_use: list[str] = []
        for crit in per_section[section.id]:
            for lv in fw.scale_of(crit).level_ids:
                if lv not in levels_in_use:
                    levels_in_use.append(lv)
        counts = dict.fromkeys(levels_in_use, 0)
        assessed = at_or_above = na = missing = 0
        unmet: list[str] = []
        for crit in per_section[section.id]:
            resp = responses.get(crit.id)
            scale = fw.scale_of(crit)
            rating = resp.rating if resp else None
            # The references list holds what the pages cite: a citation only as the source
            # printed it is unchecked, and only the appendix on checking speaks of it.
            for r in crit.references:
                if r not in cited:
                    cited.append(r)
            refs = [_ref(fw, r) for r in crit.references]
            pubs = [_ref(fw, r) for r in crit.published_references]
            meets = None
            if crit.statutory and not (resp is not None and resp.not_applicable):
                # A duty marked not applicable (allowed only where the law lifts it) is not
                # one of the school's legal duties: the total is the sum of the four counts.
                duty["total"] += 1
            if resp is not None and resp.not_applicable:
                na += 1
                not_applicable.append({"criterion": crit.id,
                                       "reason": resp.not_applicable_reason or ""})
            elif rating is None:
                missing += 1
                not_assessed.append(crit.id)
                if crit.statutory:
                    duty["not_assessed"] += 1
            else:
                assessed += 1
                counts[rating] += 1
                level = scale.level(rating)
                meets = level.meets_expectation
                if crit.statutory:
                    key = {True: "met"}.get(meets) or (
                        "not_met" if scale.rank(rating) == 0 else "partly_met")
                    duty[key] += 1
                if meets:
                    at_or_above += 1
                    if detail and (resp.evidence is None or resp.evidence.empty):
                        checks.append(Check(
                            kind="no-evidence", criterion=crit.id,
                            message=f"{crit.id} is rated {level.label.lower()} but no evidence "
                                    "is recorded."))
                else:
                    if crit.statutory:
                        unmet.append(crit.id)
                    prio = _priority(crit, scale.rank(rating))
                    gap = Gap(criterion=crit.id, section=section.id, text=crit.text,
                              statutory=crit.statutory, rating=rating, rating_label=level.label,
                              expected=scale.expected.id, expected_label=scale.expected.label,
                              priority=prio, priority_label=PRIORITY_LABELS.get(prio, ""),
                              references=refs, published_references=pubs,
                              reference_note=crit.reference_note, action=resp.action)
                    gaps.append((prio, section_order[section.id], position[crit.id], gap))
                    if detail and resp.action is None:
                        checks.append(Check(
                            kind="gap-without-action", criterion=crit.id,
                            message=f"{crit.id} is a gap ({level.label.lower()}) with no "
                                    "action planned."))
            if detail and resp is not None and resp.action is not None:
                act = resp.action
                overdue = act.overdue(today)
                actions.append(ActionRow(criterion=crit.id, section=section.id, what=act.what,
                                         owner=act.owner, due=act.due, status=act.status,
                                         overdue=overdue))
                if overdue:
                    checks.append(Check(
                        kind="overdue-action", criterion=crit.id,
                        message=f"The action for {crit.id} was due on {long_date(act.due)} and "
                                f"is {act.status.replace('-', ' ')}."))
            if not detail or resp is None or resp.rechecked:
                pass  # nothing carried forward to re-check, or no report to say so
            elif resp.moved_from is not None:
                checks.append(Check(
                    kind="not-rechecked", criterion=crit.id,
                    message=f"{crit.id} changed in version {fw.version} (the answer was given "
                            f"to {resp.moved_from.criterion} in {resp.moved_from.version}) "
                            "and has not been re-checked."))
            elif not resp.blank:
                checks.append(Check(
                    kind="not-rechecked", criterion=crit.id,
                    message=f"{crit.id} was carried forward from last year and has not been "
                            "re-checked."))
            mod = resp.moderated_rating if resp else None
            items.append(Item(
                criterion=crit.id, section=section.id, text=crit.text,
                statutory=crit.statutory, scale=crit.scale, rating=rating,
                rating_label=scale.level(rating).label if rating else None,
                expected=scale.expected.id, expected_label=scale.expected.label, meets=meets,
                not_applicable_reason=resp.not_applicable_reason if resp else None,
                evidence=resp.evidence if resp else None,
                action=resp.action if resp else None,
                rechecked=resp.rechecked if resp else True,
                moderated_rating=mod,
                moderated_label=scale.level(mod).label if mod else None,
                moderation_note=resp.moderation_note if resp else None,
                references=refs, published_references=pubs,
                reference_note=crit.reference_note,
                moved_from=(resp.moved_from if resp is not None and not resp.rechecked
                            else None)))
        applicable_n = len(per_section[section.id]) - na
        share = round(at_or_above / assessed, 4) if assessed else None
        sections.append(SectionResult(
            id=section.id, title=section.title, applicable=applicable_n, assessed=assessed,
            not_assessed=missing, not_applicable=na, counts=counts, at_or_above=at_or_above,
            meeting_expectation_share=share, unmet_duties=unmet, flagged=bool(unmet)))

    upcoming: list[ComingDuty] = []
    for crit in (coming(fw, audit, today) if detail else ()):
        assert crit.in_force is not None
        upcoming.append(_coming(fw, crit, crit.in_force, None))
    for crit in (crits if detail else ()):
        for change in crit.level_changes:
            if not change.in_force.applies_on(today):
                upcoming.append(_coming(fw, crit, change.in_force, change.level,
                                        change.descriptor))
    upcoming.sort(key=lambda c: (c.in_force_on is None, c.in_force_on or dt.date.max,
                                 position[c.criterion]))
    for c in upcoming:
        for r in c.enacted_by:
            if r.id not in cited:
                cited.append(r.id)
    trail = [_trail(fw, c) for c in [*crits, *coming(fw, audit, today)]] if detail else []
    gaps.sort(key=lambda g: g[:3])
    ordered = [g[3] for g in gaps]
    actions.sort(key=lambda a: (not a.overdue, a.due or dt.date.max, position[a.criterion]))
    kind_order = {"gap-without-action": 0, "overdue-action": 1, "no-evidence": 2,
                  "not-rechecked": 3}
    checks.sort(key=lambda c: (kind_order[c.kind], position[c.criterion]))
    return GapReport(
        school=audit.school.model_dump(mode="json"),
        framework={"id": fw.id, "version": fw.version, "title": fw.title},
        academic_year=audit.academic_year, status=audit.status,
        completed_by=audit.completed_by, sign_offs=list(audit.sign_offs), as_of=today,
        rules={"section": fw.manifest.rollup.section_rule,
               "duty": fw.manifest.rollup.duty_rule},
        duties=DutySummary(**duty), sections=sections, items=items, gaps=ordered,
        not_assessed=not_assessed, not_applicable=not_applicable, checks=checks,
        actions=actions, questions=[_question(g) for g in ordered[:6]] if detail else [],
        references=([_ref(fw, r) for r in sorted(cited, key=_ref_sort_key)] if detail
                    else []),
        coming=upcoming, reference_checks=trail,
        level_labels={lv.id: lv.label for sc in fw.manifest.scales for lv in sc.levels},
        archived=list(audit.archived), required_signatures=list(audit.required))


def _ref_sort_key(ref_id: str) -> tuple:
    source, _, rest = ref_id.partition(" ")
    parts = []
    for chunk in rest.replace("-", ".").replace(" ", ".").split("."):
        parts.append((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk))
    return (source, parts)
