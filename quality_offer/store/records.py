"""What the store hands back besides audits: lines of the audit list, of the change history,
of the membership list, and what an import would change.

Plain frozen records, so pages and the command line can show them without a session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..permissions import User

#: Whoever makes a change: a signed-in :class:`User`, or the name of the person running the
#: command line or a script on the server (an operator, with full rights).
Actor = User | str



@dataclass(frozen=True)
class AuditSummary:
    """One line of the audit list: enough to show progress without loading the answers."""

    urn: str
    school_name: str
    academic_year: str
    framework_id: str
    framework_version: str
    status: str
    updated_at: dt.datetime
    answered: int


@dataclass(frozen=True)
class ChangeRecord:
    """One changed field: who, when, and the value before and after (as text)."""

    at: dt.datetime
    user: str
    criterion_id: str | None
    field: str
    old: str | None
    new: str | None


Change = tuple[str | None, str, str | None, str | None]


@dataclass(frozen=True)
class MembershipRecord:
    """One stored membership, as the administrator page lists it."""

    id: int
    issuer: str
    subject: str
    display_name: str
    role: str
    urn: str | None
    la_code: str | None
    created_at: dt.datetime
    created_by: str

    def describe(self) -> str:
        where = (f"school {self.urn}" if self.urn else f"authority {self.la_code}"
                 if self.la_code else "every school")
        return (f"{self.display_name or self.subject} ({self.issuer} / {self.subject}): "
                f"{self.role} at {where}")


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would change, shown before anything is written.

    ``changes`` holds (criterion id or None for the audit or school, field, old, new).
    ``kept`` lists the stored answers the file does not mention, or leaves blank: they are
    kept as stored. ``audit_version`` is the stored audit's version the preview was made
    against (0 for a new audit); pass it back to :meth:`Store.import_audit` to be sure nothing
    changed in between.
    """

    is_new: bool
    changes: list[Change]
    kept: list[str] = field(default_factory=list)
    audit_version: int = 0
    notes: list[str] = field(default_factory=list)  # parts of the file set aside, and why

    def describe(self) -> str:
        """A short plain-English account, for the command line and the app."""
        answers = {c[0] for c in self.changes if c[0] is not None}
        if self.is_new:
            text = f"new audit with {len(answers)} answer{'s' * (len(answers) != 1)}"
        elif not self.changes:
            text = "no changes: the stored audit already matches the file"
        else:
            other = sum(1 for c in self.changes if c[0] is None)
            parts = []
            if answers:
                parts.append(f"{len(answers)} answer{'s' * (len(answers) != 1)} changed")
            if other:
                parts.append(f"{other} audit or school detail{'s' * (other != 1)} changed")
            text = ", ".join(parts)
        if self.kept:
            text += (f"; {len(self.kept)} stored answer{'s' * (len(self.kept) != 1)} not in "
                     f"the file kept as they are: {', '.join(self.kept)}")
        for note in self.notes:
            text += f"; {note}"
        return text
