"""A check's result as evidence for criteria D5 (publish the report) and D5a (update it).

The check suggests; the SENCO rates. So saving a result writes only the evidence of D5 and
D5a, never their ratings, through the store's ordinary ``save_response`` (which checks the
user's right and the version they saw, and records the change). The check's words sit
between two marker lines inside the evidence text: checking the report again replaces them,
and whatever the SENCO typed around them is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..audit import Evidence, Response
from ..dates import long_date
from ..store import Store
from .check import Result

CRITERIA = ("D5", "D5a")
START = "--- SEN information report check (a suggestion: the SENCO confirms the rating) ---"
END = "--- end of the check ---"
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
MAX_LISTED = 12


def _listed(result: Result, status: str) -> list[str]:
    rows = [f"{f.item.reference}: {f.item.requirement}" for f in result.findings
            if f.status == status]
    if len(rows) > MAX_LISTED:
        rows = [*rows[:MAX_LISTED], f"and {len(rows) - MAX_LISTED} more"]
    return rows


def summary_for(result: Result, criterion_id: str, checked_on: dt.date) -> str:
    """The check's words for one criterion, between the marker lines."""
    lines = [START, f"{result.file}, checked on {long_date(checked_on)} against "
                    f"{result.items_title} {result.items_version}."]
    if criterion_id == "D5a":
        v = result.reviewed
        if v.date is None:
            lines.append("The report does not say when it was last reviewed.")
        else:
            over = ("more than a year before the check" if v.out_of_date
                    else "within a year of the check")
            lines.append(f"It says it was last reviewed on {long_date(v.date)}, {over} "
                         f"({v.days_before_audit} days).")
        lines.append(f"The report: {result.summary()}.")
    else:
        lines.append(result.summary() + ".")
        for status, label in (("missing", "Missing"), ("unclear", "Unclear")):
            rows = _listed(result, status)
            if rows:
                lines.append(f"{label}:")
                lines += [f"- {row}" for row in rows]
        r = result.readability
        if r.reading_ease is not None:
            lines.append(f"Readability: reading ease {r.reading_ease:.0f} ({r.verdict}), "
                         f"a reading age of about {r.reading_age}.")
        if r.jargon:
            lines.append("Not spelt out where first used: "
                         + ", ".join(j.term for j in r.jargon) + ".")
    lines.append(END)
    return "\n".join(lines)


def with_check(base: Response | None, block: str, file: str) -> Response:
    """``base`` with the check's block put into its evidence (replacing an earlier one)."""
    ev = base.evidence if base and base.evidence else None
    text = ev.text if ev else ""
    if _BLOCK.search(text):
        text = _BLOCK.sub(lambda _m: block, text, count=1)
    else:
        text = f"{text.rstrip()}\n\n{block}" if text.strip() else block
    evidence = Evidence(text=text, location=(ev.location if ev and ev.location.strip()
                                             else f"SEN information report ({file})")[:300],
                        kind=(ev.kind if ev and ev.kind else "document"))
    data = base.model_dump() if base is not None else {}
    data["evidence"] = evidence.model_dump()
    return Response.model_validate(data)


def save(store: Store, key: tuple[str, str], result: Result, user: str,
         criteria: tuple[str, ...] = CRITERIA, today: dt.date | None = None) -> list[str]:
    """Save the result as evidence for each of ``criteria``; the ids saved.

    Each save names the version it read, so a change made meanwhile by someone else is
    refused by the store (``Conflict``) rather than overwritten.
    """
    today = today or dt.date.today()
    # Versions first, answers second: an answer is never paired with a newer version than
    # its own, so a save made in between is refused, not silently overwritten.
    versions = {cid: store.response_version(*key, cid) for cid in criteria}
    audit = store.get_audit(*key)
    if audit is None:
        raise LookupError(f"there is no audit for URN {key[0]} in {key[1]}")
    saved = []
    for cid in criteria:
        version = versions[cid]
        new = with_check(audit.responses.get(cid), summary_for(result, cid, today),
                         result.file.rsplit("/", 1)[-1])
        store.save_response(*key, cid, new, user, expected_version=version)
        saved.append(cid)
    return saved


# What ``summary_for`` writes, read back: the checklist shows the saved check's status on the
# card without opening the evidence, and without a second copy of the result to keep in step.
_CHECKED = re.compile(r"^(?P<file>.+), checked on (?P<on>\d{1,2} \w+ \d{4}) against ",
                      re.MULTILINE)
_COUNTS = re.compile(r"(?P<found>\d+) of (?P<required>\d+) required items found, "
                     r"(?P<unclear>\d+) unclear, (?P<missing>\d+) missing")
_REVIEWED = re.compile(r"^(It says it was last reviewed on .+|The report does not say when it "
                       r"was last reviewed\.)$", re.MULTILINE)


@dataclass(frozen=True)
class SavedCheck:
    """A check saved in a criterion's evidence, as far as its block says."""

    file: str
    checked_on: str  # as written in the block ("5 December 2026")
    found: int | None = None
    required: int | None = None
    unclear: int | None = None
    missing: int | None = None
    reviewed: str = ""  # D5a's sentence on the review date, if the block has one

    @property
    def has_counts(self) -> bool:
        return self.found is not None

    def counts(self) -> str:
        """"22 of 24 required items found, 1 unclear, 1 missing", as the check said it."""
        if not self.has_counts:
            return ""
        return (f"{self.found} of {self.required} required items found, {self.unclear} "
                f"unclear, {self.missing} missing")


def saved_check(evidence_text: str | None) -> SavedCheck | None:
    """The check saved in this evidence text, or None when there is none (or it was edited
    past reading: the SENCO may change the words, and then the words are theirs)."""
    block = _BLOCK.search(evidence_text or "")
    if block is None:
        return None
    text = block.group(0)
    head = _CHECKED.search(text)
    if head is None:
        return None
    counts = _COUNTS.search(text)
    reviewed = _REVIEWED.search(text)
    numbers = ({k: int(v) for k, v in counts.groupdict().items()} if counts else {})
    return SavedCheck(file=head.group("file").strip(), checked_on=head.group("on"),
                      reviewed=reviewed.group(1) if reviewed else "", **numbers)
