"""Every command and option of ``quality-offer``, in one place (the README is tested against it)."""

from __future__ import annotations

import argparse

from .framework_commands import cmd_framework_diff, cmd_framework_show, cmd_schemas, cmd_validate
from .operations import cmd_backup, cmd_check, cmd_migrate, cmd_restore
from .report_commands import cmd_compare, cmd_report
from .sir_command import cmd_sir_check
from .store_commands import cmd_cycle, cmd_export, cmd_import, cmd_upgrade


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

    from ..vocabulary import PHASES, TYPES

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
