"""The change history in plain words: who changed what, from what to what.

The store records each change as a field name with the old and new value as text
(``rating``, ``action.due``, ``sign_off``...). This module turns one record into a sentence a
governor can read ("Changed the rating of D1 from Emerging to Established"), with level
labels from the framework, dates written out, and free text quoted exactly as typed (cut
short with "…" when long: the full text is in the audit).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Protocol

from .audit import required_words, requirement
from .dates import long_date
from .framework import Framework
from .vocabulary import (
    ACTION_STATUS_WORDS,
    AUDIT_STATUS_WORDS,
    EVIDENCE_KIND_WORDS,
    SIGN_OFF_ROLE_LABELS,
)

QUOTE_CHARS = 120
#: What each answer field is called in a sentence ("the evidence for D1").
_NOUNS = {
    "rating": "the rating of", "evidence.text": "the evidence for",
    "evidence.location": "where the evidence is kept for",
    "evidence.kind": "the kind of evidence for", "action.what": "the action for",
    "action.owner": "the owner of the action for", "action.due": "the due date of the action for",
    "action.status": "the status of the action for",
    "not_applicable_reason": "the not-applicable reason for",
    "moderated_rating": "the LA's moderated rating of",
    "moderation_note": "the LA's moderation note on",
}
_FREE = {"evidence.text", "evidence.location", "action.what", "action.owner",
         "not_applicable_reason", "moderation_note", "completed_by"}
_SCHOOL = {"name": "name", "la_code": "local authority code", "phase": "phase",
           "type": "type", "area": "area"}


class Record(Protocol):
    """What is needed of a change record (``store.ChangeRecord``)."""

    user: str
    criterion_id: str | None
    field: str
    old: str | None
    new: str | None


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """Free text in quotation marks, as typed; a long text cut at ``limit`` with "…"."""
    text = " ".join(text.split()) if len(text) > limit else text
    if len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return f"“{text}”"


def _value(field: str, value: str, fw: Framework | None, criterion_id: str | None) -> str:
    """One recorded value in words."""
    if field in _FREE:
        return quote(value)
    if field in ("rating", "moderated_rating"):
        if fw is not None and criterion_id and fw.has(criterion_id):
            scale = fw.scale_of(fw.criterion(criterion_id))
            if value in scale.level_ids:
                return scale.level(value).label
        return value.replace("-", " ")
    if field == "action.due":
        try:
            return long_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if field == "evidence.kind":
        return EVIDENCE_KIND_WORDS.get(value, value)
    if field == "action.status":
        return ACTION_STATUS_WORDS.get(value, value)
    if field == "status":
        return AUDIT_STATUS_WORDS.get(value, value)
    return value


def _sign_off(text: str) -> str:
    """A recorded sign-off ("name, role, date: comment") with the role and date in words."""
    head, sep, comment = text.partition(": ")
    parts = head.rsplit(", ", 2)
    if len(parts) == 3:
        name, role, day = parts
        with contextlib.suppress(ValueError):
            day = long_date(dt.date.fromisoformat(day))
        head = f"{name} as {SIGN_OFF_ROLE_LABELS.get(role, role)}, {day}"
    return head + (f", with the comment {quote(comment)}" if sep else "")


def _moved_from(value: str) -> str:
    try:
        data = json.loads(value)
        return f"version {data['version']}"
    except (ValueError, KeyError, TypeError):
        return "an earlier version"


def describe(record: Record, fw: Framework | None = None) -> str:
    """What the change did, as a sentence without its subject: "Changed the rating of D1
    from Emerging to Established". ``fw`` (the audit's framework) names the levels."""
    f, old, new, cid = record.field, record.old, record.new, record.criterion_id

    def v(value: str) -> str:
        return _value(f, value, fw, cid)

    if f in _NOUNS and cid:
        noun = f"{_NOUNS[f]} {cid}"
        if old is None and new is None:
            return f"Left {noun} blank"
        if f == "rating" and old is None:
            return f"Rated {cid} {v(new)}"  # type: ignore[arg-type]
        if f == "not_applicable_reason" and old is None:
            return f"Marked {cid} not applicable: {v(new)}"  # type: ignore[arg-type]
        if f == "not_applicable_reason" and new is None:
            return f"Took back “not applicable” for {cid} (the reason was {v(old)})"
        if f == "action.what" and old is None:
            return f"Planned an action for {cid}: {v(new)}"  # type: ignore[arg-type]
        if old is None:
            return f"Set {noun} to {v(new)}"  # type: ignore[arg-type]
        if new is None:
            return f"Cleared {noun} (it was {v(old)})"
        return f"Changed {noun} from {v(old)} to {v(new)}"
    if f == "rechecked" and cid:
        # An answer to re-check was brought forward from last year's audit or from an older
        # version of the criteria (its "moved_from" line says which): words true of both.
        if old is None:  # a new answer: given now, or brought forward
            return (f"Answered {cid} this year" if new == "true" else
                    f"Carried the answer to {cid} forward, to be re-checked")
        if new == "true":
            return f"Confirmed that the answer to {cid} still holds"
        return f"Marked the answer to {cid} as needing a re-check"
    if f == "moved_from" and cid:
        if new is None:
            return f"Confirmed the answer to {cid} against the new wording"
        return (f"Kept the wording {cid} was answered against in {_moved_from(new)}, "
                "for a re-check")
    if f == "moved" and cid:
        return f"Moved the answer to {cid}: {new or ''}".rstrip(": ")
    if f == "audit":
        return "Started the audit"
    if f == "status":
        return (f"Set the audit's status to {v(new)}" if old is None else
                f"Changed the audit's status from {v(old)} to {v(new or '')}")
    if f == "sign_off":
        return f"Signed the audit: {_sign_off(new or '')}"
    if f == "sign_off_superseded":
        if new == "changed":
            return (f"Changed the audit after {_sign_off(old or '')} signed, so that "
                    "signature no longer counts and is needed again")
        return (f"Reopened the audit, so the signature of {_sign_off(old or '')} no longer "
                "counts")
    if f == "completed_by":
        if old is None:
            return f"Filled in “Completed by”: {v(new or '')}"
        if new is None:
            return f"Cleared “Completed by” (it was {v(old)})"
        return f"Changed “Completed by” from {v(old)} to {v(new)}"
    if f == "required_sign_offs":
        def needed(value: str | None) -> str:
            choices = [c.strip() for c in (value or "").split(",") if c.strip()]
            try:
                return required_words(requirement(choices or None))
            except KeyError:
                return value or ""
        if old is None:
            return f"Set the signatures that sign the audit off: {needed(new)}"
        return (f"Changed the signatures that sign the audit off from {needed(old)} to "
                f"{needed(new)}")
    if f == "carried_forward_from":
        return f"Started the audit from the {new} audit, answers to be re-checked"
    if f == "archived":
        return f"Archived an answer that has no place in the new framework version: {new}"
    if f == "framework_version":
        return f"Moved the audit from framework version {old} to {new}"
    if f.startswith("school."):
        what = _SCHOOL.get(f.removeprefix("school."), f.removeprefix("school."))
        if old is None:
            return f"Recorded the school's {what} as {quote(new or '')}"
        return f"Changed the school's {what} from {quote(old)} to {quote(new or '')}"
    # A field this module does not know yet: still readable, never dropped.
    what = f.replace("_", " ").replace(".", " ")
    subject = f" of {cid}" if cid else ""
    return (f"Changed the {what}{subject} from {quote(old) if old else '(blank)'} to "
            f"{quote(new) if new else '(blank)'}")


def sentence(record: Record, fw: Framework | None = None) -> str:
    """The change with who made it: "Priya Patel changed the rating of D1 from ... to ..."."""
    what = describe(record, fw)
    return f"{record.user} {what[0].lower()}{what[1:]}"
