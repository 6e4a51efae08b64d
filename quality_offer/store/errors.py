"""The errors the store raises on purpose, each with a message for a person.

Kept apart from the store itself so that every part of it (and every caller) can name them
without importing the whole store.
"""

from __future__ import annotations

from ..audit import Response
from ..errors import InputError


class StoreError(Exception):
    """Base of the errors the store raises on purpose, each with a message for a person."""


class AuditExists(StoreError):
    """There is already an audit for this school and year: open it or import over it."""


class AuditNotFound(StoreError, LookupError):
    """No audit for this school and year."""


class Conflict(StoreError):
    """Someone else saved since this copy was loaded; nothing was written.

    ``current`` is the stored response (None if there is none) and ``version`` its version,
    so the app can show it and let the user redo their change on top.
    """

    def __init__(self, message: str, current: Response | None = None, version: int = 0) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


class SignedOff(StoreError):
    """The audit is signed off: its answers are fixed until someone reopens it."""


class ReasonNeeded(StoreError):
    """The audit is not finished, so a signature needs a stated reason; nothing was signed."""


class Forbidden(StoreError):
    """The acting user may not make this change, judged at the moment of writing.

    Rights are looked up again inside the write's own transaction, so a membership removed a
    second ago stops the next change, whatever the page still believes.
    """


class StoreUnavailable(StoreError):
    """The database failed during a write; nothing was saved, and nothing of it was logged."""


class UnstorableText(InputError):
    """Text a database cannot keep (a NUL character); refused before anything is written.

    PostgreSQL rejects U+0000 in text outright, and SQLite would keep it but many tools
    reading the file would cut the text there, so the store refuses it everywhere alike.
    Lone surrogates never get this far: the pydantic models already refuse them.
    """
