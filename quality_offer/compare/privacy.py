"""Small-number suppression for figures shared beyond the local authority.

A group of two special schools in one area is two identifiable schools: its median share is
their share. Anything that leaves the authority (a regional report, a published summary, a
shared spreadsheet) replaces the numbers of any group of fewer schools than a threshold
(default 5) with a marker, and says so in a note that travels with the figures.

When exactly one group of a set is suppressed, its numbers could be worked out from the
total and the other groups (counts by subtraction, means by weighting). The next smallest
group is then suppressed too ("complementary suppression", the usual statistical-disclosure
practice), unless the caller turns it off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Comparison

DEFAULT_THRESHOLD = 5
MARKER = "suppressed"


@dataclass(frozen=True)
class Suppressed:
    """Groups with small ones masked, how many were masked, and the note to print with them."""

    groups: list[dict[str, Any]]
    suppressed: int
    threshold: int
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"groups": self.groups, "suppressed": self.suppressed,
                "threshold": self.threshold, "note": self.note}


def _mask(value: Any, keep: frozenset[str], marker: str) -> Any:
    if isinstance(value, bool):
        return marker
    if isinstance(value, int | float):
        return marker
    if isinstance(value, Mapping):
        return {k: (v if k in keep else _mask(v, keep, marker)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v, keep, marker) for v in value]
    return value


def suppress(groups: Sequence[Mapping[str, Any]], threshold: int = DEFAULT_THRESHOLD, *,
             count_key: str = "schools", keep: Sequence[str] = (),
             complementary: bool = True, marker: str = MARKER) -> Suppressed:
    """Mask every number of each group with fewer than ``threshold`` schools.

    ``count_key`` names the field holding the group's number of schools (``schools`` for
    :meth:`Comparison.groups`, ``schools_assessed`` for common gaps); it is masked too,
    since "2 schools" itself singles them out. Labels (text) are kept, as are the fields in
    ``keep``. A group without the count is treated as too small: better masked than leaked.
    """
    if threshold < 1:
        raise ValueError("the suppression threshold must be at least 1")
    keep_set = frozenset(keep)
    sizes = []
    for g in groups:
        n = g.get(count_key)
        sizes.append(n if isinstance(n, int) and not isinstance(n, bool) else -1)
    small = {i for i, n in enumerate(sizes) if n < threshold}
    extra = 0
    if complementary and len(small) == 1 and len(groups) > 1:
        rest = sorted((n, i) for i, n in enumerate(sizes) if i not in small)
        small.add(rest[0][1])
        extra = 1
    out = [_mask(dict(g), keep_set, marker) if i in small else dict(g)
           for i, g in enumerate(groups)]
    note = (f"Groups of fewer than {threshold} schools are shown as \"{marker}\" so that no "
            "school can be identified.")
    if small:
        note += f" {len(small)} of {len(groups)} groups are suppressed"
        note += (", one of them only because its figures could otherwise be worked out from "
                 "the rest." if extra else ".")
    return Suppressed(groups=out, suppressed=len(small), threshold=threshold, note=note)


def shared_summary(comparison: Comparison, threshold: int = DEFAULT_THRESHOLD
                   ) -> dict[str, Any]:
    """What may leave the authority: aggregates only, small groups suppressed, and the note.

    No school is named: the authority's medians per section, the same by phase, type and
    area, and the common gaps (each suppressed when fewer than ``threshold`` schools were
    assessed on it). Groups within one breakdown partition the schools, so complementary
    suppression applies there; criteria do not, so it does not apply to common gaps.
    """
    current = comparison.current
    whole = suppress([{"group": "all schools", "schools": len(current),
                       "sections": {sid: d.median
                                    for sid, d in comparison.distribution().items()},
                       "schools_with_unmet_duties": sum(1 for r in current if r.unmet_duties)}],
                     threshold, complementary=False)
    out: dict[str, Any] = {
        "framework": {"id": comparison.framework.id, "version": comparison.framework.version},
        "years": comparison.years, "threshold": threshold, "authority": whole.groups[0]}
    suppressed = whole.suppressed
    for by in ("phase", "type", "area"):
        shared = suppress(comparison.groups(by), threshold)
        out[f"by_{by}"] = shared.groups
        suppressed += shared.suppressed
    gaps = suppress([{k: v for k, v in g.to_json().items() if k != "counts"}
                     for g in comparison.common_gaps()], threshold,
                    count_key="schools_assessed", keep=("statutory",), complementary=False)
    out["common_gaps"] = gaps.groups
    out["suppressed"] = suppressed + gaps.suppressed
    out["note"] = (f"Groups of fewer than {threshold} schools are shown as \"{MARKER}\" so "
                   "that no school can be identified; where one group alone was small, the "
                   "next smallest is suppressed too, so it cannot be worked out from the rest.")
    return out
