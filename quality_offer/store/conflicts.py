"""What the store says when a save is refused because someone else saved first.

The message names who changed what, from what to what and when, in the words a SENCO uses
for each field, so she can redo her change on top of theirs.
"""

from __future__ import annotations

from ..dates import when
from .db import ChangeRow
from .rows import _now

# Plain words for messages a SENCO reads.
_LABELS = {
    "rating": "rating", "evidence.text": "evidence", "evidence.location": "evidence location",
    "evidence.kind": "evidence kind", "action.what": "action", "action.owner": "action owner",
    "action.due": "action due date", "action.status": "action status",
    "not_applicable_reason": "not-applicable reason", "rechecked": "re-checked",
    "moderated_rating": "moderated rating", "moderation_note": "moderation note",
    "moved_from": "wording answered before the framework changed",
}
_FREE_TEXT = {"evidence.text", "evidence.location", "action.what", "action.owner",
              "not_applicable_reason", "moderation_note"}


def _quote(field_name: str, value: str | None) -> str:
    if value is None:
        return "(blank)"
    if len(value) > 40:
        value = value[:39] + "…"
    return f'"{value}"' if field_name in _FREE_TEXT else value


def _conflict_message(criterion_id: str, records: list[ChangeRow], stored: int,
                      expected: int) -> str:
    """Who changed what since the user's copy, in words a SENCO can act on."""
    tail = "; your change was not saved. Reload to see it."
    if not records:
        return (f"{criterion_id} was changed by someone else since you opened it (it is now "
                f"at version {stored}, your copy was version {expected}){tail}")
    now = _now()
    saves: dict[int | None, list[ChangeRow]] = {}
    for rec in records:
        saves.setdefault(rec.version, []).append(rec)
    parts = []
    for recs in saves.values():
        what = ", ".join(f"{_LABELS.get(r.field, r.field)} {_quote(r.field, r.old_value)} -> "
                         f"{_quote(r.field, r.new_value)}" for r in recs)
        parts.append(f"by {recs[0].user} at {when(recs[0].at, now=now, long=True)}: {what}")
    return f"{criterion_id} was changed " + "; then ".join(parts) + tail
