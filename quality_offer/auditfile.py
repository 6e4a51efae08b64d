"""Audit files: reading and writing the interchange format, YAML or JSON.

Reading goes through the same careful parser as the criteria (no duplicate keys, no aliases,
a size limit, line numbers in every message) and then through :func:`audit.check`, so a file
that names an unknown criterion or an uninstalled framework version is refused whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from . import framework as frameworks
from .audit import FORMATS, Audit, check
from .errors import InputError, Problem
from .framework import Framework
from .yamlsafe import display_name, locate, parse, read_bytes, validate

Resolver = Callable[[str, str], Framework]


def from_text(text: str | bytes, name: str = "audit", fw: Framework | None = None,
              resolve: Resolver = frameworks.get) -> tuple[Audit, Framework]:
    """Parse, validate and check an audit file's content against its framework.

    The framework is ``fw`` if given, else what ``resolve(id, version)`` finds (the installed
    ones by default; a comparison may pass its own, e.g. a draft version).
    """
    data, positions = parse(text, name)
    if isinstance(data, dict) and data.get("format") not in (None, *FORMATS):
        line, col = locate(positions, ("format",))
        raise InputError([Problem(name, line, col, "format",
                                  f"unknown format {data.get('format')!r}; expected "
                                  + " or ".join(repr(f) for f in FORMATS))])
    try:
        audit = validate(Audit, data, name, positions)
    except InputError as exc:
        # Name unknown criteria too, so one round of fixes is enough.
        raise InputError(sorted(exc.problems + _unknown_ids(data, name, positions, fw, resolve),
                                key=lambda p: (p.line or 0, p.column or 0))) from None
    if fw is None:
        try:
            fw = resolve(audit.framework.id, audit.framework.version)
        except KeyError as exc:
            line, col = locate(positions, ("framework", "version"))
            raise InputError([Problem(name, line, col, "framework.version",
                                      exc.args[0])]) from None
    problems = check(fw, audit, name, positions)
    if problems:
        raise InputError(problems)
    return audit, fw


def _unknown_ids(data: object, name: str, positions: dict, fw: Framework | None,
                 resolve: Resolver) -> list[Problem]:
    """Responses for criteria the framework lacks, read from the raw data of a bad file."""
    if not isinstance(data, dict) or not isinstance(data.get("responses"), dict):
        return []
    if fw is None:
        ref = data.get("framework")
        try:
            fw = resolve(str(ref["id"]), str(ref["version"]))  # type: ignore[index]
        except (KeyError, TypeError):
            return []
    out = []
    for cid in data["responses"]:
        if not fw.has(str(cid)):
            line, col = locate(positions, ("responses", cid, "__key__"))
            out.append(Problem(name, line, col, f"responses.{cid}",
                               f"unknown criterion {cid!r} in framework {fw.id} {fw.version}"))
    return out


def read(path: Path, fw: Framework | None = None,
         resolve: Resolver = frameworks.get) -> tuple[Audit, Framework]:
    """Read an audit file from disk (size checked before reading)."""
    name = display_name(path)
    return from_text(read_bytes(path, name), name, fw, resolve)


def to_data(audit: Audit) -> dict[str, Any]:
    """The audit as plain data, without empty optional fields, in a stable key order.

    Written in the oldest format that holds it (see :attr:`Audit.file_format`), so a file
    with nothing from a framework move is still readable by a tool that knows only version 1.
    """
    data = audit.model_dump(mode="json", exclude_none=True)
    data["format"] = audit.file_format
    if not audit.archived:
        data.pop("archived", None)
    return data


class _Dumper(yaml.SafeDumper):
    """Writes strings holding YAML line-break characters double-quoted, where they survive."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _YAML_BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YAML_BREAKS = re.compile("[\x85\u2028\u2029\ufeff]")
_Dumper.add_representer(str, _represent_str)


def to_yaml(audit: Audit) -> str:
    return yaml.dump(to_data(audit), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=100)


# Characters JSON allows raw but YAML (our reader) refuses or reads as line breaks.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def to_json(audit: Audit) -> str:
    text = json.dumps(to_data(audit), ensure_ascii=False, indent=2) + "\n"
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dump(audit: Audit, fmt: str = "yaml") -> str:
    """Write an audit as ``yaml`` or ``json``."""
    return to_json(audit) if fmt == "json" else to_yaml(audit)
