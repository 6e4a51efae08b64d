"""Finding criteria in the words schools use: "annual review" or "EHCP" find the EHC plan duty.

The criteria speak the Code's language ("co-operate with the local authority in the EHC plan
review process"); SENCOs search in their own ("annual review", "EHCP", "SIR"). The bridge is
data, not code: ``data/search_terms.yaml`` maps a school's term to the phrases the criteria
use, so adding a synonym is a one-line change anyone can review.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources

import yaml

from .framework import Framework
from .models import Criterion

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def normalise(text: str) -> str:
    """Lower case, one space between words, no square brackets, straight apostrophes."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("[", "").replace("]", "")
    return _SPACE.sub(" ", text).strip().lower()


@functools.cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """The shipped term -> phrases table, normalised."""
    raw = yaml.safe_load(resources.files("quality_offer").joinpath(
        "data/search_terms.yaml").read_text(encoding="utf-8")) or {}
    return {normalise(str(term)): tuple(normalise(str(p)) for p in phrases)
            for term, phrases in raw.items()}


def phrases_for(query: str, table: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The query itself and every phrase its terms stand for."""
    q = normalise(query)
    if not q:
        return []
    table = synonyms() if table is None else table
    padded = f" {' '.join(_WORD.findall(q))} "
    out = [q]
    for term, phrases in table.items():
        if term == q or f" {term} " in padded:
            out.extend(p for p in phrases if p not in out)
    return out


def _fields(crit: Criterion) -> tuple[str, str]:
    """The criterion's own words, and the words around it (descriptors, prompts, note)."""
    main = normalise(f"{crit.id} {crit.text}")
    rest = normalise(" ".join([*crit.levels.values(), *crit.evidence_prompts,
                               crit.note or "", crit.applies_to.note or ""]))
    return main, rest


def search(fw: Framework, criteria: Iterable[Criterion], query: str) -> list[Criterion]:
    """The criteria that match ``query``, best first; every criterion for an empty query.

    A criterion's id matches exactly; a phrase (the query or one of its synonyms) found in the
    criterion's text ranks above one found only in its descriptors or prompts; failing both,
    a criterion whose words hold every word of the query still matches.
    """
    crits = list(criteria)
    phrases = phrases_for(query)
    if not phrases:
        return crits
    q = phrases[0]
    words = _WORD.findall(q)
    scored: list[tuple[int, int, Criterion]] = []
    for position, crit in enumerate(crits):
        main, rest = _fields(crit)
        if crit.id.lower() == q:
            score = 100
        elif any(p in main for p in phrases):
            score = 10
        elif any(p in rest for p in phrases):
            score = 5
        elif words and all(w in f"{main} {rest}" for w in words):
            score = 1
        else:
            continue
        scored.append((-score, position, crit))
    return [crit for _, _, crit in sorted(scored, key=lambda t: (t[0], t[1]))]


def describe(query: str) -> str:
    """What a search also looked for, for the line under the search box."""
    extra = phrases_for(query)[1:]
    return "" if not extra else "Also searched for: " + "; ".join(f"“{p}”" for p in extra)
