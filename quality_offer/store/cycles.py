"""The authority's yearly cycle in the store: the collection it sets, and schools' hand-in.

An authority collects one academic year at a time, with a closing date; its advisers (or an
administrator) set it, and the Compare page opens on that year rather than on whatever year
is newest in the database (one school starting next year early must not empty the view).
A school hands its audit in by submitting it, and may take it back (withdraw) until it is
signed off or the authority has moderated any answer: after that, the authority's view of it
has been formed, and taking it back would pull the ground from under it. Both moves are
status changes, recorded in the audit's history like every other change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..permissions import can
from .db import CycleRow, ResponseRow
from .statuses import Statuses

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Cycle:
    """One authority's collection: the year collected and (if set) when it closes."""

    la_code: str
    academic_year: str
    closes_on: dt.date | None
    set_by: str
    set_at: dt.datetime


class Cycles(Statuses):
    """The store's methods for the yearly cycle (mixed into :class:`Store`)."""

    def set_cycle(self, la_code: str, academic_year: str, closes_on: dt.date | None,
                  user: object) -> Cycle:
        """Set the authority's collection; only its advisers or an administrator may."""
        from .errors import Forbidden, StoreError
        from .rows import _now

        if not _is_year(academic_year):
            raise StoreError(f"{academic_year!r} is not an academic year: write it as 2026/27")
        if not (len(la_code) == 3 and la_code.isascii() and la_code.isdigit()):
            raise StoreError("an LA code is three digits, e.g. 919")
        with self._writing() as s:  # type: ignore[attr-defined]
            actor = self._actor(s, user)  # type: ignore[attr-defined]
            if not can(actor, "set_cycle", la_code=la_code):
                raise Forbidden("only the authority's advisers or an administrator can set "
                                "its collection; nothing was saved")
            now = _now()
            row = s.get(CycleRow, la_code)
            if row is None:
                row = CycleRow(la_code=la_code)
                s.add(row)
            row.academic_year, row.closes_on = academic_year, closes_on
            row.set_by, row.set_at = actor.label, now
            return Cycle(la_code, academic_year, closes_on, actor.label, now)

    def cycle(self, la_code: str | None) -> Cycle | None:
        """The authority's collection, or None when it has set none."""
        if not la_code:
            return None
        with self._reading() as s:  # type: ignore[attr-defined]
            row = s.get(CycleRow, la_code)
            return None if row is None else Cycle(row.la_code, row.academic_year,
                                                  row.closes_on, row.set_by, row.set_at)

    def withdraw(self, urn: str, year: str, user: object) -> None:
        """Take a submitted audit back into progress, unless it is moderated or signed off.

        One transaction under the audit's lock: the right, the state and the moderation are
        read where the change is written, so an adviser's moderation cannot slip in between.
        """
        from ..permissions import status_change_refusal
        from .errors import Forbidden, StoreError

        with self._writing() as s:  # type: ignore[attr-defined]
            actor, audit, la = self._audit_to_change(  # type: ignore[attr-defined]
                s, user, urn, year)
            refusal = status_change_refusal(actor, audit.status, "in-progress", urn, la)
            if refusal and audit.status == "submitted":
                raise Forbidden(f"{refusal}; nothing was changed")
            if audit.status != "submitted":
                raise StoreError("only a submitted audit can be withdrawn; this one is "
                                 + audit.status.replace("-", " "))
            if _moderated(s, audit.id):
                raise Forbidden("the authority has moderated this audit, so it can no longer "
                                "be withdrawn: ask your adviser; nothing was changed")
            self._write_status(s, audit, "in-progress", actor.label)  # type: ignore[attr-defined]


def _is_year(text: str) -> bool:
    """2026/27: ASCII digits, and the second year follows the first."""
    if not re.fullmatch(r"[0-9]{4}/[0-9]{2}", text):
        return False
    return int(text[5:]) == (int(text[:4]) + 1) % 100


def _moderated(s: Session, audit_id: int) -> bool:
    return s.scalar(select(ResponseRow.criterion_id).where(
        ResponseRow.audit_id == audit_id,
        (ResponseRow.moderated_rating.is_not(None)) | (ResponseRow.moderation_note.is_not(None)))
        .limit(1)) is not None
