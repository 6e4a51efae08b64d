"""A corpus of malformed and hostile input files, each with what a correct tool does.

Run ``python -m tests.hostile_corpus OUT_FOLDER`` to write every case to disk for a look;
the tests (``test_hostile_input.py``) build the same cases in a temporary folder and put
each through every reader, every command and the Import and Compare pages.

A case is refused (``accept=False``) or accepted. A refusal must name the file, and, when
the fault is inside the file, its line and column; where a case says ``field``, the message
must name that field too. Add a case whenever a new kind of bad input turns up: the class
of fault, not only the example.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

#: A valid audit of the shipped framework, in YAML; most cases change one thing in it.
AUDIT = """\
format: quality-offer-audit/1
framework: {id: herts-send-quality-offer, version: "1.0.0"}
school:
  urn: "123456"
  name: Oak Tree Primary School
  la_code: "919"
  phase: primary
  type: maintained
academic_year: 2026/27
responses:
  D1:
    rating: met
    evidence: {text: SEN policy on the website, location: website}
"""


def audit_data() -> dict:
    return {
        "format": "quality-offer-audit/1",
        "framework": {"id": "herts-send-quality-offer", "version": "1.0.0"},
        "school": {"urn": "123456", "name": "Oak Tree Primary School", "la_code": "919",
                   "phase": "primary", "type": "maintained"},
        "academic_year": "2026/27",
        "responses": {"D1": {"rating": "met",
                             "evidence": {"text": "SEN policy on the website",
                                          "location": "website"}}},
    }


@dataclass(frozen=True)
class Case:
    """One input and what a correct tool does with it.

    ``kind``: ``audit`` (an audit file), ``framework`` (a framework folder whose
    ``outcome-1.yaml`` is ``content``), ``gias`` (a GIAS extract for ``compare``).
    ``special``: the path is not a regular file: ``fifo``, ``dev-zero`` (a link to
    /dev/zero), ``folder``. ``whole_file``: the fault is the file as a whole (its size, what
    it is), so the message names the file but no line.
    """

    name: str
    kind: str
    content: bytes = b""
    suffix: str = ".yaml"
    accept: bool = False
    field: str | None = None
    special: str | None = None
    whole_file: bool = False

    @property
    def filename(self) -> str:
        return self.name + self.suffix


def _audit(name: str, text: str, *, suffix: str = ".yaml", **kw: object) -> Case:
    return Case(name, "audit", text.encode("utf-8", "surrogatepass"), suffix, **kw)  # type: ignore[arg-type]


def _replace(name: str, old: str, new: str, **kw: object) -> Case:
    assert old in AUDIT, old
    return _audit(name, AUDIT.replace(old, new, 1), **kw)


def _json(name: str, text: str, **kw: object) -> Case:
    return _audit(name, text, suffix=".json", **kw)


def _nested_sequences(depth: int) -> str:
    return "- " * depth + "x\n"


def _nested_mappings(depth: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "x\n"


def audit_cases() -> list[Case]:
    good_json = json.dumps(audit_data(), indent=2)
    cases = [
        _audit("valid", AUDIT, accept=True),
        _json("valid-json", good_json, accept=True),
        # formulas in free text are kept as typed (and neutralised in spreadsheets)
        _replace("formula-in-name", "name: Oak Tree Primary School",
                 "name: '=HYPERLINK(\"http://x.example\",\"Oak\")'", accept=True),
        _replace("fullwidth-formula-in-evidence", "text: SEN policy on the website",
                 "text: ＝1+1", accept=True),
        # deep nesting
        _audit("deep-block-sequences", _nested_sequences(500)),
        _audit("deep-block-mappings", _nested_mappings(500)),
        _replace("deep-flow-in-evidence", "text: SEN policy on the website",
                 "text: " + "[" * 5000 + "]" * 5000),
        _json("deep-json-arrays", "[" * 700 + "]" * 700),
        _json("deep-json-in-field", good_json.replace('"SEN policy on the website"',
                                                      "[" * 3000 + "]" * 3000)),
        # explicit tags
        _replace("tag-float-on-text", "name: Oak Tree Primary School",
                 "name: !!float Oak Tree", field="school.name"),
        _replace("tag-int-on-text", 'urn: "123456"', "urn: !!int abc", field="school.urn"),
        _replace("tag-timestamp-on-text", "academic_year: 2026/27",
                 "academic_year: !!timestamp 2026/27", field="academic_year"),
        _replace("tag-binary-name", "name: Oak Tree Primary School",
                 "name: !!binary T2FrIFRyZWU=", field="school.name"),
        _replace("tag-python-object", "school:\n", "school: !!python/object:os.system\n",
                 field="school"),
        _replace("tag-local", "rating: met", "rating: !met met", field="responses.D1.rating"),
        _replace("tag-str-redundant", "rating: met", "rating: !!str met",
                 field="responses.D1.rating"),
        _replace("tag-non-specific", "rating: met", "rating: ! met"),
        # impossible dates, unquoted
        _audit("impossible-date-sign-off", AUDIT + "sign_offs:\n  - {name: A Head, role: "
               "headteacher, date: 2027-02-30}\n", field="sign_offs.0.date"),
        _replace("impossible-month-action", "evidence: {text",
                 "action: {what: Train staff, due: 2027-13-01}\n    evidence: {text",
                 field="responses.D1.action.due"),
        _replace("impossible-time", "evidence: {text",
                 "action: {what: Train staff, due: 2027-01-01 25:61:00}\n    evidence: {text"),
        _audit("impossible-date-as-key", AUDIT + "2027-02-30: x\n"),
        # numbers Python will not convert
        _replace("huge-integer-urn", 'urn: "123456"', "urn: " + "9" * 5000,
                 field="school.urn"),
        _json("huge-integer-json", good_json.replace('"123456"', "9" * 5000)),
        # JSON read strictly
        _json("json-trailing-comma", good_json.replace('"website"\n', '"website",\n', 1)),
        _json("json-comment", "// an audit\n" + good_json),
        _json("json-nan", good_json.replace('"met"', "NaN")),
        _json("json-duplicate-key", good_json.replace('"academic_year": "2026/27"',
                                                      '"academic_year": "2026/27", '
                                                      '"academic_year": "2025/26"')),
        _json("json-single-quotes", good_json.replace('"met"', "'met'")),
        _json("json-yaml-syntax", AUDIT),
        # digits that are not ASCII
        _replace("fullwidth-urn", 'urn: "123456"', 'urn: "１２３４５６"', field="school.urn"),
        _replace("arabic-indic-urn", 'urn: "123456"', 'urn: "١٢٣٤٥٦"', field="school.urn"),
        _replace("fullwidth-year", "academic_year: 2026/27", "academic_year: ２０２６/２７",
                 field="academic_year"),
        _replace("devanagari-la-code", 'la_code: "919"', 'la_code: "९१९"', field="school.la_code"),
        _replace("arabic-indic-framework-version", 'version: "1.0.0"', 'version: "١.٠.٠"',
                 field="framework.version"),
        # control and direction characters
        _replace("raw-nul-in-name", "Oak Tree", "Oak\x00Tree"),
        _replace("escaped-nul-in-evidence", "text: SEN policy on the website",
                 'text: "SEN\\0policy"', field="responses.D1.evidence.text"),
        _replace("escaped-nul-in-name", "name: Oak Tree Primary School",
                 'name: "Oak\\x00Tree"', field="school.name"),
        _replace("rlo-in-name", "name: Oak Tree Primary School",
                 "name: Oak Tree \u202eloohcS yramirP", field="school.name"),
        _replace("escaped-rlo-in-name", "name: Oak Tree Primary School",
                 'name: "Oak Tree \\u202eloohcS"', field="school.name"),
        _replace("isolate-in-area", 'la_code: "919"', 'la_code: "919"\n  area: "\\u2067DSPL"',
                 field="school.area"),
        _replace("rlo-in-criterion-key", "  D1:\n", '  "D1\\u202e":\n'),
        _audit("bell-in-signatory", AUDIT + 'sign_offs:\n  - {name: "Ms\\aJones", role: '
               "headteacher, date: 2027-02-01}\n", field="sign_offs.0.name"),
        _replace("newline-in-name", "name: Oak Tree Primary School",
                 'name: "Oak Tree\\nPrimary"', field="school.name"),
        # free text keeps what was typed (outputs make it printable)
        _replace("c1-control-in-evidence", "text: SEN policy on the website",
                 'text: "SEN \\x9b policy"', accept=True),
        _replace("rlo-in-evidence", "text: SEN policy on the website",
                 "text: SEN \u202e policy", accept=True),
        _replace("lone-surrogate", "text: SEN policy on the website",
                 'text: "SEN \\ud800 policy"'),
        _json("json-escaped-nul", good_json.replace("SEN policy", "SEN\\u0000policy"),
              field="responses.D1.evidence.text"),
        _json("json-escaped-rlo-name", good_json.replace("Oak Tree", "Oak \\u202e Tree"),
              field="school.name"),
        # encodings and binary
        Case("utf16-audit", "audit", AUDIT.encode("utf-16")),
        Case("latin1-audit", "audit", AUDIT.replace("Oak", "Öak").encode("latin-1")),
        Case("binary-audit", "audit", bytes(range(256)) * 4),
        Case("png-named-yaml", "audit", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        # structure
        _audit("empty", ""),
        _audit("only-a-comment", "# nothing here\n"),
        _audit("a-list-at-the-top", "- a\n- b\n"),
        _audit("a-scalar-at-the-top", "just text\n"),
        _audit("two-documents", AUDIT + "---\n" + AUDIT),
        _replace("alias", "  D1:\n", "  D2: &a {rating: met}\n  D3: *a\n  D1:\n"),
        _replace("merge-key", "  D1:\n", "  D2: &a {rating: met}\n  D3: {<<: *a}\n  D1:\n"),
        _replace("duplicate-key", "academic_year: 2026/27",
                 "academic_year: 2026/27\nacademic_year: 2025/26"),
        _replace("complex-key", "responses:\n", "? [a, b]\n: c\nresponses:\n"),
        _replace("unknown-field", "academic_year: 2026/27",
                 "academic_year: 2026/27\nacadmic_year: 2026/27", field="acadmic_year"),
        _replace("unknown-criterion", "  D1:\n", "  Z9.9: {rating: met}\n  D1:\n",
                 field="responses.Z9.9"),
        _audit("thirty-thousand-problems", AUDIT + "".join(
            f"  Z{i}: {{rating: met}}\n" for i in range(30_000))),
        _audit("over-the-size-limit", AUDIT + "# " + "x" * 1_000_100 + "\n", whole_file=True),
        # not regular files
        Case("a-fifo", "audit", special="fifo", whole_file=True),
        Case("dev-zero", "audit", special="dev-zero", whole_file=True),
        Case("a-folder", "audit", special="folder", whole_file=True),
    ]
    return cases


def framework_cases() -> list[Case]:
    """Framework folders: the mini test framework with ``outcome-1.yaml`` replaced."""
    base = (FIXTURES / "frameworks" / "mini" / "outcome-1.yaml").read_text("utf-8")

    def fw(name: str, text: str, **kw: object) -> Case:
        return Case(name, "framework", text.encode("utf-8", "surrogatepass"), **kw)  # type: ignore[arg-type]

    return [
        fw("fw-valid", base, accept=True),
        fw("fw-deep-sequences", base + "extra: " + "[" * 2000 + "]" * 2000 + "\n"),
        fw("fw-deep-block", _nested_sequences(500)),
        fw("fw-tag", base.replace("section: outcome-1", "section: !!binary b3V0Y29tZS0x", 1)),
        fw("fw-impossible-date", base + "date: 2027-02-30\n"),
        fw("fw-raw-nul", base + "x: a\x00b\n"),
        fw("fw-rlo-in-text", base.replace("section: outcome-1",
                                          "section: outcome-1\n# \u202e", 1) + 'y: "\\u202e"\n'),
        Case("fw-utf16", "framework", base.encode("utf-16")),
        Case("fw-fifo", "framework", special="fifo", whole_file=True),
        Case("fw-dev-zero", "framework", special="dev-zero", whole_file=True),
    ]


def _gias_header() -> str:
    return (FIXTURES / "gias" / "edubasealldata_sample.csv").read_text("utf-8-sig") \
        .splitlines()[0]


def gias_cases() -> list[Case]:
    path = FIXTURES / "gias" / "edubasealldata_sample.csv"
    text = path.read_text("utf-8-sig")
    lines = text.splitlines(keepends=True)
    head, row = lines[0], lines[1]

    def g(name: str, content: bytes, **kw: object) -> Case:
        return Case(name, "gias", content, ".csv", **kw)  # type: ignore[arg-type]

    return [
        g("gias-valid", text.encode("utf-8"), accept=True),
        g("gias-huge-cell", (head + row.replace("Oak Tree Primary School",
                                                 "Oak" * 60_000, 1)).encode()),
        g("gias-utf16", text.encode("utf-16")),
        g("gias-binary", bytes(range(256)) * 16),
        g("gias-unterminated-quote", (head + row.replace("Oak Tree", '"Oak Tree', 1)
                                      + "".join(lines[2:])).encode()),
        g("gias-nul", (head + row.replace("Oak", "O\x00ak", 1)).encode()),
        g("gias-fullwidth-urn", (head + row.replace("117000", "１１７０００", 1)).encode(),
          accept=True),
        g("gias-rlo-name", (head + row.replace("Oak Tree", "Oak \u202eeerT", 1)).encode(),
          accept=True),
        Case("gias-fifo", "gias", special="fifo", suffix=".csv", whole_file=True),
    ]


def all_cases() -> list[Case]:
    return audit_cases() + framework_cases() + gias_cases()


def materialise(case: Case, folder: Path) -> Path:
    """Write ``case`` under ``folder``; the path to give the tool (a file or a folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    if case.kind == "framework":
        target = folder / case.name / "mini"
        shutil.copytree(FIXTURES / "frameworks" / "mini", target)
        shutil.copytree(FIXTURES / "frameworks" / "references", folder / case.name / "references")
        (target / "outcome-1.yaml").unlink()
        _write(case, target / "outcome-1.yaml")
        return target
    path = folder / case.filename
    _write(case, path)
    return path


def _write(case: Case, path: Path) -> None:
    if case.special == "fifo":
        os.mkfifo(path)
    elif case.special == "dev-zero":
        path.symlink_to("/dev/zero")
    elif case.special == "folder":
        path.mkdir()
    else:
        path.write_bytes(case.content)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.hostile_corpus OUT_FOLDER", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for case in all_cases():
        materialise(case, out)
        print(f"{'accept' if case.accept else 'refuse'}  {case.kind:9}  {case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
