"""Running the real app and a real Chromium, for the browser tests and the benchmarks.

The server is started exactly as a user starts it (``streamlit run streamlit_app.py``) on a
free loopback port, with its own data folder, and can be stopped and started again on the
same port and folder to prove that nothing lives only in the server's memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..personas import ISS, PERSONAS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
MINI_CRITERIA = ROOT / "tests" / "fixtures" / "frameworks"

# The app root says whether a script run is going on; "notRunning" means idle.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  // Elements left over from the previous run are drawn faded ("stale") until the run that
  // replaces them ends: a check made then sees colours nobody is meant to read.
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
      && !document.querySelector('[data-stale="true"]');
}"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run`` in a subprocess; ``restart()`` keeps the port and the data.

    With ``database_url`` the server uses that database (as a deployment sets
    ``QUALITY_OFFER_DATABASE_URL``) instead of the SQLite file in its data folder.

    Two ways to run as a shared deployment (sign-in configured, each browser context one
    person seeing what their memberships allow): ``sign_in=`` a local OpenID provider, to go
    through the real sign-in (:func:`sign_in`); or ``shared=True``, where people arrive
    already signed in with the identity cookie (:func:`sign_in_as`, quick, for tests about
    what comes after sign-in).
    """

    def __init__(self, script: Path, data_dir: Path, *, criteria: Path | None = None,
                 port: int | None = None, log: Path | None = None,
                 database_url: str | None = None, sign_in: OidcProvider | None = None,
                 shared: bool = False, public_url: str | None = None,
                 auth_secrets: tuple[str, str] | None = None) -> None:
        self.script = script
        # Behind a proxy, sign-in returns to the proxy's address, and every server of the
        # deployment shares the cookie and client secrets (``auth_secrets``), as deploy/ says.
        self.public_url = public_url
        self.auth_secrets = auth_secrets
        self.data_dir = data_dir
        self.criteria = criteria
        self.database_url = database_url
        self.sign_in = sign_in
        self.shared = shared
        self.port = port or free_port()
        self.log = log or data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def _workdir(self) -> Path:
        """Where the server runs: Streamlit reads ``.streamlit/`` (settings and secrets) from
        its working directory, so a shared server gets a folder of its own beside the data."""
        if self.sign_in is not None:
            return self._signing_in_folder()
        if not self.shared:
            return ROOT
        work = self.data_dir.parent / f"{self.data_dir.name}-app"
        (work / ".streamlit").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", work / ".streamlit" / "config.toml")
        (work / ".streamlit" / "secrets.toml").write_text(shared_secrets(self.port))
        return work

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        env = {k: v for k, v in os.environ.items()
               if k not in ("QUALITY_OFFER_DATABASE_URL", "QUALITY_OFFER_CRITERIA")}
        env["QUALITY_OFFER_DATA_DIR"] = str(self.data_dir)
        if self.criteria is not None:
            env["QUALITY_OFFER_CRITERIA"] = str(self.criteria)
        if self.database_url is not None:
            env["QUALITY_OFFER_DATABASE_URL"] = self.database_url
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.script),
               "--server.port", str(self.port), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        out = self.log.open("ab")
        self.proc = subprocess.Popen(cmd, cwd=self._workdir(), env=env, stdout=out,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app server exited: see {self.log}\n"
                                   + self.log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app server did not start within {timeout} s: see {self.log}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self.proc = None

    def restart(self) -> AppServer:
        self.stop()
        return self.start()

    def _signing_in_folder(self) -> Path:
        """A working folder with the app's settings and secrets naming the provider:
        Streamlit reads ``.streamlit/secrets.toml`` from the folder it is started in."""
        assert self.sign_in is not None
        cwd = self.data_dir / "app"
        (cwd / ".streamlit").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", cwd / ".streamlit" / "config.toml")
        cookie_secret, client_secret = self.auth_secrets or (secrets.token_urlsafe(48),
                                                             secrets.token_urlsafe(32))
        (cwd / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "{self.public_url or self.url}/oauth2callback"
cookie_secret = "{cookie_secret}"

[auth.mock]
client_id = "quality-offer-test"
client_secret = "{client_secret}"
server_metadata_url = "{self.sign_in.metadata_url}"
""")
        return cwd


class OidcProvider:
    """A local OpenID Connect provider (``oidc-provider-mock``) on a free loopback port,
    knowing the given users (claims with a ``sub``); each signs in with one click on its
    consent page (see :func:`sign_in`)."""

    def __init__(self, users: list[dict[str, str]], log: Path) -> None:
        self.users = users
        self.log = log
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.issuer = ""

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/.well-known/openid-configuration"

    def start(self, timeout: float = 30) -> OidcProvider:
        import json

        env = {k: v for k, v in os.environ.items() if not k.startswith("QUALITY_OFFER_")}
        cmd = [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port)]
        for claims in self.users:
            cmd += ["--user-claims", json.dumps(claims)]
        self.proc = subprocess.Popen(cmd, stdout=self.log.open("wb"),
                                     stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the OpenID provider exited:\n"
                                   + self.log.read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(self.metadata_url, timeout=2) as r:
                    self.issuer = json.loads(r.read())["issuer"]
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the OpenID provider did not start within {timeout} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def sign_in(page: Any, url: str, subject: str) -> None:
    """Open ``url`` (an app's address) and sign in there as the provider's user ``subject``:
    the app's sign-in button, then that user's button on the provider's consent page."""
    page.goto(url)
    page.get_by_role("button", name="Sign in with Mock").click()
    page.get_by_role("button", name=subject).click()
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").wait_for()


# --- a shared deployment, and signing in to it as one of the cast (tests/personas.py) --

#: The test deployment's cookie secret: random-looking enough to pass the app's own checks.
COOKIE_SECRET = "k3Jq9ZtVx2LmR7pWc5NbY8hD1sFgA4eU6oTi0QwE-zXy"


def shared_secrets(port: int) -> str:
    """``secrets.toml`` of a shared deployment on ``port``: one identity provider (never
    contacted: people arrive already signed in, see :func:`sign_in`) and the personas'
    issuer, with the cast's administrator as the first administrator."""
    return f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"
client_id = "quality-offer"
client_secret = "Vb7Kq2mX9pL4wR8tZ3nC6yH1"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"

[quality_offer]
admin_issuer = "{ISS}"
admin_subject = "{PERSONAS['admin'].subject}"
"""


def add_personas(store: Any, *names: str) -> None:
    """Store the memberships of the named personas, as an administrator would."""
    for name in names:
        persona = PERSONAS[name]
        for role, urn, la_code in persona.memberships:
            store.add_membership(ISS, persona.subject, persona.name, role, urn, la_code,
                                 "seed")


def sign_in_as(context: Any, server: AppServer, persona: str) -> None:
    """Sign ``context`` in as a persona: the identity cookie Streamlit sets once the
    provider has said who someone is, signed with the deployment's secret. What the person
    may then do is decided by the app, from their memberships in the database."""
    from itsdangerous import URLSafeTimedSerializer

    who = PERSONAS[persona]
    claims = json.dumps({"origin": server.url, "is_logged_in": True, "iss": ISS,
                         "sub": who.subject, "name": who.name})
    cookie = URLSafeTimedSerializer(COOKIE_SECRET, salt="_streamlit_user").dumps(claims)
    context.add_cookies([{"name": "_streamlit_user", "url": server.url, "value": cookie}])


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (f"Chromium is not installed at {CHROMIUM} (scripts/setup --test installs it "
                "from Debian's packages)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# Installed in every page before Streamlit loads: counts finished script runs (full or
# fragment) and notes when each finished, so a test can wait for *the* run a click started
# instead of guessing with sleeps, and a benchmark can time it.
RUN_COUNTER_JS = """
(() => {
  window.__qoRuns = 0; window.__qoDone = [];
  const ATTR = 'data-test-script-state';
  const watch = () => new MutationObserver((records) => {
    // Records arrive in batches; each carries the value *before* its change, so the value
    // after record i is the old value of record i + 1 (or, for the last, the current one).
    const recs = records.filter((r) => r.attributeName === ATTR);
    for (let i = 0; i < recs.length; i++) {
      const before = recs[i].oldValue;
      const after = i + 1 < recs.length ? recs[i + 1].oldValue
                                        : recs[i].target.getAttribute(ATTR);
      if (after === 'notRunning' && before && before !== 'notRunning' && before !== 'initial') {
        window.__qoRuns += 1; window.__qoDone.push(performance.now());
      }
    }
  }).observe(document.documentElement, {attributes: true, subtree: true,
                                        attributeOldValue: true, attributeFilter: [ATTR]});
  if (document.documentElement) watch(); else addEventListener('DOMContentLoaded', watch);
})();
"""


def prepare(context: Any) -> None:
    """Make every page of ``context`` count Streamlit's script runs (see RUN_COUNTER_JS)."""
    context.add_init_script(RUN_COUNTER_JS)


@contextmanager
def new_page(browser: Any, *, width: int = 1280, height: int = 900,
             zoom: float = 1) -> Iterator[Any]:
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


def runs(page: Any) -> int:
    return int(page.evaluate("() => window.__qoRuns || 0"))


def wait_idle(page: Any, after: int | None = None, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running and drawn the result.

    With ``after`` (a :func:`runs` count taken before an action), wait for a run to finish
    after that action, so a click's own rerun is never mistaken for the idle before it.
    """
    if after is not None:
        # A run too quick to show in the DOM leaves no count: fall through to the idle check.
        with contextlib.suppress(Exception):
            page.wait_for_function(f"() => (window.__qoRuns || 0) > {int(after)}",
                                   timeout=min(timeout, 5_000))
    page.wait_for_function(IDLE_JS, timeout=timeout)


SCROLL_SETTLED_JS = """() => new Promise((resolve) => {
  const main = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
  let last = -1, same = 0;
  const tick = () => {
    const now = main.scrollTop;
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= 3) resolve(true); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def scroll_to(locator: Any) -> None:
    """Scroll an element into view and wait until the (smooth) scrolling has stopped.

    A click that lands while the page still glides closes a dropdown as it opens.
    """
    locator.scroll_into_view_if_needed()
    locator.page.evaluate(SCROLL_SETTLED_JS)


def full_screenshot(page: Any, path: Path, width: int = 1280) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, not the body,
    so the window is made as tall as the content first."""
    height = page.evaluate("""() => {
      const m = document.querySelector('[data-testid="stMain"]');
      return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight);
    }""")
    old = page.viewport_size
    page.set_viewport_size({"width": width, "height": max(600, min(int(height) + 40, 20000))})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    if old:
        page.set_viewport_size(old)


def rm(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> bytes:
    """The body of ``url`` once the process serving it answers; its log's end if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Ask a server process to stop; kill it if it has not within ten seconds."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
