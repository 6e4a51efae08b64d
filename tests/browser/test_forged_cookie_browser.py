"""A cookie forged with a guessable secret gets nowhere: the app will not start with that secret.

Streamlit signs its ``_streamlit_user`` cookie with ``itsdangerous`` and the configured
``cookie_secret``; whoever knows the secret can sign in as anyone, with no identity provider
involved, and subjects are not secret. The control shows the forgery is real: with a secret
that passes the checks, and that the attacker happens to know, the same forged cookie opens
the Administration page. With the README's example or a repeated block, the app refuses to
start, so there is nothing to open.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, stop_process, wait_for

pytestmark = pytest.mark.browser

ISSUER = "https://login.example.test/tenant/v2.0"
ADMIN_SUB = "the-first-administrator"
STRONG = "k3Jq9ZtVx2LmR7pWc5NbY8hD1sFgA4eU6oTi0QwE-zXy"  # passes every check


def _app(tmp_path: Path, secret: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cwd = tmp_path / "app"
    (cwd / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", cwd / ".streamlit" / "config.toml")
    (cwd / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = {json.dumps(secret)}
client_id = "quality-offer"
client_secret = "Vb7Kq2mX9pL4wR8tZ3nC6yH1"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"

[quality_offer]
admin_issuer = "{ISSUER}"
admin_subject = "{ADMIN_SUB}"
""")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUALITY_OFFER_")}
    env["QUALITY_OFFER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'qo.db'}"
    log = tmp_path / "app.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=cwd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/_stcore/health", proc, log, 60)
    return proc, url


def _forged(secret: str, origin: str) -> str:
    """The cookie an attacker signs with a secret they guessed."""
    from itsdangerous import URLSafeTimedSerializer

    payload = json.dumps({"origin": origin, "is_logged_in": True, "iss": ISSUER,
                          "sub": ADMIN_SUB, "name": "Forged"})
    return URLSafeTimedSerializer(secret, salt="_streamlit_user").dumps(payload)


def _open_admin(secret: str, tmp_path: Path) -> str:
    from playwright.sync_api import sync_playwright

    proc, url = _app(tmp_path, secret)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context()
                context.add_cookies([{"name": "_streamlit_user", "url": url,
                                      "value": _forged(secret, url)}])
                page = context.new_page()
                page.set_default_timeout(20_000)
                page.goto(f"{url}/admin")
                page.get_by_role("heading").first.wait_for()
                page.wait_for_timeout(1500)
                return page.get_by_test_id("stMain").inner_text()
            finally:
                browser.close()
    finally:
        stop_process(proc)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")
def test_a_forged_cookie_signed_with_a_known_secret_is_real(tmp_path):
    shown = _open_admin(STRONG, tmp_path)
    assert "Memberships" in shown  # the control: the forgery works when the secret is known


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")
@pytest.mark.parametrize("secret", ["<a random string of at least 32 characters>",
                                    "abcdefghij" * 4])
def test_with_a_guessable_secret_the_app_refuses_to_start_so_a_forged_cookie_opens_nothing(
        tmp_path, secret):
    shown = _open_admin(secret, tmp_path)
    assert "Quality Offer cannot start" in shown
    assert "cookie_secret" in shown
    assert "Memberships" not in shown
