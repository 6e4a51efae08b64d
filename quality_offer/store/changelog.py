"""What every write leaves behind: a history line per changed field, and the audit's new version.

Every change records who, when, the field, and the old and new value, so even an accepted
overwrite can be read back from the history; every change to an audit raises its version,
which is what an optimistic save or a signature names. Both live in one place so that no
write, whichever module makes it, can record one and forget the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from .core import StoreCore
from .db import AuditRow, ChangeRow
from .rows import _text


class ChangeLog(StoreCore):
    """The store's methods for recording writes (mixed into :class:`Store`)."""

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
