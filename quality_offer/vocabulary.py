"""The product's words, each written once, with the label people read for it.

Every closed set of values the product stores or prints (membership roles, sign-off roles,
audit, action and evidence statuses, phases, types of school, gap priorities, the names of
the report's checks, evidence levels) is a ``Literal`` here; its tuple is derived from it with
``get_args`` and its labels sit beside it, so a value cannot be added in one place and
forgotten in another (``tests/test_vocabulary.py`` checks that every value has a label).
Models, the store, every output and every page import their words from here.
"""

from __future__ import annotations

from typing import Literal, get_args

# --- who acts: memberships and sign-offs ------------------------------------------------

#: A person's role in the product (a membership): what they may do, see ``permissions``.
Role = Literal["senco", "headteacher", "governor", "adviser", "administrator"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_LABELS: dict[str, str] = {
    "senco": "SENCO / school editor",
    "headteacher": "Headteacher",
    "governor": "Governor",
    "adviser": "LA adviser",
    "administrator": "Administrator",
}
#: The roles held at one school (the others belong to an authority or to everyone).
SCHOOL_ROLES: tuple[Role, ...] = ("senco", "headteacher", "governor")

#: The capacity in which someone signs a report off (not the same set as membership roles:
#: a governor signs as the SEN governor or as the chair).
SignOffRole = Literal["senco", "headteacher", "sen-governor", "chair-of-governors"]
SIGN_OFF_ROLES: tuple[SignOffRole, ...] = get_args(SignOffRole)
SIGN_OFF_ROLE_LABELS: dict[str, str] = {
    "senco": "SENCO",
    "headteacher": "Headteacher",
    "sen-governor": "SEN governor",
    "chair-of-governors": "Chair of governors",
}
#: As a sentence names the signatory ("still to sign: the headteacher").
SIGN_OFF_ROLE_WORDS: dict[str, str] = {
    "senco": "the SENCO",
    "headteacher": "the headteacher",
    "sen-governor": "the SEN governor",
    "chair-of-governors": "the chair of governors",
}

#: The signatures a school may require before its audit locks: a line, or "governor" (the SEN
#: governor or the chair, either one).
RequiredSigner = Literal["headteacher", "governor", "sen-governor", "chair-of-governors",
                         "senco"]
REQUIRED_SIGNERS: tuple[RequiredSigner, ...] = get_args(RequiredSigner)
REQUIRED_SIGNER_LABELS: dict[str, str] = {
    "headteacher": "Headteacher",
    "governor": "A governor (SEN governor or chair)",
    "sen-governor": "The SEN governor",
    "chair-of-governors": "The chair of governors",
    "senco": "SENCO",
}

#: Sign-off lines printed on every report, in this order (the chair signs where they do).
PRINTED_SIGN_OFFS: tuple[SignOffRole, ...] = ("senco", "headteacher", "sen-governor")

# --- the audit and its answers ----------------------------------------------------------

AuditStatus = Literal["in-progress", "submitted", "signed-off"]
AUDIT_STATUSES: tuple[AuditStatus, ...] = get_args(AuditStatus)
AUDIT_STATUS_LABELS: dict[str, str] = {
    "in-progress": "In progress",
    "submitted": "Submitted",
    "signed-off": "Signed off",
}
#: Inside a sentence of the change history ("from in progress to submitted").
AUDIT_STATUS_WORDS: dict[str, str] = {
    "in-progress": "in progress",
    "submitted": "submitted",
    "signed-off": "signed off",
}

ActionStatus = Literal["not-started", "in-progress", "done"]
ACTION_STATUSES: tuple[ActionStatus, ...] = get_args(ActionStatus)
ACTION_STATUS_LABELS: dict[str, str] = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
}
ACTION_STATUS_WORDS: dict[str, str] = {
    "not-started": "not started",
    "in-progress": "in progress",
    "done": "done",
}

EvidenceKind = Literal["document", "observation", "data", "pupil-voice", "parent-voice"]
EVIDENCE_KINDS: tuple[EvidenceKind, ...] = get_args(EvidenceKind)
EVIDENCE_KIND_LABELS: dict[str, str] = {
    "document": "Document",
    "observation": "Observation",
    "data": "Data",
    "pupil-voice": "Pupil voice",
    "parent-voice": "Parent voice",
}
EVIDENCE_KIND_WORDS: dict[str, str] = {
    "document": "document",
    "observation": "observation",
    "data": "data",
    "pupil-voice": "pupil voice",
    "parent-voice": "parent voice",
}

# --- schools ----------------------------------------------------------------------------

Phase = Literal["nursery", "primary", "secondary", "all-through", "special", "16-plus"]
PHASES: tuple[Phase, ...] = get_args(Phase)
#: As a form field or a table cell shows it.
PHASE_LABELS: dict[str, str] = {
    "nursery": "Nursery",
    "primary": "Primary",
    "secondary": "Secondary",
    "all-through": "All-through",
    "special": "Special",
    "16-plus": "16 plus",
}
#: As it reads inside a sentence ("Applies to schools in these phases: primary").
PHASE_WORDS: dict[str, str] = {
    "nursery": "nursery",
    "primary": "primary",
    "secondary": "secondary",
    "all-through": "all-through",
    "special": "special",
    "16-plus": "16 to 19",
}

