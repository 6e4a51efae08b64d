"""The tables, as SQLAlchemy 2 typed declarative models.

Responses are stored one column per field, not as JSON, so that a local authority's comparison
of a thousand schools is one indexed SQL query rather than a thousand documents parsed in
Python. Every row that can be edited carries a ``version`` for optimistic concurrency, and the
``changes`` table keeps every old value, so nothing a SENCO typed is ever lost, only superseded.

The Alembic migrations in ``quality_offer/migrations`` build these same tables; a test checks
that the two never drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so a later migration can alter them by name on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT for the ever-growing change log; SQLite only auto-numbers an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the backend keeps.

    SQLite has no timezone type; storing naive UTC there and attaching UTC on the way out
    means "who changed what when" reads the same from SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SchoolRow(Base):
    """A school as last recorded; its audits point here by URN."""

    __tablename__ = "schools"

    urn: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    la_code: Mapped[str | None] = mapped_column(String(3), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(30))
    area: Mapped[str | None] = mapped_column(String(300))


class AuditRow(Base):
    """One school's audit for one academic year; one per school and year."""

    __tablename__ = "audits"
    __table_args__ = (
        UniqueConstraint("urn", "academic_year"),
        CheckConstraint("status IN ('in-progress', 'submitted', 'signed-off')", name="status"),
        Index(None, "academic_year", "framework_id", "framework_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    urn: Mapped[str] = mapped_column(ForeignKey("schools.urn"))
    academic_year: Mapped[str] = mapped_column(String(7))
    framework_id: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    completed_by: Mapped[str | None] = mapped_column(String(300))
    # ``Audit.required_sign_offs``: the signatures that lock the audit; NULL: the default.
    required_sign_offs: Mapped[list[str] | None] = mapped_column(JSON)
    carried_forward_from: Mapped[str | None] = mapped_column(String(7))
    sign_offs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Answers kept from earlier framework versions (``audit.ArchivedAnswer``); never counted.
    archived: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)


class ResponseRow(Base):
    """A school's answer to one criterion, one column per field of ``audit.Response``.

    ``evidence_text`` is NULL exactly when the response has no evidence, and ``action_what``
    NULL exactly when it has no action, so an empty evidence note and no evidence at all
    come back as they went in. ``position`` keeps the order the answers were given in.
    """

    __tablename__ = "responses"
    __table_args__ = (Index(None, "criterion_id", "rating"),)

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str | None] = mapped_column(String(64))
    evidence_text: Mapped[str | None] = mapped_column(Text)
    evidence_location: Mapped[str | None] = mapped_column(String(300))
    evidence_kind: Mapped[str | None] = mapped_column(String(20))
    action_what: Mapped[str | None] = mapped_column(Text)
    action_owner: Mapped[str | None] = mapped_column(String(300))
    action_due: Mapped[dt.date | None] = mapped_column(Date)
    action_status: Mapped[str | None] = mapped_column(String(20))
    not_applicable_reason: Mapped[str | None] = mapped_column(Text)
    rechecked: Mapped[bool] = mapped_column(Boolean)
    moderated_rating: Mapped[str | None] = mapped_column(String(64))
    moderation_note: Mapped[str | None] = mapped_column(Text)
    # ``audit.MovedFrom``: the wording answered before a framework move, until confirmed.
    moved_from: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(Text)


class ChangeRow(Base):
    """One field changed by one person at one time, with the value before and after.

    ``audit_id`` is NULL for a change to the school itself (its name, phase, area), which
    belongs to every year's audit. ``version`` is the response version the change produced,
    so a refused save can say exactly what happened since the copy the user was editing.
    """

    __tablename__ = "changes"
    __table_args__ = (
        Index(None, "audit_id", "criterion_id", "version"),
        Index(None, "urn", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    urn: Mapped[str] = mapped_column(ForeignKey("schools.urn"))
    criterion_id: Mapped[str | None] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int | None] = mapped_column(Integer)


class MembershipRow(Base):
    """A role someone holds: at a school (``urn``), an authority (``la_code``) or everywhere.

    People are identified by the identity provider's issuer and subject, never by name or
    email; ``display_name`` is only for the administrator's eyes.
    """

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", "role", "urn", "la_code"),
        Index(None, "issuer", "subject"),
        CheckConstraint("role IN ('senco', 'headteacher', 'governor', 'adviser', "
                        "'administrator')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(500))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    urn: Mapped[str | None] = mapped_column(String(6))
    la_code: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(Text)


class MembershipChangeRow(Base):
    """The memberships' audit trail: who added or removed which membership, and when."""

    __tablename__ = "membership_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20))
    membership_id: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)


class FrameworkMoveRow(Base):
    """An audit moved to another framework version: who, when, and the audit as it was.

    ``before`` is the whole audit file (JSON) from just before the move, so the audit as it
    stood on the old version can always be exported again.
    """

    __tablename__ = "framework_moves"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user: Mapped[str] = mapped_column(Text)
    framework_id: Mapped[str] = mapped_column(String(64))
    from_version: Mapped[str] = mapped_column(String(20))
    to_version: Mapped[str] = mapped_column(String(20))
    before: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)


class CycleRow(Base):
    """An authority's yearly collection: the academic year it collects and when it closes.

    One row per authority; setting it again replaces it, naming who set it and when.
    """

    __tablename__ = "cycles"

    la_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(7))
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(Text)
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
