"""Reading audits from the store: what pages, reports, exports and the comparison are shown.

Reads change nothing, so they take no acting user: a page asks :mod:`quality_offer.permissions`
what its user may see and passes that scope in, and the limit is in the SQL's WHERE, so nothing
outside it is ever read. On PostgreSQL a read is one REPEATABLE READ snapshot (see
``StoreCore._reading``), so an audit's header and its answers always belong together. Kept apart
from the writes so the many ways of reading (one audit, a thousand for a comparison, a
fingerprint, the history) can be made faster without touching what a write checks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..audit import Audit, Response
from .core import StoreCore
from .db import AuditRow, ChangeRow, ResponseRow, SchoolRow
from .records import AuditSummary, ChangeRecord
from .rows import _response_data, _response_of


def _scope(urns: Collection[str] | None, la_codes: Collection[str] | None) -> Any:
    """The WHERE clause limiting a query to some schools; None for no limit."""
    if urns is None and la_codes is None:
        return None
    return or_(AuditRow.urn.in_(sorted(urns or ())),
               SchoolRow.la_code.in_(sorted(la_codes or ())))


class Reads(StoreCore):
    """The store's methods that read and change nothing (mixed into :class:`Store`)."""

    def get_audit(self, urn: str, year: str) -> Audit | None:
        """The audit exactly as saved, or None."""
        with self._reading() as s:
            row = self._audit_row(s, urn, year)
            return None if row is None else self._audit_in(s, row)

    @staticmethod
    def _audit_of(row: AuditRow, school: SchoolRow,
                  responses: dict[str, dict[str, Any]]) -> Audit:
        # One validation of plain data (in pydantic's compiled core) is about twice as fast
        # as building each nested model, which matters when an adviser loads 1,000 audits.
        return Audit.model_validate({
            "framework": {"id": row.framework_id, "version": row.framework_version},
            "school": {"urn": school.urn, "name": school.name, "la_code": school.la_code,
                       "phase": school.phase, "type": school.type, "area": school.area},
            "academic_year": row.academic_year,
            "status": row.status,
            "completed_by": row.completed_by,
            "required_sign_offs": row.required_sign_offs,
            "carried_forward_from": row.carried_forward_from,
            "sign_offs": row.sign_offs,
            "responses": responses,
            "archived": row.archived or [],
        })

    def _audit_in(self, s: Session, row: AuditRow) -> Audit:
        """The stored audit behind ``row``, read in the caller's transaction: a read's
        snapshot, or a write's lock, so what a write checks is what it then changes."""
        school = s.get_one(SchoolRow, row.urn)
        responses = s.scalars(select(ResponseRow).where(ResponseRow.audit_id == row.id)
                              .order_by(ResponseRow.position, ResponseRow.criterion_id))
        return self._audit_of(row, school, {r.criterion_id: _response_data(r)
                                            for r in responses})

    def get_audits(self, urns: Collection[str] | None = None,
                   academic_year: str | None = None, *,
                   la_codes: Collection[str] | None = None) -> list[Audit]:
        """Many audits in two queries, for comparisons; scoped in the SQL (see list_audits)."""
        q = select(AuditRow, SchoolRow).join(SchoolRow, SchoolRow.urn == AuditRow.urn)
        cols = ResponseRow.__table__.c
        rq = (select(cols.audit_id, cols.criterion_id, cols.rating, cols.evidence_text,
                     cols.evidence_location, cols.evidence_kind, cols.action_what,
                     cols.action_owner, cols.action_due, cols.action_status,
                     cols.not_applicable_reason, cols.rechecked, cols.moderated_rating,
                     cols.moderation_note, cols.moved_from)
              .join(AuditRow, AuditRow.id == cols.audit_id)
              .join(SchoolRow, SchoolRow.urn == AuditRow.urn))
        scope = _scope(urns, la_codes)
        if scope is not None:
            q, rq = q.where(scope), rq.where(scope)
        if academic_year is not None:
            q = q.where(AuditRow.academic_year == academic_year)
            rq = rq.where(AuditRow.academic_year == academic_year)
        with self._reading() as s:
            rows = s.execute(q.order_by(SchoolRow.name, AuditRow.urn,
                                        AuditRow.academic_year)).all()
            by_audit: dict[int, dict[str, dict[str, Any]]] = {}
            # Unpacked by position: at 45,000 rows, attribute lookups on rows add up.
            for (audit_id, cid, rating, ev_text, ev_location, ev_kind, what, owner, due,
                 status, na_reason, rechecked, moderated, note, moved_from) in s.execute(
                    rq.order_by(cols.audit_id, cols.position, cols.criterion_id)):
                by_audit.setdefault(audit_id, {})[cid] = {
                    "rating": rating,
                    "evidence": None if ev_text is None else {
                        "text": ev_text, "location": ev_location or "", "kind": ev_kind},
                    "action": None if what is None else {
                        "what": what, "owner": owner or "", "due": due,
                        "status": status or "not-started"},
                    "not_applicable_reason": na_reason, "rechecked": rechecked,
                    "moderated_rating": moderated, "moderation_note": note,
                    "moved_from": moved_from}
            return [self._audit_of(a, sch, by_audit.get(a.id, {})) for a, sch in rows]

    def list_audits(self, urns: Collection[str] | None = None, *,
                    la_codes: Collection[str] | None = None) -> list[AuditSummary]:
        """Every audit with its progress, or only those a user may see.

        With ``urns`` and/or ``la_codes`` (a ``permissions.Scope``: a school's staff, an
        adviser's authorities) only audits of those schools are returned, and the limit is
        in the SQL's WHERE, so nothing outside it is ever read. None for both means all.
        """
        answered = func.count(case((or_(ResponseRow.rating.is_not(None),
                                        ResponseRow.not_applicable_reason.is_not(None)), 1)))
        q = (select(AuditRow.urn, SchoolRow.name, AuditRow.academic_year,
                    AuditRow.framework_id, AuditRow.framework_version, AuditRow.status,
                    AuditRow.updated_at, answered)
             .join(SchoolRow, SchoolRow.urn == AuditRow.urn)
             .outerjoin(ResponseRow, ResponseRow.audit_id == AuditRow.id)
             .group_by(AuditRow.id, SchoolRow.urn)
             .order_by(SchoolRow.name, AuditRow.urn, AuditRow.academic_year.desc()))
        scope = _scope(urns, la_codes)
        if scope is not None:
            q = q.where(scope)
        with self._reading() as s:
            return [AuditSummary(*row) for row in s.execute(q)]

    def comparison_fingerprint(self, la_codes: Collection[str] | None = None
                               ) -> tuple[Any, ...]:
        """A fingerprint of the audits in these authorities (None: all) that changes whenever
        any of them changes, so the comparison page recomputes only then.

        Every save bumps its audit's version; every change (a school's details too) adds a
        row to the change log; a new audit changes the count. One small aggregate query.
        """
        a, sc = AuditRow.__table__.c, SchoolRow.__table__.c
        q = (select(func.count(a.id), func.sum(a.version), func.max(a.id),
                    func.max(a.updated_at))
             .select_from(AuditRow.__table__.join(SchoolRow.__table__, sc.urn == a.urn)))
        if la_codes is not None:
            q = q.where(sc.la_code.in_(sorted(la_codes)))
        with self._reading() as s:
            head = tuple(s.execute(q).one())
            changes = s.execute(select(func.max(ChangeRow.__table__.c.id))).scalar()
        return (*head, changes)

    def response_version(self, urn: str, year: str, criterion_id: str) -> int:
        """The version a save must name; 0 when the criterion has no saved answer."""
        q = (select(ResponseRow.version).join(AuditRow, AuditRow.id == ResponseRow.audit_id)
             .where(AuditRow.urn == urn, AuditRow.academic_year == year,
                    ResponseRow.criterion_id == criterion_id))
        with self._reading() as s:
            return s.scalar(q) or 0

    def response_with_version(self, urn: str, year: str,
                              criterion_id: str) -> tuple[Response | None, int]:
        """One stored answer and its version, read together (None and 0 when unanswered)."""
        q = (select(ResponseRow).join(AuditRow, AuditRow.id == ResponseRow.audit_id)
             .where(AuditRow.urn == urn, AuditRow.academic_year == year,
                    ResponseRow.criterion_id == criterion_id))
        with self._reading() as s:
            row = s.scalars(q).one_or_none()
            return (_response_of(row), row.version) if row is not None else (None, 0)

    def history(self, urn: str, year: str,
                criterion_id: str | None = None) -> list[ChangeRecord]:
        """Every change to the audit (or one criterion), newest first.

        The whole-audit history includes changes to the school's own details, which belong
        to every year's audit.
        """
        with self._reading() as s:
            row = self._audit_row(s, urn, year)
            if row is None:
                return []
            if criterion_id is not None:
                where = and_(ChangeRow.audit_id == row.id,
                             ChangeRow.criterion_id == criterion_id)
            else:
                where = or_(ChangeRow.audit_id == row.id,
                            and_(ChangeRow.audit_id.is_(None), ChangeRow.urn == urn))
            q = select(ChangeRow).where(where).order_by(ChangeRow.at.desc(),
                                                        ChangeRow.id.desc())
            return [ChangeRecord(c.at, c.user, c.criterion_id, c.field, c.old_value,
                                 c.new_value) for c in s.scalars(q)]

    def la_code_of(self, urn: str) -> str | None:
        """The local authority code recorded for a school; None if unknown or no school."""
        with self._reading() as s:
            return s.scalar(select(SchoolRow.la_code).where(SchoolRow.urn == urn))

    def la_codes_of(self, urns: Collection[str]) -> dict[str, str | None]:
        """The recorded authority of each of these schools that the database knows."""
        with self._reading() as s:
            rows = s.execute(select(SchoolRow.urn, SchoolRow.la_code)
                             .where(SchoolRow.urn.in_(sorted(urns))))
            return {urn: la_code for urn, la_code in rows}
