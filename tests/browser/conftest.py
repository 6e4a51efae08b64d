"""Fixtures for the browser tests: the real server on a free loopback port, Chromium, and the
deployment of deploy/ (two servers behind nginx on one PostgreSQL schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quality_offer import framework as frameworks
from quality_offer.store import Store
from quality_offer.store.scratch import scratch_schema

from ..builders import make_audit
from .helpers import MINI_CRITERIA, ROOT, AppServer, chromium_missing, launch, new_page
from .proxy import Proxy, nginx_missing


def pytest_configure(config: pytest.Config) -> None:
    """Give ``expect`` the same patience as the pages' own waits: on a busy two-core machine
    the first page of a fresh server can take more than Playwright's default five seconds."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests, and keep them together on one worker when the suite runs on
    two (``scripts/test``: ``-n 2 --dist loadgroup``): they start servers and Chromium, time
    what a person waits for, and run one after another while the other tests share the
    second core."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


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


@pytest.fixture
def page(browser, server: AppServer, tmp_path: Path) -> Iterator[object]:
    with new_page(browser) as pg:
        yield pg


# --- the deployment of deploy/: two servers behind nginx on one PostgreSQL schema ---------


@pytest.fixture(scope="module")
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A throwaway PostgreSQL schema holding one school's new audit of the mini framework."""
    why = nginx_missing() or chromium_missing()
    if why:
        pytest.skip(why)
    with scratch_schema(request.getfixturevalue("postgres_url"), "qo_proxy") as url:
        with Store(url) as store:
            store.create_audit(make_audit(frameworks.load(MINI_CRITERIA / "mini")), "setup")
        yield url


@pytest.fixture(scope="module")
def cluster(database: str, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[AppServer, AppServer, Proxy]]:
    """Server A, server B and nginx in front of them, as deploy/ sets them up."""
    folder = tmp_path_factory.mktemp("cluster")
    a = AppServer(ROOT / "streamlit_app.py", folder / "a", criteria=MINI_CRITERIA,
                  database_url=database)
    b = AppServer(ROOT / "streamlit_app.py", folder / "b", criteria=MINI_CRITERIA,
                  database_url=database)
    proxy = Proxy([a.port, b.port])
    try:
        a.start()
        b.start()
        proxy.start()
        yield a, b, proxy
    finally:
        proxy.stop()
        a.stop()
        b.stop()
        print(f"nginx access log:\n{(proxy.dir / 'access.log').read_text(errors='replace')}"
              if (proxy.dir / "access.log").exists() else "")
        proxy.remove()
