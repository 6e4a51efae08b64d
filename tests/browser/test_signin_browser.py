"""A real sign-in in Chromium: a local OpenID Connect provider, the app in shared mode.

``oidc-provider-mock`` runs the provider on a free loopback port with one predefined user
(a SENCO of school A, known by her ``sub``); the app runs with ``streamlit run`` on another
free port, from a temporary folder whose ``.streamlit/secrets.toml`` configures sign-in
(Streamlit reads secrets from the working directory). The SENCO signs in, reaches her
school's audit and pages (not the administrator's), and signs out.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quality_offer import framework as frameworks
from quality_offer.store import Store

from ..builders import make_audit
from .helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, stop_process, wait_for

pytestmark = pytest.mark.browser

SUB = "senco-of-alder"
URN = "100001"


@pytest.fixture
def shared_app(tmp_path: Path):
    """The provider and the app, both on loopback; yields the app's URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUALITY_OFFER_")}
    idp_port, app_port = free_port(), free_port()
    idp_log = tmp_path / "idp.log"
    idp = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(idp_port),
         "--user-claims", json.dumps({"sub": SUB, "name": "Sam SENCO"})],
        stdout=idp_log.open("wb"), stderr=subprocess.STDOUT, env=env)
    procs = [idp]
    try:
        meta_url = f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration"
        issuer = json.loads(wait_for(meta_url, idp, idp_log))["issuer"]

        db_url = f"sqlite:///{tmp_path / 'qo.db'}"
        with Store(db_url) as store:
            store.create_audit(make_audit(frameworks.default(), urn=URN,
                                          name="Alder Primary School"), "setup")
            store.create_audit(make_audit(frameworks.default(), urn="200002",
                                          name="Birch Primary School"), "setup")
            store.add_membership(issuer, SUB, "Sam SENCO", "senco", URN, None, "setup")

        cwd = tmp_path / "app"
        (cwd / ".streamlit").mkdir(parents=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", cwd / ".streamlit" / "config.toml")
        (cwd / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{secrets.token_urlsafe(48)}"

[auth.mock]
client_id = "quality-offer-test"
client_secret = "{secrets.token_urlsafe(32)}"
server_metadata_url = "{meta_url}"
""")
        app_log = tmp_path / "app.log"
        app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
             "--server.port", str(app_port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=cwd, env={**env, "QUALITY_OFFER_DATABASE_URL": db_url},
            stdout=app_log.open("wb"), stderr=subprocess.STDOUT)
        procs.append(app)
        wait_for(f"http://127.0.0.1:{app_port}/_stcore/health", app, app_log, 60)
        yield f"http://127.0.0.1:{app_port}"
    finally:
        for p in reversed(procs):
            stop_process(p)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at "
                                                 "/usr/bin/chromium")
def test_a_senco_signs_in_reaches_her_schools_pages_and_signs_out(shared_app):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            page.goto(shared_app)
            page.get_by_role("button", name="Sign in with Mock").click()
            # the provider's consent page: the predefined user, by her subject
            page.get_by_role("button", name=SUB).click()
            expect(page.get_by_role("heading", name="Audits")).to_be_visible()
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar).to_contain_text("Sam SENCO")
            expect(sidebar).to_contain_text("school 100001")
            expect(sidebar).not_to_contain_text("Administration")
            expect(page.get_by_test_id("stMain")).to_contain_text("Alder Primary School")
            expect(page.get_by_test_id("stMain")).not_to_contain_text("Birch")

            # another school's audit typed into the address: nothing of it
            page.goto(f"{shared_app}/checklist?urn=200002&year=2026-27")
            expect(page.get_by_text("You do not have access to this audit.")).to_be_visible()
            expect(page.get_by_test_id("stMain")).not_to_contain_text("Birch")

            page.goto(f"{shared_app}/checklist?urn={URN}&year=2026-27")
            expect(page.get_by_role("heading", name="Checklist")).to_be_visible()
            expect(page.get_by_test_id("stMain")).to_contain_text("Alder Primary School")

            page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
            end = page.get_by_role("button", name="End session")
            end.wait_for()
            end.click()
            expect(page.get_by_role("button", name="Sign in with Mock")).to_be_visible()
            page.goto(f"{shared_app}/checklist?urn={URN}&year=2026-27")
            expect(page.get_by_role("button", name="Sign in with Mock")).to_be_visible()
            expect(page.get_by_test_id("stMain")).not_to_contain_text("Alder")
        finally:
            browser.close()
