"""Reading YAML (and JSON) safely, remembering where every value came from.

PyYAML's safe loader still accepts duplicate keys (the last silently wins), anchors and
aliases (the "billion laughs" bomb), explicit tags (``!!binary`` decodes base64 into a
school's name), nesting deep enough to exhaust Python's stack, and files of any size. This
reader builds the data itself from libyaml's event stream, without recursion, and refuses
all of these with the line and column where they stand. It records the position of every
value, so a validation error can point at the spot, and it refuses text that would display
differently from what is stored: a NUL character anywhere (no database keeps it whole),
and, through :func:`name_without_controls`, control and direction characters in names (a
right-to-left override can reverse a school's name on screen).

A ``.json`` file is read as strict JSON (no trailing commas, comments, NaN or duplicate
keys) by the standard library, with line and column in every message; its values are then
located by the same event reader, since JSON text is also YAML flow text.

Every way a byte string can be wrong ends in :class:`InputError` with a located
:class:`Problem`; nothing else escapes (a property test holds this to any bytes).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem

MAX_BYTES = 1_000_000
#: Deeper than any real audit or framework file (they nest about six levels).
MAX_DEPTH = 50
M = TypeVar("M", bound=BaseModel)

try:  # the C parser is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the build of PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
Positions = Mapping[Path_, tuple[int, int]]

#: Characters refused anywhere in a file: NUL (no database keeps it whole: PostgreSQL refuses
#: it and other tools cut the text there) and lone surrogates (not text at all).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: Characters refused in names (a school's, its area's, a signatory's): control characters,
#: and the bidirectional controls (marks, embeddings, overrides, isolates) that make a name
#: display in another order than it is stored, so one school could pass for another.
NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                          "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CHARACTER_NAMES = {
    0x00: "a NUL character", 0x061C: "an Arabic letter mark", 0x200E: "a left-to-right mark",
    0x200F: "a right-to-left mark", 0x202A: "a left-to-right embedding",
    0x202B: "a right-to-left embedding", 0x202C: "a pop directional formatting",
    0x202D: "a left-to-right override", 0x202E: "a right-to-left override",
    0x2066: "a left-to-right isolate", 0x2067: "a right-to-left isolate",
    0x2068: "a first strong isolate", 0x2069: "a pop directional isolate",
    0x2028: "a line separator", 0x2029: "a paragraph separator",
}
_REORDERING = ("mark", "embedding", "override", "isolate", "formatting")


def bad_character(text: str, refused: re.Pattern[str] = UNSTORABLE) -> str | None:
    """Why ``text`` cannot be kept as it is (a character ``refused`` matches), or None."""
    found = refused.search(text)
    if found is None:
        return None
    code = ord(found.group())
    what = _CHARACTER_NAMES.get(code)
    if what is None:
        what = ("a surrogate" if 0xD800 <= code <= 0xDFFF
                else "a non-character" if code in (0xFFFE, 0xFFFF) else "a control character")
    why = (" (it can make text display in another order than it is written)"
           if what.endswith(_REORDERING) else "")
    return f"contains {what} (U+{code:04X}) at character {found.start() + 1}{why}; remove it"


def name_without_controls(value: str) -> str:
    """A pydantic validator for names: refuse control and direction characters."""
    why = bad_character(value, NOT_IN_NAMES)
    if why is not None:
        raise ValueError(why)
    return value


def _problem(name: str, mark: Any, field: str, message: str) -> Problem:
    if mark is None:
        return Problem(name, None, None, field, message)
    return Problem(name, mark.line + 1, mark.column + 1, field, message)


def _field(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _line_col(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character index."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"


class _Scalars(yaml.constructor.SafeConstructor):
    """Turns one scalar into its value (int, float, bool, null, date, text)."""


_SCALARS = _Scalars()
_RESOLVER = yaml.resolver.Resolver()


class _Frame:
    """A mapping or sequence being built, and where it stands."""

    __slots__ = ("container", "key", "key_mark", "path")

    def __init__(self, container: dict[Any, Any] | list[Any], path: Path_) -> None:
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: Any = None


_NO_KEY = object()


def _scalar(event: yaml.ScalarEvent, name: str, path: Path_) -> Any:
    """The value of a plain or quoted scalar, or a located problem.

    The field's dotted name is made from ``path`` only for a problem: joining it for every
    one of a file's thousand scalars cost loading a comparison a tenth of its time.
    """
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag in (_STR, _VALUE):
        value: Any = event.value
    else:
        if tag == _MERGE:
            raise InputError([_problem(name, event.start_mark, _field(path),
                                       "merge keys (<<) are not allowed")])
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            # the constructor for the tag itself: construct_object would keep every node
            value = _SCALARS.yaml_constructors[tag](_SCALARS, node)
        except (ValueError, OverflowError, KeyError, yaml.YAMLError):
            what = ("not a real date" if tag.endswith("timestamp")
                    else "not a number this tool can read")
            raise InputError([_problem(name, event.start_mark, _field(path),
                                       f"{event.value[:40]!r} is {what}; put it in quotes "
                                       "if it is text")]) from None
    if isinstance(value, str):
        why = bad_character(value)
        if why is not None:
            raise InputError([_problem(name, event.start_mark, _field(path), why)])
    return value


def _compose(text: str, name: str, track: bool = True) -> tuple[Any, Positions]:
    """Build one document from libyaml's events, iteratively, refusing what we never accept.

    ``track=False`` keeps no paths and no positions: the same checks, but a problem comes
    without its field's name (see :func:`parse`, which then reads the file again tracked).
    """
    positions: dict[Path_, tuple[int, int]] = {}
    stack: list[_Frame] = []
    root: Any = _NO_KEY
    documents = 0

    def here() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key)

    def attach(value: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
        else:
            top.container[top.key] = value
            top.key = _NO_KEY

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise InputError([_problem(name, event.start_mark, "",
                                           "only one document is allowed in a file (a second "
                                           "one starts here)")])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            attach(stack.pop().container)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        top = stack[-1] if stack else None
        expecting_key = top is not None and isinstance(top.container, dict) \
            and top.key is _NO_KEY
        where = (top.path if expecting_key and top is not None else here()) if track else ()
        if isinstance(event, yaml.AliasEvent):
            raise InputError([_problem(name, event.start_mark, _field(where),
                                       "YAML aliases (*name) are not allowed; write the value "
                                       "out")])
        if event.tag is not None:
            raise InputError([_problem(name, event.start_mark, _field(where),
                                       f"explicit tags ({event.tag}) are not allowed; write "
                                       "the value plainly, in quotes if it is text")])
        if expecting_key:
            assert top is not None
            if not isinstance(event, yaml.ScalarEvent):
                raise InputError([_problem(name, event.start_mark, _field(where),
                                           "a key must be a plain value")])
            key = _scalar(event, name, where)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key)
            if key in top.container:
                raise InputError([_problem(name, event.start_mark, _field((*top.path, key)),
                                           f"duplicate key {key!r}")])
            top.key = key
            if track:  # extra-field errors point at the key itself
                positions[(*top.path, key, "__key__")] = (event.start_mark.line + 1,
                                                          event.start_mark.column + 1)
            continue
        path = where
        if track:
            positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            attach(_scalar(event, name, path))
            continue
        if len(stack) >= MAX_DEPTH:
            raise InputError([_problem(name, event.start_mark, _field(path),
                                       f"nested more than {MAX_DEPTH} levels deep")])
        container: dict[Any, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else [])
        stack.append(_Frame(container, path))
    if root is _NO_KEY:
        raise InputError([Problem(name, 1, 1, "", "the file is empty")])
    return root, positions


def _json(text: str, name: str, too_deep: InputError | None = None) -> Any:
    """Strict JSON: a located problem for anything :func:`json.loads` would not take."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _Duplicate(key)
            out[key] = value
        return out

    def constant(word: str) -> Any:
        raise ValueError(f"{word} is not a number in JSON")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, exc.lineno, exc.colno, "",
                                  f"not valid JSON: {exc.msg}")]) from None
    except _Duplicate as exc:
        raise InputError([Problem(name, 1, 1, "", f"not valid JSON: duplicate key "
                                                  f"{exc.args[0]!r}")]) from None
    except RecursionError:
        raise too_deep or InputError([Problem(name, 1, 1, "", "not valid JSON: nested too "
                                              "deeply")]) from None
    except ValueError as exc:
        raise InputError([Problem(name, 1, 1, "", f"not valid JSON: {exc}")]) from None


