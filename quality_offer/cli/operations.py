"""Commands for whoever runs the service: back up, restore, bring the schema up to date, and
check that all is well."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .output import err


def cmd_backup(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from ..backup import BackupError, backup
    from ..store import database_url

    try:
        summary = backup(database_url(args.database), Path(args.output))
    except BackupError as exc:
        err(f"no backup written: {exc}")
        return 1
    except SQLAlchemyError as exc:
        err(f"no backup written: cannot read the database: {exc}")
        return 1
    err(f"wrote {args.output}: {summary.describe()}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from ..backup import BackupError, restore
    from ..store import database_url

    try:
        summary = restore(Path(args.backup), database_url(args.database), force=args.force)
    except BackupError as exc:
        err(f"not restored: {exc}")
        return 1
    except SQLAlchemyError as exc:
        err(f"not restored, nothing in the database was changed: {exc}")
        return 1
    err(f"restored {args.backup}: {summary.describe()}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create the tables, or upgrade them to this version, before any server or command needs
    them: an app server otherwise opens the database only when someone first signs in, and a
    backup or a check before that would find no tables."""
    from ..backup import current_revision
    from ..store import database_url
    from ..store.opening import open_store, safe_url

    url = database_url(args.database)
    # Opening the store brings the schema to this version.
    with open_store(url) as store, store.engine.connect() as conn:
        revision = current_revision(conn)
    print(f"schema current (revision {revision}) at {safe_url(url)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .. import health
    from ..store import database_url

    findings = health.check(database_url(args.database))
    if args.format == "json":
        print(json.dumps(health.as_json(findings), ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding)
    return 0 if all(f.ok for f in findings) else 1
