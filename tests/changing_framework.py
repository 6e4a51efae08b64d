"""The "changing" test framework (fixtures/versions) in its two versions, 1.0.0 and 2.0.0.

Between them criteria change in the ways a real framework's do, so the tests of moving an
audit, of comparing across versions and of archived answers in reports share these answers,
each text naming the criterion it was given for, to follow every answer across the move.
"""

from __future__ import annotations

from pathlib import Path

from quality_offer import framework as frameworks
from quality_offer.audit import Audit

VERSIONS = Path(__file__).parent / "fixtures" / "versions"


def ev(text: str) -> dict[str, str]:
    """Evidence whose every field says which answer it belongs to."""
    return {"text": text, "location": f"{text} folder", "kind": "document"}


ANSWERS = {
    "D1": {"moderated_rating": "met", "moderation_note": "D1 moderation"},
    "K1": {"rating": "established", "evidence": ev("K1 evidence"),
           "action": {"what": "K1 action", "owner": "SENCO", "due": "2027-03-01"}},
    "K2": {"rating": "emerging", "evidence": ev("K2 evidence")},
    "K3": {"rating": "established", "evidence": ev("K3 evidence")},
    "K4": {"rating": "exemplary", "evidence": ev("K4 evidence")},
    "K5": {"rating": "not-in-place", "evidence": ev("K5 evidence"),
           "action": {"what": "K5 action"}},
    "K6": {"rating": "emerging", "evidence": ev("K6 evidence")},
    "K7": {"rating": "established", "evidence": ev("K7 evidence")},
    "K8": {"rating": "established", "evidence": ev("K8 evidence")},
    "K11": {"not_applicable_reason": "K11 reason", "evidence": ev("K11 evidence")},
    "K12": {"rating": "exemplary", "evidence": ev("K12 evidence")},
    "K13": {"rating": "established", "evidence": ev("K13 evidence")},
}


def texts(audit: Audit) -> list[str]:
    """Every piece of free text in an audit, wherever it sits."""
    out = [audit.completed_by or ""] + [s.comment or "" for s in audit.sign_offs]
    answers = list(audit.responses.values()) + [a.answer for a in audit.archived]
    for r in answers:
        out += [r.not_applicable_reason or "", r.moderation_note or ""]
        if r.evidence:
            out += [r.evidence.text, r.evidence.location]
        if r.action:
            out += [r.action.what, r.action.owner]
    return [t for t in out if t]


def with_coming_duties(root: Path) -> list[frameworks.Framework]:
    """Version 2.0.0 of the copy with coming law: K10 (new) in force from 1 September 2027,
    K12 (changed) on a date still to be set, and D1's "met" wording changing from 2028."""
    import yaml

    def when(date=None):
        found = {"enacted_by": ["CoP 6.2"], "commencement": "by regulations not yet made",
                 "prepare": ["Get ready"]}
        return {**found, "date": date} if date else found

    for name, edit in (("outcome-1.yaml", {"K10": {"in_force": when("2027-09-01")}}),
                       ("duties.yaml", {"K12": {"in_force": when()},
                                        "D1": {"level_changes": [
                                            {"level": "met", "descriptor": "Yes, and more.",
                                             "in_force": when("2028-01-01")}]}})):
        path = root / "changing-2.0.0" / name
        data = yaml.safe_load(path.read_text())
        for crit in data["criteria"]:
            crit.update(edit.get(crit["id"], {}))
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return frameworks.versions_in(frameworks.registry(frameworks.shipped_folders(root)),
                                  "changing")
