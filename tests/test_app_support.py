"""Fixtures and helpers for the AppTest suites (``tests/test_app_*.py``).

Each test gets its own SQLite file, named through ``QUALITY_OFFER_DATABASE_URL`` as a real
deployment would, and the small ``mini`` framework installed in place of the shipped one, so
a test reads in a line what it rates. The app reads both when a page runs, so nothing needs
reloading between tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from quality_offer import framework as frameworks
from quality_offer.store import Store

from .conftest import make_audit

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "streamlit_app.py"

__all__ = ["APP", "app", "db", "goto", "make_audit", "new_app", "texts"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini) -> Iterator[Store]:
    """A fresh database the app will use, with the mini framework installed."""
    url = f"sqlite:///{tmp_path / 'quality-offer.db'}"
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", url)
    monkeypatch.setattr(frameworks, "shipped", lambda: {(mini.id, mini.version): mini})
    store = Store(url)
    yield store
    store.close()


def new_app() -> AppTest:
    """The whole app, as ``streamlit run streamlit_app.py`` starts it."""
    return AppTest.from_file(str(APP), default_timeout=30)


@pytest.fixture
def app(db: Store) -> AppTest:
    return new_app()


def goto(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its url path, as following a link in the menu would.

    ``AppTest.switch_page`` only knows file-based pages; ``st.Page`` hashes a callable
    page's url path, so the page is asked for by that hash.
    """
    at._page_hash = calc_hash(url_path)
    try:
        return at.run()
    finally:
        at._page_hash = ""


def texts(at: AppTest) -> str:
    """Every piece of text on the page, for "does the page say ..." checks."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "text", "code"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    for el in at.table:
        parts.append(el.value.to_string())
    for el in at.metric:
        parts.append(f"{el.label}: {el.value}")
    return "\n".join(parts)
