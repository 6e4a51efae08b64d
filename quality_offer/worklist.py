"""What a SENCO works through: which answers count, where the gaps are, what to show next.

The checklist page lays these out and decides nothing of its own, so the task list, the
filters and the gap report agree on what "answered", "gap" and "overdue" mean:

* an answer is a rating or a "not applicable" with its reason (evidence alone is not one);
* a gap is an applicable criterion rated below its scale's expected level;
* an action is overdue when its date has passed and it is not done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .audit import Response
from .framework import Framework
from .models import Criterion

Filter = Literal["unanswered", "gaps", "statutory", "recheck", "overdue"]
FILTER_LABELS: dict[str, str] = {
    "unanswered": "Unanswered",
    "gaps": "Gaps",
    "statutory": "Statutory duties",
    "recheck": "Re-check needed",
    "overdue": "Overdue actions",
}


def is_answered(resp: Response | None) -> bool:
    """A rating or a reasoned "not applicable": what the progress counts."""
    return resp is not None and (resp.rating is not None or resp.not_applicable)


def is_gap(fw: Framework, crit: Criterion, resp: Response | None) -> bool:
    """Rated below the expected level of its scale (unrated is "not assessed", not a gap)."""
    if resp is None or resp.rating is None:
        return False
    scale = fw.scale_of(crit)
    return resp.rating in scale.level_ids and not scale.level(resp.rating).meets_expectation


def counts_changed(fw: Framework, crit: Criterion, before: Response | None,
                   after: Response | None) -> bool:
    """Whether a change moves the criterion in or out of the counts (answered, or a gap):
    then the task list's counts change with it."""
    return ((is_answered(before), is_gap(fw, crit, before))
            != (is_answered(after), is_gap(fw, crit, after)))


def needs_recheck(resp: Response | None) -> bool:
    """Carried forward from last year and not yet confirmed."""
    return resp is not None and not resp.rechecked and not resp.blank


def has_overdue_action(resp: Response | None, today: dt.date) -> bool:
    return resp is not None and resp.action is not None and resp.action.overdue(today)


def matches(kind: str, fw: Framework, crit: Criterion, resp: Response | None,
            today: dt.date) -> bool:
    """Whether a criterion belongs in the list the filter ``kind`` asks for."""
    if kind == "unanswered":
        return not is_answered(resp)
    if kind == "gaps":
        return is_gap(fw, crit, resp)
    if kind == "statutory":
        return crit.statutory
    if kind == "recheck":
        return needs_recheck(resp)
    if kind == "overdue":
        return has_overdue_action(resp, today)
    raise ValueError(f"unknown filter {kind!r}")


def select(fw: Framework, criteria: Iterable[Criterion], responses: Mapping[str, Response],
           filters: Iterable[str], today: dt.date) -> list[Criterion]:
    """The criteria passing every filter in ``filters`` (all of them, when none is given)."""
    wanted = list(filters)
    return [c for c in criteria
            if all(matches(f, fw, c, responses.get(c.id), today) for f in wanted)]


@dataclass(frozen=True)
class SectionStatus:
    """One line of the task list: a section and how far its answers have got."""

    id: str
    title: str
    total: int
    answered: int
    gaps: int

    @property
    def status(self) -> str:
        if self.total and self.answered == self.total:
            return "Completed"
        return "Not started" if self.answered == 0 else "In progress"

    def describe(self) -> str:
        """``3 of 11 answered, 1 gap``: what the task list says beside the section."""
        gaps = "" if not self.gaps else f", {self.gaps} gap{'s' if self.gaps != 1 else ''}"
        return f"{self.answered} of {self.total} answered{gaps}"


def section_statuses(fw: Framework, criteria: Iterable[Criterion],
                     responses: Mapping[str, Response]) -> list[SectionStatus]:
    """Every section with applicable criteria, in framework order, with its counts."""
    by_section: dict[str, list[Criterion]] = {}
    for crit in criteria:
        by_section.setdefault(fw.section_of(crit.id), []).append(crit)
    out = []
    for section in fw.sections:
        crits = by_section.get(section.id)
        if not crits:
            continue
        out.append(SectionStatus(
            id=section.id, title=section.title, total=len(crits),
            answered=sum(is_answered(responses.get(c.id)) for c in crits),
            gaps=sum(is_gap(fw, c, responses.get(c.id)) for c in crits)))
    return out


def sections_to_work(fw: Framework, criteria: Iterable[Criterion]) -> dict[str, list[str]]:
    """Section id -> its applicable criterion ids, in framework order; sections with none
    left out (the checklist shows no empty section)."""
    crits = list(criteria)
    sections = {s.id: [c.id for c in crits if fw.section_of(c.id) == s.id]
                for s in fw.sections}
    return {sid: ids for sid, ids in sections.items() if ids}


def next_unanswered(order: Sequence[str], section: Sequence[str],
                    done: Mapping[str, bool]) -> str | None:
    """The next criterion without an answer, looking from the start of ``section`` onward
    through ``order`` and round again from the top; None when every one has an answer."""
    start = order.index(section[0]) if section else 0
    ring = [*order[start:], *order[:start]]
    return next((cid for cid in ring if not done.get(cid)), None)


def resume_section(fw: Framework, order: Iterable[str],
                   changed_newest_first: Iterable[str | None]) -> str | None:
    """Where a new sitting starts: the section of the applicable criterion whose answer was
    changed last, by anyone (None when none was)."""
    wanted = set(order)
    for cid in changed_newest_first:
        if cid in wanted:
            return fw.section_of(cid)
    return None
