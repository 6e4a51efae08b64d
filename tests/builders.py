"""Audits built for tests, in one line each: the framework, the answers, the school."""

from __future__ import annotations

from quality_offer.audit import Audit, FrameworkRef, School


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
