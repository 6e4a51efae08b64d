"""Many schools' reports at once: one PDF (and or HTML) per audit file, on every core.

An authority prints the reports of hundreds of schools at a time. Each audit is read, checked
and analysed exactly as ``quality-offer report`` does for one file, then rendered and written
to ``<URN>-<year>.pdf`` (``123456-2026-27.pdf``) in the folder asked for. The work is split
over worker processes, one a core by default: rendering is pure Python, so threads would
share one core. Workers write their own files (no PDF crosses between processes) and each
file is written whole or not at all (a hidden ``.part`` file renamed into place).

One bad file never stops the rest: it is reported with the same located message the school
would see, and nothing is written for it. Two audit files for the same school and year
would both want one name; the second is reported and not written rather than silently
overwriting the first.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError, Problem

__all__ = ["BatchResult", "output_name", "render_batch", "worker_count"]


@dataclass(frozen=True)
class BatchResult:
    """What happened to one audit file: the files written, or its problems."""

    source: str
    written: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    key: tuple[str, str] | None = None  # (URN, academic year) when the file was read
    pending: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (.part, final)

    @property
    def ok(self) -> bool:
        return not self.problems


def output_name(urn: str, year: str) -> str:
    """``123456-2026-27``: the URN and the academic year, safe as a file name anywhere."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in f"{urn}-{year}")
    return safe.strip("-") or "report"


def worker_count(requested: int | None = None) -> int:
    """The cores this process may use (or the number asked for, at least one)."""
    if requested:
        return max(1, requested)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _problem(source: str, message: str) -> Problem:
    return Problem(source, None, None, "", message)


def _render_one(index: int, source: str, pdf_dir: str | None, html_dir: str | None
                ) -> BatchResult:
    """Read, analyse and render one audit into ``.part`` files; problems are returned.

    The part files carry the file's place in the batch, so two workers never write the
    same one; :func:`render_batch` renames them into place, or removes them.
    """
    from .. import auditfile
    from ..gaps import analyse

    try:
        audit, fw = auditfile.read(Path(source))
    except InputError as exc:
        return BatchResult(source, problems=tuple(exc.problems))
    except OSError as exc:
        return BatchResult(source, problems=(_problem(source, exc.strerror or str(exc)),))
    key = (audit.school.urn, audit.academic_year)
    name = output_name(*key)
    report = analyse(fw, audit)
    pending: list[tuple[str, str]] = []
    outputs: list[tuple[str | None, str, Callable[[], bytes]]] = []
    if pdf_dir is not None:
        from .pdf import render_pdf

        outputs.append((pdf_dir, "pdf", lambda: render_pdf(report)))
    if html_dir is not None:
        from .html import render_html

        outputs.append((html_dir, "html", lambda: render_html(report).encode("utf-8")))
    try:
        for folder, suffix, build in outputs:
            final = Path(folder or ".") / f"{name}.{suffix}"
            part = final.with_name(f".{final.name}.{index}.part")
            part.write_bytes(build())
            pending.append((str(part), str(final)))
    except OSError as exc:
        _discard(pending)
        return BatchResult(source, key=key, problems=(
            _problem(getattr(exc, "filename", None) or source, exc.strerror or str(exc)),))
    return BatchResult(source, key=key, pending=tuple(pending))


def _render_guarded(index: int, source: str, pdf_dir: str | None, html_dir: str | None
                    ) -> BatchResult:
    """:func:`_render_one`, with any unforeseen failure reported for its file alone."""
    try:
        return _render_one(index, source, pdf_dir, html_dir)
    except Exception as exc:  # one school's report must not stop the other 499
        return BatchResult(source, problems=(_problem(
            source, f"the report could not be made ({type(exc).__name__})"),))


def _discard(pending: Iterable[tuple[str, str]]) -> None:
    for part, _final in pending:
        Path(part).unlink(missing_ok=True)


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds with the package already imported; spawn (the
    # only choice on Windows and macOS) re-imports it in each worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def render_batch(sources: Iterable[str | Path], *, pdf_dir: str | Path | None = None,
                 html_dir: str | Path | None = None, workers: int | None = None,
                 ) -> Iterator[BatchResult]:
    """Render every audit file; yields one result a file, in the order given.

    ``workers`` processes (default: every core this process may use); 1 renders here, in
    this process. Output folders are created if missing.
    """
    files = [str(s) for s in sources]
    if pdf_dir is None and html_dir is None:
        raise ValueError("render_batch needs pdf_dir or html_dir")
    for folder in (pdf_dir, html_dir):
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
    pdf = None if pdf_dir is None else str(pdf_dir)
    html = None if html_dir is None else str(html_dir)
    n = min(worker_count(workers), max(1, len(files)))
    claimed: dict[str, str] = {}

    def settle(result: BatchResult) -> BatchResult:
        """Put the files in place; the first file in the order given keeps a name."""
        if not result.ok or result.key is None:
            return result
        name = output_name(*result.key)
        first = claimed.setdefault(name, result.source)
        if first != result.source:
            _discard(result.pending)
            return replace(result, pending=(), problems=(_problem(
                result.source, f"not written: {first} is also the audit of URN "
                f"{result.key[0]} in {result.key[1]} and was written as {name}"),))
        try:
            for part, final in result.pending:
                os.replace(part, final)
        except OSError as exc:
            _discard(result.pending)
            return replace(result, pending=(), problems=(
                _problem(result.source, exc.strerror or str(exc)),))
        return replace(result, pending=(), written=tuple(f for _, f in result.pending))

    if n == 1:
        for i, source in enumerate(files):
            yield settle(_render_guarded(i, source, pdf, html))
        return
    with ProcessPoolExecutor(n, mp_context=_context()) as pool:
        # Results in the order given; the workers run ahead of the one being reported.
        yield from map(settle, pool.map(_render_guarded, range(len(files)), files,
                                        [pdf] * len(files), [html] * len(files)))
