"""Words every output of a gap report shares, so the PDF, the HTML, the spreadsheets, the
text report and the screen say a thing the same way.

The closed sets of words (priorities, checks, statuses, roles) and their labels are in
:mod:`quality_offer.vocabulary`; how a reference is cited is :mod:`quality_offer.citations`;
dates are :mod:`quality_offer.dates`. This module words what is particular to reports.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..dates import long_date

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..gaps import Item, RefOut


def draft_line(report: object) -> str:
    """The mark on every page of a report that is not signed off, in words."""
    from ..audit import missing_words

    missing = report.missing_signatures  # type: ignore[attr-defined]
    still = f"; still to sign: {missing_words(missing)}" if missing else ""
    return f"DRAFT: not signed off{still}"


def rating_tag(item: Item) -> tuple[str, str]:
    """A criterion's rating as a word and the colour of its tag, the same in every output:
    green when it meets, red for a statutory duty below, orange for an expectation below,
    grey when not assessed or not applicable."""
    if item.not_applicable_reason is not None:
        return "Not applicable", "grey"
    if item.rating is None:
        return "Not assessed", "grey"
    label = item.rating_label or item.rating
    if item.meets:
        return label, "green"
    return label, "red" if item.statutory else "orange"


def printed_once(refs: Sequence[RefOut]) -> list[RefOut]:
    """One reference per printed citation: unconfirmed paragraphs of a chapter print once."""
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.cited not in seen:
            seen.add(ref.cited)
            out.append(ref)
    return out


def overdue_words(n: int) -> str:
    """The governors' summary's line on overdue actions."""
    if not n:
        return "No action is overdue."
    return (f"{n} action{'s are' if n != 1 else ' is'} overdue: past the due date and not "
            "done.")


def coming_when(day: dt.date | None) -> str:
    """When a coming duty starts to bind schools, in words for every output."""
    if day is None:
        return "Enacted; the date it comes into force is still to be set"
    return f"Comes into force on {long_date(day)}"


# C0 and C1 control characters other than tab and newline, lone surrogates and the
# non-characters U+FFFE / U+FFFF: no font has a glyph for them and XML refuses most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Free text made printable: line ends unified, control characters shown as U+FFFD.

    Replacing rather than dropping keeps it visible that something was there.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", text)


def share_text(share: float | None) -> str:
    return "not assessed" if share is None else f"{share:.0%}"


def unmet_line(duties: Sequence[str]) -> str:
    """A section's flag: "2 statutory duties not met in full: D1, D9", in every output."""
    n = len(duties)
    return f"{n} statutory dut{'ies' if n != 1 else 'y'} not met in full: {', '.join(duties)}"



def school_kind(phase: str | None, school_type: str | None) -> str:
    """The school's phase and type as one name for the cover: "Primary academy",
    "Secondary pupil referral unit", "Non-maintained special school": never "free school
    school", nor a phase the type already says."""
    from ..vocabulary import PHASE_WORDS, TYPE_LABELS

    words = PHASE_WORDS.get(phase or "", (phase or "").replace("-", " "))
    if not school_type:
        return f"{words.capitalize()} school" if words else ""
    kind = TYPE_LABELS.get(school_type, school_type.replace("-", " "))
    kind = kind[:1].lower() + kind[1:]
    if words and words not in kind and not (phase == "16-plus" and "16" in kind):
        kind = f"{words} {kind}"
    return kind[:1].upper() + kind[1:]


def action_plan_intro(n: int, overdue: int, as_of: dt.date) -> str:
    """The sentence above the action plan: how many actions, how many overdue, and what
    overdue means on the report's date."""
    late = f"; {overdue} overdue" if overdue else ""
    return (f"{n} action{'s' if n != 1 else ''}, overdue ones first{late}. Overdue means past "
            f"its due date on {long_date(as_of)} and not done.")