SchoolType = Literal[
    "maintained",
    "academy",
    "free-school",
    "16-19-academy",
    "pupil-referral-unit",
    "non-maintained-special",
    "independent",
]
TYPES: tuple[SchoolType, ...] = get_args(SchoolType)
TYPE_LABELS: dict[str, str] = {
    "maintained": "Maintained school",
    "academy": "Academy",
    "free-school": "Free school",
    "16-19-academy": "16-19 academy",
    "pupil-referral-unit": "Pupil referral unit",
    "non-maintained-special": "Non-maintained special school",
    "independent": "Independent school",
}
#: In the plural, inside a sentence ("Applies to academies and free schools.").
TYPE_WORDS: dict[str, str] = {
    "maintained": "maintained schools",
    "academy": "academies",
    "free-school": "free schools",
    "16-19-academy": "16 to 19 academies",
    "pupil-referral-unit": "pupil referral units",
    "non-maintained-special": "non-maintained special schools",
    "independent": "independent schools",
}

# --- the gap report ---------------------------------------------------------------------

Priority = Literal[1, 2, 3, 4]
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
PRIORITY_LABELS: dict[int, str] = {
    1: "Statutory duty not met",
    2: "Statutory duty partly met",
    3: "Expectation not in place",
    4: "Expectation emerging",
}

#: The report's checks on the evidence and actions behind the ratings.
CheckKind = Literal["no-evidence", "gap-without-action", "overdue-action", "not-rechecked"]
CHECK_KINDS: tuple[CheckKind, ...] = get_args(CheckKind)
CHECK_LABELS: dict[str, str] = {
    "no-evidence": "Rating with no evidence",
    "gap-without-action": "Gap with no action",
    "overdue-action": "Overdue action",
    "not-rechecked": "Not re-checked this year",
}

#: How far a reference was checked: against the published text (V), wording known but the
#: number not confirmed (M), or not verified (U).
EvidenceLevel = Literal["V", "M", "U"]
EVIDENCE_LEVELS: tuple[EvidenceLevel, ...] = get_args(EvidenceLevel)
#: Editors' words for each evidence level: for the source view and the report's appendix on
#: how the references were checked, never for the pages schools act on.
EVIDENCE_CHECK_LABELS: dict[str, str] = {
    "V": "Checked against the published text",
    "M": "Wording known; the paragraph number is not confirmed",
    "U": "Not verified",
}

# --- the SEN information report checker -------------------------------------------------

SirStatus = Literal["found", "unclear", "missing", "not-applicable"]
SIR_STATUSES: tuple[SirStatus, ...] = get_args(SirStatus)
SIR_STATUS_LABELS: dict[str, str] = {
    "found": "Found",
    "unclear": "Unclear",
    "missing": "Missing",
    "not-applicable": "Not applicable",
}

#: Every Literal with its labels, for the test that no value goes without a label.
LABELLED: dict[str, tuple[tuple[object, ...], tuple[dict, ...]]] = {
    "Role": (ROLES, (ROLE_LABELS,)),
    "SignOffRole": (SIGN_OFF_ROLES, (SIGN_OFF_ROLE_LABELS, SIGN_OFF_ROLE_WORDS)),
    "RequiredSigner": (REQUIRED_SIGNERS, (REQUIRED_SIGNER_LABELS,)),
    "AuditStatus": (AUDIT_STATUSES, (AUDIT_STATUS_LABELS, AUDIT_STATUS_WORDS)),
    "ActionStatus": (ACTION_STATUSES, (ACTION_STATUS_LABELS, ACTION_STATUS_WORDS)),
    "EvidenceKind": (EVIDENCE_KINDS, (EVIDENCE_KIND_LABELS, EVIDENCE_KIND_WORDS)),
    "Phase": (PHASES, (PHASE_LABELS, PHASE_WORDS)),
    "SchoolType": (TYPES, (TYPE_LABELS, TYPE_WORDS)),
    "Priority": (PRIORITIES, (PRIORITY_LABELS,)),
    "CheckKind": (CHECK_KINDS, (CHECK_LABELS,)),
    "EvidenceLevel": (EVIDENCE_LEVELS, (EVIDENCE_CHECK_LABELS,)),
    "SirStatus": (SIR_STATUSES, (SIR_STATUS_LABELS,)),
}

#: A background job making every school's PDF report (quality_offer.jobs), as advisers see it.
REPORT_JOB_LABELS: dict[str, str] = {
    "running": "Being made",
    "finished": "Ready to download",
    "failed": "Stopped",
    "cancelled": "Stopped at your request",
}
