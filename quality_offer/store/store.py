"""The store: audits in SQLite or PostgreSQL, with every change recorded and nothing lost.

A SENCO's audit is hours of work over weeks, often by several people at once. So:

- every write is one transaction: a crash or a killed process leaves the last committed state;
- a save names the version it was edited from (optimistic concurrency); if someone else saved
  since, the save is refused with a message saying who changed what, and nothing is overwritten;
- every change records who, when, the field, and the old and new value, so even an accepted
  overwrite can be read back from the history;
- an import never drops a stored answer that the file does not mention;
- there is no delete.

The schema is brought up to date with Alembic when the store is opened, so a new version of
the tool upgrades an existing database without a separate step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from sqlalchemy import (
    and_,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .. import framework as frameworks
from ..audit import (
    REQUIRED_CHOICES,
    Audit,
    Response,
    School,
    SignOff,
    lowers,
    missing_sign_offs,
    missing_words,
    requirement,
)
from ..errors import InputError, Problem
from ..gaps import analyse
from ..permissions import (
    MODERATION_FIELDS,
    Membership,
    User,
    can,
    field_action,
    operator,
    sign_off_roles,
    status_change_refusal,
)
from ..vocabulary import AUDIT_STATUSES
from . import settings
from .checks import (
    _refuse_if_signed_off,
    _required_text,
    _restoring,
    _signs,
)
from .conflicts import _conflict_message
from .cycles import Cycles
from .db import (
    AuditRow,
    ChangeRow,
    MembershipRow,
    ResponseRow,
    SchoolRow,
)
from .engine import _UPGRADE_LOCK, _alembic_config, _make_engine
from .errors import (
    AuditExists,
    AuditNotFound,
    Conflict,
    Forbidden,
    ReasonNeeded,
    StoreUnavailable,
)
from .imports import Imports
from .memberships import Memberships
from .moves import FrameworkMoves
from .records import Actor, AuditSummary, ChangeRecord
from .rows import (
    RESPONSE_FIELDS,
    SCHOOL_FIELDS,
    _check_criterion_id,
    _check_storable,
    _flat,
    _now,
    _response_data,
    _response_of,
    _school_of,
    _school_values,
    _sign_off_text,
    _text,
    response_columns,
)

log = logging.getLogger("quality_offer.store")



# An LA adviser may still record moderation on a signed-off audit (``MODERATION_FIELDS``):
# it sits beside the school's own answer and never changes what the governors signed.


def _scope(urns: Collection[str] | None, la_codes: Collection[str] | None) -> Any:
    """The WHERE clause limiting a query to some schools; None for no limit."""
    if urns is None and la_codes is None:
        return None
    return or_(AuditRow.urn.in_(sorted(urns or ())),
               SchoolRow.la_code.in_(sorted(la_codes or ())))


# --- the store ----------------------------------------------------------------------------


class Store(Cycles, FrameworkMoves, Memberships, Imports):
    """All reads and writes of audits. Thread-safe: each call uses its own connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self.dialect = self.engine.dialect.name
        self._writer = self.engine.execution_options(quality_offer_write=True)
        # PostgreSQL: read an audit's header and answers from one snapshot.
        self._reader = (self.engine.execution_options(isolation_level="REPEATABLE READ")
                        if self.dialect == "postgresql" else self.engine)
        self.upgrade()

    @classmethod
    def from_settings(cls, url: str | None = None) -> Store:
        """The store at ``url``, else ``QUALITY_OFFER_DATABASE_URL``, else the data folder."""
        return cls(settings.database_url(url))

    def upgrade(self) -> None:
        """Bring the schema to the newest migration, in one transaction."""
        cfg = _alembic_config()
        with _UPGRADE_LOCK, self._writer.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One write transaction: all of it is committed, or none of it.

        A database error becomes :class:`StoreUnavailable` with the app's own words; the log
        gets the error's kind and code only, never the statement's values or the database's
        detail (which can quote the row, evidence included).
        """
        try:
            with Session(self._writer, expire_on_commit=False) as s, s.begin():
                yield s
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "sqlite_errorname",
                                                                   None)
            log.error("A write to the database failed (%s, %s); nothing was saved",
                      type(exc.orig).__name__, code or "no code")
            raise StoreUnavailable(
                "the database could not save this change, so nothing was saved; try again in "
                "a moment, and tell the administrator if it keeps happening") from None

    # --- rights -----------------------------------------------------------------------------

    @staticmethod
    def _actor(s: Session, user: Actor) -> User:
        """The acting user with the memberships the database holds now, in this transaction.

        A page keeps a user's rights for a few seconds, and a fragment reruns on the rights
        of an earlier full run; the write asks the database again, so a removed membership
        stops the very next change. The operator and the local user have no memberships to
        look up; the configured first administrator keeps that role.
        """
        actor = operator(user) if isinstance(user, str) else user
        _check_storable("user", user=actor.label)
        if actor.local:
            return actor
        rows = s.execute(select(MembershipRow.role, MembershipRow.urn, MembershipRow.la_code)
                         .where(MembershipRow.issuer == actor.issuer,
                                MembershipRow.subject == actor.subject)
                         .order_by(MembershipRow.id))
        found = tuple(Membership(role=role, urn=urn, la_code=la)  # type: ignore[arg-type]
                      for role, urn, la in rows)
        return dataclasses.replace(
            actor, memberships=found + tuple(m for m in actor.configured if m not in found))

    @staticmethod
    def _la_of(s: Session, urn: str, claimed: str | None = None) -> str | None:
        """The school's authority as recorded (a file's claim counts only for a new school)."""
        row = s.get(SchoolRow, urn)
        return row.la_code if row is not None else claimed

    @staticmethod
    def _require(user: User, action: str, urn: str, la_code: str | None,
                 refusal: str) -> None:
        if not can(user, action, urn, la_code):
            raise Forbidden(f"{refusal}; nothing was saved")

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with Session(self._reader) as s, s.begin():
            yield s

    @staticmethod
    def _audit_row(s: Session, urn: str, year: str, *, lock: bool = False) -> AuditRow | None:
        q = select(AuditRow).where(AuditRow.urn == urn, AuditRow.academic_year == year)
        if lock:  # PostgreSQL: writes to one audit queue here; SQLite: BEGIN IMMEDIATE did it
            q = q.with_for_update()
        return s.scalars(q).one_or_none()

    def _locked_audit(self, s: Session, urn: str, year: str) -> AuditRow:
        row = self._audit_row(s, urn, year, lock=True)
        if row is None:
            raise AuditNotFound(f"no audit for URN {urn} in {year}")
        return row

    # --- reading --------------------------------------------------------------------------

    def get_audit(self, urn: str, year: str) -> Audit | None:
        """The audit exactly as saved, or None."""
        with self._reading() as s:
            row = self._audit_row(s, urn, year)
            if row is None:
                return None
            school = s.get_one(SchoolRow, row.urn)
            responses = s.scalars(select(ResponseRow).where(ResponseRow.audit_id == row.id)
                                  .order_by(ResponseRow.position, ResponseRow.criterion_id))
            return self._audit_of(row, school,
                                  {r.criterion_id: _response_data(r) for r in responses})

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

    # --- writing --------------------------------------------------------------------------

    def create_audit(self, audit: Audit, user: Actor) -> None:
        """Start a new audit (this year's, or next year's carried forward); refused if one exists.

        The user needs the create right at the school, and every part of the new audit its
        own right, as for an import; the school's recorded LA code is kept.
        """
        _check_storable(f"audit {audit.school.urn} {audit.academic_year}", audit=audit)
        with self._writing() as s:
            plan = self._checked_plan(s, audit, user, "create", lock=True)
            if not plan.preview.is_new:
                raise AuditExists(
                    f"there is already an audit for {audit.school.name} (URN "
                    f"{audit.school.urn}) in {audit.academic_year}; open it, or import the "
                    "file to update it")
            self._apply(s, plan, self._actor(s, user).label)

    def save_response(self, urn: str, year: str, criterion_id: str, response: Response,
                      user: str, expected_version: int) -> int:
        """Save one answer if nobody saved it since ``expected_version``; the new version.

        Refused with :class:`Conflict` (saying who changed what) when the stored version is
        not ``expected_version``. Saving what is already stored writes nothing.
        """
        _check_criterion_id(criterion_id)
        _check_storable(f"audit {urn} {year}", **{f"responses.{criterion_id}": response})
        with self._writing() as s:
            actor = self._actor(s, user)
            audit = self._locked_audit(s, urn, year)
            la = self._la_of(s, urn)
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
            actor = self._actor(s, user)
            audit = self._locked_audit(s, urn, year)
            la = self._la_of(s, urn)
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

    def set_status(self, urn: str, year: str, status: str, user: Actor) -> None:
        """Move the audit to in-progress, submitted or signed-off; recorded in the history.

        The move needs its right (:func:`~quality_offer.permissions.status_change_refusal`):
        reopening a signed-off audit is for a headteacher or an administrator.
        """
        if status not in AUDIT_STATUSES:
            raise ValueError(f"{status!r} is not a status; use one of "
                             + ", ".join(AUDIT_STATUSES))
        with self._writing() as s:
            actor = self._actor(s, user)
            audit = self._locked_audit(s, urn, year)
            refusal = status_change_refusal(actor, audit.status, status, urn,
                                            self._la_of(s, urn))
            if refusal:
                raise Forbidden(f"{refusal}; nothing was changed")
            if status == "signed-off" and audit.status != status and not _restoring(actor):
                missing = missing_sign_offs([SignOff.model_validate(x)
                                             for x in audit.sign_offs],
                                            requirement(audit.required_sign_offs))
                if missing:
                    raise Forbidden("the audit is locked only when the signatures the school "
                                    f"requires are in: {missing_words(missing)} still to "
                                    "sign; nothing was changed")
            self._write_status(s, audit, status, actor.label)

    def _write_status(self, s: Session, audit: AuditRow, status: str, who: str) -> None:
        """Write a status change the caller has checked, with its line in the history."""
        if audit.status == status:
            return
        now = _now()
        self._log(s, audit, None, [("status", audit.status, status)], who, now)
        s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                  .values(status=status))
        if audit.status == "signed-off":
            # Reopened: the signatures stay on record but no longer count, so the changed
            # audit is locked again only when it is signed again.
            self._set_aside(s, audit, who, now, "reopened")
        self._touch(s, audit, now)

    def _set_aside(self, s: Session, audit: AuditRow, who: str, now: dt.datetime,
                   why: str, keep: Collection[str] = ()) -> None:
        """Set the current signatures aside (kept, no longer counted), each in the history.

        ``why`` is "reopened" or "changed" (the audit changed after they signed); signatures
        in ``keep`` (JSON texts of new ones, e.g. from the same import) stay current.
        """
        signs = _signs(audit.sign_offs)
        aside = [x for x in signs if not x["superseded"] and json.dumps(x, sort_keys=True)
                 not in keep]
        if not aside:
            return
        self._log(s, audit, None, [("sign_off_superseded",
                                    _sign_off_text(SignOff.model_validate(x)), why)
                                   for x in aside], who, now)
        s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id).values(
            sign_offs=[{**x, "superseded": True} if x in aside else x for x in signs]))

    def submit(self, urn: str, year: str, user: Actor) -> None:
        """Mark the audit as submitted (to the authority, or for sign-off)."""
        self.set_status(urn, year, "submitted", user)

    def reopen(self, urn: str, year: str, user: Actor) -> None:
        """Make a signed-off (or submitted) audit editable again; its sign-offs are kept."""
        self.set_status(urn, year, "in-progress", user)

    def sign_off(self, urn: str, year: str, sign_off: SignOff, user: Actor, *,
                 expected_audit_version: int | None = None,
                 close: bool = True) -> list[tuple[str, ...]]:
        """Record a sign-off and (with ``close``) lock the audit once the signatures the
        school requires are in (``Audit.required_sign_offs``; by default the headteacher and
        a governor): one transaction.

        The signatory needs the sign-off right at this school and may sign only the lines
        their membership allows (a governor cannot sign as the headteacher). An audit that
        is not finished (criteria not assessed, answers not re-checked) is signed only with
        a stated reason (:class:`ReasonNeeded`). With ``expected_audit_version`` (read with
        the report they were shown), a report changed since is not signed
        (:class:`Conflict`). With ``close=False`` the status is left alone. Returns the
        required signatures still missing (empty once the audit is locked).
        """
        _check_storable(f"audit {urn} {year}", sign_off=sign_off)
        reason = (sign_off.reason or "").strip() or None
        sign_off = sign_off.model_copy(update={"reason": reason, "superseded": False})
        with self._writing() as s:
            actor = self._actor(s, user)
            audit = self._locked_audit(s, urn, year)
            la = self._la_of(s, urn)
            lines = sign_off_roles(actor, urn, la)
            if not lines:
                raise Forbidden("you do not have the right to sign this audit; nothing was "
                                "saved")
            if sign_off.role not in lines:
                raise Forbidden(f"you cannot sign as {sign_off.role.replace('-', ' ')}; "
                                "nothing was signed")
            if expected_audit_version is not None and audit.version != expected_audit_version:
                raise Conflict(f"the audit for URN {urn} in {year} was changed after you "
                               "opened it; nothing was signed. Read it again, then sign.")
            unfinished = self._unfinished(self._audit_in(s, audit))
            if unfinished and reason is None:
                raise ReasonNeeded("the audit is not finished (" + "; ".join(unfinished)
                                   + "), so signing it needs a reason, which the report "
                                     "prints; nothing was signed")
            value = sign_off.model_dump(mode="json")
            now = _now()
            changed = False
            signs = _signs(audit.sign_offs)
            if value not in signs:
                self._log(s, audit, None, [("sign_off", None, _sign_off_text(sign_off))],
                          actor.label, now)
                signs.append(value)
                s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                          .values(sign_offs=signs))
                changed = True
            missing = missing_sign_offs([SignOff.model_validate(x) for x in signs],
                                        requirement(audit.required_sign_offs))
            if close and not missing and audit.status != "signed-off":
                self._log(s, audit, None, [("status", audit.status, "signed-off")],
                          actor.label, now)
                s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                          .values(status="signed-off"))
                changed = True
            if changed:
                self._touch(s, audit, now)
            return missing

    def _audit_in(self, s: Session, row: AuditRow) -> Audit:
        """The stored audit, read inside the writing transaction."""
        school = s.get_one(SchoolRow, row.urn)
        responses = s.scalars(select(ResponseRow).where(ResponseRow.audit_id == row.id)
                              .order_by(ResponseRow.position, ResponseRow.criterion_id))
        return self._audit_of(row, school, {r.criterion_id: _response_data(r)
                                            for r in responses})

    @staticmethod
    def _unfinished(audit: Audit) -> list[str]:
        """Why the audit is not finished (empty when finished), from its gap report; a
        framework that is not installed cannot be judged, so nothing is claimed."""
        try:
            fw = frameworks.get(audit.framework.id, audit.framework.version)
        except (KeyError, InputError):
            return []
        return analyse(fw, audit).unfinished

    def set_completed_by(self, urn: str, year: str, completed_by: str | None,
                         user: Actor) -> None:
        """Fill in (or clear) the report's "Completed by" line: the edit right, recorded.

        A signed-off audit keeps the line its signatories saw, until it is reopened.
        """
        value = (completed_by or "").strip() or None
        if value is not None and len(value) > 300:
            raise InputError([Problem(f"audit {urn} {year}", None, None, "completed_by",
                                      "is longer than 300 characters; nothing was saved")])
        _check_storable(f"audit {urn} {year}", completed_by=value)
        with self._writing() as s:
            actor = self._actor(s, user)
            audit = self._locked_audit(s, urn, year)
            self._require(actor, "edit", urn, self._la_of(s, urn),
                          "you do not have the right to change this audit")
            if audit.completed_by == value:
                return
            _refuse_if_signed_off(audit, ["completed_by"])
            now = _now()
            self._log(s, audit, None, [("completed_by", audit.completed_by, value)],
                      actor.label, now)
            s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                      .values(completed_by=value))
            self._set_aside(s, audit, actor.label, now, "changed")
            self._touch(s, audit, now)

    def set_required_sign_offs(self, urn: str, year: str, choices: list[str],
                               user: Actor) -> None:
        """Set the signatures that sign this audit off, e.g. ["headteacher", "governor"].

        Asking for more needs the edit right; asking for fewer than before needs the right
        to sign off as well (a headteacher, an administrator). A signed-off audit keeps the
        requirement it was signed under until it is reopened. If the signatures already
        given meet the new requirement, the audit is signed off in the same transaction.
        """
        problems = [f"{c!r} is not a signature; use one of " + ", ".join(REQUIRED_CHOICES)
                    for c in choices if c not in REQUIRED_CHOICES]
        if not problems and (len(set(choices)) != len(choices) or not set(choices) - {"senco"}):
            problems.append("require the headteacher or a governor, each once: the SENCO "
                            "wrote the audit, so their signature alone is no check")
        if problems:
            raise InputError([Problem(f"audit {urn} {year}", None, None,
                                      "required_sign_offs", p + "; nothing was saved")
                              for p in problems])
        with self._writing() as s:
            actor = self._actor(s, user)
            audit = self._locked_audit(s, urn, year)
            la = self._la_of(s, urn)
            self._require(actor, "edit", urn, la, "you do not have the right to change this "
                                                  "audit")
            old, new = requirement(audit.required_sign_offs), requirement(choices)
            if list(choices) == (audit.required_sign_offs or []) or old == new:
                return
            if lowers(old, new):
                self._require(actor, "sign_off", urn, la, "only a headteacher or an "
                                                          "administrator can ask for fewer "
                                                          "signatures")
            _refuse_if_signed_off(audit, ["required_sign_offs"])
            now = _now()
            self._log(s, audit, None, [("required_sign_offs",
                                        _required_text(audit.required_sign_offs),
                                        _required_text(list(choices)))], actor.label, now)
            values: dict[str, Any] = {"required_sign_offs": list(choices)}
            if not missing_sign_offs([SignOff.model_validate(x) for x in audit.sign_offs],
                                     new):
                self._log(s, audit, None, [("status", audit.status, "signed-off")],
                          actor.label, now)
                values["status"] = "signed-off"
            s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                      .values(**values))
            self._touch(s, audit, now)

    def add_sign_off(self, urn: str, year: str, sign_off: SignOff, user: Actor) -> None:
        """Add a sign-off, leaving the status alone (the same one twice is recorded once)."""
        self.sign_off(urn, year, sign_off, user, close=False)

    def update_school(self, school: School, user: Actor, *,
                      change_la_code: bool = False) -> None:
        """Record a school's new details (name, phase, area...); each change is logged.

        A recorded school's authority changes only when an administrator asks for it
        (``change_la_code``): it decides which advisers can read the school.
        """
        _check_storable(f"school {school.urn}", school=school)
        with self._writing() as s:
            actor = self._actor(s, user)
            la = self._la_of(s, school.urn, school.la_code)
            self._require(actor, "edit", school.urn, la, "you do not have the right to "
                                                         "change this school's details")
            school, _note = self._kept_la_code(s, actor, school, change_la_code)
            self._upsert_school(s, school, actor.label, _now())

    # --- internals ------------------------------------------------------------------------

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

    @staticmethod
    def _log(s: Session, audit: AuditRow | None, criterion_id: str | None,
             diff: list[tuple[str, Any, Any]], user: str, now: dt.datetime,
             version: int | None = None, urn: str | None = None) -> None:
        if not diff:
            return
        s.execute(insert(ChangeRow), [
            {"audit_id": audit.id if audit is not None else None,
             "urn": audit.urn if audit is not None else urn,
             "criterion_id": criterion_id, "field": f, "old_value": _text(old),
             "new_value": _text(new), "user": user, "at": now, "version": version}
            for f, old, new in diff])

    @staticmethod
    def _touch(s: Session, audit: AuditRow, now: dt.datetime) -> None:
        s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                  .values(updated_at=now, version=AuditRow.__table__.c.version + 1))

    def _insert_ignore(self, s: Session, school: School) -> None:
        """Insert the school unless it exists (two first imports may race)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        s.execute(dialect_insert(SchoolRow).values(**_school_values(school))
                  .on_conflict_do_nothing(index_elements=["urn"]))

    @staticmethod
    def _school_diff(row: SchoolRow | None, school: School) -> list[tuple[str, Any, Any]]:
        return [(f"school.{f}", getattr(row, f) if row is not None else None,
                 getattr(school, f)) for f in SCHOOL_FIELDS
                if row is None or getattr(row, f) != getattr(school, f)]

    def _upsert_school(self, s: Session, school: School, user: str, now: dt.datetime) -> None:
        q = (select(SchoolRow).where(SchoolRow.urn == school.urn).with_for_update()
             .execution_options(populate_existing=True))
        row = s.scalars(q).one_or_none()
        if row is None:
            self._insert_ignore(s, school)
            row = s.scalars(q).one()
            if _school_of(row) == school:  # ours (or an identical one created just now)
                self._log(s, None, None, self._school_diff(None, school), user, now,
                          urn=school.urn)
                return
        diff = self._school_diff(row, school)
        if not diff:
            return
        s.execute(update(SchoolRow.__table__).where(SchoolRow.urn == school.urn)
                  .values(**{f: getattr(school, f) for f in SCHOOL_FIELDS}))
        self._log(s, None, None, diff, user, now, urn=school.urn)

    # --- schools' authorities (for advisers' scoping) ----------------------------------------

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
