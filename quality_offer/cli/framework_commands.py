"""Commands about frameworks: validate them (and the SEN information report items), show one,
say what changed between two versions, and regenerate the JSON Schemas."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .. import framework as frameworks
from ..errors import InputError
from .output import err, fail


def cmd_validate(args: argparse.Namespace) -> int:
    folders = [Path(p) for p in args.paths] or frameworks.shipped_folders()
    if not folders:
        err("no frameworks found")
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
            fail(exc)
            failed = True
            continue
        if (fw.id, fw.version) in loaded:
            err(f"{folder}: {fw.id} {fw.version} is also in {loaded[(fw.id, fw.version)].path}")
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
            fail(InputError(problems))
            failed = True
        elif len(history) > 1:
            print(f"{fid}: history of {len(history)} versions OK ("
                  + ", ".join(fw.version for fw in history) + ")")
    if not args.paths:
        failed = _validate_sir_items(Path(sir_items_file())) or failed
    return 1 if failed else 0


def sir_items_file() -> Path:
    from ..sir.items import ITEMS_FILE

    return ITEMS_FILE


def _validate_sir_items(path: Path) -> bool:
    """Validate a SEN information report items file; True when it failed."""
    from ..sir import items as sir_items

    try:
        loaded = sir_items.load(path)
    except InputError as exc:
        fail(exc)
        return True
    print(f"{loaded.id} {loaded.version}: OK, {len(loaded.items)} items, "
          f"{len(loaded.jargon)} jargon terms")
    return False


def cmd_framework_show(args: argparse.Namespace) -> int:
    from ..framework_json import framework_json, framework_text

    try:
        fw = frameworks.get(args.id, args.version) if args.id else frameworks.default()
    except KeyError as exc:
        err(exc.args[0])
        return 1
    if args.format == "json":
        print(json.dumps(framework_json(fw), ensure_ascii=False, indent=2))
    else:
        print(framework_text(fw))
    return 0


def cmd_framework_diff(args: argparse.Namespace) -> int:
    from ..versions import diff, diff_text

    try:
        old, new = frameworks.get(args.id, args.old), frameworks.get(args.id, args.new)
    except KeyError as exc:
        err(exc.args[0])
        return 1
    d = diff(old, new)
    if args.format == "json":
        print(json.dumps(d.to_json(), ensure_ascii=False, indent=2))
    else:
        print(diff_text(d))
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from .. import schemas

    for path in schemas.write(Path(args.folder)) if args.folder else schemas.write():
        print(f"wrote {path}")
    return 0
