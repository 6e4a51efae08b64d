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

This module is the one public :class:`Store`, and holds only what every part shares: opening,
the two kinds of transaction, and the look-up of the acting user's rights inside a write's own
transaction. The reads and the writes are mixed in from modules named for their concern
(``reads``, ``answers``, ``statuses``, ``sign_offs``, ``audits``, ``schools``, ``imports``,
...), so a change to how signatures work is made in one small module, and callers still see
one object.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..permissions import Membership, User, can, operator
from . import settings
from .answers import Answers
from .audits import Audits
from .changelog import ChangeLog
from .cycles import Cycles
from .db import AuditRow, MembershipRow, SchoolRow
from .engine import _UPGRADE_LOCK, _alembic_config, _make_engine
from .errors import AuditNotFound, Forbidden, StoreUnavailable
from .imports import Imports
from .memberships import Memberships
from .moves import FrameworkMoves
from .reads import Reads
from .records import Actor
from .rows import _check_storable
from .schools import Schools
from .sign_offs import SignOffs
from .statuses import Statuses

log = logging.getLogger("quality_offer.store")


class Store(Reads, Answers, Statuses, SignOffs, Audits, Schools, ChangeLog, Cycles,
            FrameworkMoves, Memberships, Imports):
    """All reads and writes of audits. Thread-safe: each call uses its own connection.

    This class is the front: opening the database, the two kinds of transaction, and the
    plumbing every write uses to check the acting user's right inside its own transaction.
    What is read and written is in the mixins, one concern each.
    """

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

    def _audit_to_change(self, s: Session, user: Actor, urn: str,
                         year: str) -> tuple[User, AuditRow, str | None]:
        """The acting user (memberships read now), the audit locked, and the school's
        recorded authority: what a change to one audit checks its right against, all read in
        the change's own transaction so nothing can shift between the check and the write."""
        actor = self._actor(s, user)
        audit = self._locked_audit(s, urn, year)
        return actor, audit, self._la_of(s, urn)
