"""Who holds which role where: memberships in the store, each change checked and recorded.

Only an administrator adds or removes a membership; every change is kept in the membership
history, and a page that still shows an old membership is refused at its next write (the
store looks rights up again inside every writing transaction).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..errors import InputError, Problem
from ..permissions import Membership, can, membership_problems
from .core import StoreCore
from .db import MembershipChangeRow, MembershipRow
from .errors import Forbidden, StoreError
from .records import Actor, MembershipRecord
from .rows import _check_storable, _now


class Memberships(StoreCore):
    """The store's methods for memberships (mixed into :class:`Store`)."""

    def memberships_for(self, issuer: str, subject: str) -> list[Membership]:
        """The roles held by the person the provider calls (issuer, subject)."""
        q = (select(MembershipRow.role, MembershipRow.urn, MembershipRow.la_code)
             .where(MembershipRow.issuer == issuer, MembershipRow.subject == subject)
             .order_by(MembershipRow.id))
        with self._reading() as s:
            return [Membership(role=role, urn=urn, la_code=la)  # type: ignore[arg-type]
                    for role, urn, la in s.execute(q)]

    def list_memberships(self) -> list[MembershipRecord]:
        q = select(MembershipRow).order_by(MembershipRow.display_name, MembershipRow.id)
        with self._reading() as s:
            return [MembershipRecord(m.id, m.issuer, m.subject, m.display_name, m.role, m.urn,
                                     m.la_code, m.created_at, m.created_by)
                    for m in s.scalars(q)]

    def add_membership(self, issuer: str, subject: str, display_name: str, role: str,
                       urn: str | None, la_code: str | None, user: Actor) -> MembershipRecord:
        """Record a membership (validated); the same one twice is refused.

        Only an administrator may, judged on the memberships stored at this moment.
        """
        issuer, subject, display_name = issuer.strip(), subject.strip(), display_name.strip()
        problems = membership_problems(role, urn, la_code)
        if not issuer or not subject:
            problems.insert(0, "The issuer and the subject are both needed: they identify "
                               "the person, as the identity provider knows them.")
        if len(issuer) > 500 or len(subject) > 500 or len(display_name) > 200:
            problems.append("The issuer and subject are at most 500 characters, the name "
                            "200.")
        if problems:
            raise InputError([Problem("membership", None, None, "", p) for p in problems])
        _check_storable("membership", issuer=issuer, subject=subject, name=display_name)
        with self._writing() as s:
            actor = self._actor(s, user)
            if not can(actor, "manage_members"):
                raise Forbidden("only an administrator can manage memberships; nothing was "
                                "saved")
            user = actor.label
            same = s.scalar(select(MembershipRow.id).where(
                MembershipRow.issuer == issuer, MembershipRow.subject == subject,
                MembershipRow.role == role,
                MembershipRow.urn.is_(None) if urn is None else MembershipRow.urn == urn,
                MembershipRow.la_code.is_(None) if la_code is None
                else MembershipRow.la_code == la_code))
            if same is not None:
                raise StoreError("that person already has that role there")
            now = _now()
            row = MembershipRow(issuer=issuer, subject=subject, display_name=display_name,
                                role=role, urn=urn, la_code=la_code, created_at=now,
                                created_by=user)
            s.add(row)
            s.flush()
            rec = MembershipRecord(row.id, issuer, subject, display_name, role, urn, la_code,
                                   now, user)
            s.add(MembershipChangeRow(at=now, user=user, action="add", membership_id=row.id,
                                      detail=rec.describe()))
            return rec

    def remove_membership(self, membership_id: int, user: Actor) -> None:
        """Remove a membership; the removal is kept in the memberships' audit trail."""
        with self._writing() as s:
            actor = self._actor(s, user)
            if not can(actor, "manage_members"):
                raise Forbidden("only an administrator can manage memberships; nothing was "
                                "changed")
            user = actor.label
            row = s.get(MembershipRow, membership_id)
            if row is None:
                raise StoreError("that membership no longer exists")
            rec = MembershipRecord(row.id, row.issuer, row.subject, row.display_name,
                                   row.role, row.urn, row.la_code, row.created_at,
                                   row.created_by)
            s.delete(row)
            s.add(MembershipChangeRow(at=_now(), user=user, action="remove",
                                      membership_id=membership_id, detail=rec.describe()))

    def membership_history(self) -> list[tuple[dt.datetime, str, str, str]]:
        """The memberships' audit trail, newest first: (when, who, add/remove, what)."""
        q = select(MembershipChangeRow).order_by(MembershipChangeRow.id.desc())
        with self._reading() as s:
            return [(c.at, c.user, c.action, c.detail) for c in s.scalars(q)]
