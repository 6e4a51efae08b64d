"""Helpers for the AppTest suites (``tests/test_app_*.py``); their fixtures are in conftest.

Each test gets its own SQLite file, named through ``QUALITY_OFFER_DATABASE_URL`` as a real
deployment would, and the small ``mini`` framework installed in place of the shipped one, so
a test reads in a line what it rates. The app reads both when a page runs, so nothing needs
reloading between tests.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from quality_offer.audit import Audit

from .builders import make_audit
from .personas import ISS, PERSONAS, YEAR

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "streamlit_app.py"

__all__ = ["APP", "ROOT", "SECRETS", "as_", "goto", "new_app", "school_audit", "texts"]


def new_app() -> AppTest:
    """The whole app, as ``streamlit run streamlit_app.py`` starts it."""
    return AppTest.from_file(str(APP), default_timeout=30)


def goto(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its url path, as following a link in the menu would.

    ``AppTest.switch_page`` takes a file path and matches it against the script paths of the
    registered pages; the app's pages are callables (``st.Page(render, url_path=...)``) with
    no script path, so it refuses them. ``st.Page`` hashes a callable page's url path, and the
    page is asked for by that hash through AppTest's ``_page_hash``, the one way in. Should a
    Streamlit release rename it, this says so instead of quietly opening the default page.
    """
    if not hasattr(at, "_page_hash"):
        raise RuntimeError("AppTest has no _page_hash any more: see whether switch_page "
                           "now opens a callable page by its url path")
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


# --- signed in as one of the cast (tests/personas.py) --------------------------------

SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "Zq8vN2pL7xR4tW9yB3mK6cH1jF5sD0gA-uE_tY7o",
        "microsoft": {"client_id": "quality-offer", "client_secret": "Vb7Kq2mX9pL4wR8tZ3nC6yH1",
                      "server_metadata_url": "https://idp.example.test/.well-known/"
                                             "openid-configuration"},
        "google": {"client_id": "quality-offer-g", "client_secret": "Gk3Lp8Wq2Zm7Xn4Rt9Yb1Hc6",
                   "server_metadata_url": "https://accounts.google.com/.well-known/"
                                          "openid-configuration"},
    },
    "quality_offer": {"admin_issuer": ISS, "admin_subject": "first-admin",
                      "admin_contact": "the SEND team at County Hall"},
}


def school_audit(mini, urn: str, name: str, la_code: str) -> Audit:
    data = make_audit(mini, {"D1": {"rating": "partly-met"}}, urn=urn, name=name).model_dump()
    data["school"]["la_code"] = la_code
    return Audit.model_validate(data)


def as_(persona: str, *, urn: str | None = None, year: str = YEAR):
    subject, name, _ = PERSONAS[persona]
    at = new_app()
    at.secrets = SECRETS
    at.user = {"is_logged_in": True, "iss": ISS, "sub": subject, "name": name}
    if urn:
        at.query_params["urn"] = urn
        at.query_params["year"] = year.replace("/", "-")
    return at
