"""What the comparison says of many schools at once: common gaps, spreads, inputs left out."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .school_result import round_share


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
        return cls(len(vals), vals[0], round_share(q1), round_share(med), round_share(q3), vals[-1])

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
