"""How easy the report is for parents to read, and how recently it was reviewed.

Scores come from the textstat library (Flesch reading ease, Flesch-Kincaid grade). The
reading age is the grade plus five: a US school grade is roughly the age of its pupils less
five, so grade 8 text suits a reader of about 13. The jargon check is a rule a parent would
recognise: an abbreviation such as EHCP should be spelt out where it is first used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .extract import Block, Document
from .items import ItemsFile
from .match import QUOTE_CHARS

MAX_AGE = 21  # past this the grade only says "very hard", not an age anyone has
HARD_MIN_WORDS = 25  # a passage shorter than this gives no reliable score
SHOWN = 3


@dataclass(frozen=True)
class Scored:
    text: str
    where: str
    reading_ease: float | None = None
    reading_age: int | None = None
    words: int | None = None


@dataclass(frozen=True)
class JargonUse:
    term: str
    where: str
    uses: int
    known_meaning: str | None  # a meaning from the list, to suggest


@dataclass(frozen=True)
class Readability:
    reading_ease: float | None
    reading_age: int | None
    words: int
    sentences: int
    hardest: tuple[Scored, ...]
    longest_sentences: tuple[Scored, ...]
    jargon: tuple[JargonUse, ...]

    @property
    def verdict(self) -> str:
        """The reading-ease score in words, on Flesch's own bands."""
        ease = self.reading_ease
        if ease is None:
            return "too little text to score"
        for floor, words in ((80, "easy"), (60, "plain English"), (50, "fairly difficult"),
                             (30, "difficult"), (-1000, "very difficult")):
            if ease >= floor:
                return words
        return "very difficult"


@dataclass(frozen=True)
class Reviewed:
    date: dt.date | None
    text: str | None
    where: str | None
    audit_date: dt.date
    max_days: int

    @property
    def days_before_audit(self) -> int | None:
        return (self.audit_date - self.date).days if self.date else None

    @property
    def out_of_date(self) -> bool | None:
        days = self.days_before_audit
        return None if days is None else days > self.max_days


def _score(text: str) -> tuple[float, int]:
    import textstat

    ease = round(float(textstat.flesch_reading_ease(text)), 1)
    age = round(float(textstat.flesch_kincaid_grade(text)) + 5)
    return ease, min(MAX_AGE, max(5, age))


_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rstrip() + "…"


def _jargon(document: Document, items: ItemsFile) -> list[JargonUse]:
    blocks = [b for b in document.blocks if b.text]
    full = "\n".join(b.text for b in blocks)
    offsets, pos = [], 0
    for b in blocks:
        offsets.append(pos)
        pos += len(b.text) + 1

    def block_at(i: int) -> Block:
        k = max(0, sum(1 for o in offsets if o <= i) - 1)
        return blocks[k]

    out: list[JargonUse] = []
    listed = {j.term for j in items.jargon}
    plain = set(items.plain_capitals) | listed
    terms: list[tuple[str, list[str]]] = [(j.term, j.meaning) for j in items.jargon]
    # Capitals in a heading typed all in capitals are shouting, not abbreviations.
    prose = "\n".join(b.text for b in blocks if not b.text.isupper())
    for m in re.finditer(r"\b[A-Z][A-Za-z]?[A-Z]{1,5}s?\b", prose):
        term = m.group(0).rstrip("s") if m.group(0).endswith("s") and m.group(0)[:-1].isupper() \
            else m.group(0)
        if term not in plain and term.isupper() and len(term) >= 2:
            plain.add(term)
            terms.append((term, []))
    for term, meanings in terms:
        use = re.search(rf"\b{re.escape(term)}s?\b", full)
        if use is None:
            continue
        first = use.start()
        near = full[max(0, first - 120): use.end() + 120]
        spelt = bool(re.search(rf"\(\s*{re.escape(term)}s?\s*\)", near)) or bool(
            re.search(rf"\b{re.escape(term)}s?\s*\(", full[first:first + len(term) + 3]))
        for meaning in meanings:
            mm = re.search(r"[\s\-]+".join(re.escape(w) for w in meaning.split()), full,
                           re.IGNORECASE)
            if mm and mm.start() <= use.end() + 120:
                spelt = True
        if not spelt:
            uses = len(re.findall(rf"\b{re.escape(term)}s?\b", full))
            out.append(JargonUse(term, block_at(first).where, uses,
                                 meanings[0] if meanings else None))
    return out


