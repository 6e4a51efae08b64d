"""One school in the comparison: its row, read off its own gap report.

A school's numbers are never recomputed here: :func:`result_from_report` copies them from the
:class:`GapReport` that :func:`quality_offer.gaps.analyse` made, so an adviser and a
headteacher can never see two different shares for the same section. :func:`project` narrows a
row made on another version of the framework to the criteria asked the same way in both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from ..audit import Audit
from ..dates import today as uk_today
from ..framework import Framework
from ..gaps import GapReport, Item, analyse


def round_share(value: float) -> float:
    """Shares are kept to four places, so the same answers give the same figures everywhere."""
    return round(value, 4)


@dataclass(frozen=True, slots=True)
class Cell:
    """One school's answer on one applicable criterion, self-rating and moderation side by side.

    ``meets`` is None when the criterion was not assessed or is not applicable; it is never
    guessed, because an unrated duty counted as met would hide exactly the gaps advisers seek.
    """

    rating: str | None
    meets: bool | None
    not_applicable: bool = False
    moderated_rating: str | None = None
    moderated_meets: bool | None = None
    moderation_note: str | None = None
    has_evidence: bool = False

    @property
    def moderated(self) -> bool:
        return self.moderated_rating is not None or bool(self.moderation_note)


@dataclass(frozen=True, slots=True)
class SectionScore:
    """A section's roll-up for one school, copied from its gap report."""

    share: float | None
    assessed: int
    at_or_above: int
    not_assessed: int
    flagged: bool
    applicable: int = 0


@dataclass(frozen=True, slots=True)
class UnmetDuty:
    criterion: str
    rating: str
    rating_label: str
    moderated_rating: str | None = None
    moderated_label: str | None = None
    moderation_note: str | None = None


@dataclass(frozen=True)
class SchoolResult:
    """One audit reduced to what a comparison needs; the audit itself is not kept.

    Keeping only this (not the audit with its evidence text and actions) is what lets a
    thousand schools sit in memory comfortably; the full report is one click away in the
    store or the file named in ``source``.
    """

    urn: str
    name: str
    academic_year: str
    phase: str
    type: str
    area: str | None
    la_code: str | None
    status: str
    framework_id: str
    framework_version: str
    sections: dict[str, SectionScore]
    cells: dict[str, Cell]
    unmet_duties: tuple[UnmetDuty, ...]
    source: str | None = None
    #: Criteria this school answered on its own framework version that are not asked the
    #: same way in the version compared: left out of every count.
    not_comparable: tuple[str, ...] = ()
    #: For a school on another version: the criteria of the compared version asked the same
    #: way in the school's own version. None for a school on the compared version.
    comparable: frozenset[str] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.urn, self.academic_year)

    def compares(self, criterion_id: str) -> bool:
        """Whether this school's answer to a criterion of the compared version can stand
        beside the others': always on the compared version; on another version only if the
        criterion is asked the same way in both (a new, reworded or re-scoped one is not)."""
        return self.comparable is None or criterion_id in self.comparable

    @property
    def shares(self) -> dict[str, float | None]:
        return {sid: s.share for sid, s in self.sections.items()}

    @property
    def applicable(self) -> int:
        """How many criteria apply to this school (its phase and type)."""
        return sum(s.applicable for s in self.sections.values())

    @property
    def assessed(self) -> float:
        """The share (0 to 1) of the school's applicable criteria that have an answer (a rating
        or "not applicable" with its reason): how finished the audit is, which a share met
        alone cannot tell (one duty rated met is 100% met and almost nothing assessed)."""
        total = self.applicable
        if not total:
            return 0.0
        open_ = sum(s.not_assessed for s in self.sections.values())
        return round_share((total - open_) / total)

    def describe(self) -> dict[str, Any]:
        """The school's identifying fields, as every JSON row and export starts with them."""
        return {"urn": self.urn, "name": self.name, "academic_year": self.academic_year,
                "phase": self.phase, "type": self.type, "area": self.area,
                "status": self.status, "assessed": self.assessed,
                "criteria_applicable": self.applicable}


