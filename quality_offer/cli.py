"""The ``quality-offer`` command: a thin layer over the package.

Every command prints clear, located messages for bad input and exits 1; no traceback
reaches the user. Output files are written only after everything they need has been built,
so a failure never leaves a half-written report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import framework as frameworks
from .errors import InputError
from .reports.formats import write_outputs


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
    loaded: dict[tuple[str, str], frameworks.Framework] = {}
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
        if (fw.id, fw.version) in loaded:
            _err(f"{folder}: {fw.id} {fw.version} is also in {loaded[(fw.id, fw.version)].path}")
            failed = True
            continue
        loaded[(fw.id, fw.version)] = fw
        duties = sum(1 for c in fw.active if c.statutory)
        withdrawn = len(fw.criteria) - len(fw.active)
        print(f"{fw.id} {fw.version}: OK, {len(fw.active)} criteria in {len(fw.sections)} "
              f"sections ({duties} statutory duties), {len(fw.references)} references"
              + (f", {withdrawn} withdrawn" if withdrawn else ""))
    for fid in sorted({fid for fid, _ in loaded}):
        history = frameworks.versions_in(loaded, fid)
        problems = frameworks.history_problems(history)
        if problems:
            _fail(InputError(problems))
            failed = True
        elif len(history) > 1:
            print(f"{fid}: history of {len(history)} versions OK ("
                  + ", ".join(fw.version for fw in history) + ")")
    if not args.paths:
        failed = _validate_sir_items(Path(sir_items_file())) or failed
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


def cmd_framework_diff(args: argparse.Namespace) -> int:
    from .versions import diff, diff_text

    try:
        old, new = frameworks.get(args.id, args.old), frameworks.get(args.id, args.new)
    except KeyError as exc:
        _err(exc.args[0])
        return 1
    d = diff(old, new)
    if args.format == "json":
        print(json.dumps(d.to_json(), ensure_ascii=False, indent=2))
    else:
        print(diff_text(d))
    return 0


def cmd_report_batch(args: argparse.Namespace) -> int:
    """Many audits (files or folders) to one PDF and or HTML each, on every core."""
    from .compare.loading import audit_files, error_text
    from .reports.batch import render_batch

    single = [flag for flag in ("pdf", "html", "xlsx", "csv", "format")
              if getattr(args, flag)]
    if single:
        _err(f"--{single[0]} is for one audit file; with --pdf-dir or --html-dir every "
             "report goes in that folder")
        return 1
    files, missing = audit_files(args.audit_files)
    status = 0
    for skipped in missing:
        _err(f"{skipped.file}: {skipped.error}")
        status = 1
    written = failed = 0
    for result in render_batch(files, pdf_dir=args.pdf_dir, html_dir=args.html_dir,
                               workers=args.jobs):
        if result.ok:
            written += 1
            _err(f"wrote {', '.join(result.written)}")
        else:
            failed += 1
            _err(f"{result.source}: {error_text(result.problems)}")
    _err(f"{written} audit{'s' if written != 1 else ''} reported"
         + (f", {failed} not (see above)" if failed else ""))
    return 1 if failed or status else 0


def cmd_report(args: argparse.Namespace) -> int:
    from . import auditfile
    from .gaps import analyse
    from .reports.text import render_text

    if args.pdf_dir or args.html_dir:
        return cmd_report_batch(args)
    if len(args.audit_files) != 1 or Path(args.audit_files[0]).is_dir():
        _err("several audits (or a folder) need --pdf-dir DIR or --html-dir DIR: one report "
             "each, named by URN and year")
        return 1
    try:
        audit, fw = auditfile.read(Path(args.audit_files[0]))
    except InputError as exc:
        return _fail(exc)
    report = analyse(fw, audit)
    from .reports.formats import FORMATS

    outputs: list[tuple[Path, Callable[[], bytes]]] = []
    for fmt in FORMATS:
        if getattr(args, fmt.ext):
            render = fmt.renderer()
            outputs.append((Path(getattr(args, fmt.ext)), lambda render=render: render(report)))
    missing_font: tuple[type[Exception], ...] = ()  # no PDF asked for: no font needed
    if args.pdf:
        from .reports.pdf.fonts import FontNotFoundError

        missing_font = (FontNotFoundError,)
    try:
        write_outputs(outputs)
    except missing_font as exc:  # a server without DejaVu Sans: say what to install
        _err(f"nothing written: {exc}")
        return 1
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
    from . import auditfile
    from .errors import Problem
    from .store import StoreError
    from .store.opening import open_store

    store = open_store(args.database)
    status = 0
    with store:
        for name in args.files:
            try:
                audit, _fw = auditfile.read(Path(name))
            except InputError as exc:
                status = _fail(exc)
                continue
            try:
                preview = store.import_audit(audit, user=args.user,
                                             change_la_code=args.change_la_code)
            except InputError as exc:  # text a database cannot keep, another framework version
                _err(f"{name}: not imported, nothing in the database was changed")
                status = _fail(InputError([Problem(name, p.line, p.column, p.field, p.message)
                                           for p in exc.problems]))
                continue
            except StoreError as exc:
                _err(f"{name}: not imported, nothing in the database was changed: {exc}")
                status = 1
                continue
            print(f"imported {name}: {audit.school.name} ({audit.school.urn}) "
                  f"{audit.academic_year}: {preview.describe()}")
    return status


def cmd_export(args: argparse.Namespace) -> int:
    from . import auditfile
    from .store.opening import open_store

    with open_store(args.database) as store:
        audit = store.get_audit(args.urn, args.year)
        if audit is not None and args.before_move:
            audit = store.audit_before_move(args.urn, args.year)
            if audit is None:
                _err(f"the audit for URN {args.urn} in {args.year} was never moved to "
                     "another framework version")
                return 1
    if audit is None:
        _err(f"no audit for URN {args.urn} in {args.year}")
        return 1
    text = auditfile.dump(audit, "json" if args.output.endswith(".json") else "yaml")
    write_outputs([(Path(args.output), lambda: text.encode("utf-8"))])
    _err(f"wrote {args.output}")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Move an audit file, or a stored audit, to a newer version of its framework."""
    if (args.audit_file is None) == (args.urn is None):
        _err("give an audit file, or --urn and --year for a stored audit")
        return 1
    if args.urn is not None:
        return _upgrade_stored(args)
    from . import auditfile
    from .upgrade import MoveRefused, plan

    try:
        audit, old = auditfile.read(Path(args.audit_file))
        new = frameworks.get(old.id, args.to)
    except KeyError as exc:
        _err(exc.args[0])
        return 1
    try:
        move = plan(audit, old, new)
    except MoveRefused as exc:
        _err(f"{args.audit_file}: not moved: {exc}")
        return 1
    if args.format == "json":
        print(json.dumps(move.to_json(), ensure_ascii=False, indent=2))
    if args.output is None:
        if args.format != "json":
            print(move.describe())
        return 0
    if not move.no_change or Path(args.output).resolve() != Path(args.audit_file).resolve():
        fmt = "json" if args.output.endswith(".json") else "yaml"
        text = auditfile.dump(move.after, fmt)
        write_outputs([(Path(args.output), lambda: text.encode("utf-8"))])
    _err(move.describe())
    _err(f"wrote {args.output}")
    return 0


