"""The authority's list of schools from a DfE "Get Information about Schools" (GIAS) extract.

A comparison of the audits received says nothing about the schools that sent none; the
register does. GIAS is the DfE's public register of establishments, downloadable as CSV
(``edubasealldata<date>.csv``, about 300 columns, one row per establishment, national). We
read the few columns we need by their GIAS names, tolerate every other column, a byte-order
mark and the Windows-1252 encoding GIAS downloads come in, and map GIAS's phase and type
names to this tool's :data:`~quality_offer.models.Phase` and
:data:`~quality_offer.models.SchoolType`. A value we cannot map is reported with its line
number and the school is still listed (phase or type unknown), never a crash; establishments
that are not schools this tool audits (further education, Welsh and overseas schools...) are
left out and reported too.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, Problem
from .yamlsafe import read_bytes

if TYPE_CHECKING:
    from .compare.core import Comparison

URN = "URN"
NAME = "EstablishmentName"
PHASE = "PhaseOfEducation (name)"
TYPE = "TypeOfEstablishment (name)"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
STATUS = "EstablishmentStatus (name)"
LOW_AGE = "StatutoryLowAge"
HIGH_AGE = "StatutoryHighAge"
REQUIRED = (URN, NAME, PHASE, TYPE, LA_CODE, LA_NAME)
MAX_BYTES = 300_000_000  # the national extract is about 60 MB

#: GIAS "PhaseOfEducation (name)" -> our phase. "Not applicable" (special schools, pupil
#: referral units) is decided from the type or the statutory ages instead.
GIAS_PHASES: dict[str, str] = {
    "nursery": "nursery",
    "primary": "primary",
    "middle deemed primary": "primary",
    "secondary": "secondary",
    "middle deemed secondary": "secondary",
    "16 plus": "16-plus",
    "all-through": "all-through",
    "all through": "all-through",
}
NO_PHASE = frozenset({"not applicable", ""})

#: GIAS "TypeOfEstablishment (name)" -> our school type.
GIAS_TYPES: dict[str, str] = {
    "community school": "maintained",
    "voluntary aided school": "maintained",
    "voluntary controlled school": "maintained",
    "foundation school": "maintained",
    "la nursery school": "maintained",
    "community special school": "maintained",
    "foundation special school": "maintained",
    "academy converter": "academy",
    "academy sponsor led": "academy",
    "academy special converter": "academy",
    "academy special sponsor led": "academy",
    "academy alternative provision converter": "academy",
    "academy alternative provision sponsor led": "academy",
    "university technical college": "academy",
    "studio schools": "academy",
    # CTCs are run under academy arrangements and carry the same SEND duties.
    "city technology college": "academy",
    "free schools": "free-school",
    "free schools special": "free-school",
    "free schools alternative provision": "free-school",
    "academy 16-19 converter": "16-19-academy",
    "academy 16-19 sponsor led": "16-19-academy",
    "academy 16 to 19 sponsor led": "16-19-academy",
    "free schools 16 to 19": "16-19-academy",
    "free schools 16-19": "16-19-academy",
    "academy secure 16 to 19": "16-19-academy",
    "pupil referral unit": "pupil-referral-unit",
    "non-maintained special school": "non-maintained-special",
    "other independent school": "independent",
    "other independent special school": "independent",
}

#: Types whose schools are in our "special" phase, whatever GIAS gives as the phase.
SPECIAL_TYPES = frozenset({
    "community special school", "foundation special school", "academy special converter",
    "academy special sponsor led", "free schools special", "non-maintained special school",
    "other independent special school",
})

#: Establishments in GIAS that are not schools this tool audits: left out, and said so.
NOT_SCHOOLS = frozenset({
    "further education", "sixth form centres", "special post 16 institution",
    "secure units", "offshore schools", "service childrens education",
    "service children's education", "miscellaneous", "higher education institutions",
    "welsh establishment", "british schools overseas", "online provider",
    "institution funded by other government department",
})


@dataclass(frozen=True, slots=True)
class RegisterSchool:
    """One establishment of the register, in this tool's terms; ``line`` is its CSV line."""

    urn: str
    name: str
    phase: str | None
    type: str | None
    la_code: str | None
    la_name: str | None
    area: str | None
    line: int
    gias_phase: str = ""
    gias_type: str = ""


