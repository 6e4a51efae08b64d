"""Commands that turn audit files into reports: one gap report in every format, a batch of
reports for a folder, and the comparison of many schools."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..reports.formats import write_outputs
from .output import err, fail


def cmd_report_batch(args: argparse.Namespace) -> int:
    """Many audits (files or folders) to one PDF and or HTML each, on every core."""
    from ..compare.loading import audit_files, error_text
    from ..reports.batch import render_batch

    single = [flag for flag in ("pdf", "html", "xlsx", "csv", "format")
              if getattr(args, flag)]
    if single:
        err(f"--{single[0]} is for one audit file; with --pdf-dir or --html-dir every "
             "report goes in that folder")
        return 1
    files, missing = audit_files(args.audit_files)
    status = 0
    for skipped in missing:
        err(f"{skipped.file}: {skipped.error}")
        status = 1
    written = failed = 0
    for result in render_batch(files, pdf_dir=args.pdf_dir, html_dir=args.html_dir,
                               workers=args.jobs):
        if result.ok:
            written += 1
            err(f"wrote {', '.join(result.written)}")
        else:
            failed += 1
            err(f"{result.source}: {error_text(result.problems)}")
    err(f"{written} audit{'s' if written != 1 else ''} reported"
         + (f", {failed} not (see above)" if failed else ""))
    return 1 if failed or status else 0


def cmd_report(args: argparse.Namespace) -> int:
    from .. import auditfile
    from ..gaps import analyse
    from ..reports.text import render_text

    if args.pdf_dir or args.html_dir:
        return cmd_report_batch(args)
    if len(args.audit_files) != 1 or Path(args.audit_files[0]).is_dir():
        err("several audits (or a folder) need --pdf-dir DIR or --html-dir DIR: one report "
             "each, named by URN and year")
        return 1
    try:
        audit, fw = auditfile.read(Path(args.audit_files[0]))
    except InputError as exc:
        return fail(exc)
    report = analyse(fw, audit)
    from ..reports.formats import FORMATS

    outputs: list[tuple[Path, Callable[[], bytes]]] = []
    for fmt in FORMATS:
        if getattr(args, fmt.ext):
            render = fmt.renderer()
            outputs.append((Path(getattr(args, fmt.ext)), lambda render=render: render(report)))
    write_outputs(outputs)
    fmt = args.format or ("text" if not outputs else None)
    if fmt == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "text":
        print(render_text(report))
    for path, _ in outputs:
        err(f"wrote {path}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .. import compare

    return compare.cli(args)
