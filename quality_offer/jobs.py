"""Long work in the background: every school's PDF report for a cohort, zipped.

Making a thousand schools' reports takes minutes. Done in the page's own run, the page waits
the whole time and a reload throws the work away. Here the work runs in a thread of the app's
process instead, and the page only asks how far it has got:

- A :class:`Registry` (one per app process; the page keeps it in ``st.cache_resource``)
  holds jobs by who started them (issuer, subject) and a hash of what they asked for, so a
  reload or a second tab finds the same job, and asking again for the same selection gives
  the job already running rather than a second one.
- A job writes each audit from the store to an audit file (the interchange format) in its own
  temporary folder and renders them with :func:`.reports.batch.render_batch` on every core
  by default, in a separate Python (:mod:`.reports.batch_process`): a thread of a server
  must not fork the server, and spawn would re-run the app script in each worker.
  Each PDF goes into the zip as soon as it is made, so the folder never holds them all.
- The person who started a job can stop it; its worker processes are stopped at once.
- One school's failure is reported by URN, year and name, and the rest are zipped. The log
  names schools by URN only, never a person or an answer.
- A finished job is removed, folder and all, a while after its zip was downloaded, or after
  a longer time limit if it never was.

Nothing here checks rights: the page decides who may start a job and checks again before
it hands the zip over. Nothing here imports Streamlit.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from .audit import Audit

__all__ = ["Failure", "Item", "Job", "Registry", "Status", "selection_key", "workers_setting"]

log = logging.getLogger(__name__)

#: How many processes render at once; unset means every core the app may use.
WORKERS_ENV = "QUALITY_OFFER_REPORT_WORKERS"
#: A finished job is kept this long for its download, then removed.
KEEP_SECONDS = 2 * 60 * 60
#: After its zip was downloaded, a job is kept this much longer (a second click still works).
KEEP_AFTER_DOWNLOAD = 10 * 60

Owner = tuple[str, str]  # (issuer, subject): who started the job
Loader = Callable[[str, str], Audit | None]  # (URN, academic year) -> the audit, or None


@dataclass(frozen=True)
class Item:
    """One audit asked for: the school's URN, the academic year and the school's name."""

    urn: str
    year: str
    name: str = ""

    @property
    def file_name(self) -> str:
        return f"quality-offer-{self.urn}-{self.year.replace('/', '-')}.pdf"


@dataclass(frozen=True)
class Failure:
    """One school's report that could not be made, and why, in words."""

    urn: str
    year: str
    name: str
    message: str

    def __str__(self) -> str:
        who = f"{self.name} (URN {self.urn})" if self.name else f"URN {self.urn}"
        return f"{who} {self.year}: {self.message}"


@dataclass(frozen=True)
class Status:
    """A job as the page shows it, at one moment."""

    id: str
    state: str  # "running", "finished", "failed" (it stopped) or "cancelled" (it was stopped)
    done: int
    total: int
    failures: tuple[Failure, ...]
    made: int  # PDFs in the zip
    seconds: float  # so far, or in all once finished
    error: str = ""

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def ready(self) -> bool:
        return self.state == "finished"

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def seconds_left(self) -> float | None:
        """At the pace so far; None until the first report is counted."""
        if not self.running or not self.done:
            return None
        return self.seconds / self.done * (self.total - self.done)


