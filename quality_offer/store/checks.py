"""Rules every writing part of the store applies alike: what a signed-off audit refuses, which
changes set signatures aside, how the operator's restore differs from a person's change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..audit import SignOff
from ..permissions import MODERATION_FIELDS, User
from .errors import SignedOff
from .records import Change

# An LA adviser may still record moderation on a signed-off audit (``MODERATION_FIELDS``):
# it sits beside the school's own answer and never changes what the governors signed.


def _refuse_if_signed_off(audit: Any, fields: Collection[str]) -> None:
    changed = sorted(set(fields) - MODERATION_FIELDS)
    if audit.status == "signed-off" and changed:
        raise SignedOff(f"the audit for URN {audit.urn} in {audit.academic_year} is signed off, "
                        "so its answers cannot change (" + ", ".join(changed) + "); a "
                        "headteacher or administrator can reopen it first")


def _required_text(choices: list[str] | None) -> str | None:
    """The requirement as recorded in the change log: its choices, comma-separated."""
    return None if choices is None else ", ".join(choices)


def _changes_content(changes: list[Change]) -> bool:
    """Whether planned changes alter what signatories sign: an answer (not moderation, which
    sits beside it) or the report's "Completed by" line."""
    return any((cid is not None and f not in MODERATION_FIELDS and f != "moved")
               or (cid is None and f == "completed_by")
               for cid, f, _old, _new in changes)


def _restoring(actor: User) -> bool:
    """The operator (the command line, a script on the server) restores what a file or a
    backup says, signed off with the signatures it had; a person in the app never can."""
    return actor.issuer == "operator"


def _signs(stored: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Stored sign-offs in today's shape (older rows lack the newer keys), for comparing."""
    return [SignOff.model_validate(x).model_dump(mode="json") for x in stored or []]
