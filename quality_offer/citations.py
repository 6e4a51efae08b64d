"""How a reference is printed for schools: only as far as it has been verified.

SENCOs, governors and advisers cannot act on "paragraph number not yet confirmed", and such
wording makes every citation look doubtful. So a reference whose paragraph number is not
confirmed is printed at the level that is: the chapter of the Code, or the Act or Regulations
as a whole, in plain words. The evidence level and the reasons stay with the editors (the
YAML, the framework browser's source view and the report's appendix on how the references
were checked).
"""

from __future__ import annotations

import re
from typing import Protocol

#: The full name of each source, as printed for schools.
SOURCE_NAMES = {
    "CoP": "SEND Code of Practice 2015",
    "CFA 2014": "Children and Families Act 2014",
    "EqA 2010": "Equality Act 2010",
    "SEND Regs 2014": "SEND Regulations 2014",
    "SI": "Statutory Instrument",
    "CYPA 2008": "Children and Young Persons Act 2008",
    "CWSA 2026": "Children's Wellbeing and Schools Act 2026",
    "Academies Act 2010": "Academies Act 2010",
    "Pupil Information Regs 2005": "Education (Pupil Information) (England) Regulations 2005",
    "Childcare Act 2006": "Childcare Act 2006",
    "Guidance": "Statutory guidance",
    "Local": "Local guidance",
}



class _RefLike(Protocol):
    source: str
    ref: str
    title: str
    evidence: str


_CODE_PARAS = re.compile(r"^(\d+)\.(\d+)(?:-(\d+)\.(\d+))?$")


def _part(ref: str) -> str:
    """``ref`` in words: "s68" -> "section 68", "6.80-6.82" -> "paragraphs 6.80 to 6.82"."""
    paras = _CODE_PARAS.match(ref)
    if paras:
        if paras.group(3):
            first, last = ref.split("-")
            return f"paragraphs {first} to {last}"
        return f"paragraph {ref}"
    words = ref
    for short, long in ((r"\bss?(\d)", r"section \1"), (r"\breg (\d)", r"regulation \1"),
                        (r"\bSch (\d+) para (\d)", r"Schedule \1, paragraph \2"),
                        (r"\bSch (\d)", r"Schedule \1")):
        words = re.sub(short, long, words)
    return words


def cited(ref: _RefLike) -> str:
    """The citation as printed for schools, as precise as its verification allows."""
    name = SOURCE_NAMES.get(ref.source, ref.source)
    if ref.source in ("SI", "Local", "Guidance"):
        # Named documents: the reference is the whole document, printed by its title.
        return ref.title
    if ref.evidence == "V":
        return f"{name}, {_part(ref.ref)}"
    paras = _CODE_PARAS.match(ref.ref)
    if ref.source == "CoP" and paras and ref.evidence == "M":
        # The wording is known to be in this chapter; only the number is unconfirmed.
        return f"{name}, chapter {paras.group(1)}"
    return name


def cited_list(refs: list[_RefLike]) -> list[str]:
    """Each citation once, in order: two unconfirmed paragraphs of one chapter print once."""
    out: list[str] = []
    for ref in refs:
        text = cited(ref)
        if text not in out:
            out.append(text)
    return out