@dataclass(frozen=True)
class Register:
    """The schools of an extract, with every problem found reading it."""

    source: str
    schools: list[RegisterSchool]
    problems: list[Problem] = field(default_factory=list)
    closed: int = 0

    def by_urn(self) -> dict[str, RegisterSchool]:
        return {s.urn: s for s in self.schools}

    def la_codes(self) -> list[str]:
        return sorted({s.la_code for s in self.schools if s.la_code})

    def in_las(self, codes: Iterable[str]) -> Register:
        """Only the schools of the given local authorities (a national extract, narrowed)."""
        wanted = set(codes)
        return Register(self.source, [s for s in self.schools if s.la_code in wanted],
                        self.problems, self.closed)


def _key(value: str) -> str:
    return " ".join(value.replace("\u2019", "'").split()).casefold()


def _decoded_lines(raw: bytes, name: str) -> Iterator[str]:
    """The extract's lines as text, decoded as they are read; a file that is not a text CSV
    is refused for what it is.

    GIAS serves Windows-1252; files re-saved by Excel are often UTF-8 with a BOM. A UTF-16
    file ("Unicode text" in Excel) or a binary one would otherwise decode to noise and be
    reported as missing columns. The text is never held whole: a national extract decoded at
    once, with one curly apostrophe in it, takes two bytes a character, and a copy in
    :class:`io.StringIO` four.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([Problem(name, 1, 1, "", "the file is UTF-16 text; save it from "
                                  "Excel as \"CSV UTF-8\" or as \"CSV (Comma delimited)\"")])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        column = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise InputError([Problem(name, line, column, "", "the file holds a NUL byte, so it is "
                                  "not a CSV text file; download the extract again")])
    encoding = "utf-8-sig" if _is_utf8(raw) else "cp1252"
    return io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, errors="replace", newline="")


def _is_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-8, checked a megabyte at a time without keeping the text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for i in range(0, len(raw), 1 << 20):
            decoder.decode(view[i:i + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _lines(text: str) -> Iterator[str]:
    """The text line by line, line ends kept, without copying it whole (a national extract
    is tens of megabytes; :class:`io.StringIO` would hold four bytes a character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _age(row: dict[str, Any], column: str) -> int | None:
    try:
        return int(str(row.get(column) or "").strip())
    except ValueError:
        return None


def _phase_from_ages(low: int | None, high: int | None) -> str | None:
    """A phase from the statutory age range, for rows whose GIAS phase is "Not applicable"."""
    if low is None or high is None:
        return None
    if high <= 11:
        return "nursery" if high <= 5 else "primary"
    if low >= 16:
        return "16-plus"
    if low >= 11:
        return "secondary"
    return "all-through"


def parse_text(text: str | bytes, name: str = "gias.csv", *,
               area_column: str | None = None, include_closed: bool = False) -> Register:
    """Read a GIAS extract's content; see :func:`read`."""
    lines = (_decoded_lines(text, name) if isinstance(text, bytes)
             else _lines(text.removeprefix("\ufeff")))
    reader = csv.DictReader(lines, strict=True)
    try:
        return _parse_rows(reader, name, area_column, include_closed)
    except csv.Error as exc:
        line = reader.line_num + 1  # the row after the last one read whole
        what = str(exc)
        if "field larger than field limit" in what:
            what = (f"a value is longer than {csv.field_size_limit():,} characters, so this "
                    "is not a GIAS extract as downloaded")
        elif "unexpected end of data" in what or "expected" in what:
            what = f"a quotation mark is not closed or is misplaced ({what})"
        raise InputError([Problem(name, line, None, "", "not a readable CSV file, in the row "
                                  f"that starts on this line: {what}")]) from None


def _parse_rows(reader: csv.DictReader[str], name: str, area_column: str | None,
                include_closed: bool) -> Register:
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if area_column and area_column not in header:
        missing.append(area_column)
    if missing:
        raise InputError([Problem(name, 1, None, "header",
                                  "missing GIAS column(s): " + ", ".join(repr(c) for c in missing)
                                  + "; is this an edubasealldata extract?")])
    schools: list[RegisterSchool] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    closed = 0
    start = 2
    for row in reader:
        line, start = start, reader.line_num + 1

        def report(column: str, message: str, line: int = line) -> None:
            problems.append(Problem(name, line, None, column, message))

        if None in row:  # more cells than the header has columns
            report("", "more values than columns; the extra ones are ignored")
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        status = values.get(STATUS, "")
        if not include_closed and _key(status).startswith("closed"):
            closed += 1
            continue
        urn = values[URN]
        if not (urn.isascii() and urn.isdigit() and len(urn) == 6):
            report(URN, f"URN {urn!r} is not six digits; row left out")
            continue
        if urn in seen:
            report(URN, f"URN {urn} is listed again (first on line {seen[urn]}); "
                        "the first row is used")
            continue
        seen[urn] = line
        gias_type = values[TYPE]
        type_key = _key(gias_type)
        if type_key in NOT_SCHOOLS:
            report(TYPE, f"{gias_type!r} ({values[NAME] or urn}) is not a school this tool "
                         "compares; row left out")
            continue
        school_type = GIAS_TYPES.get(type_key)
        if school_type is None:
            what = (f"unknown establishment type {gias_type!r}" if gias_type
                    else "no establishment type")
            report(TYPE, f"{what}; the school is listed without a type")
        gias_phase = values[PHASE]
        phase_key = _key(gias_phase)
        if type_key in SPECIAL_TYPES:
            phase: str | None = "special"
        elif phase_key in GIAS_PHASES:
            phase = GIAS_PHASES[phase_key]
        else:
            phase = _phase_from_ages(_age(values, LOW_AGE), _age(values, HIGH_AGE))
            if phase is None:
                what = ("no phase of education" if phase_key in NO_PHASE
                        else f"unknown phase of education {gias_phase!r}")
                report(PHASE, f"{what} and no statutory ages to tell it by; the school is "
                              "listed without a phase")
        la_code = values[LA_CODE] or None
        if la_code is not None and not (la_code.isascii() and la_code.isdigit()
                                        and len(la_code) == 3):
            report(LA_CODE, f"LA code {la_code!r} is not three digits; kept as it is")
        schools.append(RegisterSchool(
            urn=urn, name=values[NAME] or f"URN {urn}", phase=phase, type=school_type,
            la_code=la_code, la_name=values[LA_NAME] or None,
            area=(values.get(area_column) or None) if area_column else None, line=line,
            gias_phase=gias_phase, gias_type=gias_type))
    return Register(source=name, schools=schools, problems=problems, closed=closed)


def read(path: str | Path, *, area_column: str | None = None,
         include_closed: bool = False) -> Register:
    """Read a GIAS CSV extract.

    Closed establishments are left out (they cannot submit) unless ``include_closed``.
    ``area_column`` names a column to use as the area (e.g. ``"DistrictAdministrative
    (name)"``, or a column the authority added for its DSPL areas).
    Raises :class:`InputError` only when the file cannot be used at all (unreadable, too
    large, GIAS columns missing); row-level problems are in ``Register.problems``.
    """
    path = Path(path)
    name = str(path)
    return parse_text(read_bytes(path, name, MAX_BYTES), name, area_column=area_column,
                      include_closed=include_closed)


def coverage(register: Register, comparison: Comparison, year: str | None = None
             ) -> dict[str, Any]:
    """Which of the register's schools have an audit in the comparison, and which have not.

    ``year`` defaults to the latest academic year compared. A national extract is narrowed
    to the local authorities the audits name; the comparison's phase, type and area filters
    apply to the register too, so "not submitted" means not submitted among the schools
    being looked at.
    """
    years = comparison.years
    year = year or (years[-1] if years else None)
    audits = {r.urn: r for r in comparison.results if r.academic_year == year}
    reg = register
    las = {r.la_code for r in comparison.results if r.la_code}
    if las and set(reg.la_codes()) - las:
        reg = reg.in_las(las)
    wanted = {k: set(v) for k, v in comparison.filters.items()
              if k in ("phase", "type", "area")}
    listed = [s for s in reg.schools
              if all(getattr(s, k) in v for k, v in wanted.items())]
    rows = []
    for s in sorted(listed, key=lambda s: (s.name.casefold(), s.urn)):
        audit = audits.get(s.urn)
        rows.append({"urn": s.urn, "name": s.name, "phase": s.phase, "type": s.type,
                     "la_code": s.la_code, "area": s.area,
                     "status": audit.status if audit else "not submitted",
                     "submitted": audit is not None})
    known = {s.urn for s in reg.schools}
    not_in_register = [{"urn": r.urn, "name": r.name, "academic_year": r.academic_year}
                       for r in audits.values() if r.urn not in known]
    return {
        "register": register.source, "academic_year": year,
        "la_codes": sorted(las) if las else reg.la_codes(),
        "schools": len(rows), "submitted": sum(1 for r in rows if r["submitted"]),
        "not_submitted": [r for r in rows if not r["submitted"]],
        "not_in_register": sorted(not_in_register, key=lambda r: r["urn"]),
        "schools_listed": rows,
        "problems": [str(p) for p in register.problems],
    }