def _upgrade_stored(args: argparse.Namespace) -> int:

    from .store import StoreError
    from .store.opening import CannotOpen, open_store
    from .upgrade import MoveRefused

    if args.year is None:
        _err("--year is needed with --urn, e.g. --year 2026/27")
        return 1
    try:
        with open_store(args.database) as store:
            if args.dry_run:
                move = store.preview_move(args.urn, args.year, args.to)
            else:
                move = store.move_audit(args.urn, args.year, args.to, user=args.user)
    except CannotOpen:
        raise  # said by main(), as for every command
    except KeyError as exc:
        _err(exc.args[0])
        return 1
    except (MoveRefused, StoreError) as exc:
        _err(f"URN {args.urn} {args.year}: not moved, nothing was changed: {exc}")
        return 1
    if args.format == "json":
        print(json.dumps(move.to_json(), ensure_ascii=False, indent=2))
    else:
        print(move.describe())
    if not args.dry_run and not move.no_change:
        _err(f"moved URN {args.urn} {args.year} to {move.new.id} {move.new.version}")
    return 0


def cmd_cycle(args: argparse.Namespace) -> int:
    """Show or set an authority's collection: the academic year collected and its closing
    date (the settings the deploy guide's table lists)."""
    import datetime as dt

    from .dates import long_date
    from .store import StoreError
    from .store.opening import CannotOpen, open_store

    if args.year is None and (args.closes or args.no_closing_date):
        _err("--closes and --no-closing-date need --year: the year and its closing date "
             "are set together")
        return 1
    closes = None
    if args.closes:
        try:
            closes = dt.date.fromisoformat(args.closes)
        except ValueError:
            _err(f"--closes: {args.closes!r} is not a date: write it as 2027-03-31")
            return 1
    try:
        with open_store(args.database) as store:
            if args.year is not None:
                if not (closes or args.no_closing_date):
                    old = store.cycle(args.la_code)
                    closes = old.closes_on if old and old.academic_year == args.year else None
                cycle = store.set_cycle(args.la_code, args.year, closes, args.user)
            else:
                cycle = store.cycle(args.la_code)
    except CannotOpen:
        raise  # said by main(), as for every command
    except StoreError as exc:
        _err(f"LA {args.la_code}: nothing was changed: {exc}")
        return 1
    if cycle is None:
        print(f"LA {args.la_code} has set no collection: Compare opens on the newest year "
              "in the database.")
        return 0
    print(f"LA {cycle.la_code} is collecting {cycle.academic_year}, "
          + (f"closing on {long_date(cycle.closes_on)}" if cycle.closes_on
             else "with no closing date")
          + f" (set by {cycle.set_by}, {cycle.set_at:%Y-%m-%d %H:%M} UTC).")
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