class _Duplicate(Exception):
    pass


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "; it is UTF-16: save it as UTF-8"
        raise InputError([Problem(name, line, column, "",
                                  f"not UTF-8 text (byte {exc.start + 1} is "
                                  f"0x{data[exc.start]:02x}){hint}")]) from None


def _yaml_problem(exc: yaml.YAMLError, text: str, name: str) -> InputError:
    """libyaml's complaint as a located problem."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        return InputError([Problem(name, line, column, "",
                                   f"contains a control character (U+{code:04X}) that a text "
                                   "file cannot hold; remove it")])
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if mark is not None:
            return InputError([_problem(name, mark, "", f"not valid YAML: {message}")])
    return InputError([Problem(name, 1, 1, "", f"not valid YAML: {exc}")])


def _check_strings(data: Any, name: str) -> None:
    """Every text in ``data`` (keys too) free of refused characters; for JSON read without
    positions, so the problem is placed at the top of the file and named by its field."""
    todo: list[tuple[Any, Path_]] = [(data, ())]
    while todo:
        value, path = todo.pop()
        if isinstance(value, str):
            why = bad_character(value)
            if why is not None:
                raise InputError([Problem(name, 1, 1, _field(path), why)])
        elif isinstance(value, dict):
            for key, item in value.items():
                todo.append((key, path))
                todo.append((item, (*path, key)))
        elif isinstance(value, list):
            todo.extend((item, (*path, i)) for i, item in enumerate(value))


def parse(text: str | bytes, name: str) -> tuple[Any, Positions]:
    """Parse one YAML or JSON document, returning the data and where each value stands.

    A name ending in ``.json`` is read as strict JSON; anything else as YAML. Raises
    :class:`InputError`, and nothing else, for any content at all.
    """
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise InputError([Problem(name, None, None, "",
                                  f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")])
    if isinstance(text, bytes):
        text = _decode(text, name)
    text = text.removeprefix("\ufeff")
    is_json = name.lower().endswith(".json")
    try:
        data = _untracked(text, name)
    except yaml.YAMLError as exc:
        if not is_json:
            raise _yaml_problem(exc, text, name) from None
        # JSON's own message is the better one; valid JSON libyaml cannot place is kept
        data = _json(text, name, too_deep=_yaml_problem(exc, text, name))
        _check_strings(data, name)
        return data, {(): (1, 1)}
    if is_json:
        data = _json(text, name)
    return data, _Positions(text, name)


def _untracked(text: str, name: str) -> Any:
    """The document, composed without positions; a problem is located by a tracked reading.

    Keeping a path and a position for every value cost a fifth of reading a file, and they
    are only ever needed to place a problem, which almost no file has.
    """
    try:
        return _compose(text, name, track=False)[0]
    except InputError as fast:
        _compose(text, name)  # raises the same problem, with its field's name
        raise fast from None


class _Positions(Mapping[Path_, tuple[int, int]]):
    """Where each value of a document stands, worked out when first asked for."""

    def __init__(self, text: str, name: str) -> None:
        self._text, self._name = text, name
        self._found: dict[Path_, tuple[int, int]] | None = None

    def _all(self) -> dict[Path_, tuple[int, int]]:
        if self._found is None:
            self._found = _compose(self._text, self._name)[1]
            self._text = ""
        return self._found

    def __bool__(self) -> bool:
        return True  # a parsed document has at least its top; no need to read it again

    def __getitem__(self, key: Path_) -> tuple[int, int]:
        return self._all()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._all()

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def display_name(path: Path) -> str:
    """A path as the user would type it: relative to the working folder where it can be."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_bytes(path: Path, name: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, never more than ``limit`` of them.

    Anything else is refused before a byte is read: a FIFO would block for ever and a device
    such as ``/dev/zero`` never ends. The file is opened without blocking and checked on the
    open descriptor (so it cannot be swapped in between), and reading stops one byte past the
    limit whatever size the file claims.
    """
    name = name or display_name(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError([Problem(name, None, None, "",
                                  f"cannot read: {exc.strerror}")]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise InputError([Problem(name, None, None, "",
                                      f"cannot read: {what}; give an audit file")])
        if info.st_size > limit:
            raise InputError([Problem(name, None, None, "",
                                      f"file is {info.st_size:,} bytes; the limit is {limit:,}")])
        chunks = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise InputError([Problem(name, None, None, "",
                                      f"file is over the limit of {limit:,} bytes")])
        return b"".join(chunks)
    except OSError as exc:
        raise InputError([Problem(name, None, None, "",
                                  f"cannot read: {exc.strerror}")]) from None
    finally:
        os.close(fd)


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
