"""Many schools side by side: the pure logic behind the local authority's comparison.

Every number a school sees about itself comes from :func:`quality_offer.gaps.analyse`, and
so does every number here: a school's row is read off its own :class:`GapReport`, never
recomputed, so an adviser and a headteacher can never see two different shares for the same
section. What this module adds is only what needs many schools at once: which criteria most
schools rate below the expected level, which duties are not met where, how one school sits
among the rest, and how the authority changes year on year.

A comparison is of ONE framework id and version. An audit made with another version of the
same framework is compared on the criteria asked the same way in both versions only (see
:func:`quality_offer.versions.same_criteria`): its other answers are left out of every count
and listed as not comparable, and the school's version is said, so a reworded criterion's old
and new answers are never mixed. Audits of another framework are kept out and reported as
skipped with the reason, so nothing is silently dropped or wrongly merged.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..audit import Audit
from ..dates import today as uk_today
from ..framework import Framework
from ..gaps import GapReport, Item, analyse

Selector = str | Iterable[str] | None

#: Below this share of its applicable criteria assessed, a school's audit is shown apart (with
#: how much is assessed) rather than as a score: its few answers would read as a result and
#: move the authority's medians and common gaps. Advisers can set another share.
MIN_ASSESSED = 0.5


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
        return _r((total - open_) / total)

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
            share=_r(at / len(rated)) if rated else None, assessed=len(rated), at_or_above=at,
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


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input left out of the comparison, and why, in words an adviser can act on."""

    file: str
    error: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "error": self.error}


@dataclass(frozen=True, slots=True)
class CommonGap:
    """A criterion that schools rate below the expected level, with how many and what share."""

    criterion: str
    section: str
    text: str
    statutory: bool
    schools_below: int
    schools_assessed: int
    share: float
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "section": self.section,
                "statutory": self.statutory, "schools_below": self.schools_below,
                "schools_assessed": self.schools_assessed, "share": self.share,
                "text": self.text, "counts": dict(self.counts)}


@dataclass(frozen=True, slots=True)
class Distribution:
    """How the schools' shares spread in one section: enough to place one school among them."""

    schools: int
    minimum: float | None
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    maximum: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Distribution:
        vals = sorted(values)
        if not vals:
            return cls(0, None, None, None, None, None)
        if len(vals) == 1:
            v = vals[0]
            return cls(1, v, v, v, v, v)
        q1, med, q3 = statistics.quantiles(vals, n=4, method="inclusive")
        return cls(len(vals), vals[0], _r(q1), _r(med), _r(q3), vals[-1])

    def place(self, value: float | None) -> str | None:
        """Where a value sits, in the words an adviser uses with a headteacher."""
        if value is None or self.median is None:
            return None
        assert self.lower_quartile is not None and self.upper_quartile is not None
        if value < self.lower_quartile:
            return "below the lower quartile"
        if value > self.upper_quartile:
            return "above the upper quartile"
        if value < self.median:
            return "between the lower quartile and the median"
        if value > self.median:
            return "between the median and the upper quartile"
        return "at the median"

    def to_json(self) -> dict[str, Any]:
        return {"schools": self.schools, "min": self.minimum, "q1": self.lower_quartile,
                "median": self.median, "q3": self.upper_quartile, "max": self.maximum}


def _r(value: float) -> float:
    return round(value, 4)


