"""Reading YAML (and JSON) safely, remembering where every value came from.

PyYAML's safe loader still accepts duplicate keys (the last silently wins), anchors and
aliases (the "billion laughs" bomb) and files of any size. This reader refuses all three and
records the line and column of every value, so a validation error can point at the spot.
JSON is a subset of YAML for our purposes and goes through the same path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem

MAX_BYTES = 1_000_000
M = TypeVar("M", bound=BaseModel)

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the build of PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
Positions = dict[Path_, tuple[int, int]]


class _Constructor(yaml.constructor.SafeConstructor):
    """Builds plain scalars only; collections are built by :func:`_build`."""


def _problem(name: str, mark: Any, field: str, message: str) -> Problem:
    if mark is None:
        return Problem(name, None, None, field, message)
    return Problem(name, mark.line + 1, mark.column + 1, field, message)


def _field(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _build(node: yaml.Node, name: str, path: Path_, seen: set[int], positions: Positions,
           constructor: _Constructor) -> Any:
    if id(node) in seen:
        raise InputError([_problem(name, node.start_mark, _field(path),
                                   "YAML aliases (*name) are not allowed; write the value out")])
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError([_problem(name, key_node.start_mark, _field(path),
                                           "a key must be a plain value")])
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError([_problem(name, key_node.start_mark, _field(path),
                                           "merge keys (<<) are not allowed")])
            key = constructor.construct_object(key_node)
            if not isinstance(key, str | int):
                key = str(key)
            if key in result:
                raise InputError([_problem(name, key_node.start_mark, _field((*path, key)),
                                           f"duplicate key {key!r}")])
            result[key] = _build(value_node, name, (*path, key), seen, positions, constructor)
            # extra-field errors point at the key itself
            positions.setdefault((*path, key, "__key__"),
                                 (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
        return result
    if isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        return [_build(item, name, (*path, i), seen, positions, constructor)
                for i, item in enumerate(node.value)]
    value = constructor.construct_object(node)
    seen.add(id(node))
    return value


def parse(text: str | bytes, name: str) -> tuple[Any, Positions]:
    """Parse one YAML or JSON document, returning the data and where each value stands."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise InputError([Problem(name, None, None, "",
                                  f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(name, None, None, "",
                                      f"not UTF-8 text (byte {exc.start})")]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise InputError([_problem(name, mark, "", f"not valid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, None, "", f"not valid YAML: {exc}")]) from None
    if node is None:
        raise InputError([Problem(name, 1, 1, "", "the file is empty")])
    positions: Positions = {}
    try:
        data = _build(node, name, (), set(), positions, _Constructor())
    except yaml.constructor.ConstructorError as exc:
        raise InputError([_problem(name, exc.problem_mark, "", str(exc.problem))]) from None
    return data, positions


def display_name(path: Path) -> str:
    """A path as the user would type it: relative to the working folder where it can be."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_bytes(path: Path, name: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes, refused before reading if it is over the size limit."""
    name = name or display_name(path)
    try:
        size = Path(path).stat().st_size
        if size > limit:
            raise InputError([Problem(name, None, None, "",
                                      f"file is {size:,} bytes; the limit is {limit:,}")])
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, None, None, "",
                                  f"cannot read: {exc.strerror}")]) from None


def read(path: Path) -> tuple[Any, Positions]:
    """Read and parse a file, refusing it before reading if it is too large."""
    name = display_name(path)
    return parse(read_bytes(path, name), name)


def locate(positions: Positions, loc: Path_) -> tuple[int | None, int | None]:
    """The position of the deepest part of ``loc`` that exists in the file."""
    key = (*loc, "__key__")
    if key in positions:
        return positions[key]
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return None, None


def problems_from(exc: ValidationError, name: str, positions: Positions,
                  prefix: Path_ = ()) -> list[Problem]:
    """Turn pydantic's errors into located problems."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        # pydantic names union branches ("list[...]", "literal[...]") in loc: drop them
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p and "]" in p)))
        full = (*prefix, *loc)
        line, col = locate(positions, full)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = f"unknown field {full[-1]!r}" if full else "unknown field"
        elif err["type"] == "missing":
            message = "required field is missing"
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        elif err["type"] not in ("extra_forbidden", "missing") and "input" in err:
            shown = err["input"]
            if isinstance(shown, str | int | float | bool) and len(repr(shown)) < 60:
                message = f"{message} (got {shown!r})"
        out.append(Problem(name, line, col, _field(full), message))
    return out


def validate(model: type[M], data: Any, name: str, positions: Positions) -> M:
    """Validate parsed data against a model, raising located problems."""
    if not isinstance(data, Mapping):
        raise InputError([Problem(name, 1, 1, "", "expected a mapping of fields at the top")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, name, positions)) from None
