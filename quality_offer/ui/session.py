"""What every page shares: the store, the user, the framework and the audit being worked on.

Settings are read when a page runs, never at import, so tests (and a deployment) can point
the app at another database through ``QUALITY_OFFER_DATABASE_URL`` without restarting Python.
The audit being worked on lives in Session State *and* in the address bar, and when neither
is set the most recently changed audit is opened: a reload, a new tab or a restarted server
brings the SENCO back to the audit they were on, because everything else comes from the
database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st

from .. import framework as frameworks
from ..audit import Audit
from ..errors import InputError
from ..framework import Framework
from ..permissions import User, can, scope
from ..store import AuditSummary
from . import signin
from .connection import store
from .text import plain

AUDIT_KEY = "audit"  # Session State: (urn, academic year) of the audit being worked on
LOCAL_BANNER = ("Local mode: no sign-in is configured; everyone using this computer has full "
                "access.")


def current_user() -> User:
    """Who is using the app: the local user, or the signed-in user with their memberships.

    Someone not signed in (or whose sign-in gave no issuer and subject) is a user with no
    memberships, who may do nothing: every check fails closed. See :mod:`.signin`.
    """
    return signin.current_user() or NOBODY


NOBODY = User(issuer="", subject="", name="Nobody signed in")
NO_ACCESS = "You do not have access to this audit."


def scope_filter(action: str = "view") -> dict[str, frozenset[str]]:
    """Keyword arguments limiting a store query to the schools the user may ``action``.

    Empty (no limit) only for someone who may see everything; otherwise the schools and
    authorities of their memberships, so the store's WHERE clause does the scoping.
    """
    s = scope(current_user(), action)
    return {} if s.everything else {"urns": s.urns, "la_codes": s.la_codes}


def may_school(action: str, urn: str, claimed_la_code: str | None = None) -> bool:
    """May the user ``action`` on the school ``urn``, judged by the authority on record?

    The school's LA code comes from the database, not from a file or a form, so a crafted
    upload cannot claim another authority; only a school not yet recorded uses the claim.
    """
    stored = store().la_codes_of([urn])
    la_code = stored.get(urn, claimed_la_code)
    return can(current_user(), action, urn, la_code)


def user_label(user: User) -> str:
    """The name recorded in the change history for this user's saves."""
    return user.label


def forget_rights() -> None:
    """Look the user's memberships up again on the next check (the store refused a change)."""
    signin.forget_user()


def may(action: str, urn: str | None = None, la_code: str | None = None) -> bool:
    return can(current_user(), action, urn, la_code)


# --- frameworks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkProblem:
    """Why no framework could be loaded, in words for the person running the app."""

    message: str
    details: tuple[str, ...] = ()

    def show(self) -> None:
        st.error(plain(self.message))
        if self.details:
            st.code("\n".join(self.details), language=None, wrap_lines=True)


def default_framework() -> Framework | FrameworkProblem:
    """The framework new audits use, or the reason it cannot be loaded."""
    try:
        return frameworks.default()
    except InputError as exc:
        return FrameworkProblem("The criteria installed with the app do not validate, so no "
                                "audit can be started. Run `quality-offer validate` to see "
                                "why.", tuple(str(p) for p in exc.problems))
    except (KeyError, IndexError):
        return FrameworkProblem("No criteria are installed: the criteria folder has no "
                                "framework.")


def framework_of(audit: Audit) -> Framework | FrameworkProblem:
    """The framework version an audit was made with, or why it is not available."""
    try:
        return frameworks.get(audit.framework.id, audit.framework.version)
    except InputError as exc:
        return FrameworkProblem("The installed criteria do not validate.",
                                tuple(str(p) for p in exc.problems))
    except KeyError:
        return FrameworkProblem(
            f"This audit uses {audit.framework.id} version {audit.framework.version}, which "
            "is not installed with this copy of the app. Its answers are safe in the "
            "database; install that version of the criteria to open it.")


# --- the audit being worked on ------------------------------------------------------------


def _from_query() -> tuple[str, str] | None:
    urn = st.query_params.get("urn")
    year = st.query_params.get("year")
    if urn and year and len(urn) == 6 and urn.isdigit():
        return urn, year.replace("-", "/")
    return None


def select_audit(urn: str, year: str) -> None:
    """Make this the audit the Checklist and Gap report pages open."""
    st.session_state[AUDIT_KEY] = (urn, year)


def current_key(summaries: Iterable[AuditSummary] | None = None) -> tuple[str, str] | None:
    """The audit being worked on: chosen in this session, named in the address, or newest."""
    key = st.session_state.get(AUDIT_KEY) or _from_query()
    if key is None:
        listed = (list(summaries) if summaries is not None
                  else store().list_audits(**scope_filter()))
        if not listed:
            return None
        newest = max(listed, key=lambda s: s.updated_at)
        key = (newest.urn, newest.academic_year)
    st.session_state[AUDIT_KEY] = key
    return key


def remember_in_url(key: tuple[str, str]) -> None:
    """Put the audit in the address, so a reload or a bookmark opens the same one."""
    urn, year = key
    wanted = {"urn": urn, "year": year.replace("/", "-")}
    if any(st.query_params.get(k) != v for k, v in wanted.items()):
        st.query_params.update(wanted)


def open_audit() -> tuple[Audit, Framework] | None:
    """Load the audit being worked on from the database, or explain why there is none.

    Returns None after writing the explanation, so a page can simply stop.
    """
    key = current_key()
    if key is None:
        st.info("There is no audit yet. Start one on the Audits page.")
        go_button("audits", "Go to Audits")
        return None
    if not may_school("view", key[0]):
        # Whether it exists or not: the same words, and nothing of it is read.
        st.session_state.pop(AUDIT_KEY, None)
        st.error(NO_ACCESS, icon=":material/block:")
        go_button("audits", "Go to Audits")
        return None
    audit = store().get_audit(*key)
    if audit is None:
        st.session_state.pop(AUDIT_KEY, None)
        st.warning(f"There is no audit for URN {key[0]} in {key[1]}. Choose one on the "
                   "Audits page.")
        go_button("audits", "Go to Audits")
        return None
    fw = framework_of(audit)
    if isinstance(fw, FrameworkProblem):
        fw.show()
        return None
    remember_in_url(key)
    return audit, fw


def audit_heading(audit: Audit, fw: Framework) -> None:
    """The one line under every page title that says which audit this is."""
    from ..vocabulary import AUDIT_STATUS_LABELS

    school = audit.school
    st.caption(f"{plain(school.name)} · URN {school.urn} · {audit.academic_year} · "
               f"{plain(fw.title)}, version {fw.version} · "
               f"{AUDIT_STATUS_LABELS.get(audit.status, audit.status)}")


# --- moving between pages -----------------------------------------------------------------


def go(name: str) -> None:
    """Switch to another page by name (see :data:`quality_offer.ui.nav.PAGES`)."""
    from .nav import page

    key = st.session_state.get(AUDIT_KEY)
    params = {"urn": key[0], "year": key[1].replace("/", "-")} if key else None
    st.switch_page(page(name), query_params=params)


def request_page(name: str) -> None:
    """Ask for a page switch from a callback, where ``st.switch_page`` cannot run."""
    st.session_state["_go"] = name


def follow_page_request() -> None:
    """Carry out a switch asked for by a callback; call near the top of a page."""
    name = st.session_state.pop("_go", None)
    if name:
        go(name)


def go_button(name: str, label: str, *, key: str | None = None, primary: bool = False) -> None:
    if st.button(label, key=key or f"go::{name}", type="primary" if primary else "secondary"):
        go(name)
