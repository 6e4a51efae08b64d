"""Shared fixtures: the small test framework, the shipped one, and audits built on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from quality_offer import framework as frameworks
from quality_offer.audit import Audit, FrameworkRef, School

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini():
    """A four-criterion framework whose answers are easy to reason about."""
    return frameworks.load(FIXTURES / "frameworks" / "mini")


@pytest.fixture(scope="session")
def herts():
    """The shipped Hertfordshire framework."""
    return frameworks.default()


def make_audit(fw, responses=None, *, urn="123456", year="2026/27", phase="primary",
               school_type="maintained", name="Oak Tree Primary School", **extra) -> Audit:
    """An audit of ``fw`` for one school, with the given responses (dicts or Response)."""
    return Audit.model_validate({
        "framework": FrameworkRef(id=fw.id, version=fw.version).model_dump(),
        "school": School(urn=urn, name=name, la_code="919", phase=phase, type=school_type,
                         area="DSPL 8").model_dump(),
        "academic_year": year,
        "responses": responses or {},
        **extra,
    })


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
