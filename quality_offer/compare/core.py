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

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..audit import Audit
from ..framework import Framework
from .measures import CommonGap, Distribution, Skipped
from .school_result import (
    SchoolResult,
    project,
    result_of,
    round_share,
)

Selector = str | Iterable[str] | None

#: Below this share of its applicable criteria assessed, a school's audit is shown apart (with
#: how much is assessed) rather than as a score: its few answers would read as a result and
#: move the authority's medians and common gaps. Advisers can set another share.
MIN_ASSESSED = 0.5


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
                share=round_share(below[cid] / n), counts={lv: counts[cid][lv] for lv in levels}))
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
            change = (round_share(share - prev_share)
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
                change[sid] = (round_share(score.share - before)
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
