"""An audit: one school's self-assessment for one year against one framework version.

The same model is the interchange file (``format: quality-offer-audit/1``, YAML or JSON) and
what the store keeps, so an audit downloaded, emailed and imported elsewhere comes back the
same. :func:`check` holds the rules that need the framework (known ids, ratings in the
criterion's scale, "not applicable" only where allowed); :func:`carry_forward` starts next
year's audit from this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator

from .errors import InputError, Problem
from .framework import Framework
from .models import Id, Strict
from .vocabulary import (
    SIGN_OFF_ROLE_WORDS,
    ActionStatus,
    AuditStatus,
    EvidenceKind,
    Phase,
    RequiredSigner,
    SchoolType,
    SignOffRole,
)
from .yamlsafe import Positions, locate, name_without_controls

FORMAT = "quality-offer-audit/1"
#: The format of a file that carries answers moved from an older framework version (old
#: wording kept for the re-check) or archived answers; version 1 files are still read.
FORMAT_2 = "quality-offer-audit/2"
FORMATS: tuple[str, ...] = (FORMAT, FORMAT_2)
FreeText = Annotated[str, StringConstraints(max_length=20_000)]
Short = Annotated[str, StringConstraints(max_length=300)]
#: A name shown as identifying someone or something: no control or direction characters.
Name = Annotated[str, StringConstraints(min_length=1, max_length=200),
                 AfterValidator(name_without_controls)]


class School(Strict):
    """A school, identified by its DfE unique reference number."""

    urn: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")] = Field(
        description="DfE unique reference number: six digits."
    )
    name: Name
    la_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")] | None = Field(
        default=None, description="Local authority code: three digits, e.g. 919."
    )
    phase: Phase
    type: SchoolType
    area: Annotated[Short, AfterValidator(name_without_controls)] | None = Field(
        default=None, description="Local area, e.g. a DSPL area.")

    @field_validator("urn", "la_code", mode="before")
    @classmethod
    def _digits_as_text(cls, value: object) -> object:
        # An unquoted 123456 in YAML is an int; a URN is an identifier, so take its digits.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class FrameworkRef(Strict):
    id: Id
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+){0,2}$")]


class Evidence(Strict):
    """What shows the rating is right: what it is, where it is kept, and its kind."""

    text: FreeText = ""
    location: Short = ""
    kind: EvidenceKind | None = None

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.location.strip())


class Action(Strict):
    """A planned improvement with an owner and a date."""

    what: FreeText
    owner: Short = ""
    due: dt.date | None = None
    status: ActionStatus = "not-started"

    def overdue(self, today: dt.date) -> bool:
        return self.status != "done" and self.due is not None and self.due < today


class MovedFrom(Strict):
    """Where an answer came from when its audit moved to a new framework version.

    Kept so the checklist can show the wording the school answered beside the new one until
    someone confirms the answer, even if the old version is no longer installed.
    """

    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    criterion: Id = Field(description="The criterion answered; another id for a replacement.")
    text: FreeText = Field(description="Its wording in that version.")
    changes: list[Short] = Field(
        default_factory=list,
        description='What changed: diff field names, or "replaced" for a replacement.')


class Response(Strict):
    """A school's answer for one criterion."""

    rating: Id | None = None
    evidence: Evidence | None = None
    action: Action | None = None
    not_applicable_reason: FreeText | None = None
    rechecked: bool = Field(
        default=True,
        description="False for an answer carried forward from last year and not yet confirmed.",
    )
    moderated_rating: Id | None = Field(
        default=None, description="The local authority's moderated rating, where moderated."
    )
    moderation_note: FreeText | None = None
    moved_from: MovedFrom | None = Field(
        default=None, description="Set when the answer was carried to a new framework version.")

    @model_validator(mode="after")
    def _rating_or_na(self) -> Response:
        if self.rating is not None and self.not_applicable_reason is not None:
            raise ValueError("give a rating or a not-applicable reason, not both")
        if self.not_applicable_reason is not None and not self.not_applicable_reason.strip():
            raise ValueError("a not-applicable answer needs a reason")
        return self

    @property
    def not_applicable(self) -> bool:
        return self.not_applicable_reason is not None

    @property
    def blank(self) -> bool:
        return (self.rating is None and self.not_applicable_reason is None
                and (self.evidence is None or self.evidence.empty) and self.action is None)


