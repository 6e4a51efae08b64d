"""A school's details (name, phase, area, authority) in the store, each change recorded.

The details belong to every year's audit of the school, and the authority decides which
advisers can read it: so a recorded school's LA code changes only when an administrator asks,
and, as two first imports of one school may race, a new school is inserted only if it is
still missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..audit import School
from ..permissions import User
from .changelog import ChangeLog
from .db import SchoolRow
from .errors import Forbidden
from .records import Actor
from .rows import SCHOOL_FIELDS, _check_storable, _now, _school_of, _school_values


class Schools(ChangeLog):
    """The store's methods for a school's details (mixed into :class:`Store`)."""

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

    def _kept_la_code(self, s: Session, actor: User, school: School,
                      change_la_code: bool) -> tuple[School, str | None]:
        """The school with its recorded LA code, unless an administrator moves it on purpose.

        Returns the school to write and, when a different code was set aside, why.
        """
        row = s.get(SchoolRow, school.urn)
        if row is None or row.la_code == school.la_code:
            return school, None
        if change_la_code:
            if not actor.is_admin:
                raise Forbidden("only an administrator can move a school to another "
                                "authority; nothing was saved")
            return school, None
        note = (f"the file's LA code ({school.la_code or 'none'}) was not applied: the school "
                f"is recorded in authority {row.la_code or '(none)'}, and only an "
                "administrator can move it")
        return school.model_copy(update={"la_code": row.la_code}), note

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
