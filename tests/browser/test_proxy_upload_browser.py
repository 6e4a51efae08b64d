"""Uploads through the shipped nginx configuration, in Chromium: an audit file imported on the
Import page lands in the database, and the proxy's body limit matches the app's upload limit
(the largest file the app takes gets through to the app and its own message; only a body past
the app's limit and its multipart allowance is refused by nginx).

Same cluster as ``test_proxy_browser.py``: two app servers on a throwaway PostgreSQL schema
behind nginx; skipped, saying why, where nginx, PostgreSQL or Chromium is missing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.store import Store

from ..builders import make_audit
from .helpers import MINI_CRITERIA, ROOT, runs, wait_idle
from .proxy import Proxy, browser_on

pytestmark = pytest.mark.postgres

NEW_URN, YEAR = "222222", "2026/27"
# server.maxUploadSize in megabytes: the browser refuses a file over that many million bytes,
# the server a body over that many MiB plus 1 MiB for the multipart wrapping.
APP_MB = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"][
    "maxUploadSize"]
APP_LIMIT = APP_MB * 1_000_000
SERVER_BODY_LIMIT = (APP_MB + 1) * 1024 * 1024
UPLOAD = "/_stcore/upload_file/"


def uploads_since(proxy: Proxy, mark: int) -> list[tuple[str, str, str]]:
    """(method, status, upstream) of each upload request the proxy logged since ``mark``;
    upstream is "-" when nginx answered itself."""
    with (proxy.dir / "access.log").open("rb") as f:
        f.seek(mark)
        lines = f.read().decode().splitlines()
    out = []
    for line in lines:
        _time, method, uri, status, _bytes, _took, upstream = line.split(" ", 6)
        if uri.startswith(UPLOAD):
            out.append((method, status, upstream))
    return out


def test_an_audit_file_imported_through_the_proxy_lands_in_the_database(
        browser, cluster, database: str, tmp_path: Path) -> None:
    _a, b, proxy = cluster
    fw = frameworks.load(MINI_CRITERIA / "mini")
    audit = make_audit(fw, {"D1": {"rating": "met", "evidence": {"text": "Policy on website"}}},
                       urn=NEW_URN, name="Birch Road Primary School")
    text = auditfile.dump(audit, "yaml").encode()
    with browser_on(browser, proxy, b) as page:
        page.goto(f"{proxy.url}/import-export")
        expect(page.get_by_role("heading", name="Import an audit file")).to_be_visible()
        wait_idle(page)
        mark = proxy.log_mark()
        before = runs(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files=[{
            "name": "birch-road.yaml", "mimeType": "application/x-yaml", "buffer": text}])
        wait_idle(page, before)
        expect(page.get_by_role("heading", name="What importing would change")).to_be_visible()
        expect(page.get_by_text("Birch Road Primary School", exact=False).first).to_be_visible()
        before = runs(page)
        page.get_by_role("button", name="Import", exact=True).click()
        wait_idle(page, before)
        expect(page.get_by_text("Imported birch-road.yaml", exact=False)).to_be_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(tmp_path / "imported.png"), full_page=True)
    with Store(database) as store:
        stored = store.get_audit(NEW_URN, YEAR)
    assert stored is not None and stored.responses["D1"].rating == "met"
    assert stored.responses["D1"].evidence.text == "Policy on website"
    # The file went through the proxy to server B, and was taken (not refused by nginx).
    sent = [u for u in uploads_since(proxy, mark) if u[0] == "PUT"]
    assert sent and all(status.startswith("2") and upstream.endswith(f":{b.port}")
                        for _m, status, upstream in sent), sent


def test_the_largest_upload_the_app_takes_gets_through_and_only_more_is_refused_by_nginx(
        browser, cluster) -> None:
    a, _b, proxy = cluster
    # Just under the app's limit, and far too many words for a report: the refusal must be
    # the app's own message, which proves the file crossed the proxy whole.
    words = ("parents " * (APP_LIMIT // 8))[: APP_LIMIT - 4096].encode()
    with browser_on(browser, proxy, a) as page:
        page.goto(f"{proxy.url}/sen-information-report")
        expect(page.get_by_role("heading", name="SEN information report", exact=True)
               ).to_be_visible()
        wait_idle(page)
        mark = proxy.log_mark()
        before = runs(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files=[{
            "name": "long-report.txt", "mimeType": "text/plain", "buffer": words}])
        wait_idle(page, before)
        expect(page.get_by_text("the check reads reports of up to 60,000 words",
                                exact=False)).to_be_visible()
        sent = [u for u in uploads_since(proxy, mark) if u[0] == "PUT"]
        assert sent and all(status.startswith("2") and upstream.endswith(f":{a.port}")
                            for _m, status, upstream in sent), sent

    # A body past what the app server takes (its limit and Streamlit's 1 MiB multipart
    # allowance): nginx's client_max_body_size (3m) refuses it before any app server sees it.
    # (From a browser context of its own: the one above must only ever reach its server.)
    context = browser.new_context()
    try:
        mark = proxy.log_mark()
        too_big = b"x" * (SERVER_BODY_LIMIT + 64 * 1024)
        answer = context.request.put(f"{proxy.url}{UPLOAD}no-session/no-file",
                                     multipart={"file": {"name": "big.txt", "mimeType":
                                                         "text/plain", "buffer": too_big}})
        assert answer.status == 413
        assert uploads_since(proxy, mark) == [("PUT", "413", "-")]
        # Just under it, nginx passes the body on: the app server answers (here, that there
        # is no such session), not the proxy.
        mark = proxy.log_mark()
        context.request.put(f"{proxy.url}{UPLOAD}no-session/no-file",
                            multipart={"file": {"name": "big.txt", "mimeType": "text/plain",
                                                "buffer": too_big[:SERVER_BODY_LIMIT - 64 * 1024]}})
        [(method, status, upstream)] = uploads_since(proxy, mark)
        assert status != "413" and upstream != "-", (method, status, upstream)
    finally:
        context.close()