def result_from_report(fw: Framework, report: GapReport, source: str | None = None
                       ) -> SchoolResult:
    """A school's row, read off its own gap report so both always agree."""
    school = report.school
    sections = {
        s.id: SectionScore(share=s.meeting_expectation_share, assessed=s.assessed,
                           at_or_above=s.at_or_above, not_assessed=s.not_assessed,
                           flagged=s.flagged, applicable=s.applicable)
        for s in report.sections
    }
    cells: dict[str, Cell] = {}
    mods: dict[str, Item] = {}
    for item in report.items:
        moderated_meets = None
        if item.moderated_rating is not None:
            scale = fw.scale_of(fw.criterion(item.criterion))
            moderated_meets = scale.level(item.moderated_rating).meets_expectation
        cells[item.criterion] = Cell(
            rating=item.rating, meets=item.meets,
            not_applicable=item.not_applicable_reason is not None,
            moderated_rating=item.moderated_rating, moderated_meets=moderated_meets,
            moderation_note=item.moderation_note,
            has_evidence=item.evidence is not None and not item.evidence.empty)
        mods[item.criterion] = item
    unmet = tuple(
        UnmetDuty(criterion=g.criterion, rating=g.rating, rating_label=g.rating_label,
                  moderated_rating=mods[g.criterion].moderated_rating,
                  moderated_label=mods[g.criterion].moderated_label,
                  moderation_note=mods[g.criterion].moderation_note)
        for g in report.gaps if g.statutory)
    return SchoolResult(
        urn=school["urn"], name=school["name"], academic_year=report.academic_year,
        phase=school["phase"], type=school["type"], area=school.get("area"),
        la_code=school.get("la_code"), status=report.status,
        framework_id=report.framework["id"], framework_version=report.framework["version"],
        sections=sections, cells=cells, unmet_duties=unmet, source=source)


_VIEWS: dict[int, tuple[Framework, Framework]] = {}


def rollup_view(fw: Framework) -> Framework:
    """The framework without its citations, for analysing many audits quickly.

    :func:`analyse` builds every cited reference of every criterion into each report (about
    130 objects a school for the shipped framework), a third of its time; a comparison uses
    none of them. Criteria, sections, scales and applicability are untouched, so the
    roll-up is analyse's own; a test checks that results agree with the full framework.
    """
    entry = _VIEWS.get(id(fw))
    if entry is not None and entry[0] is fw:
        return entry[1]
    crits = tuple(c.model_copy(update={"references": [], "published_references": [],
                                       "legal_basis": []}) for c in fw.criteria)
    view = replace(fw, criteria=crits, _by_id={})
    _VIEWS[id(fw)] = (fw, view)
    return view


def project(result: SchoolResult, own: Framework, chosen: Framework) -> SchoolResult:
    """A school's result on another version of the framework, as far as it is comparable.

    Only the answers to criteria asked the same way in both versions are kept; the section
    roll-up is worked out again over those with the framework's own rule (share of assessed
    criteria at or above the expected level; any unmet duty flags its section), because no
    report of the school's covers exactly them.
    """
    from ..versions import same_criteria

    same = same_criteria(own, chosen)
    cells = {cid: c for cid, c in result.cells.items() if cid in same}
    sections: dict[str, SectionScore] = {}
    for sec in chosen.sections:
        ids = [cid for cid in cells if chosen.section_of(cid) == sec.id]
        rated = [cells[cid] for cid in ids if cells[cid].rating is not None]
        at = sum(1 for c in rated if c.meets)
        flagged = any(chosen.criterion(cid).statutory and cells[cid].meets is False
                      for cid in ids)
        sections[sec.id] = SectionScore(
            share=round_share(at / len(rated)) if rated else None, assessed=len(rated),
            at_or_above=at,
            not_assessed=sum(1 for cid in ids if cells[cid].rating is None
                             and not cells[cid].not_applicable),
            flagged=flagged,
            applicable=sum(1 for cid in ids if not cells[cid].not_applicable))
    return replace(result, sections=sections, cells=cells,
                   unmet_duties=tuple(d for d in result.unmet_duties if d.criterion in same),
                   not_comparable=tuple(sorted(set(result.cells) - same)),
                   comparable=frozenset(same))


def result_of(fw: Framework, audit: Audit, source: str | None = None,
              as_of: dt.date | None = None) -> SchoolResult:
    """Analyse one audit with the school's own report rules and keep the comparable part.

    As of today in the UK (``as_of`` for tests), as the school's own report is: a duty whose
    law has come into force counts in both, and a coming duty in neither.
    """
    view = rollup_view(fw)
    day = as_of or uk_today()
    return result_from_report(view, analyse(view, audit, day, detail=False), source)
