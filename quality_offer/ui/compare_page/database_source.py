"""Audits compared from the database: whose schools a user may compare, and the
comparison kept for the session until the database changes (one small aggregate query
tells), each audit's analysis kept per database by its version.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ...compare import Comparison, from_store
from ...compare.school_result import SchoolResult
from ...permissions import Scope, User
from .. import session

_DB_KEY = "_cmp_db"  # Session State: (fingerprint, Comparison) from the database


def compare_scope(user: User) -> Scope:
    """The schools ``user`` may compare: every school for an administrator, else the
    authorities they advise. A school role never widens it: comparing is an adviser's job."""
    if user.is_admin:
        return Scope(everything=True)
    las = {m.la_code for m in user.memberships if m.role == "adviser" and m.la_code}
    return Scope(la_codes=frozenset(las))


@st.cache_resource(show_spinner=False, max_entries=8)
def _analysis_cache(url: str) -> dict[tuple[Any, ...], SchoolResult]:
    """Per database: each audit's analysis by its id and version (see compare.database).

    Shared by sessions, which is safe: entries are only looked up for audits the user's own
    scoped query returned, and a changed audit has a new version, hence a new key.
    """
    return {}


def data_version(store: Any, scope: Scope) -> tuple[Any, ...]:
    """A fingerprint of the audits in scope: it changes whenever any of them changes.

    Every save bumps its audit's version; every change (a school's details too) adds a
    row to the change log; a new or removed audit changes the count.
    """
    return store.comparison_fingerprint(None if scope.everything else scope.la_codes)


def database_comparison(user: User) -> Comparison:
    """The comparison of the schools ``user`` may compare, recomputed only on a change."""
    store = session.store()
    scope = compare_scope(user)
    key = (str(store.engine.url), scope, data_version(store, scope))
    kept = st.session_state.get(_DB_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    comp = from_store(store, scope=scope, cache=_analysis_cache(str(store.engine.url)))
    st.session_state[_DB_KEY] = (key, comp)
    return comp
