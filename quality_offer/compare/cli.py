"""``quality-offer compare PATH... [--format json|text] [--xlsx OUT] [--csv OUT]``.

Exit status: 0 when at least one audit was compared (files that could not be read are listed
in the output's ``skipped`` and on stderr, so a pipeline notices them without losing the
rest); 1 when nothing could be compared or an output could not be written.

A ``.csv`` file among the paths is read as the authority's GIAS extract, so schools that
have not submitted are listed (``register`` in the JSON); folders are only searched for
audit files.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..reports.formats import write_outputs
from .core import Comparison
from .loading import NothingToCompare, load_folder


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _share(value: float | None) -> str:
    return "  -  " if value is None else f"{value:>4.0%} "


def render_text(comp: Comparison, register: dict[str, Any] | None = None,
                top: int = 15) -> str:
    """The comparison for a terminal: the heatmap's numbers, the common gaps, the duties."""
    fw = comp.framework
    sections = fw.sections
    lines = [f"{fw.title}, version {fw.version}",
             f"{_n(len({r.urn for r in comp.results}), 'school')}, "
             f"{_n(len(comp.results), 'audit')} ({', '.join(comp.years)}); "
             f"{_n(len(comp.skipped), 'file')} skipped.", "",
             "Share of assessed criteria at or above the expected level, by section:"]
    lines.append("  " + "  ".join(f"{i + 1:>5}" for i in range(len(sections)))
                 + "  assessed  school")
    apart = []
    for r in comp.results:
        if not comp.scored(r):
            apart.append(r)
            continue
        flag = " !" if r.unmet_duties else ""
        lines.append("  " + "  ".join(_share(r.sections[s.id].share) for s in sections)
                     + f"  {r.assessed:>6.0%}    {r.name} ({r.urn}) {r.academic_year}"
                     f" [{r.status}]{flag}")
    lines += [f"  {i + 1}: {s.title}" for i, s in enumerate(sections)]
    lines += ["  (-: none assessed; !: a statutory duty not met; assessed: the share of the "
              "school's applicable criteria answered)", ""]
    if apart:
        lines.append(f"Shown apart, less than {comp.min_assessed:.0%} of their criteria "
                     f"assessed, not counted below ({_n(len(apart), 'audit')}):")
        lines += [f"  {r.name} ({r.urn}) {r.academic_year} [{r.status}]: {r.assessed:.0%} of "
                  f"{r.applicable} criteria assessed" for r in apart]
        lines.append("")
    gaps = comp.common_gaps()
    lines.append(f"Criteria most schools rate below the expected level ({len(gaps)}):")
    for g in gaps[:top]:
        kind = "duty" if g.statutory else "expectation"
        lines.append(f"  {g.criterion} ({kind}, {g.section}): {g.schools_below} of "
                     f"{g.schools_assessed} schools ({g.share:.0%})")
        lines.append(textwrap.fill(" ".join(g.text.split()), width=96,
                                   initial_indent="      ", subsequent_indent="      "))
    if len(gaps) > top:
        lines.append(f"  ... and {len(gaps) - top} more (see --format json or --xlsx)")
    if not gaps:
        lines.append("  none")
    duties = comp.duties_not_met()
    lines += ["", f"Statutory duties not met ({_n(len(duties), 'school')}):"]
    for school in duties:
        listed = ", ".join(
            f"{d['criterion']} {d['rating_label'].lower()}"
            + (f" (moderated: {d['moderated_label'].lower()})" if d["moderated_label"] else "")
            for d in school["duties"])
        lines.append(f"  {school['name']} ({school['urn']}) {school['academic_year']}: {listed}")
    if not duties:
        lines.append("  none")
    if register is not None:
        missing = register["not_submitted"]
        lines += ["", f"Register {register['register']}: {register['submitted']} of "
                      f"{register['schools']} schools submitted for {register['academic_year']};"
                      f" not submitted ({len(missing)}):"]
        lines += [f"  {s['name']} ({s['urn']}) {s['phase'] or '?'} {s['type'] or '?'}"
                  for s in missing] or ["  none"]
    others = comp.other_versions()
    if others:
        lines += ["", f"On another version than {comp.framework.version} ({len(others)}): "
                      "compared only on the criteria asked the same way in both"]
        lines += [f"  {o['name']} ({o['urn']}) {o['academic_year']}: version "
                  f"{o['framework_version']}; not compared: "
                  + (", ".join(o["not_comparable"]) or "none") for o in others]
    if comp.skipped:
        lines += ["", f"Skipped ({len(comp.skipped)}):"]
        lines += [f"  {s.file}: {s.error}" for s in comp.skipped]
    return "\n".join(lines)


def _progress_bar() -> Callable[[int, int, str], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, _name: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done == total else ""
        print(f"\rreading {done}/{total} [{'#' * filled}{'.' * (width - filled)}]", end=end,
              file=sys.stderr, flush=True)

    return show


def cli(args: argparse.Namespace) -> int:
    """Run ``compare``; see the module docstring for the exit status."""
    from .. import gias
    from .tables import to_csv, to_xlsx

    # a named .csv is the register, whatever it turns out to be (a FIFO, a missing file):
    # it is refused as such rather than searched for audits
    registers = [p for p in args.paths if str(p).lower().endswith(".csv")
                 and not Path(p).is_dir()]
    audit_paths = [p for p in args.paths if p not in registers]
    register = None
    for path in registers:
        try:
            reg = gias.read(path)
        except InputError as exc:
            for p in exc.problems:
                _err(str(p))
            return 1
        for p in reg.problems:
            _err(f"warning: {p}")
        register = reg if register is None else gias.Register(
            f"{register.source}, {reg.source}", register.schools + reg.schools,
            register.problems + reg.problems, register.closed + reg.closed)
    try:
        comp = load_folder(audit_paths, _progress_bar())
    except NothingToCompare as exc:
        for p in exc.problems:
            _err(str(p))
        _err("nothing to compare: no audit file could be read.")
        return 1
    for s in comp.skipped:
        _err(f"skipped {s.file}: {s.error}")
    share = getattr(args, "min_assessed", None)
    if share is not None:
        if not 0 <= share <= 100:
            _err("--min-assessed: give a percentage from 0 to 100.")
            return 2
        comp = comp.with_min_assessed(share / 100)
    cover = gias.coverage(register, comp) if register is not None else None
    outputs: list[tuple[Path, Callable[[], bytes]]] = []
    if args.xlsx:
        outputs.append((Path(args.xlsx), lambda: to_xlsx(comp)))
    if args.csv:
        outputs.append((Path(args.csv), lambda: to_csv(comp).encode("utf-8-sig")))
    write_outputs(outputs)
    fmt = args.format or ("text" if not outputs else None)
    if fmt == "json":
        data = comp.to_json()
        if cover is not None:
            data["register"] = cover
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "text":
        print(render_text(comp, cover))
    for path, _ in outputs:
        _err(f"wrote {path}")
    return 0