class ArchivedAnswer(Strict):
    """An answer with nowhere to go after a move to a new framework version.

    Kept whole (rating, evidence, action, moderation) with the wording it answered and why
    it was archived; shown in the checklist and the reports' appendix, never counted.
    """

    criterion: Id
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")] = Field(
        description="The framework version the answer was given on.")
    text: FreeText = Field(description="The criterion's wording in that version.")
    reason: FreeText
    answer: Response


class SignOff(Strict):
    name: Name
    role: SignOffRole
    date: dt.date
    comment: FreeText | None = None
    reason: FreeText | None = Field(
        default=None,
        description="Why the audit was signed while not finished (criteria not assessed, "
                    "answers not re-checked): required then, and printed on the report.")
    superseded: bool = Field(
        default=False,
        description="True once the audit was reopened after this signature: kept for the "
                    "record, no longer counted towards the signatures that lock the audit.")


#: The signatures that lock an audit (mark it signed off): each entry is met by a current
#: signature on any one of its lines. The headteacher answers for the school's SEND
#: provision and the governing body holds the statutory duties (Children and Families Act
#: 2014 s66), so both sign: the head, and a governor (the SEN governor or the chair). The
#: SENCO wrote the audit, so their signature adds no independent check and is optional.
REQUIRED_SIGN_OFFS: tuple[tuple[str, ...], ...] = (("headteacher",),
                                                   ("sen-governor", "chair-of-governors"))

#: What a school may require, each choice met by a signature on any one of its lines.
REQUIRED_CHOICES: dict[str, tuple[str, ...]] = {
    "headteacher": ("headteacher",),
    "governor": ("sen-governor", "chair-of-governors"),
    "sen-governor": ("sen-governor",),
    "chair-of-governors": ("chair-of-governors",),
    "senco": ("senco",),
}
DEFAULT_REQUIRED: tuple[str, ...] = ("headteacher", "governor")


