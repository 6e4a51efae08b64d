"""Commands on the database through the Store: import and export audit files, move audits to
a newer framework version, and set an authority's collection year."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .. import framework as frameworks
from ..errors import InputError
from ..reports.formats import write_outputs
from .output import err, fail


def cmd_import(args: argparse.Namespace) -> int:
    from .. import auditfile
    from ..errors import Problem
    from ..store import StoreError
    from ..store.opening import open_store

    store = open_store(args.database)
    status = 0
    with store:
        for name in args.files:
            try:
                audit, _fw = auditfile.read(Path(name))
            except InputError as exc:
                status = fail(exc)
                continue
            try:
                preview = store.import_audit(audit, user=args.user,
                                             change_la_code=args.change_la_code)
            except InputError as exc:  # text a database cannot keep, another framework version
                err(f"{name}: not imported, nothing in the database was changed")
                status = fail(InputError([Problem(name, p.line, p.column, p.field, p.message)
                                           for p in exc.problems]))
                continue
            except StoreError as exc:
                err(f"{name}: not imported, nothing in the database was changed: {exc}")
                status = 1
                continue
            print(f"imported {name}: {audit.school.name} ({audit.school.urn}) "
                  f"{audit.academic_year}: {preview.describe()}")
    return status


def cmd_export(args: argparse.Namespace) -> int:
    from .. import auditfile
    from ..store.opening import open_store

    with open_store(args.database) as store:
        audit = store.get_audit(args.urn, args.year)
        if audit is not None and args.before_move:
            audit = store.audit_before_move(args.urn, args.year)
            if audit is None:
                err(f"the audit for URN {args.urn} in {args.year} was never moved to "
                     "another framework version")
                return 1
    if audit is None:
        err(f"no audit for URN {args.urn} in {args.year}")
        return 1
    text = auditfile.dump(audit, "json" if args.output.endswith(".json") else "yaml")
    write_outputs([(Path(args.output), lambda: text.encode("utf-8"))])
    err(f"wrote {args.output}")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Move an audit file, or a stored audit, to a newer version of its framework."""
    if (args.audit_file is None) == (args.urn is None):
        err("give an audit file, or --urn and --year for a stored audit")
        return 1
    if args.urn is not None:
        return _upgrade_stored(args)
    from .. import auditfile
    from ..upgrade import MoveRefused, plan

    try:
        audit, old = auditfile.read(Path(args.audit_file))
        new = frameworks.get(old.id, args.to)
    except KeyError as exc:
        err(exc.args[0])
        return 1
    try:
        move = plan(audit, old, new)
    except MoveRefused as exc:
        err(f"{args.audit_file}: not moved: {exc}")
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
    err(move.describe())
    err(f"wrote {args.output}")
    return 0


def _upgrade_stored(args: argparse.Namespace) -> int:

    from ..store import StoreError
    from ..store.opening import CannotOpen, open_store
    from ..upgrade import MoveRefused

    if args.year is None:
        err("--year is needed with --urn, e.g. --year 2026/27")
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
        err(exc.args[0])
        return 1
    except (MoveRefused, StoreError) as exc:
        err(f"URN {args.urn} {args.year}: not moved, nothing was changed: {exc}")
        return 1
    if args.format == "json":
        print(json.dumps(move.to_json(), ensure_ascii=False, indent=2))
    else:
        print(move.describe())
    if not args.dry_run and not move.no_change:
        err(f"moved URN {args.urn} {args.year} to {move.new.id} {move.new.version}")
    return 0


def cmd_cycle(args: argparse.Namespace) -> int:
    """Show or set an authority's collection: the academic year collected and its closing
    date (the settings the deploy guide's table lists)."""
    import datetime as dt

    from ..dates import long_date
    from ..store import StoreError
    from ..store.opening import CannotOpen, open_store

    if args.year is None and (args.closes or args.no_closing_date):
        err("--closes and --no-closing-date need --year: the year and its closing date "
             "are set together")
        return 1
    closes = None
    if args.closes:
        try:
            closes = dt.date.fromisoformat(args.closes)
        except ValueError:
            err(f"--closes: {args.closes!r} is not a date: write it as 2027-03-31")
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
        err(f"LA {args.la_code}: nothing was changed: {exc}")
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
