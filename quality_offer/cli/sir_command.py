"""``quality-offer sir-check``: a school's SEN information report checked against the law."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .output import err


def cmd_sir_check(args: argparse.Namespace) -> int:
    """Check a SEN information report; exit 0 whenever the file could be read."""
    import datetime as dt

    from .. import sir
    from ..sir import items as sir_items

    try:
        items = sir_items.load(Path(args.items)) if args.items else sir_items.shipped()
        audit_date = dt.date.fromisoformat(args.audit_date) if args.audit_date else None
    except ValueError:
        err(f"--audit-date {args.audit_date!r} is not a date: write it as YYYY-MM-DD")
        return 1
    result = sir.check(sir.read_file(Path(args.file)), phase=args.phase,
                       school_type=args.type, audit_date=audit_date, items=items)
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(sir.render_text(result))
    return 0
