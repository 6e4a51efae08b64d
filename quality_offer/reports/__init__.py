"""Printable reports of one :class:`~quality_offer.gaps.GapReport`: PDF and HTML.

Both render the same GapReport and compute nothing of their own; the helpers here are only
about wording and cleaning text, so the PDF, the HTML and the spreadsheets say things the
same way.
"""

from __future__ import annotations

import re

from ..dates import MONTHS, long_date, short_date

__all__ = [
    "ACTION_STATUS_LABELS",
    "AUDIT_STATUS_LABELS",
    "EVIDENCE_CHECK_LABELS",
    "EVIDENCE_KIND_LABELS",
    "MONTHS",
    "ROLE_LABELS",
    "SIGN_OFF_ROLES",
    "SOURCE_NAMES",
    "clean_text",
    "long_date",
    "share_text",
    "short_date",
]

AUDIT_STATUS_LABELS = {"in-progress": "In progress", "submitted": "Submitted",
                       "signed-off": "Signed off"}
ACTION_STATUS_LABELS = {"not-started": "Not started", "in-progress": "In progress",
                        "done": "Done"}
EVIDENCE_KIND_LABELS = {"document": "Document", "observation": "Observation", "data": "Data",
                        "pupil-voice": "Pupil voice", "parent-voice": "Parent voice"}
ROLE_LABELS = {"senco": "SENCO", "headteacher": "Headteacher", "sen-governor": "SEN governor",
               "chair-of-governors": "Chair of governors"}
#: Sign-off lines printed on every report, in this order (the chair signs where they do).
SIGN_OFF_ROLES = ("senco", "headteacher", "sen-governor")
SOURCE_NAMES = {
    "CoP": "SEND Code of Practice 2015",
    "CFA 2014": "Children and Families Act 2014",
    "EqA 2010": "Equality Act 2010",
    "SEND Regs 2014": "SEND Regulations 2014",
    "SI": "Statutory Instrument",
    "CYPA 2008": "Children and Young Persons Act 2008",
    "Local": "Local guidance",
}
EVIDENCE_CHECK_LABELS = {
    "V": "Checked against the published text",
    "M": "Paragraph number not yet confirmed",
    "U": "Not yet verified",
}

# C0 and C1 control characters other than tab and newline, lone surrogates and the
# non-characters U+FFFE / U+FFFF: no font has a glyph for them and XML refuses most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Free text made printable: line ends unified, control characters shown as U+FFFD.

    Replacing rather than dropping keeps it visible that something was there.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", text)


def share_text(share: float | None) -> str:
    return "not assessed" if share is None else f"{share:.0%}"
