"""Starting an audit, and the report's "Completed by" line that its writers fill in.

A new audit goes through the import's plan and checks (``imports.py``), so starting one on the
page and importing a file ask for the same rights on every part of it; it is refused when the
school already has an audit that year, so nobody's work is replaced by an empty one.
"""

from __future__ import annotations

from sqlalchemy import update

from ..audit import Audit
from ..errors import InputError, Problem
from .changelog import ChangeLog
from .checks import _refuse_if_signed_off
from .db import AuditRow
from .errors import AuditExists
from .imports import Imports
from .records import Actor
from .rows import _check_storable, _now
from .sign_offs import SignOffs


class Audits(Imports, SignOffs, ChangeLog):
    """The store's methods for starting an audit and its header (mixed into :class:`Store`)."""

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
            actor, audit, la = self._audit_to_change(s, user, urn, year)
            self._require(actor, "edit", urn, la, "you do not have the right to change this audit")
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
