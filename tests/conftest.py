"""Shared fixtures: the small test framework, the shipped one, and audits built on them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from quality_offer import framework as frameworks
from quality_offer.errors import InputError
from quality_offer.store import Store
from quality_offer.store.scratch import scratch_schema

from .app_support import new_app, school_audit
from .builders import make_audit
from .compare_support import authority_audit
from .personas import ISS, PERSONAS, A, B, C

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own data folder, so nothing a test makes (report jobs, a default
    database) lands in the project's ``data/`` or is found by another test."""
    folder = tmp_path / "data"
    monkeypatch.setenv("QUALITY_OFFER_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def mini():
    """A four-criterion framework whose answers are easy to reason about."""
    return frameworks.load(FIXTURES / "frameworks" / "mini")


@pytest.fixture(scope="session")
def herts():
    """The shipped Hertfordshire framework."""
    return frameworks.default()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL test database (127.0.0.1:5432, database ``test``, trust auth), as user
    postgres or root; the test skips, saying why, when none answers. Use it through
    :func:`quality_offer.store.scratch.scratch_schema`, never directly."""
    import psycopg

    reasons = []
    for user in ("postgres", "root"):
        try:
            psycopg.connect(host="127.0.0.1", port=5432, user=user, dbname="test",
                            connect_timeout=3).close()
        except psycopg.Error as exc:
            reasons.append(f"as {user}: {str(exc).strip().splitlines()[0]}")
            continue
        return f"postgresql+psycopg://{user}@127.0.0.1:5432/test"
    pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432: " + "; ".join(reasons))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    """A database of its own for each test: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with scratch_schema(request.getfixturevalue("postgres_url"), "qo_test") as scoped:
        yield scoped


@pytest.fixture(scope="module")
def shipped():
    """The shipped framework, or a skip saying why ``quality-offer validate`` fails."""
    try:
        fw = frameworks.default()
        frameworks.load(fw.path)
    except (InputError, KeyError, LookupError, OSError) as exc:
        pytest.skip(f"the shipped framework does not validate yet: {exc}")
    run = subprocess.run([sys.executable, "-m", "quality_offer.cli", "validate"],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        pytest.skip(f"quality-offer validate fails: {run.stderr.strip()[-500:]}")
    return fw


# --- the app (AppTest): a database of its own and the mini framework installed -----------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini) -> Iterator[Store]:
    """A fresh database the app will use, with the mini framework installed."""
    url = f"sqlite:///{tmp_path / 'quality-offer.db'}"
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", url)
    monkeypatch.setattr(frameworks, "shipped", lambda: {(mini.id, mini.version): mini})
    store = Store(url)
    yield store
    store.close()


@pytest.fixture
def app(db: Store) -> AppTest:
    return new_app()


@pytest.fixture
def world(db, mini):
    """Three schools' audits and every persona's memberships."""
    db.create_audit(school_audit(mini, A, "Alder Primary School", "919"), "setup")
    db.create_audit(school_audit(mini, B, "Birch Primary School", "919"), "setup")
    db.create_audit(school_audit(mini, C, "Cedar Primary School", "204"), "setup")
    for subject, name, memberships in PERSONAS.values():
        for role, urn, la in memberships:
            db.add_membership(ISS, subject, name, role, urn, la, "setup")
    return db


# --- the authority's comparison: a cohort with a planted common gap, and its downloads ---


@pytest.fixture
def cohort(db, mini):
    """Six 919 schools (two secondary) and one 204 school. O1.1 is below expected in five of
    six 919 schools; D2 is not met in two; Willow's name and note look like formulas."""
    rows = [
        ("100001", "Alder Primary School", "primary", "emerging", "met"),
        ("100002", "Beech Primary School", "primary", "not-in-place", "met"),
        ("100003", "Elm Primary School", "primary", "emerging", "not-met"),
        ("100004", "=HYPERLINK(\"http://evil.test\",\"Willow\")", "primary", "emerging",
         "met"),
        ("100005", "Hazel Academy", "secondary", "emerging", "partly-met"),
        ("100006", "Oak Academy", "secondary", "established", "met"),
    ]
    for urn, name, phase, o11, d2 in rows:
        responses = {"D1": {"rating": "met"}, "D2": {"rating": d2},
                     "O1.1": {"rating": o11}, "O1.2": {"rating": "established"}}
        if urn == "100004":
            responses["D1"] = {"rating": "partly-met", "moderated_rating": "not-met",
                               "moderation_note": "=1+2 no evidence"}
        db.create_audit(authority_audit(
            mini, urn, name, "919", responses, phase=phase,
            school_type="academy" if phase == "secondary" else "maintained",
            area="DSPL 8" if urn < "100004" else "DSPL 9"), "setup")
    db.create_audit(authority_audit(mini, "300003", "Cedar Primary School", "204",
                                    {"O1.1": {"rating": "not-in-place"}}), "setup")
    for subject, name, memberships in PERSONAS.values():
        for role, urn, la in memberships:
            db.add_membership(ISS, subject, name, role, urn, la, "setup")
    return db


@pytest.fixture
def deferred(monkeypatch):
    """The files the page's download buttons would build, by file name."""
    built: dict[str, object] = {}
    real = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        built[file_name] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return built


# --- the store's one door: both schools of authority 919 and the whole cast, as they act ---


@pytest.fixture(scope="module")
def door_template(tmp_path_factory: pytest.TempPathFactory, mini) -> Path:
    """A database with both schools' audits and every persona's memberships, made once."""
    path = tmp_path_factory.mktemp("door") / "template.db"
    with Store(f"sqlite:///{path}") as store:
        for urn, name in ((A, "Alder Primary School"), (B, "Birch Primary School")):
            store.create_audit(make_audit(mini, {"D1": {"rating": "partly-met"}}, urn=urn,
                                          name=name), "setup")
        for subject, _name, memberships in PERSONAS.values():
            for role, urn, la in memberships:
                store.add_membership(ISS, subject, subject, role, urn, la, "setup")
    return path


@pytest.fixture
def door(door_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the door's database for one test, so every test starts from the same state."""
    path = tmp_path / "store.db"
    shutil.copy(door_template, path)
    with Store(f"sqlite:///{path}") as store:
        yield store
