"""Between database rows and the product's records: one column per field of a response.

Also the checks every write makes on text before it reaches a database (no NUL character,
a well-formed criterion id), so each kind of write refuses the same things the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..audit import ArchivedAnswer, Response, School, SignOff
from ..errors import Problem
from ..models import Id
from .db import SchoolRow
from .errors import UnstorableText

_ID = TypeAdapter(Id)

#: The fields of a response as recorded in ``changes.field``, in display order.
RESPONSE_FIELDS: tuple[str, ...] = (
    "rating", "evidence.text", "evidence.location", "evidence.kind",
    "action.what", "action.owner", "action.due", "action.status",
    "not_applicable_reason", "rechecked", "moderated_rating", "moderation_note",
    "moved_from",
)
SCHOOL_FIELDS: tuple[str, ...] = ("name", "la_code", "phase", "type", "area")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(value: object) -> str | None:
    """A value as the text recorded in the change log."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def response_columns(r: Response) -> dict[str, Any]:
    """A response as column values; NULL evidence text / action means no evidence / action."""
    ev, ac = r.evidence, r.action
    return {
        "rating": r.rating,
        "evidence_text": ev.text if ev else None,
        "evidence_location": ev.location if ev else None,
        "evidence_kind": ev.kind if ev else None,
        "action_what": ac.what if ac else None,
        "action_owner": ac.owner if ac else None,
        "action_due": ac.due if ac else None,
        "action_status": ac.status if ac else None,
        "not_applicable_reason": r.not_applicable_reason,
        "rechecked": r.rechecked,
        "moderated_rating": r.moderated_rating,
        "moderation_note": r.moderation_note,
        "moved_from": r.moved_from.model_dump(mode="json") if r.moved_from else None,
    }


def _flat(r: Response | None) -> dict[str, str | None]:
    """Field name -> text; distinct responses always give distinct dicts."""
    if r is None:
        return dict.fromkeys(RESPONSE_FIELDS)
    cols = response_columns(r)
    return {f: _text(cols[f.replace(".", "_")]) for f in RESPONSE_FIELDS}


def _response_data(row: Any) -> dict[str, Any]:
    """A row as the plain data of a :class:`Response`, for pydantic to validate in one go."""
    evidence = None
    if row.evidence_text is not None:
        evidence = {"text": row.evidence_text, "location": row.evidence_location or "",
                    "kind": row.evidence_kind}
    action = None
    if row.action_what is not None:
        action = {"what": row.action_what, "owner": row.action_owner or "",
                  "due": row.action_due, "status": row.action_status or "not-started"}
    return {"rating": row.rating, "evidence": evidence, "action": action,
            "not_applicable_reason": row.not_applicable_reason, "rechecked": row.rechecked,
            "moderated_rating": row.moderated_rating, "moderation_note": row.moderation_note,
            "moved_from": row.moved_from}


def _response_of(row: Any) -> Response:
    """The response back from a row, validated, so a row edited by hand is caught."""
    return Response.model_validate(_response_data(row))


def _school_of(row: SchoolRow) -> School:
    return School(urn=row.urn, name=row.name, la_code=row.la_code, phase=row.phase,
                  type=row.type, area=row.area)


def _school_values(school: School) -> dict[str, Any]:
    return {f: getattr(school, f) for f in ("urn", *SCHOOL_FIELDS)}


def _sign_off_text(s: SignOff) -> str:
    text = f"{s.name}, {s.role}, {s.date.isoformat()}"
    return f"{text}: {s.comment}" if s.comment else text


def _archived_text(a: ArchivedAnswer) -> str:
    return f"{a.criterion} ({a.version}): {a.reason}"


def _unstorable(value: object, path: str, found: list[str]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            found.append(path)
        else:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _unstorable(item, f"{path}.{key}" if path else str(key), found)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _unstorable(item, f"{path}.{i}", found)


def _check_storable(where: str, **values: object) -> None:
    """Refuse, before any write, text that a database would reject or mangle."""
    found: list[str] = []
    for name, value in values.items():
        if hasattr(value, "model_dump"):
            value = value.model_dump()  # type: ignore[union-attr]
        _unstorable(value, name, found)
    if found:
        raise UnstorableText([
            Problem(where, None, None, path, "contains a NUL character (U+0000) or a broken "
                    "character that cannot be stored; remove it and try again (nothing was "
                    "saved)")
            for path in found])


def _check_criterion_id(criterion_id: str) -> None:
    try:
        _ID.validate_python(criterion_id)
    except ValidationError:
        raise ValueError(f"{criterion_id!r} is not a criterion id") from None
