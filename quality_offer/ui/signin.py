"""Sign-in: local mode, or Streamlit's native ``st.login`` with OpenID Connect providers.

Local mode (no ``[auth]`` in the secrets): the one local user with full rights. Shared mode:
the app refuses to start with a weak or missing secret (saying so to the operator, with no
traceback), offers a button per provider to someone not signed in, and turns a signed-in
person's issuer and subject into a :class:`~quality_offer.permissions.User` through the
memberships in the database. Someone signed in with no membership sees only a page saying
whom to ask. The rules themselves live in :mod:`quality_offer.auth` and
:mod:`quality_offer.permissions`; this module only lays them out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from .. import auth
from ..permissions import LOCAL_USER, Membership, User
from ..vocabulary import ROLE_LABELS
from .connection import store
from .text import plain
from .theme import run_once

log = logging.getLogger("quality_offer.signin")

USER_KEY = "_qo_user"  # Session State: ((issuer, subject), looked up at, User)
USER_TTL = 30.0  # seconds a membership lookup is reused within one session
PROVIDER_LABELS = {"microsoft": "Microsoft", "entra": "Microsoft", "google": "Google"}


def secrets() -> dict[str, Any]:
    """The app's secrets as plain data; empty when there is no secrets file (local mode)."""
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}
    except Exception:  # a malformed secrets.toml: the operator must fix it
        log.exception("The secrets file cannot be read")
        return {"auth": {}, "_unreadable": True}


def claims() -> dict[str, Any]:
    """The signed-in person's identity claims (``st.user``); the one seam tests may replace."""
    return dict(st.user.to_dict())


def _is_logged_in(c: Mapping[str, Any]) -> bool:
    return bool(c.get("is_logged_in"))


def _lookup(issuer: str, subject: str) -> list[Membership]:
    return store().memberships_for(issuer, subject)


def current_user() -> User | None:
    """The local user, the signed-in user, or None (not signed in, or no identity claims).

    The membership lookup is kept in Session State for :data:`USER_TTL` seconds, keyed by
    issuer and subject, so a page's many permission checks cost one query at most, and a
    membership removed by the administrator stops working within half a minute.
    """
    s = secrets()
    if not auth.is_shared(s):
        return LOCAL_USER
    c = claims()
    if not _is_logged_in(c) or not c.get("iss") or not c.get("sub"):
        return None
    key = (str(c["iss"]), str(c["sub"]))
    cached = st.session_state.get(USER_KEY)
    now = time.monotonic()
    if cached and cached[0] == key and now - cached[1] < USER_TTL:
        return cached[2]
    user = auth.user_from_claims(c, _lookup, auth.first_admin(s))
    st.session_state[USER_KEY] = (key, now, user)
    return user


def forget_user() -> None:
    """Look the memberships up again on the next check (after the administrator's changes)."""
    st.session_state.pop(USER_KEY, None)


def describe(m: Membership) -> str:
    role = ROLE_LABELS.get(m.role, m.role)
    if m.urn:
        return f"{role}, school {m.urn}"
    if m.la_code:
        return f"{role}, authority {m.la_code}"
    return role


def _provider_label(name: str) -> str:
    return PROVIDER_LABELS.get(name.lower(), name.replace("_", " ").title())


def _configuration_error(problems: list[str]) -> None:
    log.error("Sign-in is not configured safely: %s", "; ".join(problems))
    st.title("Quality Offer cannot start")
    st.error("Sign-in is configured in `.streamlit/secrets.toml`, but not safely, so the app "
             "will not start until it is fixed. For the person who runs the app:",
             icon=":material/error:")
    st.code("\n".join(problems), language=None, wrap_lines=True)
    st.caption("See “Sign-in (shared mode)” in the README for a worked example.")


#: Where the browser keeps, for this tab only, the address opened before signing in.
AFTER_SIGN_IN_KEY = "quality-offer-after-sign-in"

