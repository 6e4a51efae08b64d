"""An audit's status: in progress, submitted or signed off, and the moves between them.

A move needs its right (:func:`~quality_offer.permissions.status_change_refusal`): reopening a
signed-off audit is for a headteacher or an administrator, and a person locks an audit only
once the signatures the school requires are in. ``_write_status`` is the one place a checked
move is written, with its line in the history, so a status set on the page and a school's
withdrawal (``cycles.py``) reopen alike: the signatures set aside, kept on record.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..audit import SignOff, missing_sign_offs, missing_words, requirement
from ..permissions import status_change_refusal
from ..vocabulary import AUDIT_STATUSES
from .changelog import ChangeLog
from .checks import _restoring
from .db import AuditRow
from .errors import Forbidden
from .records import Actor
from .rows import _now
from .sign_offs import SignOffs


class Statuses(SignOffs, ChangeLog):
    """The store's methods for moving an audit between statuses (mixed into :class:`Store`)."""

    def set_status(self, urn: str, year: str, status: str, user: Actor) -> None:
        """Move the audit to in-progress, submitted or signed-off; recorded in the history.

        The move needs its right (:func:`~quality_offer.permissions.status_change_refusal`):
        reopening a signed-off audit is for a headteacher or an administrator.
        """
        if status not in AUDIT_STATUSES:
            raise ValueError(f"{status!r} is not a status; use one of "
                             + ", ".join(AUDIT_STATUSES))
        with self._writing() as s:
            actor, audit, la = self._audit_to_change(s, user, urn, year)
            refusal = status_change_refusal(actor, audit.status, status, urn, la)
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

    def submit(self, urn: str, year: str, user: Actor) -> None:
        """Mark the audit as submitted (to the authority, or for sign-off)."""
        self.set_status(urn, year, "submitted", user)

    def reopen(self, urn: str, year: str, user: Actor) -> None:
        """Make a signed-off (or submitted) audit editable again; its sign-offs are kept."""
        self.set_status(urn, year, "in-progress", user)

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
