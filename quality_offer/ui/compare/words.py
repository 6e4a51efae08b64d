"""How the Compare page says things: shares, phases, types, an audit's status and how
much of it is assessed, in words; school names made formula-safe for data tables. Shared
by every view, so a school reads the same wherever it shows.
"""

from __future__ import annotations

from ...compare import Comparison
from ...compare.core import SchoolResult
from ...compare.tables import cell_guard
from ...vocabulary import AUDIT_STATUS_LABELS, PHASE_LABELS, TYPE_LABELS


def pct(share: float | None) -> str:
    return "none assessed" if share is None else f"{share:.0%}"


def _name(value: str) -> str:
    """A school's name for a data table: shown as typed, a formula made harmless."""
    return cell_guard()(value)


def _phase(v: str | None) -> str:
    return PHASE_LABELS.get(v or "", v or "not recorded")


def _type(v: str | None) -> str:
    return TYPE_LABELS.get(v or "", v or "not recorded")


def _short_title(title: str) -> str:
    """``Outcome 1: high quality provision`` -> ``Outcome 1`` for a chart's axis."""
    return title.split(":", 1)[0]


def _level_labels(comp: Comparison) -> dict[str, str]:
    return {lv.id: lv.label for sc in comp.framework.manifest.scales for lv in sc.levels}


def _status_words(status: str) -> str:
    """A draft says so wherever a school's row shows."""
    label = AUDIT_STATUS_LABELS.get(status, status)
    return label if status in HANDED_IN else f"Draft ({label.lower()})"


def assessed_words(r: SchoolResult) -> str:
    """How much of a school's audit is answered, as an adviser would say it."""
    return f"{r.assessed:.0%} of {r.applicable} criteria assessed"


HANDED_IN = ("submitted", "signed-off")
