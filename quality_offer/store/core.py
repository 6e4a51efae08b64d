"""The plumbing every part of the store stands on: the two kinds of transaction, and the
look-up of the acting user's rights inside a write's own transaction.

:class:`StoreCore` is the base of every mixin (``reads``, ``answers``, ``sign_offs``, ...), so
what a mixin uses is declared: its own methods, the core's, and those of the mixins it names as
its bases. ``tests/test_store_layout.py`` reads each mixin and fails on any ``self.<name>``
found in none of them, so a mixin cannot lean on a helper it does not say it needs.
:class:`~quality_offer.store.store.Store` opens the database and combines them all.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..permissions import Membership, User, can, operator
from .db import AuditRow, MembershipRow, SchoolRow
from .errors import AuditNotFound, Forbidden, StoreUnavailable
from .records import Actor
from .rows import _check_storable

log = logging.getLogger("quality_offer.store")


class StoreCore:
    """Transactions and right checks, shared by every mixin of the store.

    The engines are set when :class:`~quality_offer.store.store.Store` opens the database;
    they are declared here because the transactions below, and some mixins, use them.
    """

    url: str
    engine: Engine
    dialect: str  # "sqlite" or "postgresql": the few statements that differ ask it
    _writer: Engine  # the engine with the write marker (SQLite: BEGIN IMMEDIATE)
    _reader: Engine  # PostgreSQL: one REPEATABLE READ snapshot per read

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

    def _audit_to_change(self, s: Session, user: Actor, urn: str,
                         year: str) -> tuple[User, AuditRow, str | None]:
        """The acting user (memberships read now), the audit locked, and the school's
        recorded authority: what a change to one audit checks its right against, all read in
        the change's own transaction so nothing can shift between the check and the write."""
        actor = self._actor(s, user)
        audit = self._locked_audit(s, urn, year)
        return actor, audit, self._la_of(s, urn)