def selection_key(items: Iterable[Item], *parts: object) -> str:
    """A hash of what was asked for: the audits (in any order) and anything else that
    changes the result (the database, its version)."""
    keys = sorted((i.urn, i.year) for i in items)
    text = json.dumps([keys, [str(p) for p in parts]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def workers_setting() -> int | None:
    """The processes to render with: ``QUALITY_OFFER_REPORT_WORKERS``, else every core."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    return max(1, int(raw)) if raw.isdigit() else None


class _Cancelled(Exception):
    """The person who started the job stopped it."""


class Job:
    """Every listed school's PDF, made in a thread, into one zip in the job's own folder."""

    def __init__(self, owner: Owner, selection: str, items: Sequence[Item], folder: Path,
                 clock: Callable[[], float]) -> None:
        self.id = secrets.token_urlsafe(9)
        self.owner = owner
        self.selection = selection
        self.items = tuple(items)
        self.folder = folder
        self._clock = clock
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self._cancel = threading.Event()
        self._state = "running"
        self._done = 0
        self._made = 0
        self._failures: list[Failure] = []
        self._error = ""
        self._started = clock()
        self.started_at = dt.datetime.now(dt.UTC)
        self._ended: float | None = None
        self.downloaded_at: float | None = None
        self.zip_path = folder / "quality-offer-reports.zip"

    # --- what the page asks -------------------------------------------------------------------

    def status(self) -> Status:
        with self._lock:
            end = self._ended if self._ended is not None else self._clock()
            return Status(self.id, self._state, self._done, len(self.items),
                          tuple(self._failures), self._made, end - self._started, self._error)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends (for tests and scripts); True if it has."""
        return self._finished.wait(timeout)

    def cancel(self) -> None:
        """Stop the work at the next school (the worker processes at once); nothing is kept."""
        self._cancel.set()

    def _check(self) -> None:
        if self._cancel.is_set():
            raise _Cancelled

    @property
    def ended_at(self) -> float | None:
        with self._lock:
            return self._ended

    # --- the work -----------------------------------------------------------------------------

    def run(self, load: Loader, workers: int | None) -> None:
        """Make the reports; never raises (a stopped job says why in its status)."""
        try:
            self._run(load, workers)
        except _Cancelled:
            log.info("report job %s cancelled", self.id)
            with self._lock:
                self._state = "cancelled"
            shutil.rmtree(self.folder, ignore_errors=True)
        except Exception as exc:  # the thread must not die silently: the page shows this
            log.exception("report job %s stopped", self.id)
            with self._lock:
                self._state, self._error = "failed", f"stopped ({type(exc).__name__})"
        else:
            with self._lock:
                self._state = "finished"
        finally:
            with self._lock:
                self._ended = self._clock()
            self._finished.set()

    def _fail(self, item: Item, message: str) -> None:
        log.warning("report job %s: no report for URN %s %s", self.id, item.urn, item.year)
        with self._lock:
            self._failures.append(Failure(item.urn, item.year, item.name, message))
            self._done += 1

    def _run(self, load: Loader, workers: int | None) -> None:
        from . import auditfile

        audits, pdfs = self.folder / "audits", self.folder / "pdf"
        audits.mkdir(parents=True, exist_ok=True)
        sources: dict[str, Item] = {}
        for n, item in enumerate(self.items):
            self._check()
            try:
                audit = load(item.urn, item.year)
            except Exception as exc:  # one school's record must not stop the others
                self._fail(item, f"could not be read ({type(exc).__name__})")
                continue
            if audit is None:
                self._fail(item, "not found")
                continue
            path = audits / f"{n:06d}.json"
            path.write_text(auditfile.to_json(audit), encoding="utf-8")
            sources[str(path)] = item
        part = self.zip_path.with_name(self.zip_path.name + ".part")
        rendered = _render(list(sources), pdfs, workers, self.folder)
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf, closing(rendered):
            for source, written, problems in rendered:
                self._check()  # closing the renderer stops its processes
                item = sources[source]
                Path(source).unlink(missing_ok=True)
                if problems:
                    self._fail(item, "; ".join(problems))
                    continue
                for path in written:
                    zf.write(path, item.file_name)
                    Path(path).unlink(missing_ok=True)
                with self._lock:
                    self._done += 1
                    self._made += 1
        os.replace(part, self.zip_path)
        shutil.rmtree(audits, ignore_errors=True)
        shutil.rmtree(pdfs, ignore_errors=True)


def _render(files: list[str], pdfs: Path, workers: int | None, folder: Path
            ) -> Iterator[tuple[str, list[str], list[str]]]:
    """(audit file, PDFs written, problems) for each file, in order.

    One worker renders here, in this thread; more run in worker processes of a separate
    Python (:mod:`.reports.batch_process`), never forked from this one.
    """
    if not files:
        return
    if workers == 1:
        from .reports.batch import render_batch

        for r in render_batch(files, pdf_dir=pdfs, workers=1):
            yield r.source, list(r.written), [p.message for p in r.problems]
        return
    listing = folder / "audits.json"
    listing.write_text(json.dumps(files), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "quality_offer.reports.batch_process", str(listing), str(pdfs),
         str(workers or 0)], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        encoding="utf-8", start_new_session=os.name == "posix")  # its workers in its group
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            try:  # a library's stray print is not a result
                d = json.loads(line)
                result = d["source"], d["written"], d["problems"]
            except (ValueError, KeyError, TypeError):
                continue
            yield result
    except BaseException:  # the job stopped: so do its workers
        _stop(proc)
        raise
    finally:
        proc.stdout.close()
        code = proc.wait()
    if code != 0:
        raise RuntimeError(f"the report process ended with code {code}")


def _stop(proc: subprocess.Popen[str]) -> None:
    """End the report process and the workers it forked (its process group)."""
    if os.name == "posix":
        import signal

        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()


class Registry:
    """The app's background jobs, by owner and selection; safe to share between threads."""

    def __init__(self, root: Path | None = None, *, keep_seconds: float = KEEP_SECONDS,
                 keep_after_download: float = KEEP_AFTER_DOWNLOAD,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if root is None:  # its own folder, removed with whatever is left when the app stops
            root = Path(tempfile.mkdtemp(prefix="quality-offer-jobs-"))
            atexit.register(shutil.rmtree, root, True)
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds
        self.keep_after_download = keep_after_download
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[tuple[Owner, str], Job] = {}

    def start(self, owner: Owner, selection: str, items: Sequence[Item], load: Loader, *,
              workers: int | None = None) -> Job:
        """The job for this owner and selection: the one already there, else a new one."""
        self.sweep()
        with self._lock:
            job = self._jobs.get((owner, selection))
            if job is not None and job.status().state in ("running", "finished"):
                return job
            if job is not None:  # a stopped job is replaced by a new try
                shutil.rmtree(job.folder, ignore_errors=True)
            folder = Path(tempfile.mkdtemp(prefix="job-", dir=self.root))
            job = Job(owner, selection, items, folder, self._clock)
            self._jobs[(owner, selection)] = job
        log.info("report job %s: %d audits", job.id, len(job.items))
        threading.Thread(target=job.run, args=(load, workers), name=f"reports-{job.id}",
                         daemon=True).start()
        return job

    def find(self, owner: Owner, selection: str) -> Job | None:
        self.sweep()
        with self._lock:
            return self._jobs.get((owner, selection))

    def of(self, owner: Owner) -> list[Job]:
        """This owner's jobs, oldest first."""
        self.sweep()
        with self._lock:
            return [j for (who, _), j in self._jobs.items() if who == owner]

    def get(self, owner: Owner, job_id: str) -> Job | None:
        """The job with this id, only if this owner started it."""
        return next((j for j in self.of(owner) if j.id == job_id), None)

    def zip_bytes(self, owner: Owner, job_id: str) -> bytes:
        """The finished job's zip, for its owner only; the job is then removed a little
        later (:data:`KEEP_AFTER_DOWNLOAD`)."""
        job = self.get(owner, job_id)
        if job is None or not job.status().ready:
            raise LookupError("no finished report job with that id for this user")
        data = job.zip_path.read_bytes()
        with self._lock:
            job.downloaded_at = self._clock()
        return data

    def cancel(self, owner: Owner, job_id: str) -> bool:
        """Stop a running job of this owner's; it stays listed as stopped till removed."""
        job = self.get(owner, job_id)
        if job is None or not job.status().running:
            return False
        job.cancel()
        return True

    def forget(self, owner: Owner, job_id: str) -> bool:
        """Remove a finished job of this owner's now, folder and all."""
        job = self.get(owner, job_id)
        if job is None or job.status().running:
            return False
        self._remove(job)
        return True

    def sweep(self) -> int:
        """Remove the finished jobs past their time; returns how many."""
        now = self._clock()
        with self._lock:
            old = [j for j in self._jobs.values() if self._expired(j, now)]
        for job in old:
            self._remove(job)
        return len(old)

    def _expired(self, job: Job, now: float) -> bool:
        ended = job.ended_at
        if ended is None:
            return False
        if job.downloaded_at is not None and now - job.downloaded_at >= self.keep_after_download:
            return True
        return now - ended >= self.keep_seconds

    def _remove(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop((job.owner, job.selection), None)
        shutil.rmtree(job.folder, ignore_errors=True)
        log.info("report job %s removed", job.id)
