"""Loading a folder of audit files for a comparison: every good file in, every bad one named.

An adviser is sent dozens or hundreds of files by email; one damaged file must never stop the
rest, and must be reported with the same located message the school would see (file, line,
column, field). Files go through exactly the checks of :mod:`quality_offer.auditfile`: the
careful YAML reader, the audit model, and :func:`quality_offer.audit.check`.

Speed matters at this scale (1,000 files should load within about twice the time it takes
only to parse the same YAML). The work per file is the parse, the validation and the gap
analysis; what is shared between files (frameworks, their scales and criteria) is looked up
once. The audit itself is dropped once analysed, which keeps memory flat. The cyclic garbage
collector is paused during the load: it otherwise re-scans every object kept so far each
few hundred allocations, which made loading 1,000 files about a third slower, and the
objects made here hold no reference cycles that would need it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from .. import auditfile
from .. import framework as installed
from ..audit import Audit
from ..errors import InputError, Problem
from ..framework import Framework
from ..yamlsafe import read_bytes
from .core import Comparison
from .measures import Skipped
from .school_result import SchoolResult, result_of

SUFFIXES = (".yaml", ".yml", ".json")
Progress = Callable[[int, int, str], None]
FrameworkChoice = Framework | tuple[str, str] | None


class NothingToCompare(InputError):
    """No file could be read: carries every file's problems so the user sees all of them."""

    def __init__(self, skipped: list[Skipped], problems: list[Problem]) -> None:
        self.skipped = skipped
        super().__init__(problems or [Problem("", None, None, "", "no audit files given")])


#: A file's problems beyond this many are counted, not listed (a file can hold 30,000).
SHOWN_PROBLEMS = 200


def error_text(problems: Iterable[Problem], shown: int = SHOWN_PROBLEMS) -> str:
    """The problems of one file without its name (given beside it): ``line 3, column 5: ...``.

    Only the first ``shown`` are written out, then how many more there are.
    """
    problems = list(problems)
    parts = []
    for p in problems[:shown]:
        where = ""
        if p.line is not None:
            where = f"line {p.line}" + (f", column {p.column}" if p.column is not None else "")
            where += ": "
        field = f"{p.field}: " if p.field else ""
        parts.append(f"{where}{field}{p.message}")
    if len(problems) > shown:
        parts.append(f"and {len(problems) - shown:,} more problems")
    return "; ".join(parts)


def audit_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """The audit files named or found in folders (recursively), and paths that are neither.

    Hidden files and folders (``.git``, ``.DS_Store``) are passed over; a file named
    explicitly is read whatever its extension, since the user asked for it.
    """
    files: list[Path] = []
    missing: list[Skipped] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                missing.append(Skipped(str(path), "no audit files (*.yaml, *.yml, *.json) "
                                                  "in this folder"))
            for p in found:
                add(p)
        elif path.is_file():
            add(path)
        elif path.exists() or path.is_symlink():  # a FIFO, a device, a broken link
            missing.append(Skipped(str(path), "cannot read: not a regular file"))
        else:
            missing.append(Skipped(str(path), "no such file or folder"))
    return files, missing


class Resolver:
    """Finds the framework an audit names: the ones given first, then the installed ones.

    Installed frameworks are loaded once per process (:func:`framework.shipped` is cached);
    lookups are memoised here too so a thousand files cost one lookup per version.
    """

    def __init__(self, given: Iterable[Framework] | None = None) -> None:
        self.known: dict[tuple[str, str], Framework] = {
            (fw.id, fw.version): fw for fw in (given or ())}
        self._use_installed = given is None

    def __call__(self, framework_id: str, version: str) -> Framework:
        key = (framework_id, version)
        fw = self.known.get(key)
        if fw is None:
            if not self._use_installed:
                raise KeyError(f"framework {framework_id!r} version {version!r} is not "
                               "installed")
            fw = installed.get(framework_id, version)
            self.known[key] = fw
        return fw


def read_audit(path: Path, resolve: Resolver, name: str | None = None
               ) -> tuple[Audit, Framework]:
    """One audit file, read and checked as :func:`auditfile.read` does, or InputError.

    Only the framework lookup is the caller's, so a comparison can use frameworks that are
    not installed (a test's, a draft version).
    """
    name = name or str(path)
    return auditfile.from_text(read_bytes(path, name), name, resolve=resolve)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are built (see module doc)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Below this many files a process pool costs more to start than it saves.
PARALLEL_MIN_FILES = 300
_CHUNK = 50

Outcome = tuple[list[SchoolResult], list[Skipped], list[Problem]]


