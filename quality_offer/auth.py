"""Sign-in configuration and turning a provider's claims into a :class:`User`.

Local mode (no ``[auth]`` in ``.streamlit/secrets.toml``): one local user with full rights,
said plainly on screen. Shared mode: Streamlit's ``st.login`` with an OpenID Connect
provider; the user is identified by the token's issuer and subject, never by name or email,
and the app refuses to start when a secret is missing or weak.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from zxcvbn import zxcvbn

from .permissions import LOCAL_USER, Membership, User

MIN_SECRET_LENGTH = 32
#: Words of placeholders people leave in place: the README's own and the usual ones.
PLACEHOLDERS = ("changeme", "change-me", "secret", "example", "password",
                "random", "string", "least", "characters", "paste", "generate", "replace",
                "token", "python")
# A placeholder word stands alone (not inside a longer run of letters), so a random secret
# that happens to contain "xXx" is not mistaken for one.
_PLACEHOLDER = re.compile(r"(?<![a-z])(" + "|".join(map(re.escape, PLACEHOLDERS))
                          + r")(?![a-z])")
#: log10 of the guesses zxcvbn estimates an attacker needs: 10^30 is about 100 bits, out of
#: reach of any offline search; 48 random bytes score above 60, a keyboard walk about 12.
MIN_GUESSES_LOG10 = 30.0
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def is_shared(secrets: Mapping[str, Any]) -> bool:
    """Shared mode is on when the secrets configure sign-in."""
    return "auth" in secrets


def _placeholder(value: str) -> bool:
    return ("<" in value or ">" in value or _PLACEHOLDER.search(value.lower()) is not None
            or len(set(value)) < 10)


def _weak(value: object) -> str | None:
    """Why a cookie secret could be guessed; None when it could not.

    Anyone who knows the secret can sign Streamlit's identity cookie for any subject, and
    subjects are not secret, so a guessable secret is an administrator's key left in the
    door. Placeholders (angle brackets, the README's words), short secrets and secrets that
    are repeated blocks, sequences, keyboard walks or dictionary words (zxcvbn's estimate of
    the guesses needed) are all refused.
    """
    if not isinstance(value, str) or not value:
        return "is missing"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if _placeholder(value):
        return "looks like a placeholder, not a random secret"
    if zxcvbn(value[:72])["guesses_log10"] < MIN_GUESSES_LOG10:
        return ("could be guessed (it has repeated blocks, a sequence, a keyboard walk or "
                "words), so it is not a random secret")
    return None


def config_problems(secrets: Mapping[str, Any]) -> list[str]:
    """What is wrong with the sign-in configuration; empty when it is safe to start."""
    if not is_shared(secrets):
        return []
    auth = secrets["auth"]
    problems = []
    if not str(auth.get("redirect_uri", "")).startswith(("https://", "http://localhost",
                                                           "http://127.0.0.1")):
        problems.append("[auth] redirect_uri must be an https:// address (or localhost for a "
                        "trial)")
    why = _weak(auth.get("cookie_secret"))
    if why:
        problems.append(f"[auth] cookie_secret {why}: generate one with "
                        "python -c 'import secrets; print(secrets.token_urlsafe(48))'")
    providers = {k: v for k, v in auth.items() if isinstance(v, Mapping)}
    if not providers:
        providers = {"default": auth}
    for name, provider in providers.items():
        section = "[auth]" if name == "default" else f"[auth.{name}]"
        for key in PROVIDER_KEYS:
            if not provider.get(key):
                problems.append(f"{section} {key} is missing")
        client_secret = provider.get("client_secret")
        if isinstance(client_secret, str) and client_secret and _placeholder(client_secret):
            problems.append(f"{section} client_secret looks like a placeholder, not the "
                            "provider's secret")
    return problems


def providers(secrets: Mapping[str, Any]) -> list[str]:
    """The named providers to offer on the sign-in page ([] means the single default)."""
    auth = secrets.get("auth", {})
    return [k for k, v in auth.items() if isinstance(v, Mapping)]


def first_admin(secrets: Mapping[str, Any]) -> tuple[str, str] | None:
    """The administrator set from configuration, so the first memberships can be made."""
    cfg = secrets.get("quality_offer", {})
    issuer = os.environ.get("QUALITY_OFFER_ADMIN_ISSUER") or cfg.get("admin_issuer")
    subject = os.environ.get("QUALITY_OFFER_ADMIN_SUBJECT") or cfg.get("admin_subject")
    return (issuer, subject) if issuer and subject else None


def user_from_claims(claims: Mapping[str, Any],
                     memberships: Callable[[str, str], list[Membership]],
                     admin: tuple[str, str] | None = None) -> User | None:
    """The signed-in user, with rights looked up by (issuer, subject) only."""
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not issuer or not subject:
        return None
    found = list(memberships(str(issuer), str(subject)))
    configured: tuple[Membership, ...] = ()
    if admin == (issuer, subject):
        configured = (Membership(role="administrator"),)
        if not any(m.role == "administrator" for m in found):
            found.append(configured[0])
    name = str(claims.get("name") or claims.get("email") or subject)
    return User(issuer=str(issuer), subject=str(subject), name=name,
                memberships=tuple(found), configured=configured)


def local_user() -> User:
    return LOCAL_USER