def assess(document: Document, items: ItemsFile) -> Readability:
    body = [b for b in document.blocks if not b.is_heading and b.text]
    text = " ".join(b.text if b.text[-1:] in ".!?:" else b.text + "." for b in body)
    words = len(text.split())
    all_sentences = sentences(text)
    ease, age = _score(text) if words >= 30 else (None, None)
    scored = []
    for b in body:
        if len(b.text.split()) >= HARD_MIN_WORDS:
            e, a = _score(b.text)
            scored.append(Scored(_cut(b.text), b.where, e, a, len(b.text.split())))
    # Only passages harder than plain English (Flesch 60) are worth pointing at.
    scored = [s for s in scored if s.reading_ease is not None and s.reading_ease < 60]
    scored.sort(key=lambda s: s.reading_ease)
    longest = []
    for b in body:
        for s in sentences(b.text):
            longest.append(Scored(_cut(s), b.where, words=len(s.split())))
    longest.sort(key=lambda s: -(s.words or 0))
    return Readability(ease, age, words, len(all_sentences), tuple(scored[:SHOWN]),
                       tuple(longest[:SHOWN]), tuple(_jargon(document, items)))


MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('(', '(?P<m1>', 1)}\.?,?"
    rf"\s+(?P<y1>\d{{4}})"
    rf"|{_MONTH.replace('(', '(?P<m2>', 1)}\.?\s+(?P<y2>\d{{4}})"
    r"|(?P<d3>\d{1,2})[/.](?P<m3>\d{1,2})[/.](?P<y3>\d{4}|\d{2})\b"
    r"|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})",
    re.IGNORECASE)
_REVIEW = re.compile(r"(?P<next>next\s+|due\s+for\s+)?\b(last\s+reviewed|reviewed|review\s+date|"
                     r"date\s+of\s+(?:last\s+)?review|last\s+updated|updated|approved|ratified|"
                     r"date\s+published|published)\b", re.IGNORECASE)


def _month(name: str) -> int:
    name = name.lower()
    return next(n for m, n in MONTHS.items() if m.startswith(name[:3]))


def _date_of(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    try:
        if g["y1"]:
            return dt.date(int(g["y1"]), _month(g["m1"]), int(g["d1"]))
        if g["y2"]:
            return dt.date(int(g["y2"]), _month(g["m2"]), 1)
        if g["y3"]:
            year = int(g["y3"]) + (2000 if len(g["y3"]) == 2 else 0)
            return dt.date(year, int(g["m3"]), int(g["d3"]))  # UK order: day first
        if g["y4"]:
            return dt.date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    except ValueError:
        return None
    return None


def last_reviewed(document: Document, audit_date: dt.date, max_days: int) -> Reviewed:
    """The latest date the report says it was reviewed, updated or approved.

    "Next review" dates are skipped, and so are dates after the audit (a typing slip).
    """
    best: tuple[dt.date, str, str] | None = None
    for block in document.blocks:
        for rm in _REVIEW.finditer(block.text):
            if rm.group("next"):
                continue
            tail = block.text[rm.end(): rm.end() + 60]
            dm = _DATE.search(tail)
            if dm is None:
                continue
            day = _date_of(dm)
            if day is None or day > audit_date:
                continue
            quote = block.text[rm.start(): rm.end() + dm.end()].strip()
            if best is None or day > best[0]:
                best = (day, quote, block.where)
    if best is None:
        return Reviewed(None, None, None, audit_date, max_days)
    return Reviewed(best[0], best[1], best[2], audit_date, max_days)