def _wanted(value: Selector) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset([value]) if isinstance(value, str) else frozenset(value)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass(frozen=True)
class Comparison:
    """Schools' results for one framework version: every view the adviser needs, computed.

    ``results`` may hold several academic years (for trends). Snapshot views (common gaps,
    duties, distributions) count each school once, by its most recent audit in the
    selection, so a school that submitted twice never weighs double; filter by ``year`` to
    see one year exactly.
    """

    framework: Framework
    results: tuple[SchoolResult, ...]
    skipped: tuple[Skipped, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    min_assessed: float = MIN_ASSESSED

    def scored(self, result: SchoolResult) -> bool:
        """Whether a school's audit is complete enough to count as a score."""
        return result.assessed >= self.min_assessed

    @property
    def shown_apart(self) -> list[SchoolResult]:
        """Schools (latest audit each) too little assessed to score, listed with their share."""
        return [r for r in self.current_all if not self.scored(r)]

    def with_min_assessed(self, share: float) -> Comparison:
        """The same comparison with another completeness threshold (0 to 1)."""
        if not 0 <= share <= 1:
            raise ValueError("the share of criteria assessed must be between 0 and 1")
        return replace(self, min_assessed=share)

    # ---- building ------------------------------------------------------------------------

    @classmethod
    def from_audits(cls, pairs: Iterable[tuple[Framework, Audit]], *,
                    framework: Framework | tuple[str, str] | None = None,
                    sources: Sequence[str] | None = None) -> Comparison:
        """Analyse each audit with its own framework and compare those of one version.

        ``framework`` names the version to compare (a Framework or an (id, version) pair);
        by default the version most of the audits use, the newest on a tie.
        """
        results = []
        fws: dict[tuple[str, str], Framework] = {}
        for i, (fw, audit) in enumerate(pairs):
            fws[(fw.id, fw.version)] = fw
            results.append(result_of(fw, audit, sources[i] if sources else None))
        return cls.from_results(results, fws, framework=framework)

    @classmethod
    def from_results(cls, results: Iterable[SchoolResult],
                     frameworks: dict[tuple[str, str], Framework], *,
                     framework: Framework | tuple[str, str] | None = None,
                     skipped: Iterable[Skipped] = ()) -> Comparison:
        """Keep the results of one framework version, and each school-year once.

        Everything left out goes to ``skipped`` with a reason: another framework version,
        or a second audit of the same school and year (the first one read is kept).
        """
        results = list(results)
        skipped = list(skipped)
        if isinstance(framework, Framework):
            frameworks = {**frameworks, (framework.id, framework.version): framework}
            chosen: tuple[str, str] | None = (framework.id, framework.version)
        elif framework is not None:
            chosen = framework
        else:
            chosen = _most_used(results) or (min(frameworks) if frameworks else None)
        if chosen is None or chosen not in frameworks:
            raise ValueError("no framework to compare: "
                             + ("nothing was loaded" if chosen is None else
                                f"{chosen[0]} {chosen[1]} is not among the frameworks given"))
        kept: list[SchoolResult] = []
        seen: dict[tuple[str, str], SchoolResult] = {}
        for res in results:
            label = res.source or f"URN {res.urn} {res.academic_year}"
            own = frameworks.get((res.framework_id, res.framework_version))
            if (res.framework_id == chosen[0] and res.framework_version != chosen[1]
                    and own is not None):
                res = project(res, own, frameworks[chosen])
            elif (res.framework_id, res.framework_version) != chosen:
                skipped.append(Skipped(label, (
                    f"the audit is for {res.framework_id} {res.framework_version}; this "
                    f"comparison is of {chosen[0]} {chosen[1]} (most of the audits loaded): "
                    "move it to that version to compare it")))
                continue
            if res.key in seen:
                first = seen[res.key].source or "an earlier audit"
                skipped.append(Skipped(label, (
                    f"a second audit of URN {res.urn} for {res.academic_year}; "
                    f"the one in {first} is used")))
                continue
            seen[res.key] = res
            kept.append(res)
        kept.sort(key=lambda r: (r.academic_year, r.name.casefold(), r.urn))
        return cls(framework=frameworks[chosen], results=tuple(kept), skipped=tuple(skipped))

    # ---- selection -----------------------------------------------------------------------

    def filter(self, *, phase: Selector = None, type: Selector = None,
               area: Selector = None, year: Selector = None, urn: Selector = None,
               status: Selector = None) -> Comparison:
        """The schools matching every given filter; each filter takes one value or several."""
        wanted = {"phase": _wanted(phase), "type": _wanted(type), "area": _wanted(area),
                  "academic_year": _wanted(year), "urn": _wanted(urn),
                  "status": _wanted(status)}
        active = {k: v for k, v in wanted.items() if v is not None}

        def keep(r: SchoolResult) -> bool:
            return all(getattr(r, k) in v for k, v in active.items())

        filters = {**self.filters, **{k: tuple(sorted(v)) for k, v in active.items()}}
        return replace(self, results=tuple(r for r in self.results if keep(r)), filters=filters)

    @property
    def years(self) -> list[str]:
        return sorted({r.academic_year for r in self.results})

    @property
    def current_all(self) -> list[SchoolResult]:
        """Each school once, by its most recent audit in this selection, however complete."""
        latest: dict[str, SchoolResult] = {}
        for r in self.results:
            if r.urn not in latest or r.academic_year > latest[r.urn].academic_year:
                latest[r.urn] = r
        return sorted(latest.values(), key=lambda r: (r.name.casefold(), r.urn))

    @property
    def current(self) -> list[SchoolResult]:
        """Each school once, by its most recent audit in this selection, among those complete
        enough to score: the cohort behind every snapshot figure (gaps, duties, quartiles)."""
        return [r for r in self.current_all if self.scored(r)]

    def lowest_first(self) -> list[SchoolResult]:
        """The scored schools, the lowest mean share across sections first (where support
        is most needed); schools with no section assessed last, then by name."""
        def overall(r: SchoolResult) -> float:
            shares = [s.share for s in r.sections.values() if s.share is not None]
            return sum(shares) / len(shares) if shares else 2.0
        return sorted(self.current, key=lambda r: (overall(r), r.name.casefold()))

    def values(self, field_name: str) -> list[str]:
        """The distinct phases, types, areas or years present, for filter menus."""
        return sorted({v for r in self.results if (v := getattr(r, field_name)) is not None})

    # ---- snapshot views ------------------------------------------------------------------

    def heatmap(self) -> list[dict[str, Any]]:
        """Schools by section: the share at or above expected, or None where none assessed.

        Each row says how much of the audit is assessed and whether it is scored; a school
        shown apart keeps its row (so nobody is hidden) but its shares are left out of every
        figure that counts schools."""
        return [{**r.describe(), "scored": self.scored(r), "sections": r.shares}
                for r in self.results]

    def criterion_heatmap(self, section: str | None = None) -> list[dict[str, Any]]:
        """Schools by criterion (drill-down): self-rating, whether it meets, moderation.

        A school on another framework version says its version; a criterion not asked the
        same way in it is ``{"comparable": False}`` (never an answer to another wording, and
        never read as "does not apply"), while ``None`` is a criterion that does not apply."""
        crits = [c.id for c in self.framework.active
                 if section is None or self.framework.section_of(c.id) == section]
        rows = []
        for r in self.results:
            cells: dict[str, dict[str, Any] | None] = {}
            for cid in crits:
                cell = r.cells.get(cid)
                if not r.compares(cid):
                    cells[cid] = {"comparable": False}
                    continue
                cells[cid] = None if cell is None else {
                    "comparable": True, "rating": cell.rating, "meets": cell.meets,
                    "not_applicable": cell.not_applicable,
                    "moderated_rating": cell.moderated_rating,
                    "moderated_meets": cell.moderated_meets,
                    "moderation_note": cell.moderation_note}
            rows.append({**r.describe(), "framework_version": r.framework_version,
                         "criteria": cells})
        return rows

    def common_gaps(self, *, include_met: bool = False) -> list[CommonGap]:
        """Criteria rated below expected, most schools first: the authority's training list.

        Ordered by how many schools are below (the number who need the support), then by
        share, then duties before expectations, then framework order. ``share`` is of the
        schools assessed on that criterion: not-applicable and unrated answers are out of
        both counts, as they are out of the school's own roll-up.
        """
        fw = self.framework
        order = {c.id: i for i, c in enumerate(fw.criteria)}
        below: Counter[str] = Counter()
        assessed: Counter[str] = Counter()
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for r in self.current:
            for cid, cell in r.cells.items():
                if cell.meets is None:
                    continue
                assessed[cid] += 1
                counts[cid][cell.rating or ""] += 1
                if not cell.meets:
                    below[cid] += 1
        out = []
        for cid, n in assessed.items():
            if not below[cid] and not include_met:
                continue
            crit = fw.criterion(cid)
            levels = fw.scale_of(crit).level_ids
            out.append(CommonGap(
                criterion=cid, section=fw.section_of(cid), text=crit.text,
                statutory=crit.statutory, schools_below=below[cid], schools_assessed=n,
                share=_r(below[cid] / n), counts={lv: counts[cid][lv] for lv in levels}))
        out.sort(key=lambda g: (-g.schools_below, -g.share, not g.statutory,
                                order[g.criterion]))
        return out

    def duties_not_met(self) -> list[dict[str, Any]]:
        """School by school, the statutory duties rated below met, with any moderation.

        A duty rated not met is a finding however little else is assessed, so schools shown
        apart are listed too (each row says how much is assessed)."""
        fw = self.framework
        rows = []
        for r in self.current_all:
            if not r.unmet_duties:
                continue
            rows.append({**r.describe(), "duties": [
                {"criterion": d.criterion, "text": fw.criterion(d.criterion).text,
                 "rating": d.rating, "rating_label": d.rating_label,
                 "moderated_rating": d.moderated_rating, "moderated_label": d.moderated_label,
                 "moderation_note": d.moderation_note}
                for d in r.unmet_duties]})
        return rows

    def distribution(self) -> dict[str, Distribution]:
        """Per section, the spread of schools' shares (schools with none assessed left out)."""
        return {s.id: Distribution.of([v for r in self.current
                                       if (v := r.sections[s.id].share) is not None])
                for s in self.framework.sections}

    def school(self, urn: str, year: str | None = None) -> dict[str, Any] | None:
        """One school beside everyone: its shares, the distribution, and last year's change.

        The distribution is of the same academic year as the school's audit, so a school is
        never compared with a different year's cohort.
        """
        mine = [r for r in self.results if r.urn == urn]
        if year is not None:
            mine_now = [r for r in mine if r.academic_year == year]
        else:
            mine_now = sorted(mine, key=lambda r: r.academic_year)[-1:]
        if not mine_now:
            return None
        res = mine_now[0]
        before = [r for r in mine if r.academic_year < res.academic_year]
        prev = max(before, key=lambda r: r.academic_year) if before else None
        cohort = self.filter(year=res.academic_year).distribution()
        sections = []
        for s in self.framework.sections:
            share = res.sections[s.id].share
            dist = cohort[s.id]
            prev_share = prev.sections[s.id].share if prev else None
            change = (_r(share - prev_share)
                      if share is not None and prev_share is not None else None)
            sections.append({"section": s.id, "title": s.title, "share": share,
                             "place": dist.place(share), "distribution": dist.to_json(),
                             "previous": prev_share, "change": change,
                             "flagged": res.sections[s.id].flagged})
        return {**res.describe(), "previous_year": prev.academic_year if prev else None,
                "sections": sections,
                "unmet_duties": [d.criterion for d in res.unmet_duties],
                "moderated": {cid: {"rating": c.rating, "moderated_rating": c.moderated_rating,
                                    "moderation_note": c.moderation_note}
                              for cid, c in res.cells.items() if c.moderated}}

    def groups(self, by: str) -> list[dict[str, Any]]:
        """Aggregates per phase, type or area: what is shared beyond the authority.

        Pass the result through :func:`quality_offer.compare.privacy.suppress` before it
        leaves the authority, so a group of one or two schools cannot be read off.
        """
        if by not in ("phase", "type", "area", "academic_year"):
            raise ValueError(f"cannot group by {by!r}: use phase, type, area or academic_year")
        members: dict[str, list[SchoolResult]] = defaultdict(list)
        for r in self.current:
            members[getattr(r, by) or "not recorded"].append(r)
        out = []
        for value in sorted(members):
            rows = members[value]
            dists = {s.id: Distribution.of([v for r in rows
                                            if (v := r.sections[s.id].share) is not None])
                     for s in self.framework.sections}
            out.append({by: value, "schools": len(rows),
                        "sections": {sid: d.median for sid, d in dists.items()},
                        "schools_with_unmet_duties": sum(1 for r in rows if r.unmet_duties)})
        return out

    # ---- moderation ----------------------------------------------------------------------

    def differences(self) -> list[dict[str, Any]]:
        """Where the authority's view differs: every moderated rating unlike the school's own,
        school by school in framework order, the school's rating always beside it."""
        fw = self.framework
        order = {c.id: i for i, c in enumerate(fw.criteria)}
        rows = []
        for r in self.current_all:
            for cid, cell in sorted(r.cells.items(), key=lambda kv: order.get(kv[0], 0)):
                if cell.moderated_rating is None or cell.moderated_rating == cell.rating:
                    continue
                rows.append({**r.describe(), "criterion": cid,
                             "text": fw.criterion(cid).text,
                             "statutory": fw.criterion(cid).statutory,
                             "rating": cell.rating, "moderated_rating": cell.moderated_rating,
                             "moderation_note": cell.moderation_note,
                             "school_meets": cell.meets,
                             "authority_meets": cell.moderated_meets})
        return rows

    def moderation_queue(self) -> dict[str, list[dict[str, Any]]]:
        """What an adviser should look at next, in three lists.

        - ``not_moderated``: submitted audits with no moderated answer yet;
        - ``met_without_evidence``: statutory duties a school rates met with no evidence;
        - ``unlike_last_year``: schools whose ratings this year most often differ from the
          authority's moderation of the same criteria last year (most differences first).
        """
        fw = self.framework
        latest = self.current_all
        not_moderated = [{**r.describe()} for r in latest
                         if r.status == "submitted"
                         and not any(c.moderated for c in r.cells.values())]
        no_evidence = []
        for r in latest:
            duties = [cid for cid, c in r.cells.items()
                      if c.meets and not c.has_evidence and fw.criterion(cid).statutory]
            if duties:
                no_evidence.append({**r.describe(), "criteria": duties})
        by_key = {r.key: r for r in self.results}
        unlike = []
        for r in latest:
            before = by_key.get((r.urn, _previous_year(r.academic_year)))
            if before is None:
                continue
            differs = [cid for cid, c in r.cells.items()
                       if (old := before.cells.get(cid)) is not None
                       and old.moderated_rating is not None and c.rating is not None
                       and c.rating != old.moderated_rating]
            if differs:
                unlike.append({**r.describe(), "previous_year": before.academic_year,
                               "criteria": differs, "differences": len(differs)})
        unlike.sort(key=lambda row: (-row["differences"], row["name"].casefold()))
        return {"not_moderated": not_moderated, "met_without_evidence": no_evidence,
                "unlike_last_year": unlike}

    # ---- trends --------------------------------------------------------------------------

    def trends(self) -> list[dict[str, Any]]:
        """The authority year by year: per section the spread, per criterion the share below.

        Each year counts the schools that audited that year; the number is given beside
        every figure because a changing cohort moves the median as much as real change does.
        """
        out = []
        for year in self.years:
            cohort = self.filter(year=year)
            gaps = cohort.common_gaps(include_met=True)
            out.append({
                "academic_year": year,
                "schools": sum(1 for r in cohort.results if self.scored(r)),
                "sections": {sid: d.to_json() for sid, d in cohort.distribution().items()},
                "criteria_below": {g.criterion: {"schools_below": g.schools_below,
                                                 "schools_assessed": g.schools_assessed,
                                                 "share": g.share} for g in gaps},
                "schools_with_unmet_duties": sum(1 for r in cohort.results
                                                 if r.unmet_duties and self.scored(r)),
            })
        return out

    def school_trend(self, urn: str) -> list[dict[str, Any]]:
        """One school year by year, each section's share and its change on the year before."""
        rows = sorted((r for r in self.results if r.urn == urn), key=lambda r: r.academic_year)
        out = []
        prev: SchoolResult | None = None
        for r in rows:
            change = {}
            for sid, score in r.sections.items():
                before = prev.sections[sid].share if prev else None
                change[sid] = (_r(score.share - before)
                               if score.share is not None and before is not None else None)
            out.append({"academic_year": r.academic_year, "sections": r.shares,
                        "change": change, "unmet_duties": [d.criterion for d in r.unmet_duties]})
            prev = r
        return out

    def other_versions(self) -> list[dict[str, Any]]:
        """Schools on another version of the framework than the one compared, and the
        criteria of theirs left out because they are not asked the same way."""
        return [{"urn": r.urn, "name": r.name, "academic_year": r.academic_year,
                 "framework_version": r.framework_version,
                 "not_comparable": list(r.not_comparable)}
                for r in self.results if r.framework_version != self.framework.version]

    # ---- output --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The ``compare --format json`` document."""
        fw = self.framework
        return {
            "framework": {"id": fw.id, "version": fw.version, "title": fw.title},
            "schools": len({r.urn for r in self.results}),
            "audits": len(self.results),
            "years": self.years,
            "filters": {k: list(v) for k, v in self.filters.items()},
            "skipped": [s.to_json() for s in self.skipped],
            "other_versions": self.other_versions(),
            "section_titles": {s.id: s.title for s in fw.sections},
            "rule": fw.manifest.rollup.section_rule,
            "min_assessed": self.min_assessed,
            "sections": self.heatmap(),
            "shown_apart": [{**r.describe()} for r in self.shown_apart],
            "common_gaps": [g.to_json() for g in self.common_gaps()],
            "duties_not_met": self.duties_not_met(),
            "distribution": {sid: d.to_json() for sid, d in self.distribution().items()},
        }


def _previous_year(year: str) -> str:
    """2026/27 -> 2025/26."""
    start = int(year[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _most_used(results: Sequence[SchoolResult]) -> tuple[str, str] | None:
    """The framework version most results use; the newest version on a tie."""
    used = Counter((r.framework_id, r.framework_version) for r in results)
    if not used:
        return None
    return max(used, key=lambda k: (used[k], _version_key(k[1]), k[0]))


ProgressCallback = Callable[[int, int, str], None]
