"""Commands for whoever runs the service: back up, restore, and check that all is well."""

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
