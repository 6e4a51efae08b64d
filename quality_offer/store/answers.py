"""Saving answers: a SENCO's answer and an adviser's moderation beside it, one criterion at a time.

Each save names the version it was edited from; if someone saved since, it is refused with a
:class:`~quality_offer.store.errors.Conflict` saying who changed what, so two people working on
one audit never overwrite each other unseen. Each changed field needs its own right (the answer
to edit, moderation to moderate), judged on the memberships read in the write's transaction.
Writing one answer with its history lines (``_diff``, ``_write_response``) is shared with
imports and framework moves, so an answer is stored the same way whichever way it comes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..audit import Response
from ..permissions import MODERATION_FIELDS, User, can, field_action
from .changelog import ChangeLog
from .checks import _refuse_if_signed_off
from .conflicts import _conflict_message
from .db import AuditRow, ChangeRow, ResponseRow
from .errors import Conflict, Forbidden
from .records import Actor
from .rows import (
    RESPONSE_FIELDS,
    _check_criterion_id,
    _check_storable,
    _flat,
    _now,
    _response_data,
    _response_of,
    response_columns,
)
from .sign_offs import SignOffs


class Answers(SignOffs, ChangeLog):
    """The store's methods for saving answers and moderation (mixed into :class:`Store`)."""

    def save_response(self, urn: str, year: str, criterion_id: str, response: Response,
                      user: str, expected_version: int) -> int:
        """Save one answer if nobody saved it since ``expected_version``; the new version.

        Refused with :class:`Conflict` (saying who changed what) when the stored version is
        not ``expected_version``. Saving what is already stored writes nothing.
        """
        _check_criterion_id(criterion_id)
        _check_storable(f"audit {urn} {year}", **{f"responses.{criterion_id}": response})
        with self._writing() as s:
            actor, audit, la = self._audit_to_change(s, user, urn, year)
            if not (can(actor, "edit", urn, la) or can(actor, "moderate", urn, la)):
                raise Forbidden("you do not have the right to change this audit; nothing "
                                "was saved")
            row = s.get(ResponseRow, (audit.id, criterion_id))
            stored = row.version if row is not None else 0
            if stored != expected_version:
                raise self._conflict(s, audit, criterion_id, row, expected_version)
            diff = self._diff(row, response)
            if row is not None and not diff:
                return stored
            self._require_fields(actor, urn, la, [d[0] for d in diff])
            _refuse_if_signed_off(audit, [d[0] for d in diff])
            now = _now()
            self._write_response(s, audit, criterion_id, response, row, diff, actor.label,
                                 now)
            if any(d[0] not in MODERATION_FIELDS for d in diff):
                self._set_aside(s, audit, actor.label, now, "changed")
            self._touch(s, audit, now)
            return stored + 1

    def _require_fields(self, actor: User, urn: str, la: str | None,
                        fields: Collection[str]) -> None:
        """Each changed field needs its own right: the answer to edit, moderation to moderate."""
        needed = {field_action(f) for f in fields}
        if "edit" in needed:
            self._require(actor, "edit", urn, la, "you do not have the right to change this "
                                                  "audit's answers")
        if "moderate" in needed:
            self._require(actor, "moderate", urn, la, "only an LA adviser or an administrator "
                                                      "can record a moderation")

    def moderate(self, urn: str, year: str, criterion_id: str, moderated_rating: str | None,
                 note: str | None, user: Actor, expected_version: int) -> int:
        """Record the LA's moderated rating and note beside the school's answer; the new version.

        Only the two moderation fields change: the school's rating, evidence and action are
        taken from the database in this same transaction, never from the adviser's form. And
        if the answer changed since the form was drawn (``expected_version``, read with the
        answer the adviser was shown) the moderation is refused with :class:`Conflict`, so
        nobody moderates an answer they have not seen.
        """
        _check_criterion_id(criterion_id)
        _check_storable(f"audit {urn} {year}", moderated_rating=moderated_rating, note=note)
        with self._writing() as s:
            actor, audit, la = self._audit_to_change(s, user, urn, year)
            self._require(actor, "moderate", urn, la, "only an LA adviser or an administrator "
                                                      "can record a moderation")
            row = s.get(ResponseRow, (audit.id, criterion_id))
            stored = row.version if row is not None else 0
            if stored != expected_version:
                raise self._conflict(s, audit, criterion_id, row, expected_version)
            base = _response_data(row) if row is not None else {}
            response = Response.model_validate({**base, "moderated_rating": moderated_rating,
                                                "moderation_note": note})
            diff = self._diff(row, response)
            if not diff:
                return stored
            now = _now()
            self._write_response(s, audit, criterion_id, response, row, diff, actor.label,
                                 now)
            self._touch(s, audit, now)
            return stored + 1

    @staticmethod
    def _diff(row: ResponseRow | None, response: Response) -> list[tuple[str, Any, Any]]:
        old = _flat(_response_of(row)) if row is not None else _flat(None)
        new = _flat(response)
        return [(f, old[f], new[f]) for f in RESPONSE_FIELDS if old[f] != new[f]]

    def _conflict(self, s: Session, audit: AuditRow, criterion_id: str,
                  row: ResponseRow | None, expected: int) -> Conflict:
        stored = row.version if row is not None else 0
        records = list(s.scalars(
            select(ChangeRow).where(ChangeRow.audit_id == audit.id,
                                    ChangeRow.criterion_id == criterion_id,
                                    ChangeRow.version > expected)
            .order_by(ChangeRow.id))) if stored > expected else []
        return Conflict(_conflict_message(criterion_id, records, stored, expected),
                        current=_response_of(row) if row is not None else None,
                        version=stored)

    def _write_response(self, s: Session, audit: AuditRow, criterion_id: str,
                        response: Response, row: ResponseRow | None,
                        diff: list[tuple[str, Any, Any]], user: str, now: dt.datetime,
                        position: int | None = None) -> None:
        values = {**response_columns(response), "updated_at": now, "updated_by": user}
        if row is None:
            if position is None:
                position = s.scalar(select(func.coalesce(func.max(ResponseRow.position), -1)
                                           + 1).where(ResponseRow.audit_id == audit.id))
            s.execute(insert(ResponseRow).values(audit_id=audit.id, criterion_id=criterion_id,
                                                 position=position, version=1, **values))
            version = 1
        else:
            version = row.version + 1
            result = s.execute(
                update(ResponseRow.__table__)
                .where(ResponseRow.audit_id == audit.id,
                       ResponseRow.criterion_id == criterion_id,
                       ResponseRow.version == row.version)
                .values(version=version, **values))
            if result.rowcount != 1:  # cannot happen under the audit lock; refuse if it does
                raise Conflict(f"{criterion_id} was changed by someone else while saving; "
                               "your change was not saved. Reload to see it.")
        self._log(s, audit, criterion_id, diff, user, now, version)