def lowers(old: tuple[tuple[str, ...], ...], new: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``new`` asks less than ``old``: some signature ``old`` needs is not implied
    by any ``new`` needs (a group is implied by a narrower or equal one)."""
    return any(not any(set(g_new) <= set(g_old) for g_new in new) for g_old in old)


def requirement(choices: list[str] | tuple[str, ...] | None) -> tuple[tuple[str, ...], ...]:
    """The signature groups a school's choice stands for (None: the default)."""
    return tuple(REQUIRED_CHOICES[c] for c in (choices or DEFAULT_REQUIRED))


def required_words(required: tuple[tuple[str, ...], ...] = REQUIRED_SIGN_OFFS) -> str:
    """Signatures in words: "the headteacher and a governor (the SEN governor or the chair
    of governors)"."""
    parts = []
    for group in required:
        if set(group) == {"sen-governor", "chair-of-governors"}:
            parts.append("a governor (the SEN governor or the chair of governors)")
        else:
            parts.append(" or ".join(SIGN_OFF_ROLE_WORDS.get(r, r) for r in group))
    return " and ".join(parts)


def missing_sign_offs(sign_offs: list[SignOff],
                      required: tuple[tuple[str, ...], ...] = REQUIRED_SIGN_OFFS
                      ) -> list[tuple[str, ...]]:
    """The required signatures not yet given (only current, not superseded, ones count)."""
    have = {s.role for s in sign_offs if not s.superseded}
    return [group for group in required if not have.intersection(group)]


def missing_words(missing: list[tuple[str, ...]]) -> str:
    """Missing signatures in words, e.g. "a governor (the SEN governor or the chair ...)"."""
    return required_words(tuple(missing))


class Audit(Strict):
    """One school, one academic year, one framework version."""

    format: Literal["quality-offer-audit/1", "quality-offer-audit/2"] = FORMAT
    framework: FrameworkRef
    school: School
    academic_year: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}/[0-9]{2}$")] = Field(
        description="Academic year, e.g. 2026/27."
    )
    status: AuditStatus = "in-progress"
    completed_by: Short | None = None
    required_sign_offs: list[RequiredSigner] | None = Field(
        default=None,
        description="The signatures that lock (sign off) this audit, each met by any one "
                    "signature of its kind ('governor': the SEN governor or the chair); "
                    "left out, the headteacher and a governor.")
    carried_forward_from: Annotated[
        str, StringConstraints(pattern=r"^[0-9]{4}/[0-9]{2}$")] | None = None
    sign_offs: list[SignOff] = Field(default_factory=list)
    responses: dict[Id, Response] = Field(default_factory=dict)
    archived: list[ArchivedAnswer] = Field(
        default_factory=list,
        description="Answers kept from earlier framework versions; never counted.")

    @field_validator("academic_year", "carried_forward_from")
    @classmethod
    def _consecutive_years(cls, value: str | None) -> str | None:
        if value is not None:
            start, end = value.split("/")
            if (int(start) + 1) % 100 != int(end):
                raise ValueError(f"{value!r} is not an academic year: write e.g. 2026/27")
        return value

    @field_validator("required_sign_offs")
    @classmethod
    def _someone_besides_the_author(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            if len(set(value)) != len(value):
                raise ValueError("a required signature is named twice")
            if not set(value) - {"senco"}:
                raise ValueError("require the headteacher or a governor: the SENCO wrote the "
                                 "audit, so their signature alone is no check")
        return value

    @property
    def required(self) -> tuple[tuple[str, ...], ...]:
        """The signature groups that lock this audit."""
        return requirement(self.required_sign_offs)

    @property
    def current_sign_offs(self) -> list[SignOff]:
        """The signatures that count: those not set aside by a change or a reopening."""
        return [s for s in self.sign_offs if not s.superseded]

    @model_validator(mode="after")
    def _format_of_content(self) -> Audit:
        # The format says what the content needs, not what a file happened to say, so the
        # same audit read from a file and from the database compares equal.
        object.__setattr__(self, "format", self.file_format)
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.school.urn, self.academic_year)

    @property
    def file_format(self) -> str:
        """The oldest file format that holds everything in this audit."""
        moved = any(r.moved_from is not None for r in self.responses.values())
        return FORMAT_2 if self.archived or moved else FORMAT


