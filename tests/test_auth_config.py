"""Sign-in settings: refuse to start with weak secrets; rights from issuer and subject only."""

from __future__ import annotations

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
