"""How the Compare page says things: shares, phases, types, an audit's status and how
much of it is assessed, in words; school names made formula-safe for data tables. Shared
by every view, so a school reads the same wherever it shows.
"""

from __future__ import annotations

from ...compare import Comparison
from ...compare.school_result import SchoolResult
from ...compare.tables import cell_guard
from ...vocabulary import AUDIT_STATUS_LABELS, PHASE_LABELS, TYPE_LABELS


def pct(share: float | None) -> str:
    """A share as a percentage, or that nothing was assessed (never a blank)."""
    return "none assessed" if share is None else f"{share:.0%}"


def table_text(value: str) -> str:
    """Text a school typed (a name, an area, a note) for a data table: shown as typed, a
    formula made harmless."""
    return cell_guard()(value)


def phase_words(v: str | None) -> str:
    """A phase as a person says it; a code not in the vocabulary shown as it is."""
    return PHASE_LABELS.get(v or "", v or "not recorded")


def type_words(v: str | None) -> str:
    """A school type as a person says it; a code not in the vocabulary shown as it is."""
    return TYPE_LABELS.get(v or "", v or "not recorded")


def short_title(title: str) -> str:
    """``Outcome 1: high quality provision`` -> ``Outcome 1`` for a chart's axis."""
    return title.split(":", 1)[0]


def level_labels(comp: Comparison) -> dict[str, str]:
    """Each rating level's label by its id, so ratings are said in words."""
    return {lv.id: lv.label for sc in comp.framework.manifest.scales for lv in sc.levels}


def status_words(status: str) -> str:
    """A draft says so wherever a school's row shows."""
    label = AUDIT_STATUS_LABELS.get(status, status)
    return label if status in HANDED_IN else f"Draft ({label.lower()})"


def assessed_words(r: SchoolResult) -> str:
    """How much of a school's audit is answered, as an adviser would say it."""
    return f"{r.assessed:.0%} of {r.applicable} criteria assessed"


HANDED_IN = ("submitted", "signed-off")