# The identity provider always sends the browser back to the app's home page, so a link an
# adviser was sent (a Compare view with its filters, a school's audit) would be lost at
# sign-in. The sign-in page notes the address in the tab's sessionStorage; the first page
# run after sign-in goes back to it. Only a path of this app is followed: it must start with
# one "/" (never "//" or a backslash, which a browser could read as another site).
_REMEMBER_JS = f"""<script>
(() => {{
  const here = window.location.pathname + window.location.search;
  if (here !== "/" && here.startsWith("/") && !here.startsWith("//")) {{
    sessionStorage.setItem("{AFTER_SIGN_IN_KEY}", here);
  }}
}})();
</script>"""
_RETURN_JS = f"""<script>
(() => {{
  const there = sessionStorage.getItem("{AFTER_SIGN_IN_KEY}");
  sessionStorage.removeItem("{AFTER_SIGN_IN_KEY}");
  const here = window.location.pathname + window.location.search;
  if (there && there !== here && there.startsWith("/") && !there.startsWith("//")
      && !there.includes(String.fromCharCode(92))) {{
    window.location.replace(there);
  }}
}})();
</script>"""


def _return_to_address_opened() -> None:
    """Once a session, after sign-in: back to the address opened before signing in."""
    run_once("_qo_after_sign_in_checked", _RETURN_JS)


def _signin_page(s: Mapping[str, Any]) -> None:
    st.html(_REMEMBER_JS, unsafe_allow_javascript=True)
    st.title("Quality Offer")
    st.markdown("Sign in with your school or council account to see your audits.")
    names = auth.providers(s)
    if not names:
        if st.button("Sign in", type="primary", key="signin_default"):
            st.login()
        return
    for name in names:
        if st.button(f"Sign in with {_provider_label(name)}", key=f"signin_{name}",
                     type="primary" if name == names[0] else "secondary"):
            st.login(name)


def _contact(s: Mapping[str, Any]) -> str:
    contact = s.get("quality_offer", {}).get("admin_contact")
    return (f"Ask {plain(str(contact))} to give you access" if contact
            else "Ask your local authority's Quality Offer administrator to give you access")


def _no_access(user: User, s: Mapping[str, Any]) -> None:
    st.title("You do not have access yet")
    st.markdown(f"You are signed in as **{plain(user.name)}**, but nobody has given you a "
                "role at a school or an authority yet.")
    st.markdown(f"{_contact(s)}. Tell them your name and these two identifiers, which is how "
                "the app knows you:")
    st.code(f"issuer:  {user.issuer}\nsubject: {user.subject}", language=None)
    if st.button("Sign out", key="signout_noaccess"):
        forget_user()
        st.logout()


def sidebar(user: User) -> None:
    """Who is signed in, with which roles, and the sign-out button."""
    with st.sidebar:
        st.markdown(f"Signed in as **{plain(user.name)}**")
        if user.memberships:
            st.caption(" · ".join(describe(m) for m in user.memberships))
        if st.button("Sign out", key="signout", icon=":material/logout:"):
            forget_user()
            st.logout()


def gate() -> User:
    """The user the app is for, or a page saying why not (and the script stops there)."""
    s = secrets()
    if not auth.is_shared(s):
        return LOCAL_USER
    problems = (["the secrets file cannot be read: check its TOML syntax"]
                if s.get("_unreadable") else auth.config_problems(s))
    if problems:
        _configuration_error(problems)
        st.stop()
    if not _is_logged_in(claims()):
        _signin_page(s)
        st.stop()
    user = current_user()
    if user is None:
        log.error("A signed-in user's token has no issuer or subject claim")
        st.title("Sign-in did not say who you are")
        st.error("The identity provider did not send the claims this app needs (issuer and "
                 "subject). Ask the administrator to check the provider's settings.")
        if st.button("Sign out", key="signout_noclaims"):
            st.logout()
        st.stop()
    sidebar(user)
    _return_to_address_opened()
    if not user.memberships:
        _no_access(user, s)
        st.stop()
    return user
