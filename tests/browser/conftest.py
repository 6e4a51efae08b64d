"""Fixtures for the browser tests: the real server on a free loopback port and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .helpers import MINI_CRITERIA, ROOT, AppServer, chromium_missing, launch, prepare


def pytest_configure(config: pytest.Config) -> None:
    """Give ``expect`` the same patience as the pages' own waits: on a busy two-core machine
    the first page of a fresh server can take more than Playwright's default five seconds."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium for one test module; closed after it, so that a module which starts its own
    Playwright (only one sync Playwright may run at a time) is not refused."""
    why = chromium_missing()
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    """The app as ``streamlit run streamlit_app.py`` starts it, on the mini framework."""
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    srv = AppServer(ROOT / "streamlit_app.py", tmp_path / "data", criteria=MINI_CRITERIA)
    srv.start()
    yield srv
    srv.stop()


@contextmanager
def new_page(browser, *, width: int = 1280, height: int = 900,
             zoom: float = 1) -> Iterator[object]:
    """A fresh browser context and page that count Streamlit's runs (see helpers.prepare).

    ``zoom`` is the browser's zoom: a 1366x768 screen at 200% is a 683x384 CSS viewport
    drawn with two device pixels to each CSS pixel, which is how Chromium zooms a page.
    """
    context = browser.new_context(viewport={"width": round(width / zoom),
                                            "height": round(height / zoom)},
                                  device_scale_factor=zoom, accept_downloads=True)
    context.set_default_timeout(20_000)
    prepare(context)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser, server: AppServer, tmp_path: Path) -> Iterator[object]:
    with new_page(browser) as pg:
        yield pg
