"""Background report jobs (quality_offer.jobs): progress, one job per selection, failures
named by school with the rest zipped, the owner's zip only, and cleanup.

The audits use the shipped framework, so worker processes (which do not see a test's
monkeypatching) can read them too.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import zipfile
from pathlib import Path

import pytest

from quality_offer.jobs import Item, Registry, selection_key

from .builders import make_audit

ME, YOU = ("https://idp.test", "me"), ("https://idp.test", "you")
WAIT = 120


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Wall(Clock):
    """Wall-clock time (seconds since 1970) that a test moves on by hand."""

    def __init__(self) -> None:
        self.now = time.time()


@pytest.fixture
def cohort(herts):
    audits = {(f"10000{i}", "2026/27"): make_audit(herts, urn=f"10000{i}",
                                                   name=f"School {i}") for i in range(1, 4)}
    items = [Item(urn, year, audits[urn, year].school.name) for urn, year in audits]
    return audits, items


def names_in(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert all(zf.read(n)[:4] == b"%PDF" for n in names)
        return names


def test_a_job_reports_its_progress_and_ends_with_one_pdf_per_audit(tmp_path, cohort):
    audits, items = cohort
    gate = threading.Event()
    missing = Item("100009", "2026/27", "Gone School")

    def load(urn, year):
        if urn == "100002":
            gate.wait(WAIT)
        return audits.get((urn, year))

    reg = Registry(tmp_path)
    job = reg.start(ME, "sel", [missing, *items], load, workers=1)
    for _ in range(200):  # the missing school is counted at once; the next one waits
        if job.status().done == 1:
            break
        threading.Event().wait(0.02)
    now = job.status()
    assert now.running and (now.done, now.total) == (1, 4) and not now.ready
    gate.set()
    assert job.wait(WAIT)
    end = job.status()
    assert end.ready and (end.done, end.total, end.made) == (4, 4, 3)
    assert [str(f) for f in end.failures] == ["Gone School (URN 100009) 2026/27: not found"]
    assert sorted(names_in(reg.zip_bytes(ME, job.id))) == [
        "quality-offer-100001-2026-27.pdf", "quality-offer-100002-2026-27.pdf",
        "quality-offer-100003-2026-27.pdf"]


def test_the_same_person_asking_again_for_the_same_selection_gets_the_same_job(
        tmp_path, cohort):
    audits, items = cohort
    calls = []
    gate = threading.Event()

    def load(urn, year):
        calls.append(urn)
        gate.wait(WAIT)
        return audits[urn, year]

    reg = Registry(tmp_path)
    key = selection_key(items, "db")
    assert key == selection_key(list(reversed(items)), "db") != selection_key(items, "db2")
    first = reg.start(ME, key, items, load, workers=1)
    again = reg.start(ME, key, items, load, workers=1)
    theirs = reg.start(YOU, key, items, load, workers=1)
    assert again is first and theirs is not first
    assert reg.find(ME, key) is first and reg.of(ME) == [first]
    gate.set()
    assert first.wait(WAIT) and theirs.wait(WAIT)
    assert sorted(calls) == sorted([i.urn for i in items] * 2)  # once for me, once for you


@pytest.mark.parametrize("workers", [1, 2])  # here, and in worker processes
def test_one_schools_failure_is_named_and_the_rest_are_zipped(tmp_path, cohort, caplog,
                                                              workers):
    audits, items = cohort
    good = audits["100002", "2026/27"]  # on a version not installed: no report can be made
    broken = good.model_copy(update={"framework": good.framework.model_copy(
        update={"version": "9.9.9"})})

    def load(urn, year):
        if urn == "100003":
            raise RuntimeError("the database went away for School 3")
        return broken if urn == "100002" else audits[urn, year]

    reg = Registry(tmp_path)
    with caplog.at_level(logging.INFO, logger="quality_offer.jobs"):
        job = reg.start(ME, "sel", items, load, workers=workers)
        assert job.wait(WAIT)
    end = job.status()
    assert end.ready and end.made == 1 and end.done == 3
    said = {f.urn: str(f) for f in end.failures}
    assert said["100003"] == "School 3 (URN 100003) 2026/27: could not be read (RuntimeError)"
    assert said["100002"].startswith("School 2 (URN 100002) 2026/27: ")
    assert "9.9.9" in said["100002"]
    assert names_in(reg.zip_bytes(ME, job.id)) == ["quality-offer-100001-2026-27.pdf"]
    assert "100002" in caplog.text and "School" not in caplog.text


def test_only_the_owner_gets_the_zip_and_it_is_removed_after_download_or_in_time(
        tmp_path, cohort):
    audits, items = cohort
    clock = Wall()
    reg = Registry(tmp_path, keep_seconds=3600, keep_after_download=600, wall=clock)
    kept = reg.start(ME, "a", items[:1], lambda u, y: audits[u, y], workers=1)
    fetched = reg.start(ME, "b", items[1:2], lambda u, y: audits[u, y], workers=1)
    assert kept.wait(WAIT) and fetched.wait(WAIT)
    assert reg.get(YOU, fetched.id) is None
    with pytest.raises(LookupError):
        reg.zip_bytes(YOU, fetched.id)
    assert names_in(reg.zip_bytes(ME, fetched.id))
    clock.now += 599
    assert len(reg.of(ME)) == 2  # a second click on the download still works
    clock.now += 2
    assert reg.of(ME) == [kept] and not fetched.folder.exists()
    assert kept.folder.exists()
    clock.now += 3600
    assert reg.of(ME) == [] and not kept.folder.exists()


def test_the_reports_are_made_in_worker_processes_too(tmp_path, cohort):
    audits, items = cohort
    reg = Registry(tmp_path)
    job = reg.start(ME, "sel", items, lambda u, y: audits[u, y], workers=2)
    assert job.wait(WAIT)
    end = job.status()
    assert end.ready and end.made == 3, end
    assert len(names_in(reg.zip_bytes(ME, job.id))) == 3


def test_a_job_that_stops_says_so_and_asking_again_starts_a_new_one(tmp_path, cohort,
                                                                   monkeypatch):
    from quality_offer import jobs

    audits, items = cohort

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "_render", broken)
    reg = Registry(tmp_path)
    job = reg.start(ME, "sel", items, lambda u, y: audits[u, y], workers=1)
    assert job.wait(WAIT)
    end = job.status()
    assert end.state == "failed" and end.error == "stopped (OSError)" and not end.ready
    with pytest.raises(LookupError):
        reg.zip_bytes(ME, job.id)
    monkeypatch.undo()
    again = reg.start(ME, "sel", items, lambda u, y: audits[u, y], workers=1)
    assert again is not job and not job.folder.exists()
    assert again.wait(WAIT) and again.status().made == 3


def test_a_stopped_job_keeps_nothing_and_can_be_started_again(tmp_path, cohort):
    audits, items = cohort
    gate = threading.Event()

    def load(urn, year):
        if urn == "100002":
            gate.wait(WAIT)
        return audits[urn, year]

    reg = Registry(tmp_path)
    job = reg.start(ME, "sel", items, load, workers=1)
    assert not reg.cancel(YOU, job.id)  # only the owner stops it
    assert reg.cancel(ME, job.id)
    gate.set()
    assert job.wait(WAIT)
    end = job.status()
    assert end.state == "cancelled" and end.made == 0 and not job.folder.exists()
    assert reg.of(ME) == [job]  # listed as stopped until removed or started again
    again = reg.start(ME, "sel", items, load, workers=1)
    assert again is not job and again.wait(WAIT) and again.status().made == 3


def _processes_naming(text: str) -> list[str]:
    found = []
    for cmd in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmd.read_bytes().decode(errors="replace"):
                found.append(cmd.parent.name)
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_stopping_a_job_stops_its_worker_processes(tmp_path, herts):
    audits = {(f"2000{i:02d}", "2026/27"): make_audit(herts, urn=f"2000{i:02d}")
              for i in range(16)}
    items = [Item(u, y) for u, y in audits]
    reg = Registry(tmp_path)
    job = reg.start(ME, "sel", items, lambda u, y: audits[u, y], workers=2)
    for _ in range(600):
        if job.status().done >= 1 or not job.status().running:
            break
        time.sleep(0.05)
    assert _processes_naming(str(job.folder))  # the report process and its workers
    assert reg.cancel(ME, job.id) and job.wait(WAIT)
    assert job.status().state == "cancelled"
    for _ in range(100):
        if not _processes_naming(str(job.folder)):
            break
        time.sleep(0.05)
    assert _processes_naming(str(job.folder)) == []


def test_a_finished_job_is_found_by_a_restarted_or_second_server(tmp_path, cohort):
    """Two registries on one folder: the first made the zip; the second (a restarted
    server, or the other server behind the proxy) finds the job, its failures and its zip,
    for its owner only."""
    audits, items = cohort
    gone = Item("100009", "2026/27", "Gone School")
    first = Registry(tmp_path)
    job = first.start(ME, "sel", [*items, gone], lambda u, y: audits.get((u, y)), workers=1)
    assert job.wait(WAIT)

    second = Registry(tmp_path)
    found = second.find(ME, "sel")
    assert found is not None and found.id == job.id and found.items == job.items
    end = found.status()
    assert end.ready and (end.done, end.total, end.made) == (4, 4, 3)
    assert [str(f) for f in end.failures] == ["Gone School (URN 100009) 2026/27: not found"]
    assert second.find(YOU, "sel") is None and second.get(YOU, job.id) is None
    with pytest.raises(LookupError):
        second.zip_bytes(YOU, job.id)
    assert len(names_in(second.zip_bytes(ME, job.id))) == 3
    assert second.start(ME, "sel", items, lambda u, y: pytest.fail("made again"),
                        workers=1) is found  # asking again gets the job, not a second one


def test_a_download_on_one_server_counts_on_the_other_and_a_removal_is_seen(tmp_path,
                                                                            cohort):
    audits, items = cohort
    clock, wall = Clock(), Wall()
    one = Registry(tmp_path, keep_after_download=600, clock=clock, wall=wall)
    job = one.start(ME, "sel", items[:1], lambda u, y: audits[u, y], workers=1)
    assert job.wait(WAIT)
    assert names_in(one.zip_bytes(ME, job.id))
    other = Registry(tmp_path, keep_after_download=600, clock=Clock(), wall=wall)
    assert other.find(ME, "sel") is not None
    wall.now += 601  # ten minutes after the download, on the other server's own clock too
    assert other.of(ME) == [] and not job.folder.exists()
    assert one.of(ME) == []  # the first server sees its folder gone
    with pytest.raises(LookupError):
        one.zip_bytes(ME, job.id)


def test_a_job_lost_with_its_server_is_removed_only_once_surely_lost(tmp_path):
    """A folder with no record is a job running on another server, or one lost when its
    server stopped: it is left alone until it is older than the time limit."""
    wall = Wall()
    lost = tmp_path / "job-lost"
    (lost / "audits").mkdir(parents=True)
    (lost / "quality-offer-reports.zip.part").write_bytes(b"PK")
    reg = Registry(tmp_path, keep_seconds=3600, wall=wall)
    assert reg.sweep() == 0 and lost.exists()
    wall.now += 3601
    reg.sweep()
    assert not lost.exists()


def test_a_damaged_record_is_not_a_job(tmp_path, cohort):
    audits, items = cohort
    job = Registry(tmp_path).start(ME, "sel", items[:1], lambda u, y: audits[u, y], workers=1)
    assert job.wait(WAIT)
    (job.folder / "job.json").write_text('{"id": "x", "owner": ["a"]}', encoding="utf-8")
    assert Registry(tmp_path).of(ME) == []
