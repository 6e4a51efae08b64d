"""Sign-in settings: refuse to start with weak secrets; rights from issuer and subject only."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from quality_offer.auth import config_problems, first_admin, is_shared, user_from_claims
from quality_offer.permissions import Membership, can

GOOD = {
    "auth": {
        "redirect_uri": "https://qo.example.org/oauth2callback",
        "cookie_secret": "q3J8vYp0Xw2LmN5bRt7UzKc9HdF1sGaE4oPiQyVj6lT",
        "client_id": "qo-app",
        "client_secret": "Zx8Wq2Lm4Np6Rt0Yv3Bc5Df7Gh9Jk1Ms",
        "server_metadata_url": "https://login.microsoftonline.com/tid/v2.0/.well-known/"
                               "openid-configuration",
    }
}


def with_auth(**changes):
    return {"auth": {**GOOD["auth"], **changes}}


def test_no_auth_section_means_local_mode_with_nothing_to_check():
    assert not is_shared({}) and config_problems({}) == []


def test_a_good_configuration_starts():
    assert is_shared(GOOD) and config_problems(GOOD) == []


def test_a_missing_cookie_secret_stops_the_app():
    auth = dict(GOOD["auth"])
    del auth["cookie_secret"]
    assert any("cookie_secret is missing" in p for p in config_problems({"auth": auth}))


def test_a_short_or_placeholder_cookie_secret_stops_the_app():
    assert any("shorter than 32" in p for p in config_problems(with_auth(cookie_secret="abc")))
    weak = config_problems(with_auth(cookie_secret="changeme-changeme-changeme-changeme-123"))
    assert any("placeholder" in p for p in weak)


README_EXAMPLE = "<a random string of at least 32 characters>"


@pytest.mark.parametrize("secret", [
    README_EXAMPLE,
    "<paste the output of secrets.token_urlsafe(48) here>",
    "abcdefghij" * 4,
    "0123456789" * 4,
    "qwertyuiopasdfghjklzxcvbnm1234567890",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.",
    "Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3x",
    "correcthorsebatterystaplecorrecthorse",
])
def test_a_guessable_cookie_secret_stops_the_app(secret):
    problems = config_problems(with_auth(cookie_secret=secret))
    assert any(p.startswith("[auth] cookie_secret") for p in problems), problems


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(48),
                                  lambda: secrets.token_hex(32),
                                  lambda: secrets.token_urlsafe(32)])
def test_a_generated_cookie_secret_starts(make):
    for _ in range(5):
        assert config_problems(with_auth(cookie_secret=make())) == []


def test_the_readmes_example_secret_is_refused_as_it_stands():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    example = re.search(r'^cookie_secret = "(.*)"', readme, re.MULTILINE)
    assert example is not None
    assert config_problems(with_auth(cookie_secret=example.group(1)))


def test_a_plain_http_redirect_is_refused_outside_localhost():
    assert config_problems(with_auth(redirect_uri="http://qo.example.org/cb"))
    assert not config_problems(with_auth(redirect_uri="http://localhost:8501/oauth2callback"))


def test_each_named_provider_needs_its_client_settings():
    secrets = {"auth": {"redirect_uri": GOOD["auth"]["redirect_uri"],
                        "cookie_secret": GOOD["auth"]["cookie_secret"],
                        "microsoft": {"client_id": "x"}}}
    problems = config_problems(secrets)
    assert "[auth.microsoft] client_secret is missing" in problems
    assert "[auth.microsoft] server_metadata_url is missing" in problems


def test_rights_come_from_issuer_and_subject_never_from_email():
    table = {("https://idp", "abc"): [Membership(role="senco", urn="100001")]}

    def lookup(iss, sub):
        return table.get((iss, sub), [])

    owner = user_from_claims({"iss": "https://idp", "sub": "abc", "email": "a@school"}, lookup)
    same_email = user_from_claims({"iss": "https://idp", "sub": "zzz", "email": "a@school"},
                                  lookup)
    other_tenant = user_from_claims({"iss": "https://evil", "sub": "abc"}, lookup)
    assert can(owner, "edit", urn="100001")
    assert not can(same_email, "view", urn="100001")
    assert not can(other_tenant, "view", urn="100001")
    assert user_from_claims({"email": "a@school"}, lookup) is None


def test_the_first_administrator_comes_from_configuration(monkeypatch):
    monkeypatch.delenv("QUALITY_OFFER_ADMIN_ISSUER", raising=False)
    monkeypatch.delenv("QUALITY_OFFER_ADMIN_SUBJECT", raising=False)
    secrets = {"quality_offer": {"admin_issuer": "https://idp", "admin_subject": "root-1"}}
    admin = first_admin(secrets)
    assert admin == ("https://idp", "root-1")
    user = user_from_claims({"iss": "https://idp", "sub": "root-1"}, lambda i, s: [], admin)
    assert can(user, "manage_members")
