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
- A finished job leaves a small record (``job.json``: who started it, what it holds, when it
  ended) beside its zip. With the registry in the data folder (as the app has it), a restarted
  server, or a second server on the same machine, finds the finished job from that record, so
  the adviser can still download the zip. A job still running when its server stops is lost:
  its folder holds no record and is removed once it is older than the time limit.

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
        # Wall-clock times (seconds since 1970), kept in the record so that every server
        # removes the job at the same moment.
        self.ended_wall: float | None = None
        self.downloaded_wall: float | None = None
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

    # --- the record a finished job leaves, for a restarted or second server -----------------

    RECORD = "job.json"

    def _save(self, wall: float) -> None:
        """Write the record of a finished job beside its zip (atomically)."""
        s = self.status()
        record = {
            "id": self.id, "owner": list(self.owner), "selection": self.selection,
            "items": [[i.urn, i.year, i.name] for i in self.items],
            "failures": [[f.urn, f.year, f.name, f.message] for f in s.failures],
            "made": s.made, "seconds": s.seconds, "ended": wall,
            "started": self.started_at.isoformat(), "downloaded": self.downloaded_wall,
        }
        self._write_record(record)

    def _write_record(self, record: dict[str, object]) -> None:
        """Replace the record whole (written aside, then renamed): never half written."""
        part = self.folder / (self.RECORD + ".part")
        part.write_text(json.dumps(record), encoding="utf-8")
        os.replace(part, self.folder / self.RECORD)

    @classmethod
    def stored(cls, folder: Path, clock: Callable[[], float]) -> Job | None:
        """The finished job recorded in ``folder``, or None if there is no readable record
        or no zip."""
        try:
            r = json.loads((folder / cls.RECORD).read_text(encoding="utf-8"))
            items = [Item(str(u), str(y), str(n)) for u, y, n in r["items"]]
            job = cls((str(r["owner"][0]), str(r["owner"][1])), str(r["selection"]), items,
                      folder, clock)
            job.id = str(r["id"])
            job.started_at = dt.datetime.fromisoformat(r["started"])
            job._failures = [Failure(*map(str, f)) for f in r["failures"]]
            job._made, job._done = int(r["made"]), len(items)
            job._ended = clock()
            job._started = job._ended - float(r["seconds"])
            job.ended_wall = float(r["ended"])
            if r.get("downloaded") is not None:
                job.downloaded_wall = float(r["downloaded"])
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        if not job.zip_path.is_file():
            return None
        job._state = "finished"
        job._finished.set()
        return job

    def _mark_downloaded(self, wall: float) -> None:
        """Note the download, in the record too, so every server removes the job in time."""
        self.downloaded_wall = wall
        path = self.folder / self.RECORD
        with suppress(OSError, ValueError):
            record = json.loads(path.read_text(encoding="utf-8"))
            record["downloaded"] = wall
            self._write_record(record)

    # --- the work -----------------------------------------------------------------------------

    def run(self, load: Loader, workers: int | None,
            wall: Callable[[], float] = time.time) -> None:
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
                self.ended_wall = wall()
            if self._state == "finished":
                try:
                    self._save(self.ended_wall)
                except OSError:  # the zip is still here for this server to hand over
                    log.warning("report job %s: its record could not be written", self.id)
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
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        if root is None:  # its own folder, removed with whatever is left when the app stops
            root = Path(tempfile.mkdtemp(prefix="quality-offer-jobs-"))
            atexit.register(shutil.rmtree, root, True)
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds
        self.keep_after_download = keep_after_download
        self._clock = clock
        self._wall = wall
        self._lock = threading.Lock()
        self._jobs: dict[tuple[Owner, str], Job] = {}

    def _stored(self) -> None:
        """Take in the finished jobs another server (or this one before a restart) recorded
        in the folder, and remove the folders of jobs that can no longer finish."""
        now = self._wall()
        with self._lock:
            known = {j.folder for j in self._jobs.values()}
        try:
            folders = [f for f in self.root.iterdir() if f.is_dir() and f not in known]
        except OSError:
            return
        for folder in folders:
            job = Job.stored(folder, self._clock)
            if job is None:
                # No record: running elsewhere, or lost when its server stopped. Only a
                # folder older than the time limit is surely lost.
                with suppress(OSError):
                    touched = max([folder.stat().st_mtime,
                                   *(c.stat().st_mtime for c in folder.iterdir())])
                    if now - touched >= self.keep_seconds:
                        shutil.rmtree(folder, ignore_errors=True)
                continue
            with self._lock:
                self._jobs.setdefault((job.owner, job.selection), job)

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
        threading.Thread(target=job.run, args=(load, workers, self._wall),
                         name=f"reports-{job.id}", daemon=True).start()
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
        try:
            data = job.zip_path.read_bytes()
        except FileNotFoundError:  # removed meanwhile by another server
            raise LookupError("that report job's zip has been removed") from None
        job._mark_downloaded(self._wall())
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
        """Take in recorded jobs and remove the finished jobs past their time; returns how
        many were removed."""
        self._stored()
        now = self._wall()
        with self._lock:
            old = [j for j in self._jobs.values() if self._expired(j, now)]
        for job in old:
            self._remove(job)
        return len(old)

    def _expired(self, job: Job, now: float) -> bool:
        ended = job.ended_wall
        if ended is None:
            return False
        if job.status().ready and not job.zip_path.is_file():
            return True  # removed by another server, or by hand
        if (job.downloaded_wall is not None
                and now - job.downloaded_wall >= self.keep_after_download):
            return True
        return now - ended >= self.keep_seconds

    def _remove(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop((job.owner, job.selection), None)
        shutil.rmtree(job.folder, ignore_errors=True)
        log.info("report job %s removed", job.id)
