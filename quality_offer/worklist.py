"""What a SENCO works through: which answers count, where the gaps are, what to show next.

The checklist page lays these out and decides nothing of its own, so the task list, the
filters and the gap report agree on what "answered", "gap" and "overdue" mean:

* an answer is a rating or a "not applicable" with its reason (evidence alone is not one);
* a gap is an applicable criterion rated below its scale's expected level;
* an action is overdue when its date has passed and it is not done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
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
