"""A PDF report of the mini framework and its text, for the tests that read PDF reports.

The answers give two duty gaps, one strength and one "not applicable", so every part of the
report has something in it; the text is what pypdf extracts, for asserting what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from quality_offer.gaps import GapReport, analyse

from .builders import make_audit

TODAY = dt.date(2027, 1, 15)
MARKUP = '<para><img src="/etc/passwd"/></para> &nbsp; <script>alert(1)</script>'


def answers(mini: object, **overrides: dict) -> dict[str, dict]:
    """Every mini criterion answered: two duty gaps, one strength, one not applicable."""
    base = {
        "D1": {"rating": "not-met",
               "evidence": {"text": "No record of provision.", "location": "SEN folder",
                            "kind": "document"},
               "action": {"what": "Write the SEN policy", "owner": "Ms Ŵyn Jones",
                          "due": "2026-12-01", "status": "in-progress"}},
        "D2": {"rating": "partly-met",
               "action": {"what": "Enrol the SENCO on the NPQ", "owner": "Head",
                          "due": "2027-06-30"}},
        "O1.1": {"rating": "established",
                 "evidence": {"text": "Lesson observations, autumn term.",
                              "location": "Staff room cabinet", "kind": "observation"}},
        "O1.2": {"not_applicable_reason": "No looked-after children on roll."},
    }
    base.update(overrides)
    return base


def report_of(fw: object, responses: dict, **kw: object) -> GapReport:
    return analyse(fw, make_audit(fw, responses, **kw), TODAY)


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text with runs of whitespace made single spaces: line breaks fall anywhere."""
    return " ".join(text.split())


def link_targets(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris
