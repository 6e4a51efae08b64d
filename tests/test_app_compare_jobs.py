"""Every school's PDF report, made in the background (Compare, Exports): the page stays usable,
the sidebar follows the progress, a reload finds the same job, the zip holds one PDF per
audit, and the download is offered only to someone who may still compare those schools.

Rendering is held at the third report by a gate, so a run of the page can see the work half
done; the test's framework exists only in this process, so one worker renders in-process.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest

from quality_offer.reports import pdf

from .app_support import texts
from .compare_support import open_compare, view
from .personas import ISS, PERSONAS

ZIP = "Download the reports (zip)"


@pytest.fixture
def gate(monkeypatch):
    """Reports after the second wait until the gate opens."""
    monkeypatch.setenv("QUALITY_OFFER_REPORT_WORKERS", "1")
    opened = threading.Event()
    real = pdf.render_pdf
    made = []

    def held(report, **kw):
        made.append(report)
        if len(made) > 2:
            opened.wait(60)
        return real(report, **kw)

    monkeypatch.setattr(pdf, "render_pdf", held)
    yield opened
    opened.set()


def sidebar(at) -> str:
    parts = [str(el.value) for kind in ("markdown", "caption", "subheader")
             for el in getattr(at.sidebar, kind)]
    parts += [str(p.proto.text) for p in at.sidebar.get("progress")]
    return "\n".join(parts)


def downloads(at) -> set[str]:
    return {b.proto.label for b in at.get("download_button")}


def until(at, sees, seconds: float = 30):
    """Run the page again (as the sidebar's timer would) until ``sees(at)``."""
    for _ in range(int(seconds * 10)):
        at.run()
        assert not at.exception, at.exception
        if sees(at):
            return at
        time.sleep(0.1)
    raise AssertionError(f"not seen in {seconds} s:\n{sidebar(at)}")


def test_the_reports_are_made_in_the_background_and_a_reload_finds_them(cohort, gate,
                                                                        deferred):
    at = view(open_compare("adviser_919"), "Exports")
    at.button(key="cmp_zip_go").click().run()
    assert not at.exception, at.exception
    until(at, lambda a: "Made 2 of 6 reports" in sidebar(a))
    assert "Being made" in sidebar(at) and "6 schools" in sidebar(at)
    view(at, "Heatmap")  # the adviser keeps working meanwhile
    assert "Made 2 of 6 reports" in sidebar(at)

    again = view(open_compare("adviser_919"), "Exports")  # a reload: a new session
    assert "Made 2 of 6 reports" in sidebar(again)
    assert not again.get("button") or "cmp_zip_go" not in {b.key for b in again.button}
    assert "made in the background" in texts(again)  # the same job, not a second one

    gate.set()
    until(again, lambda a: ZIP in downloads(a))
    assert "Ready to download" in sidebar(again)
    with zipfile.ZipFile(io.BytesIO(deferred["quality-offer-reports.zip"]())) as zf:
        names = sorted(zf.namelist())
        assert all(zf.read(n)[:4] == b"%PDF" for n in names)
    assert names == [f"quality-offer-10000{i}-2026-27.pdf" for i in range(1, 7)]
    until(at, lambda a: ZIP in downloads(a))  # the first tab has it too


def test_another_person_does_not_see_or_get_someone_elses_reports(cohort, gate):
    gate.set()
    at = view(open_compare("adviser_919"), "Exports")
    at.button(key="cmp_zip_go").click().run()
    until(at, lambda a: ZIP in downloads(a))
    admin = view(open_compare("admin"), "Exports")
    assert "PDF reports" not in sidebar(admin) and ZIP not in downloads(admin)
    assert "cmp_zip_go" in {b.key for b in admin.button}


def test_the_download_is_refused_once_the_schools_are_no_longer_theirs(cohort, gate):
    gate.set()
    at = view(open_compare("adviser_919"), "Exports")
    at.button(key="cmp_zip_go").click().run()
    until(at, lambda a: ZIP in downloads(a))
    subject, name, _ = PERSONAS["adviser_919"]
    for m in cohort.list_memberships():
        if m.subject == subject:
            cohort.remove_membership(m.id, "setup")
    cohort.add_membership(ISS, subject, name, "adviser", None, "204", "setup")
    moved = open_compare("adviser_919")  # now advises 204 only
    assert "You may no longer download these reports" in "\n".join(
        str(w.value) for w in moved.sidebar.warning)
    assert ZIP not in downloads(moved)


def test_the_adviser_can_stop_a_job_and_start_it_again(cohort, gate):
    at = view(open_compare("adviser_919"), "Exports")
    at.button(key="cmp_zip_go").click().run()
    until(at, lambda a: "Made 2 of 6 reports" in sidebar(a))
    stop = next(b for b in at.sidebar.button if b.key.startswith("cmp_zip_stop_"))
    stop.click().run()
    gate.set()
    until(at, lambda a: "Stopped at your request" in sidebar(a))
    assert "Nothing was kept" in sidebar(at) and ZIP not in downloads(at)
    at.button(key="cmp_zip_go").click().run()  # the Exports button is back
    until(at, lambda a: ZIP in downloads(a))


def test_exports_says_where_the_finished_reports_are(cohort, gate):
    gate.set()
    at = view(open_compare("adviser_919"), "Exports")
    at.button(key="cmp_zip_go").click().run()
    until(at, lambda a: ZIP in downloads(a))
    assert "ready: download them from the sidebar" in texts(at)
