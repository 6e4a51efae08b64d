"""Moving an audit to a newer version of its framework without losing a word of it.

:func:`plan` works out, answer by answer, what the move does, and returns the audit as it
will be after the move together with an account the school can read first (the preview).
The rules:

- an unchanged criterion's answer carries over as it is;
- a reworded, re-scoped or re-levelled criterion's answer carries over marked for re-check,
  with the wording it answered kept beside it until someone confirms it;
- a withdrawn criterion's answer moves to its ``replaced_by`` when that has no answer yet,
  marked for re-check (a criterion split in several is copied to each part that applies and
  has no answer yet); otherwise (no replacement, the replacement taken, or the criterion no
  longer applies to this school) it is kept whole as an archived answer, never counted;
- a rating that is not a level of the new scale, or "not applicable" where it is no longer
  allowed, is archived and the criterion left to re-rate; the rest of the answer stays;
- new criteria are not assessed.

Moving to the version the audit is on changes nothing, so a move can be run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .audit import (
    ArchivedAnswer,
    Audit,
    FrameworkRef,
    MovedFrom,
    Response,
    carry_forward,
    check,
)
from .errors import InputError
from .framework import Framework, version_key
from .models import Criterion
from .versions import FIELD_WORDS, RECHECK_FIELDS, FrameworkDiff, diff

Kind = Literal["unchanged", "recheck", "moved", "archived"]


class MoveRefused(Exception):
    """The audit cannot be moved as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    """What the move does to one answer."""

    criterion: str  # the criterion answered, in the old version
    kind: Kind
    target: str | None  # where the answer sits after the move; None when archived
    reason: str  # in plain words
    archived_part: str | None = None  # e.g. the rating, where only part was archived

    def describe(self) -> str:
        return f"{self.criterion}: {self.reason}"


@dataclass(frozen=True)
class MovePlan:
    """An audit's move worked out: the audit after it, and what happens to each answer."""

    before: Audit
    after: Audit
    old: Framework
    new: Framework
    outcomes: tuple[Outcome, ...]
    new_criteria: tuple[str, ...]  # added criteria that apply to this school: not assessed
    diff: FrameworkDiff | None

    @property
    def no_change(self) -> bool:
        return self.before == self.after

    def count(self, kind: Kind) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)

    @property
    def partly_archived(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.archived_part]

    def summary(self) -> str:
        """One line: how many answers carry over, to re-check, move, or are archived."""
        if self.no_change:
            return (f"The audit is already on {self.new.id} {self.new.version}: nothing to "
                    "change.")
        parts = [f"{self.count('unchanged')} carried over as they are",
                 f"{self.count('recheck')} carried over to re-check",
                 f"{self.count('moved')} moved to the criterion replacing theirs, to re-check",
                 f"{self.count('archived')} kept as archived answers"]
        if self.partly_archived:
            parts.append(f"{len(self.partly_archived)} with a rating or 'not applicable' "
                         "archived, to re-rate")
        n = len(self.new_criteria)
        parts.append(f"{n} new criteri{'on' if n == 1 else 'a'} not assessed yet")
        return (f"Moving from {self.old.version} to {self.new.version}: "
                + "; ".join(parts) + ". No answer is lost.")

    def describe(self) -> str:
        """The preview in words: the summary, then each answer that does not stay as it is."""
        lines = [self.summary()]
        if self.no_change:
            return lines[0]
        for kind, heading in (("recheck", "To re-check (the old wording is shown beside "
                                          "the new until confirmed)"),
                              ("moved", "Moved to the criterion that replaces theirs"),
                              ("archived", "Kept as archived answers (shown and exported, "
                                           "never counted)")):
            rows = [o for o in self.outcomes if o.kind == kind]
            if rows:
                lines += ["", heading + ":"] + [f"  {o.describe()}" for o in rows]
        if self.new_criteria:
            lines += ["", "New criteria, not assessed yet: " + ", ".join(self.new_criteria)]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.new.id, "from": self.old.version, "to": self.new.version,
            "urn": self.before.school.urn, "academic_year": self.before.academic_year,
            "no_change": self.no_change,
            "answers": [{"criterion": o.criterion, "outcome": o.kind, "target": o.target,
                         "reason": o.reason, "archived_part": o.archived_part}
                        for o in self.outcomes],
            "new_criteria": list(self.new_criteria),
        }


