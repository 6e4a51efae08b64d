"""Who a criterion applies to, in one plain sentence for schools.

The legal reasoning behind a criterion's scope (``applies_to.note``) is for editors; a SENCO
or governor needs only to know whether the duty is theirs. A framework states that sentence in
``applies_to.who``; where it does not, one is made from the phases and school types listed.
"""

from __future__ import annotations

from .models import Criterion
from .vocabulary import PHASE_WORDS, PHASES, TYPE_WORDS, TYPES


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def who(crit: Criterion) -> str | None:
    """One sentence naming the schools a criterion applies to; None when it applies to all."""
    scope = crit.applies_to
    if scope.who:
        return scope.who
    phases = [] if scope.phases == "all" else [p for p in PHASES if p in scope.phases]
    types = [] if scope.types == "all" else [t for t in TYPES if t in scope.types]
    if not phases and not types:
        return None
    schools = _join([TYPE_WORDS[t] for t in types]) if types else "schools and settings"
    if phases:
        return (f"Applies to {schools} in these phases: "
                f"{_join([PHASE_WORDS[p] for p in phases])}.")
    return f"Applies to {schools}."
