"""An audit whose every free-text field holds what a template engine, a browser or a
spreadsheet could act on, each prefixed with the field's name to tell them apart.

Every report must show each of these exactly as typed: no markup made, no link, no template
expression worked out.
"""

from __future__ import annotations

from quality_offer.audit import Audit

from .builders import make_audit

#: What a user might type that a template engine, a browser or a spreadsheet could act on.
HOSTILE = ("<script>alert(1)</script> {{ 7*7 }} {% raw %}x{% endraw %} {# hidden #} "
           '<a href="javascript:alert(1)">link</a> [md](javascript:alert(1)) '
           '=HYPERLINK("http://evil.example","x") ${7*7} &amp;')

#: Every free-text field of an audit that a report prints.
FIELDS = ("evidence", "location", "action", "owner", "LA note", "not applicable", "signer",
          "comment", "reason", "completed by", "school", "area")


def typed(field: str) -> str:
    """What was typed into ``field``: its name, then the hostile text."""
    return f"{field}: {HOSTILE}"


def hostile_audit(mini: object) -> Audit:
    """An audit of the mini framework with :data:`HOSTILE` in every field of :data:`FIELDS`."""
    responses = {
        "D1": {"rating": "not-met",
               "evidence": {"text": typed("evidence"), "location": typed("location")},
               "action": {"what": typed("action"), "owner": typed("owner"),
                          "due": "2026-12-01"},
               "moderated_rating": "partly-met", "moderation_note": typed("LA note")},
        "O1.2": {"not_applicable_reason": typed("not applicable")},
    }
    sign_off = {"name": typed("signer"), "role": "headteacher", "date": "2027-01-12",
                "comment": typed("comment"), "reason": typed("reason")}
    audit = make_audit(mini, responses, completed_by=typed("completed by"),
                       sign_offs=[sign_off])
    return Audit.model_validate({**audit.model_dump(), "school": {
        **audit.school.model_dump(), "name": typed("school"), "area": typed("area")}})