def _read_files(files: list[Path], resolve: Resolver,
                progress: Callable[[str], None] | None = None) -> Outcome:
    """Read and analyse files one after the other; the work of one process."""
    results: list[SchoolResult] = []
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    with collector_paused():
        for path in files:
            name = str(path)
            try:
                audit, fw = read_audit(path, resolve, name)
            except InputError as exc:
                skipped.append(Skipped(name, error_text(exc.problems)))
                problems.extend(exc.problems)
            except Exception as exc:  # a reader fault must not cost the adviser the other files
                problem = Problem(name, None, None, "", "could not be read (an error in this "
                                  f"tool: {type(exc).__name__}); the other files were compared")
                skipped.append(Skipped(name, error_text([problem])))
                problems.append(problem)
            else:
                results.append(result_of(fw, audit, name))
            if progress is not None:
                progress(name)
    return results, skipped, problems


def _read_chunk(files: list[Path], frameworks: list[Framework] | None) -> Outcome:
    """A worker's share (module level, so a spawned process can import it)."""
    return _read_files(files, Resolver(frameworks))


def _read_parallel(files: list[Path], frameworks: list[Framework] | None, workers: int,
                   progress: Progress | None) -> Outcome:
    """Files read by a pool of processes, in chunks, results kept in the files' order.

    Processes are spawned, not forked: forking the multi-threaded Streamlit server can
    deadlock a child on a lock another thread held. Results come back as the small
    :class:`SchoolResult` rows, so little is copied between processes.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    chunks = [files[i:i + _CHUNK] for i in range(0, len(files), _CHUNK)]
    out: list[Outcome | None] = [None] * len(chunks)
    done = 0
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        futures = {ex.submit(_read_chunk, chunk, frameworks): i
                   for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            out[i] = future.result()
            done += len(chunks[i])
            if progress is not None:
                progress(done, len(files), str(chunks[i][-1]))
    results: list[SchoolResult] = []
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    for part in out:
        assert part is not None
        results += part[0]
        skipped += part[1]
        problems += part[2]
    return results, skipped, problems


def read_results(paths: Iterable[str | Path], progress: Progress | None = None, *,
                 frameworks: Iterable[Framework] | None = None, workers: int = 1
                 ) -> tuple[list[SchoolResult], list[Skipped], dict[tuple[str, str], Framework],
                            list[Problem]]:
    """Read and analyse every file; return the results, the skipped files and their problems.

    ``progress(done, total, file)`` is called after each file (after each chunk of files
    when ``workers`` > 1 spreads the work over processes; used only for a few hundred files
    or more, where it pays for starting them).
    """
    files, skipped = audit_files(paths)
    problems = [Problem(s.file, None, None, "", s.error) for s in skipped]
    given = list(frameworks) if frameworks is not None else None
    resolve = Resolver(given)
    total = len(files)
    parallel: Outcome | None = None
    if workers > 1 and total >= PARALLEL_MIN_FILES:
        try:
            parallel = _read_parallel(files, given, workers, progress)
        except (OSError, RuntimeError, BrokenProcessPool):
            parallel = None  # no processes here (a sandbox, a frozen app): read in this one
    if parallel is not None:
        results, more_skipped, more_problems = parallel
        for key in {(r.framework_id, r.framework_version) for r in results}:
            resolve(*key)  # the parent needs the frameworks the workers used
    else:
        count = iter(range(1, total + 1))
        tick = (None if progress is None
                else lambda name: progress(next(count), total, name))
        results, more_skipped, more_problems = _read_files(files, resolve, tick)
    return results, skipped + more_skipped, resolve.known, problems + more_problems


def load_folder(paths: Iterable[str | Path] | str | Path, progress: Progress | None = None, *,
                frameworks: Iterable[Framework] | None = None,
                framework: FrameworkChoice = None, workers: int = 1) -> Comparison:
    """A comparison of the audit files in ``paths`` (files or folders, any number).

    Broken files are in ``Comparison.skipped`` by name with their located error; so are
    audits of another framework version than the one compared (by default the version most
    files use). Raises :class:`NothingToCompare` when no file could be used at all.

    ``frameworks`` replaces the installed frameworks (tests, draft versions). ``workers``
    > 1 reads large folders in that many processes (see :func:`read_results`).
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    results, skipped, known, problems = read_results(paths, progress, frameworks=frameworks,
                                                     workers=workers)
    if not results:
        raise NothingToCompare(skipped, problems)
    if isinstance(framework, tuple) and framework not in known:
        try:  # a version none of the files uses: every file will be listed as skipped
            known[framework] = Resolver(frameworks)(*framework)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
    return Comparison.from_results(results, known, framework=framework, skipped=skipped)
