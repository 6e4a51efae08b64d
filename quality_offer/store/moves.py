"""Moving a stored audit to a newer framework version: one transaction, recorded, reversible.

The move itself is worked out by :func:`quality_offer.upgrade.plan`; this is only the store's
side of it. In one write transaction, under the audit's lock: the acting user's right to edit
the school is checked, the audit as it stands is read, the plan made against exactly that,
and then the answers, the archived answers and the framework version are written, every
changed field logged in the history, and the whole audit as it was before the move kept in
``framework_moves`` so it can still be exported. A signed-off audit is refused until reopened;
a move to the version the audit is on writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from .. import framework as frameworks
from ..permissions import User, can
from .answers import Answers
from .changelog import ChangeLog
from .db import AuditRow, FrameworkMoveRow, ResponseRow, SchoolRow
from .reads import Reads
from .sign_offs import SignOffs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..audit import Audit
    from ..upgrade import MovePlan


@dataclass(frozen=True)
class MoveRecord:
    """One move of an audit between framework versions, as the history shows it."""

    id: int
    at: dt.datetime
    user: str
    framework_id: str
    from_version: str
    to_version: str
    summary: str


class FrameworkMoves(Answers, SignOffs, Reads, ChangeLog):
    """The store's methods for framework moves (mixed into :class:`Store`)."""

    def preview_move(self, urn: str, year: str, to_version: str) -> MovePlan:
        """What :meth:`move_audit` would do to this audit; writes nothing.

        Raises ``KeyError`` for a version not installed, :class:`~quality_offer.upgrade.
        MoveRefused` for a move that is not allowed, ``AuditNotFound`` for no audit.
        """
        from .errors import AuditNotFound

        audit = self.get_audit(urn, year)  # type: ignore[attr-defined]
        if audit is None:
            raise AuditNotFound(f"no audit for URN {urn} in {year}")
        return _plan(audit, to_version)

    def audit_version(self, urn: str, year: str) -> int:
        """The audit's version now (0 if there is none), to pass back to :meth:`move_audit`
        (or ``Store.sign_off``) so a move or a sign-off confirmed after the audit was read is
        refused if the audit changed in between."""
        with self._reading() as s:  # type: ignore[attr-defined]
            row = self._audit_row(s, urn, year)  # type: ignore[attr-defined]
            return row.version if row is not None else 0

    def move_audit(self, urn: str, year: str, to_version: str, user: User | str, *,
                   actor: User | None = None,
                   expected_audit_version: int | None = None) -> MovePlan:
        """Move the audit to ``to_version`` in one transaction; what the move did.

        With ``actor`` (the signed-in user) the right to edit this school is checked inside
        the transaction; ``user`` is the name recorded in the history. With
        ``expected_audit_version`` (``audit_version`` of the preview's time) a move over a
        changed audit is refused, so what was previewed is what is done.
        """
        from .errors import Conflict, Forbidden
        from .rows import _now

        with self._writing() as s:  # type: ignore[attr-defined]
            # The acting user's rights as stored now (a name alone is the operator's).
            acting = self._actor(s, actor if actor is not None else user)  # type: ignore[attr-defined]
            row = self._locked_audit(s, urn, year)  # type: ignore[attr-defined]
            la_code = s.scalar(select(SchoolRow.la_code).where(SchoolRow.urn == urn))
            if not can(acting, "edit", urn, la_code):
                raise Forbidden(f"you may not change the audit for URN {urn}; nothing "
                                "was moved")
            user = user if isinstance(user, str) and actor is not None else acting.label
            if expected_audit_version is not None and row.version != expected_audit_version:
                raise Conflict(f"the audit for URN {urn} in {year} was changed since the move "
                               "was previewed; nothing was moved. Preview it again.")
            before = self._audit_in(s, row)  # type: ignore[attr-defined]
            move = _plan(before, to_version)
            if move.no_change:
                return move
            self._write_move(s, row, move, user, _now())
            return move

    def _write_move(self, s: Session, row: AuditRow, move: MovePlan, user: str,
                    now: dt.datetime) -> None:
        from .. import auditfile
        from .rows import _archived_text

        before, after = move.before, move.after
        s.execute(insert(FrameworkMoveRow).values(
            audit_id=row.id, at=now, user=user, framework_id=move.new.id,
            from_version=move.old.version, to_version=move.new.version,
            before=auditfile.to_json(before), summary=move.summary()))
        self._log(s, row, None, [  # type: ignore[attr-defined]
            ("framework_version", move.old.version, move.new.version),
            *[("archived", None, _archived_text(a))
              for a in after.archived[len(before.archived):]]], user, now)
        stored = {r.criterion_id: r for r in s.scalars(
            select(ResponseRow).where(ResponseRow.audit_id == row.id))}
        # Answers that left their criterion (archived, or moved to a replacement): the
        # history records every field going, the archive and framework_moves hold them.
        for cid, old_row in stored.items():
            if cid in after.responses:
                continue
            diff = self._diff(old_row, _blank())  # type: ignore[attr-defined]
            s.execute(delete(ResponseRow).where(ResponseRow.audit_id == row.id,
                                                ResponseRow.criterion_id == cid))
            self._log(s, row, cid, [*diff, ("moved", None, _where_to(move, cid))],  # type: ignore[attr-defined]
                      user, now, old_row.version + 1)
        for cid, resp in after.responses.items():
            old_row = stored.get(cid)
            diff = self._diff(old_row, resp)  # type: ignore[attr-defined]
            if old_row is not None and not diff:
                continue
            self._write_response(s, row, cid, resp, old_row, diff,  # type: ignore[attr-defined]
                                 user, now)
        s.execute(update(AuditRow.__table__).where(AuditRow.id == row.id).values(
            framework_version=move.new.version,
            archived=[a.model_dump(mode="json") for a in after.archived] or None))
        self._set_aside(s, row, user, now, "changed")  # type: ignore[attr-defined]
        self._touch(s, row, now)  # type: ignore[attr-defined]

    def framework_moves(self, urn: str, year: str) -> list[MoveRecord]:
        """The audit's moves between framework versions, oldest first."""
        with self._reading() as s:  # type: ignore[attr-defined]
            row = self._audit_row(s, urn, year)  # type: ignore[attr-defined]
            if row is None:
                return []
            q = (select(FrameworkMoveRow).where(FrameworkMoveRow.audit_id == row.id)
                 .order_by(FrameworkMoveRow.id))
            return [MoveRecord(m.id, m.at, m.user, m.framework_id, m.from_version,
                               m.to_version, m.summary) for m in s.scalars(q)]

    def audit_before_move(self, urn: str, year: str, move_id: int | None = None) -> Audit | None:
        """The audit exactly as it was before a move (the latest one by default); None if
        it was never moved."""
        from ..audit import Audit

        with self._reading() as s:  # type: ignore[attr-defined]
            row = self._audit_row(s, urn, year)  # type: ignore[attr-defined]
            if row is None:
                return None
            q = select(FrameworkMoveRow.before).where(FrameworkMoveRow.audit_id == row.id)
            if move_id is not None:
                q = q.where(FrameworkMoveRow.id == move_id)
            text = s.scalar(q.order_by(FrameworkMoveRow.id.desc()).limit(1))
        return None if text is None else Audit.model_validate_json(text)


def _blank() -> Any:
    from ..audit import Response

    return Response(rechecked=True)


def _where_to(move: MovePlan, cid: str) -> str:
    for o in move.outcomes:
        if o.criterion == cid:
            return f"to {o.target}" if o.target else "to the archived answers"
    return "dropped as blank"


def _plan(audit: Audit, to_version: str) -> MovePlan:
    from ..upgrade import plan

    old = frameworks.get(audit.framework.id, audit.framework.version)
    new = frameworks.get(audit.framework.id, to_version)
    return plan(audit, old, new)

