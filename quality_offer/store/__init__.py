"""Storage of audits in SQLite (the default, a file in the data folder) or PostgreSQL.

See :mod:`quality_offer.store.store` for the rules that keep a SENCO's work safe.
"""

from .cycles import Cycle
from .errors import (
    AuditExists,
    AuditNotFound,
    Conflict,
    Forbidden,
    ReasonNeeded,
    SignedOff,
    StoreError,
    StoreUnavailable,
    UnstorableText,
)
from .moves import MoveRecord
from .records import AuditSummary, ChangeRecord, ImportPreview, MembershipRecord
from .settings import data_dir, database_url
from .store import Store

__all__ = [
    "AuditExists",
    "AuditNotFound",
    "AuditSummary",
    "ChangeRecord",
    "Conflict",
    "Cycle",
    "Forbidden",
    "ImportPreview",
    "MembershipRecord",
    "MoveRecord",
    "ReasonNeeded",
    "SignedOff",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "UnstorableText",
    "data_dir",
    "database_url",
]
