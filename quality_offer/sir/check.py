"""The whole check of one report: every item, the readability and the review date.

:func:`check` gives one :class:`Result`; the command line, the page and the evidence saved to
the audit all read it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..dates import long_date
from ..vocabulary import PHASES, SIR_STATUS_LABELS, TYPES
from . import match
from .extract import Document
from .items import Item, ItemsFile, shipped
from .readability import Readability, Reviewed, assess, last_reviewed


@dataclass(frozen=True)
class Result:
    file: str
    kind: str
    pages: int | None
    phase: str | None
    school_type: str | None
    items_title: str
    items_version: str
    findings: tuple[match.Finding, ...]
    readability: Readability
    reviewed: Reviewed

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)

    @property
    def required(self) -> tuple[match.Finding, ...]:
        return tuple(f for f in self.findings if f.status != match.NOT_APPLICABLE)

    def summary(self) -> str:
        """One sentence: how many required items were found, unclear and missing."""
        n = len(self.required)
        return (f"{self.count('found')} of {n} required items found, "
                f"{self.count('unclear')} unclear, {self.count('missing')} missing")

    def to_json(self) -> dict[str, Any]:
        r, v = self.readability, self.reviewed
        return {
            "file": self.file,
            "format": self.kind,
            "pages": self.pages,
            "school": {"phase": self.phase, "type": self.school_type},
            "items_version": f"{self.items_title} {self.items_version}",
            "summary": {"found": self.count("found"), "unclear": self.count("unclear"),
                        "missing": self.count("missing"),
                        "not-applicable": self.count("not-applicable")},
            "items": [{
                "id": f.item.id,
                "reference": f.item.reference,
                "reference_verified": f.item.evidence == "V",
                "statutory": f.item.statutory,
                "requirement": f.item.requirement,
                "status": f.status,
                "explanation": f.explanation,
                "matched": f.matched,
                "not_found_together": list(f.missing),
                "passages": [{"text": p.text, "where": p.where, "matched": p.matched}
                             for p in f.passages],
            } for f in self.findings],
            "readability": {
                "reading_ease": r.reading_ease,
                "reading_ease_in_words": r.verdict,
                "reading_age": r.reading_age,
                "words": r.words,
                "sentences": r.sentences,
                "hardest": [{"text": s.text, "where": s.where, "reading_ease": s.reading_ease,
                             "reading_age": s.reading_age} for s in r.hardest],
                "longest_sentences": [{"text": s.text, "where": s.where, "words": s.words}
                                      for s in r.longest_sentences],
                "jargon": [{"term": j.term, "first_used": j.where, "uses": j.uses,
                            "meaning": j.known_meaning} for j in r.jargon],
            },
            "last_reviewed": {
                "date": v.date.isoformat() if v.date else None,
                "text": v.text,
                "where": v.where,
                "audit_date": v.audit_date.isoformat(),
                "days_before_audit": v.days_before_audit,
                "over_a_year": v.out_of_date,
            },
        }


def applies(item: Item, phase: str | None, school_type: str | None) -> bool:
    """Whether the item applies; an unknown phase or type is taken to match."""
    a = item.applies_to
    return ((phase is None or a.phases == "all" or phase in a.phases)
            and (school_type is None or a.types == "all" or school_type in a.types))


def check(document: Document, *, phase: str | None = None, school_type: str | None = None,
          audit_date: dt.date | None = None, items: ItemsFile | None = None) -> Result:
    """Check a report against every item that applies to the school's phase and type."""
    if phase is not None and phase not in PHASES:
        raise ValueError(f"{phase!r} is not a phase; use one of {', '.join(PHASES)}")
    if school_type is not None and school_type not in TYPES:
        raise ValueError(f"{school_type!r} is not a type; use one of {', '.join(TYPES)}")
    items = items or shipped()
    audit_date = audit_date or dt.date.today()
    findings = []
    for item in items.items:
        if applies(item, phase, school_type):
            findings.append(match.find(item, document))
        else:
            note = item.applies_to.note or "The law does not ask this of this kind of school."
            findings.append(match.not_applicable(
                item, f"Not applicable to a {phase or ''} {school_type or ''} school: "
                      .replace("  ", " ") + note))
    return Result(document.name, document.kind, document.pages, phase, school_type,
                  items.title, items.version, tuple(findings), assess(document, items),
                  last_reviewed(document, audit_date, items.review_max_days))


def render_text(result: Result) -> str:
    """The result as plain text for the terminal."""
    lines = [f"SEN information report check: {result.file}",
             f"{result.summary()}.", ""]
    for f in result.findings:
        lines.append(f"[{SIR_STATUS_LABELS[f.status]}] {f.item.id}: {f.item.requirement} "
                     f"({f.item.reference})")
        lines.append(f"    {f.explanation}")
        for p in f.passages[:1]:
            lines.append(f"    “{p.text}” ({p.where})")
    r, v = result.readability, result.reviewed
    lines += ["", "Readability",
              f"    Reading ease {r.reading_ease} ({r.verdict}); reading age about "
              f"{r.reading_age}; {r.words} words in {r.sentences} sentences."]
    for s in r.hardest:
        lines.append(f"    Hard passage ({s.where}, reading ease {s.reading_ease}): “{s.text}”")
    for s in r.longest_sentences:
        lines.append(f"    Long sentence ({s.where}, {s.words} words): “{s.text}”")
    for j in r.jargon:
        meaning = f" (it means {j.known_meaning})" if j.known_meaning else ""
        times = f"{j.uses} time{'s' if j.uses != 1 else ''}"
        lines.append(f"    {j.term} is used {times} but not spelt out where it is first used "
                     f"({j.where}){meaning}.")
    lines.append("")
    if v.date is None:
        lines.append("Last reviewed: the report does not say when it was last reviewed.")
    else:
        stale = (f"more than a year before the audit ({v.days_before_audit} days)"
                 if v.out_of_date else f"{v.days_before_audit} days before the audit")
        lines.append(f"Last reviewed: {long_date(v.date)}, {stale} (“{v.text}”, {v.where}).")
    return "\n".join(lines)
