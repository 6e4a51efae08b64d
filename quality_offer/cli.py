"""The ``quality-offer`` command: a thin layer over the package.

Every command prints clear, located messages for bad input and exits 1; no traceback
reaches the user. Output files are written only after everything they need has been built,
so a failure never leaves a half-written report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import framework as frameworks
from .errors import InputError


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _fail(exc: InputError) -> int:
    for problem in exc.problems:
        _err(str(problem))
    n = len(exc.problems)
    _err(f"{n} problem{'s' if n != 1 else ''} found.")
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    folders = [Path(p) for p in args.paths] or frameworks.shipped_folders()
    if not folders:
        _err("no frameworks found")
        return 1
    failed = False
    if not args.paths:
        failed = _validate_sir_items(Path(sir_items_file())) or failed
    for folder in folders:
        if folder.is_file():
            folder = folder.parent
        if (folder / "items.yaml").is_file() and not (folder / frameworks.MANIFEST).is_file():
            failed = _validate_sir_items(folder / "items.yaml") or failed
            continue
        if not (folder / frameworks.MANIFEST).is_file():
            subs = frameworks.shipped_folders(folder)
            if subs:
                folders.extend(subs)
                continue
        try:
            fw = frameworks.load(folder)
        except InputError as exc:
            _fail(exc)
            failed = True
            continue
        duties = sum(1 for c in fw.active if c.statutory)
        print(f"{fw.id} {fw.version}: OK, {len(fw.active)} criteria in {len(fw.sections)} "
              f"sections ({duties} statutory duties), {len(fw.references)} references")
    return 1 if failed else 0


def sir_items_file() -> Path:
    from .sir.items import ITEMS_FILE

    return ITEMS_FILE


def _validate_sir_items(path: Path) -> bool:
    """Validate a SEN information report items file; True when it failed."""
    from .sir import items as sir_items

    try:
        loaded = sir_items.load(path)
    except InputError as exc:
        _fail(exc)
        return True
    print(f"{loaded.id} {loaded.version}: OK, {len(loaded.items)} items, "
          f"{len(loaded.jargon)} jargon terms")
    return False


def cmd_framework_show(args: argparse.Namespace) -> int:
    from .framework_json import framework_json, framework_text

    try:
        fw = frameworks.get(args.id, args.version) if args.id else frameworks.default()
    except KeyError as exc:
        _err(exc.args[0])
        return 1
    if args.format == "json":
        print(json.dumps(framework_json(fw), ensure_ascii=False, indent=2))
    else:
        print(framework_text(fw))
    return 0


def write_outputs(outputs: list[tuple[Path, Callable[[], bytes]]]) -> None:
    """Build every output first, then write them, so nothing is half-written."""
    built = [(path, build()) for path, build in outputs]
    for path, content in built:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(content)
        tmp.replace(path)


def cmd_report(args: argparse.Namespace) -> int:
    from . import auditfile
    from .gaps import analyse
    from .text_report import render_text

    try:
        audit, fw = auditfile.read(Path(args.audit_file))
    except InputError as exc:
        return _fail(exc)
    report = analyse(fw, audit)
    outputs: list[tuple[Path, Callable[[], bytes]]] = []
    if args.pdf:
        from .reports.pdf import render_pdf

        outputs.append((Path(args.pdf), lambda: render_pdf(report)))
    if args.html:
        from .reports.html import render_html

        outputs.append((Path(args.html), lambda: render_html(report).encode("utf-8")))
    if args.xlsx:
        from .exports import report_xlsx

        outputs.append((Path(args.xlsx), lambda: report_xlsx(report)))
    if args.csv:
        from .exports import responses_csv

        outputs.append((Path(args.csv), lambda: responses_csv(report).encode("utf-8")))
    write_outputs(outputs)
    fmt = args.format or ("text" if not outputs else None)
    if fmt == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "text":
        print(render_text(report))
    for path, _ in outputs:
        _err(f"wrote {path}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from . import compare

    return compare.cli(args)


def cmd_import(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from . import auditfile
    from .store import Store, StoreError

    try:
        store = Store.from_settings(args.database)
    except SQLAlchemyError as exc:
        _err(f"cannot open the database: {exc}")
        return 1
    status = 0
    with store:
        for name in args.files:
            try:
                audit, _fw = auditfile.read(Path(name))
            except InputError as exc:
                status = _fail(exc)
                continue
            try:
                preview = store.import_audit(audit, user=args.user)
            except InputError as exc:  # text a database cannot keep, another framework version
                _err(f"{name}: not imported, nothing in the database was changed")
                status = _fail(exc)
                continue
            except StoreError as exc:
                _err(f"{name}: not imported, nothing in the database was changed: {exc}")
                status = 1
                continue
            print(f"imported {name}: {audit.school.name} ({audit.school.urn}) "
                  f"{audit.academic_year}: {preview.describe()}")
    return status


def cmd_export(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from . import auditfile
    from .store import Store

    try:
        with Store.from_settings(args.database) as store:
            audit = store.get_audit(args.urn, args.year)
    except SQLAlchemyError as exc:
        _err(f"cannot open the database: {exc}")
        return 1
    if audit is None:
        _err(f"no audit for URN {args.urn} in {args.year}")
        return 1
    text = auditfile.dump(audit, "json" if args.output.endswith(".json") else "yaml")
    write_outputs([(Path(args.output), lambda: text.encode("utf-8"))])
    _err(f"wrote {args.output}")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from . import schemas

    for path in schemas.write(Path(args.folder)) if args.folder else schemas.write():
        print(f"wrote {path}")
    return 0


def cmd_sir_check(args: argparse.Namespace) -> int:
    """Check a SEN information report; exit 0 whenever the file could be read."""
    import datetime as dt

    from . import sir
    from .sir import items as sir_items

    try:
        items = sir_items.load(Path(args.items)) if args.items else sir_items.shipped()
        audit_date = dt.date.fromisoformat(args.audit_date) if args.audit_date else None
    except ValueError:
        _err(f"--audit-date {args.audit_date!r} is not a date: write it as YYYY-MM-DD")
        return 1
    result = sir.check(sir.read_file(Path(args.file)), phase=args.phase,
                       school_type=args.type, audit_date=audit_date, items=items)
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(sir.render_text(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quality-offer",
        description="Self-assessment of a school's SEND provision against the Quality Offer "
                    "and the SEND Code of Practice 2015.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check framework folders (default: the shipped ones)")
    p.add_argument("paths", nargs="*", help="framework folders, or a folder of them")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schemas", help="regenerate the JSON Schemas from the models")
    p.add_argument("--folder", help="where to write them (default: criteria/schemas)")
    p.set_defaults(func=cmd_schemas)

    p = sub.add_parser("framework", help="show a framework")
    fsub = p.add_subparsers(dest="framework_command", required=True)
    show = fsub.add_parser("show", help="print the loaded framework")
    show.add_argument("id", nargs="?", help="framework id (default: the shipped framework)")
    show.add_argument("--version", help="framework version (default: the newest)")
    show.add_argument("--format", choices=["json", "text"], default="text")
    show.set_defaults(func=cmd_framework_show)

    p = sub.add_parser("report", help="the gap report of an audit file")
    p.add_argument("audit_file")
    p.add_argument("--format", choices=["json", "text"],
                   help="print the report to stdout (default text when no file is asked for)")
    p.add_argument("--pdf", metavar="OUT.pdf", help="write the PDF report")
    p.add_argument("--html", metavar="OUT.html", help="write the HTML report")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="write the spreadsheet report")
    p.add_argument("--csv", metavar="OUT.csv", help="write every response as CSV")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("compare", help="compare many schools' audits")
    p.add_argument("paths", nargs="+", metavar="PATH", help="audit files or folders of them")
    p.add_argument("--format", choices=["json", "text"])
    p.add_argument("--xlsx", metavar="OUT.xlsx")
    p.add_argument("--csv", metavar="OUT.csv")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("import", help="import audit files into the database")
    p.add_argument("files", nargs="+")
    p.add_argument("--database", help="SQLAlchemy URL (default: QUALITY_OFFER_DATABASE_URL "
                                      "or the SQLite file in the data folder)")
    p.add_argument("--user", default="command line", help="who the change is recorded as")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export an audit from the database to a file")
    p.add_argument("urn")
    p.add_argument("year", help="academic year, e.g. 2026/27")
    p.add_argument("-o", "--output", required=True, help="OUT.yaml or OUT.json")
    p.add_argument("--database")
    p.set_defaults(func=cmd_export)

    from .models import PHASES, TYPES

    p = sub.add_parser("sir-check", help="check a SEN information report against the law "
                                         "and for readability")
    p.add_argument("file", help="the report: PDF, Word (.docx), HTML or plain text")
    p.add_argument("--phase", choices=PHASES, help="the school's phase (default: every item "
                                                   "is checked)")
    p.add_argument("--type", choices=TYPES, help="the school's type (default: every item is "
                                                 "checked)")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.add_argument("--audit-date", metavar="YYYY-MM-DD",
                   help="the date the review date is compared with (default: today)")
    p.add_argument("--items", metavar="ITEMS.yaml",
                   help="a local authority's own items file (default: the shipped one)")
    p.set_defaults(func=cmd_sir_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        return _fail(exc)
    except OSError as exc:
        _err(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