def has_content(resp: Response) -> bool:
    """Whether an answer holds anything someone entered (moderation included)."""
    return not resp.blank or resp.moderated_rating is not None or bool(resp.moderation_note)


def _applies(crit: Criterion, audit: Audit) -> bool:
    return crit.applies_to.includes(audit.school.phase, audit.school.type)


def _words(fields: tuple[str, ...] | list[str]) -> str:
    return ", ".join(FIELD_WORDS.get(f, f) for f in fields)


def refusal(audit: Audit, new: Framework) -> str | None:
    """Why this audit cannot move to ``new``, or None if it can."""
    ref = audit.framework
    if ref.id != new.id:
        return f"the audit is on {ref.id}, not {new.id}; an audit moves only between versions"
    if version_key(new.version) < version_key(ref.version):
        return (f"the audit is on {ref.id} {ref.version}, newer than {new.version}; an audit "
                "only moves to a newer version")
    if audit.status == "signed-off" and new.version != ref.version:
        return ("the audit is signed off, so its answers are fixed; a headteacher or "
                "administrator can reopen it first, then move it")
    return None


def plan(audit: Audit, old: Framework, new: Framework) -> MovePlan:
    """The move of ``audit`` (on ``old``) to ``new``, worked out; nothing is written.

    Raises :class:`MoveRefused` for a signed-off audit, another framework or an older
    version.
    """
    if (audit.framework.id, audit.framework.version) != (old.id, old.version):
        raise ValueError(f"the audit is on {audit.framework.id} {audit.framework.version}, "
                         f"not {old.id} {old.version}")
    why = refusal(audit, new)
    if why:
        raise MoveRefused(why)
    if old.version == new.version:
        return MovePlan(audit, audit, old, new, (), (), None)
    d = diff(old, new)

    def live(cid: str) -> Criterion | None:
        crit = new._by_id.get(cid)
        return crit if crit is not None and not crit.withdrawn and _applies(crit, audit) else None

    # Answers that stay at their own criterion take it first; a replacement moves only
    # into a criterion left without an answer.
    taken = {cid for cid, r in audit.responses.items() if live(cid) and has_content(r)}
    moved_into: dict[str, str] = {}  # replacement -> the withdrawn criterion it took from
    responses: dict[str, Response] = {}
    archived = list(audit.archived)
    outcomes: list[Outcome] = []

    def archive(cid: str, answer: Response, reason: str) -> None:
        archived.append(ArchivedAnswer(criterion=cid, version=old.version,
                                       text=old.criterion(cid).text, reason=reason,
                                       answer=answer))

    def place(cid: str, resp: Response, target: str, changes: list[str]) -> str | None:
        """Put the answer on ``target``; archive the parts the new criterion cannot hold."""
        crit = new.criterion(target)
        scale = new.scale_of(crit)
        data = resp.model_dump()
        cut: dict[str, Any] = {}
        if resp.rating is not None and resp.rating not in scale.level_ids:
            cut["rating"] = resp.rating
        if resp.moderated_rating is not None and resp.moderated_rating not in scale.level_ids:
            cut["moderated_rating"] = resp.moderated_rating
        if resp.not_applicable and not crit.na_allowed:
            cut["not_applicable_reason"] = resp.not_applicable_reason
        data.update(dict.fromkeys(cut))
        if changes or cut:
            data["rechecked"] = False
        if changes:
            # Moved twice before anyone confirmed it: keep the wording the school answered.
            if resp.moved_from is not None and not resp.rechecked:
                data["moved_from"]["changes"] = sorted(
                    set(resp.moved_from.changes) | set(changes))
            else:
                data["moved_from"] = MovedFrom(version=old.version, criterion=cid,
                                               text=old.criterion(cid).text,
                                               changes=changes).model_dump()
        responses[target] = Response.model_validate(data)
        if not cut:
            return None
        why = []
        if "rating" in cut or "moderated_rating" in cut:
            why.append(f"the rating is not a level of the new {scale.label.lower()} scale")
        if "not_applicable_reason" in cut:
            why.append("'not applicable' is no longer allowed")
        archive(cid, Response(**cut), " and ".join(why) + f" (on {target})")
        return ", ".join(k.replace("_", " ") for k in cut)

    for cid, resp in audit.responses.items():
        new_crit = new._by_id.get(cid)
        if live(cid):
            if not has_content(resp) and cid in responses:
                continue  # a blank answer never displaces a replacement's
            fields = [f for f in d.fields_of(cid) if f in RECHECK_FIELDS]
            part = place(cid, resp, cid, fields)
            kind: Kind = "recheck" if fields or part else "unchanged"
            reason = ("carries over to re-check: " + _words(fields) if fields
                      else "carries over as it is")
            if part:
                reason += f"; its {part} is kept as archived, to re-rate"
            if has_content(resp):
                outcomes.append(Outcome(cid, kind, cid, reason, part))
            continue
        if not has_content(resp):
            continue  # nothing anyone wrote: nothing to keep
        if new_crit is not None and not new_crit.withdrawn:
            archive(cid, resp, f"no longer applies to a {audit.school.phase} "
                               f"{audit.school.type} school in {new.version}")
            outcomes.append(Outcome(cid, "archived", None, "no longer applies to this "
                                    "school: kept as an archived answer"))
            continue
        targets = new_crit.replacements if new_crit is not None else ()
        free = [t for t in targets if live(t) and t not in taken]
        if free:
            # A criterion split in several: each part that applies and has no answer gets a
            # copy, to re-check; the answer is lost nowhere.
            for target in free:
                taken.add(target)
                moved_into[target] = cid
                part = place(cid, resp, target, ["replaced"])
                reason = (f"withdrawn and replaced by {target}: moves there to re-check"
                          if len(targets) == 1 else
                          f"withdrawn and split into {' and '.join(targets)}: copied to "
                          f"{target} to re-check")
                if part:
                    reason += f"; its {part} is kept as archived, to re-rate"
                outcomes.append(Outcome(cid, "moved", target, reason, part))
            continue
        target = " and ".join(targets) if targets else None
        if target and any(live(t) for t in targets):
            givers = [moved_into[t] for t in targets if t in moved_into]
            why = (f"withdrawn and replaced by {target}, which takes the answer of "
                   f"{' and '.join(givers)}" if givers else
                   f"withdrawn and replaced by {target}, which already has an answer")
        elif target:
            why = f"withdrawn and replaced by {target}, which does not apply to this school"
        else:
            why = "withdrawn with no replacement"
        archive(cid, resp, why + f" in {new.version}")
        outcomes.append(Outcome(cid, "archived", None, why + ": kept as an archived answer"))

    # The replacement's answer goes where the criterion sits in the new order's answers.
    after = Audit.model_validate({
        **audit.model_dump(exclude={"framework", "responses", "archived"}),
        "framework": FrameworkRef(id=new.id, version=new.version).model_dump(),
        "responses": {cid: r.model_dump() for cid, r in responses.items()},
        "archived": [a.model_dump() for a in archived],
    })
    problems = check(new, after, "audit after the move")
    if problems:  # a rule above missed a case: refuse rather than write a broken audit
        raise InputError(problems)
    new_criteria = tuple(cid for cid in d.added
                         if live(cid) and cid not in after.responses)
    return MovePlan(audit, after, old, new, tuple(outcomes), new_criteria, d)


def confirm(resp: Response) -> Response:
    """The answer confirmed by the school after a re-check: the old wording is put away."""
    return resp.model_copy(update={"rechecked": True, "moved_from": None})


def carry_forward_to(previous: Audit, old: Framework, new: Framework,
                     academic_year: str | None = None) -> Audit:
    """Next year's audit on ``new`` from last year's on ``old``, losing no answer.

    Last year's answers are moved by the same rules as :func:`plan` (last year's audit itself
    is not changed, so its sign-off does not stand in the way), then carried forward as
    usual; answers the move archives go with next year's audit as archived answers.
    """
    moved = previous
    if old.version != new.version:
        moved = plan(previous.model_copy(update={"status": "in-progress"}), old, new).after
    nxt = carry_forward(new, moved, academic_year)
    added = moved.archived[len(previous.archived):]
    if not added:
        return nxt
    return Audit.model_validate({**nxt.model_dump(exclude={"archived"}),
                                 "archived": [a.model_dump() for a in added]})