def cmd_backup(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from .backup import BackupError, backup
    from .store import database_url

    try:
        summary = backup(database_url(args.database), Path(args.output))
    except BackupError as exc:
        _err(f"no backup written: {exc}")
        return 1
    except SQLAlchemyError as exc:
        _err(f"no backup written: cannot read the database: {exc}")
        return 1
    _err(f"wrote {args.output}: {summary.describe()}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from .backup import BackupError, restore
    from .store import database_url

    try:
        summary = restore(Path(args.backup), database_url(args.database), force=args.force)
    except BackupError as exc:
        _err(f"not restored: {exc}")
        return 1
    except SQLAlchemyError as exc:
        _err(f"not restored, nothing in the database was changed: {exc}")
        return 1
    _err(f"restored {args.backup}: {summary.describe()}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create the tables, or upgrade them to this version, before any server or command needs
    them: an app server otherwise opens the database only when someone first signs in, and a
    backup or a check before that would find no tables."""
    from .backup import current_revision
    from .store import database_url
    from .store.opening import open_store, safe_url

    url = database_url(args.database)
    # Opening the store brings the schema to this version.
    with open_store(url) as store, store.engine.connect() as conn:
        revision = current_revision(conn)
    print(f"schema current (revision {revision}) at {safe_url(url)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from . import health
    from .store import database_url

    findings = health.check(database_url(args.database))
    if args.format == "json":
        print(json.dumps(health.as_json(findings), ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding)
    return 0 if all(f.ok for f in findings) else 1


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
    fdiff = fsub.add_parser("diff", help="what changed between two installed versions")
    fdiff.add_argument("id", help="framework id")
    fdiff.add_argument("old", metavar="FROM", help="the older version, e.g. 1.0.0")
    fdiff.add_argument("new", metavar="TO", help="the newer version, e.g. 1.1.0")
    fdiff.add_argument("--format", choices=["json", "text"], default="text")
    fdiff.set_defaults(func=cmd_framework_diff)

    p = sub.add_parser("report", help="the gap report of an audit file, or of many")
    p.add_argument("audit_files", nargs="+", metavar="AUDIT",
                   help="an audit file; or, with --pdf-dir or --html-dir, files and folders")
    p.add_argument("--format", choices=["json", "text"],
                   help="print the report to stdout (default text when no file is asked for)")
    p.add_argument("--pdf", metavar="OUT.pdf", help="write the PDF report")
    p.add_argument("--html", metavar="OUT.html", help="write the HTML report")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="write the spreadsheet report")
    p.add_argument("--csv", metavar="OUT.csv", help="write every response as CSV")
    p.add_argument("--pdf-dir", metavar="DIR",
                   help="write one PDF per audit into DIR, named URN-year.pdf")
    p.add_argument("--html-dir", metavar="DIR",
                   help="write one HTML report per audit into DIR, named URN-year.html")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="processes for --pdf-dir/--html-dir (default: every core)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("compare", help="compare many schools' audits")
    p.add_argument("paths", nargs="+", metavar="PATH", help="audit files or folders of them")
    p.add_argument("--format", choices=["json", "text"])
    p.add_argument("--xlsx", metavar="OUT.xlsx")
    p.add_argument("--csv", metavar="OUT.csv")
    p.add_argument("--min-assessed", metavar="PERCENT", type=float, default=None,
                   help="schools with less than this share of their criteria assessed are "
                        "shown apart, not scored (default 50)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("import", help="import audit files into the database")
    p.add_argument("files", nargs="+")
    p.add_argument("--database", help="SQLAlchemy URL (default: QUALITY_OFFER_DATABASE_URL "
                                      "or the SQLite file in the data folder)")
    p.add_argument("--user", default="command line", help="who the change is recorded as")
    p.add_argument("--change-la-code", action="store_true",
                   help="also move a recorded school to the file's local authority (without "
                        "it, a recorded school keeps its LA code)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export an audit from the database to a file")
    p.add_argument("urn")
    p.add_argument("year", help="academic year, e.g. 2026/27")
    p.add_argument("-o", "--output", required=True, help="OUT.yaml or OUT.json")
    p.add_argument("--database")
    p.add_argument("--before-move", action="store_true",
                   help="the audit as it was before its latest move to a new framework version")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("upgrade", help="move an audit to a newer version of its framework",
                       description="Move an audit file (AUDIT_FILE -o OUT) or a stored audit "
                       "(--urn and --year) to a newer framework version. No answer is lost: "
                       "answers with nowhere to go are kept as archived answers. Without -o "
                       "(for a file) or with --dry-run (stored), only says what would happen.")
    p.add_argument("audit_file", nargs="?", metavar="AUDIT_FILE")
    p.add_argument("--to", required=True, metavar="VERSION", help="the version to move to")
    p.add_argument("-o", "--output", metavar="OUT", help="OUT.yaml or OUT.json (for a file)")
    p.add_argument("--urn", help="a stored audit's school URN")
    p.add_argument("--year", help="a stored audit's academic year, e.g. 2026/27")
    p.add_argument("--database", help="SQLAlchemy URL (default as for import)")
    p.add_argument("--user", default="command line", help="who the move is recorded as")
    p.add_argument("--dry-run", action="store_true",
                   help="for a stored audit: show what would happen, change nothing")
    p.add_argument("--format", choices=["json", "text"], default="text",
                   help="how to print what the move does")
    p.set_defaults(func=cmd_upgrade)

    p = sub.add_parser("cycle", help="show or set an authority's collection year and "
                                     "closing date",
                       description="Without --year, show the authority's collection. With "
                       "--year, set the academic year it collects (Compare opens on it, "
                       "schools see it on their Audits page) and, with --closes, its closing "
                       "date; setting the same year again keeps its closing date unless "
                       "--closes or --no-closing-date is given.")
    p.add_argument("la_code", metavar="LA_CODE", help="the authority's three-digit LA code")
    p.add_argument("--year", help="the academic year collected, e.g. 2026/27")
    p.add_argument("--closes", metavar="YYYY-MM-DD", help="the closing date")
    p.add_argument("--no-closing-date", action="store_true",
                   help="clear the closing date")
    p.add_argument("--database", help="SQLAlchemy URL (default as for import)")
    p.add_argument("--user", default="command line", help="who the change is recorded as")
    p.set_defaults(func=cmd_cycle)

    from .vocabulary import PHASES, TYPES

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
    p = sub.add_parser("backup", help="copy the whole database to one backup file")
    p.add_argument("output", metavar="OUT", help="the backup file to write (a SQLite file)")
    p.add_argument("--database")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup file into an empty database")
    p.add_argument("backup", metavar="IN", help="a file written by quality-offer backup")
    p.add_argument("--database")
    p.add_argument("--force", action="store_true",
                   help="replace everything in a database that already holds data")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("migrate", help="create the database's tables, or upgrade them to "
                                       "this version (each app server does it as it starts)")
    p.add_argument("--database")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("check", help="is the database reachable, its schema current and "
                                     "the frameworks valid? exit 0 when all are")
    p.add_argument("--database")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "database"):
        from .store.opening import safe_url
        from .store.settings import URL_ENV, url_problem

        given = args.database or os.environ.get(URL_ENV)
        problem = url_problem(given) if given else None
        if problem:
            where = "--database" if args.database else URL_ENV
            shown = safe_url(given)  # an unreadable address may hold a password anywhere
            address = "the address given" if shown == "the URL given" else f"the address {shown}"
            _err(f"cannot open the database given by {where}: {address} {problem}. Nothing "
                 "was done.")
            return 1
    from sqlalchemy.exc import SQLAlchemyError

    from .store.opening import CannotOpen

    try:
        return args.func(args)
    except InputError as exc:
        return _fail(exc)
    except CannotOpen as exc:  # every command that opens the database says it the same way
        _err(str(exc))
        return 1
    except SQLAlchemyError as exc:
        _err(f"cannot open the database: {exc}")
        return 1
    except OSError as exc:
        _err(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
