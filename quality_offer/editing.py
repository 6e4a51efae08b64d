"""What one change to an answer does to it: the rules behind every field of a checklist card.

A rating clears "not applicable"; ticking "not applicable" waits for its reason; an action's
owner, date and status may come before its words and are saved as they come; emptying every
part of an action removes it. The checklist page calls :func:`changed_response` and saves
what it returns through the store; the rules live here so they are the same wherever an
answer is edited, and are tested without a browser.
"""

from __future__ import annotations

from typing import Any

from .audit import Response

# The fields of a card, named as :func:`changed_response` takes them.
FIELDS = ("rating", "na", "na_reason", "ev_text", "ev_loc", "ev_kind", "act_what",
          "act_owner", "act_due", "act_status", "rechecked")


class NotYet(Exception):
    """The change cannot be saved as it stands; the message says what is missing."""


def field_values(resp: Response | None) -> dict[str, Any]:
    """The value each field of a card shows for a stored response (or for none): what a
    card is filled with whenever the stored answer is newer than what it shows."""
    ev = resp.evidence if resp else None
    ac = resp.action if resp else None
    return {
        "rating": resp.rating if resp else None,
        "na": bool(resp and resp.not_applicable),
        "na_reason": (resp.not_applicable_reason or "") if resp else "",
        "ev_text": ev.text if ev else "",
        "ev_loc": ev.location if ev else "",
        "ev_kind": ev.kind if ev else None,
        "act_what": ac.what if ac else "",
        "act_owner": ac.owner if ac else "",
        "act_due": ac.due if ac else None,
        "act_status": ac.status if ac else "not-started",
        "rechecked": resp.rechecked if resp else True,
    }


def _with(base: Response | None, **changes: Any) -> Response:
    data = base.model_dump() if base is not None else {}
    data.update(changes)
    return Response.model_validate(data)


def _evidence(base: Response | None, **changes: Any) -> dict[str, Any] | None:
    ev = base.evidence.model_dump() if base and base.evidence else {
        "text": "", "location": "", "kind": None}
    ev.update(changes)
    if not ev["text"].strip() and not ev["location"].strip() and ev["kind"] is None:
        return None
    return ev


def changed_response(base: Response | None, kind: str, value: Any) -> Response | None:
    """The response after one field of it changed; None when there is nothing to save.

    ``kind`` names the field as the checklist's controls do: rating, na (the "not
    applicable" tick), na_reason, ev_text, ev_loc, ev_kind, act_what, act_owner, act_due,
    act_status, rechecked. Raises :class:`NotYet` when the change cannot be saved as it stands.
    """
    if kind == "rating":
        return _with(base, rating=value, not_applicable_reason=None)
    if kind == "na":
        if value:
            if base is not None and base.not_applicable:
                return None
            raise NotYet("Say why this criterion does not apply to your school; the answer "
                          "is saved when you give the reason.")
        return _with(base, not_applicable_reason=None) if base and base.not_applicable else None
    if kind == "na_reason":
        reason = (value or "").strip()
        if not reason:
            raise NotYet("A reason is needed for 'not applicable'. Nothing was changed.")
        return _with(base, rating=None, not_applicable_reason=reason)
    if kind in ("ev_text", "ev_loc", "ev_kind"):
        name = {"ev_text": "text", "ev_loc": "location", "ev_kind": "kind"}[kind]
        if name != "kind":
            value = value if (value or "").strip() else ""
        return _with(base, evidence=_evidence(base, **{name: value}))
    if kind == "act_what":
        what = value if (value or "").strip() else ""
        if base is None or base.action is None:
            return _with(base, action={"what": what}) if what else None
        action = base.action.model_dump()
        action["what"] = what
        if not what and not action["owner"].strip() and action["due"] is None:
            return _with(base, action=None)  # nothing of the action is left
        return _with(base, action=action)
    if kind in ("act_owner", "act_due", "act_status"):
        # Owner, date and status may come before the words of the action: the action is
        # saved with what is given so far, so nothing typed waits unsaved.
        name = {"act_owner": "owner", "act_due": "due", "act_status": "status"}[kind]
        if name == "owner":
            value = value or ""
        if name == "status" and value is None:
            value = "not-started"
        action = (base.action.model_dump() if base and base.action
                  else {"what": "", "owner": "", "due": None, "status": "not-started"})
        action[name] = value
        if not (action["what"].strip() or action["owner"].strip() or action["due"]
                or action["status"] != "not-started"):
            return _with(base, action=None) if base and base.action else None
        return _with(base, action=action)
    if kind == "rechecked":
        return _with(base, rechecked=bool(value))
    raise ValueError(kind)


def knock_on(kind: str, saved: Response) -> dict[str, Any]:
    """The other fields a saved change of ``kind`` sets, so the card shows what was saved.

    A rating unticks "not applicable"; a reason for "not applicable" clears the rating; an
    action whose words were emptied away (so the action is gone) clears its owner and date
    and puts its status back to "not started".
    """
    if kind == "rating":
        return {"na": False}
    if kind == "na_reason":
        return {"rating": None}
    if kind == "act_what" and saved.action is None:
        return {"act_owner": "", "act_due": None, "act_status": "not-started"}
    return {}
