"""Compare's "every school's PDF report": started here, made in the background, followed in
the sidebar.

The work itself is :mod:`quality_offer.jobs`; this module only starts a job, shows how far it
has got and hands over its zip. The registry of jobs is kept per database for the life of
the app process (``st.cache_resource``), so a reload, a second tab or another view of the
page finds the same job: it belongs to the person who started it (issuer and subject), not
to the browser session. While a job runs, the sidebar part alone reruns every
:data:`POLL_SECONDS` (``st.fragment``), so the rest of the page stays usable.

Rights are checked when a job is started and again each time its download is offered:
the person may compare schools, and every school in the job is still one they compare.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from .. import jobs
from ..compare import Comparison
from ..dates import clock
from ..jobs import Item, Job
from ..permissions import Scope, User, can
from ..store import data_dir
from ..vocabulary import REPORT_JOB_LABELS
from . import session
from .text import count, plain

#: How often the progress in the sidebar is brought up to date while a job runs.
POLL_SECONDS = 1.0
ZIP_NAME = "quality-offer-reports.zip"


@st.cache_resource(show_spinner=False, max_entries=8)
def registry(url: str) -> jobs.Registry:
    """One registry of report jobs per database, shared by every session of this process.

    Its folder is in the data folder, so a finished job outlives a restart of this server
    and is found by a second server on the same machine (jobs are keyed by the database
    too, so one folder serves every database)."""
    return jobs.Registry(data_dir() / "report-jobs")


def _registry() -> jobs.Registry:
    return registry(str(session.store().engine.url))


def items_of(comp: Comparison) -> list[Item]:
    return [Item(r.urn, r.academic_year, r.name) for r in comp.results]


def may_have(user: User, scope: Scope, urns: Sequence[str]) -> bool:
    """May ``user`` start (or download) the reports of these schools, as things stand now?

    The schools' authorities are looked up in the database, not taken from the job."""
    if not can(user, "compare"):
        return False
    if scope.everything:
        return True
    las = session.store().la_codes_of(sorted(set(urns)))
    return all(scope.allows(u, las.get(u)) for u in urns)


def start_part(comp: Comparison, scope: Scope, version: object) -> None:
    """The Exports view's button: start the job for this selection, or say it is on."""
    user = session.current_user()
    items = items_of(comp)
    store = session.store()
    selection = jobs.selection_key(items, store.engine.url, version)
    reg = _registry()
    job = reg.find(user.key, selection)
    if job is None or job.status().state in ("failed", "cancelled"):
        if st.button(f"Make the {count(len(items), 'PDF report')} (zip)", key="cmp_zip_go",
                     disabled=not items):
            if not may_have(user, scope, [i.urn for i in items]):
                st.error("You may not make the reports of every school in this selection.",
                         icon=":material/block:")
                return
            reg.start(user.key, selection, items, store.get_audit,
                      workers=jobs.workers_setting())
            st.rerun()  # the sidebar starts following it
        return
    if job.status().ready:
        st.info("The reports of this selection are ready: download them from the sidebar.",
                icon=":material/download_done:")
        return
    st.info("The reports of this selection are made in the background: follow them in the "
            "sidebar. You can keep working, change view or reload the page meanwhile.",
            icon=":material/hourglass_top:")


def sidebar_part(scope: Scope) -> None:
    """The person's report jobs in the sidebar, brought up to date while any runs."""
    reg = _registry()
    owner = session.current_user().key
    mine = reg.of(owner)
    if not mine:
        return
    running = any(j.status().running for j in mine)
    with st.sidebar:
        st.fragment(run_every=POLL_SECONDS if running else None)(_jobs)(reg, owner, scope,
                                                                        running)


def _jobs(reg: jobs.Registry, owner: tuple[str, str], scope: Scope, was_running: bool
          ) -> None:
    mine = reg.of(owner)
    if was_running and not any(j.status().running for j in mine):
        st.rerun()  # the whole page once, so the progress stops being polled
    st.subheader("PDF reports")
    for job in mine:
        _one(reg, owner, scope, job)


def _one(reg: jobs.Registry, owner: tuple[str, str], scope: Scope, job: Job) -> None:
    s = job.status()
    st.markdown(f"**{REPORT_JOB_LABELS[s.state]}**: {count(s.total, 'school')}, "
                f"started at {clock(job.started_at)}")
    if s.failures:
        with st.expander(f"{count(len(s.failures), 'report')} left out: see why"):
            st.markdown("\n".join(f"- {plain(str(f))}" for f in s.failures))
    if s.running:
        left = s.seconds_left
        st.progress(s.share, text=f"Made {s.done:,} of {s.total:,} reports"
                    + (f", about {_duration(left)} left" if left is not None else ""))
        if st.button("Stop", key=f"cmp_zip_stop_{job.id}", icon=":material/stop:"):
            reg.cancel(owner, job.id)
            st.rerun()
        return
    if s.state == "failed":
        st.error(f"The reports could not be made: {s.error}. Start them again from Exports.")
    elif s.state == "cancelled":
        st.caption("Nothing was kept. Start them again from Exports.")
    else:
        st.caption(f"Made in {_duration(s.seconds)}: the zip holds one PDF per audit"
                   + (f", {s.made:,} in all." if s.failures else "."))
        if may_have(session.current_user(), scope, [i.urn for i in job.items]):
            st.download_button("Download the reports (zip)",
                               lambda: reg.zip_bytes(owner, job.id), file_name=ZIP_NAME,
                               mime="application/zip", key=f"cmp_dl_zip_{job.id}",
                               on_click="ignore", icon=":material/download:")
        else:
            st.warning("You may no longer download these reports.", icon=":material/block:")
    if st.button("Remove", key=f"cmp_zip_forget_{job.id}"):
        reg.forget(owner, job.id)
        st.rerun()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return count(max(1, round(seconds)), "second")
    return count(round(seconds / 60), "minute")