def academic_year_for(day: dt.date) -> str:
    """The English academic year a date falls in: it starts on 1 September.

    >>> academic_year_for(dt.date(2026, 9, 1)), academic_year_for(dt.date(2027, 8, 31))
    ('2026/27', '2026/27')
    """
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def next_year(academic_year: str) -> str:
    start = int(academic_year[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def years_for_new_audit(today: dt.date) -> list[str]:
    """The academic years a new audit may be started for: the two before this one (to record
    an audit done on paper), this one and the next (to prepare over the summer)."""
    start = int(academic_year_for(today)[:4])
    return [academic_year_for(dt.date(start + d, 9, 1)) for d in (-2, -1, 0, 1)]


def years_to_carry_forward(keys: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The audits (urn, year) that next year's audit may start from, newest year first:
    those whose school has no audit for the following year yet."""
    existing = set(keys)
    return sorted((k for k in existing if (k[0], next_year(k[1])) not in existing),
                  key=lambda k: (k[1], k[0]), reverse=True)


def applicable(fw: Framework, audit: Audit, today: dt.date | None = None) -> list:
    """The criteria this school is assessed on: in use, in force on ``today`` (default: the
    real today) and applying to its phase and type. A coming duty is left out until its date.
    """
    day = today or dt.date.today()
    return [c for c in fw.active
            if c.in_force_on(day) and c.applies_to.includes(audit.school.phase, audit.school.type)]


def coming(fw: Framework, audit: Audit, today: dt.date | None = None) -> list:
    """Criteria that apply to this school but whose law is not yet in force on ``today``."""
    day = today or dt.date.today()
    return [c for c in fw.active
            if not c.in_force_on(day)
            and c.applies_to.includes(audit.school.phase, audit.school.type)]


def check(fw: Framework, audit: Audit, name: str = "audit",
          positions: Positions | None = None) -> list[Problem]:
    """Problems an audit has against its framework; empty when it can be saved as it is."""
    positions = positions or {}
    problems: list[Problem] = []

    def add(path: tuple, field: str, message: str) -> None:
        line, col = locate(positions, path)
        problems.append(Problem(name, line, col, field, message))

    if (audit.framework.id, audit.framework.version) != (fw.id, fw.version):
        add(("framework",), "framework", f"audit is for {audit.framework.id} "
            f"{audit.framework.version}, not {fw.id} {fw.version}")
        return problems
    for cid, resp in audit.responses.items():
        base = ("responses", cid)
        field = f"responses.{cid}"
        if not fw.has(cid):
            add((*base, "__key__"), field, f"unknown criterion {cid!r} in framework "
                f"{fw.id} {fw.version}")
            continue
        crit = fw.criterion(cid)
        scale = fw.scale_of(crit)
        for key in ("rating", "moderated_rating"):
            value = getattr(resp, key)
            if value is not None and value not in scale.level_ids:
                add((*base, key), f"{field}.{key}", f"{value!r} is not a level of the "
                    f"{scale.id!r} scale; use one of " + ", ".join(scale.level_ids))
        if resp.not_applicable and not crit.na_allowed:
            why = ("a statutory duty that applies to the school" if crit.statutory
                   else "this criterion")
            add((*base, "not_applicable_reason"), f"{field}.not_applicable_reason",
                f"'not applicable' is not allowed for {why}")
        if crit.withdrawn and not resp.blank:
            target = (f"; it was replaced by {' and '.join(crit.replacements)}"
                      if crit.replacements else "")
            add((*base, "__key__"), field, f"criterion {cid!r} is withdrawn{target}")
        if (not crit.applies_to.includes(audit.school.phase, audit.school.type)
                and resp.rating is not None):
            add((*base, "rating"), f"{field}.rating", f"criterion {cid!r} does not apply to a "
                f"{audit.school.phase} {audit.school.type} school")
    return problems


def validated(fw: Framework, audit: Audit) -> Audit:
    """The audit, if it passes :func:`check`; otherwise :class:`InputError`."""
    problems = check(fw, audit)
    if problems:
        raise InputError(problems)
    return audit


def carry_forward(fw: Framework, previous: Audit, academic_year: str | None = None) -> Audit:
    """Next year's audit from this one: answers copied, each marked as needing a re-check.

    Actions that were done are dropped; open ones come forward. Sign-offs and moderation do
    not: they belonged to last year's report.
    """
    year = academic_year or next_year(previous.academic_year)
    responses = {}
    for cid, resp in previous.responses.items():
        if not fw.has(cid) or fw.criterion(cid).withdrawn:
            continue
        action = resp.action if resp.action and resp.action.status != "done" else None
        responses[cid] = resp.model_copy(update={
            "rechecked": False, "action": action,
            "moderated_rating": None, "moderation_note": None,
        })
    return Audit(framework=FrameworkRef(id=fw.id, version=fw.version), school=previous.school,
                 academic_year=year, status="in-progress", completed_by=previous.completed_by,
                 required_sign_offs=previous.required_sign_offs,
                 carried_forward_from=previous.academic_year, responses=responses)
