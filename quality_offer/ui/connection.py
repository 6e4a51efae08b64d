"""The app's one store per database, shared by every session and every page.

Kept apart from :mod:`.session` so that sign-in (which looks memberships up in the store)
and the session (which asks sign-in who is there) do not import each other.
"""

from __future__ import annotations

import streamlit as st

from ..store import Store, database_url


@st.cache_resource(show_spinner=False)
def _store_at(url: str) -> Store:
    """One store (and connection pool) per database, shared by every session."""
    return Store.from_settings(url)


def store() -> Store:
    """The store for the database the settings name now (read when a page runs)."""
    return _store_at(database_url())
