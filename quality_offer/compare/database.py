"""The comparison straight from the store's tables: one SQL query, not one per school.

An adviser's dashboard reruns on every filter click, so the comparison of a whole authority
(1,000 schools x ~45 criteria) must be computed in well under a second. The store keeps
responses one column per field, so a single query (audits joined to their school and their
responses, scoped in the WHERE clause to what the adviser may see) brings back only the
columns a comparison uses: never the evidence text or actions. Each school is then analysed
by :func:`quality_offer.gaps.analyse`, the very rules of its own report.

Each audit is rebuilt from its rows through the audit model in one validating call (fast,
and a row edited by hand outside the app is caught). :func:`quality_offer.audit.check` is
not run again: every path that writes answers (the checklist offers only the scale's
levels, imports go through ``auditfile``) has checked them against the framework. An
answer that no longer fits anyway (a hand-edited rating) fails analyse's own lookups and
leaves that one audit out with the reason, not the whole comparison.

A caller that compares the same store again and again (the dashboard) may pass a ``cache``
dict it keeps for that store: results are then memoised by the audit's ``version`` (the
store bumps it on every change, answers and moderation alike) and the school's details, so
a rerun only re-analyses the audits that changed. There is no module-wide cache, because
two stores (or a database restored from a backup) can hold the same audit id and version
with different answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, or_, select

from .. import framework as installed
from ..audit import Audit
from ..dates import today as uk_today
from ..errors import InputError
from ..framework import Framework
from ..store.db import AuditRow, ResponseRow, SchoolRow
from .core import Comparison
from .loading import Resolver, collector_paused
from .measures import Skipped
from .school_result import SchoolResult, result_of

Cache = dict[tuple[Any, ...], SchoolResult]


def _queries(urns: Collection[str] | None, la_codes: Collection[str] | None,
             years: Collection[str] | None, framework: tuple[str, str] | None
             ) -> tuple[Any, Any]:
    """The audits with their school, and their answers: two queries with the same WHERE.

    Two rather than one joined query, so the school's columns are not repeated on each of
    45,000 answer rows; both run in one transaction, so they see the same snapshot.
    """
    a, s, r = AuditRow.__table__.c, SchoolRow.__table__.c, ResponseRow.__table__.c
    heads = (select(a.id, a.version, a.urn, a.academic_year, a.framework_id,
                    a.framework_version, a.status, s.name, s.la_code, s.phase, s.type, s.area)
             .select_from(AuditRow.__table__).join(SchoolRow.__table__, s.urn == a.urn))
    answers = (select(r.audit_id, r.criterion_id, r.rating, r.not_applicable_reason,
                      r.moderated_rating, r.moderation_note)
               .select_from(ResponseRow.__table__)
               .join(AuditRow.__table__, a.id == r.audit_id)
               .join(SchoolRow.__table__, s.urn == a.urn))
    where = []
    if urns is not None or la_codes is not None:
        # The same scope as Store.list_audits: an adviser's authorities, a school's own URN.
        where.append(or_(a.urn.in_(sorted(urns or ())), s.la_code.in_(sorted(la_codes or ()))))
    if years is not None:
        where.append(a.academic_year.in_(sorted(years)))
    if framework is not None:
        where.append(and_(a.framework_id == framework[0],
                          a.framework_version == framework[1]))
    if where:
        heads, answers = heads.where(*where), answers.where(*where)
    return heads.order_by(a.id), answers.order_by(r.audit_id, r.position)


def _audit(head: Any, answers: list[Any]) -> Audit:
    """An audit from its rows, validated in one call (nested models are checked in Rust,
    far faster than building 45 responses one by one), so a hand-edited row is caught."""
    return Audit.model_validate({
        "framework": {"id": head.framework_id, "version": head.framework_version},
        "school": {"urn": head.urn, "name": head.name, "la_code": head.la_code,
                   "phase": head.phase, "type": head.type, "area": head.area},
        "academic_year": head.academic_year, "status": head.status,
        "responses": {a.criterion_id: {
            "rating": a.rating, "not_applicable_reason": a.not_applicable_reason,
            "moderated_rating": a.moderated_rating, "moderation_note": a.moderation_note}
            for a in answers},
    })


def _detail(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}"
                         for e in exc.errors(include_url=False)[:3])
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} is not known to it"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def from_store(store: Any, *, urns: Collection[str] | None = None,
               la_codes: Collection[str] | None = None,
               years: Iterable[str] | str | None = None,
               frameworks: Iterable[Framework] | None = None,
               framework: Framework | tuple[str, str] | None = None,
               cache: Cache | None = None, scope: Any = None) -> Comparison:
    """The comparison of the audits in ``store`` (a :class:`quality_offer.store.Store`).

    ``urns`` / ``la_codes`` limit it in the SQL to the schools a user may see (None for
    both: all); ``years`` to some academic years; ``framework`` to one framework version
    (by default the one most audits use, as for files). ``frameworks`` replaces the
    installed frameworks (tests). ``cache``: see the module docstring.

    ``scope`` takes a :class:`quality_offer.permissions.Scope` instead of ``urns`` and
    ``la_codes``: an empty scope compares nothing, ``everything`` compares all. Not both:
    combining them could only widen or silently narrow what a user may see; narrow the
    result with :meth:`Comparison.filter` instead.
    """
    if scope is not None:
        if urns is not None or la_codes is not None:
            raise ValueError("give a scope, or urns / la_codes, not both")
        if not scope.everything:
            urns, la_codes = scope.urns, scope.la_codes
    if isinstance(years, str):
        years = [years]
    year_set = set(years) if years is not None else None
    resolve = Resolver(frameworks)
    fw_key: tuple[str, str] | None = None
    if isinstance(framework, Framework):
        fw_key = (framework.id, framework.version)
        resolve.known[fw_key] = framework
    elif framework is not None:
        fw_key = framework
    head_query, answer_query = _queries(urns, la_codes, year_set, fw_key)
    engine = store.engine
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    results: list[SchoolResult] = []
    skipped: list[Skipped] = []
    with engine.connect() as conn, conn.begin():
        audits: dict[int, tuple[Any, list[Any]]] = {
            row.id: (row, []) for row in conn.execute(head_query).all()}
        for row in conn.execute(answer_query).all():
            audits[row.audit_id][1].append(row)
    day = uk_today()
    with collector_paused():
        for head, answers in audits.values():
            label = f"URN {head.urn} {head.academic_year} (database)"
            key = (head.id, head.version, head.framework_id, head.framework_version,
                   head.name, head.la_code, head.phase, head.type, head.area, head.status,
                   day)  # a duty comes into force on a day: a new day, a new result
            try:
                # Resolved even for a cached result: the comparison needs the framework.
                fw = resolve(head.framework_id, head.framework_version)
            except KeyError as exc:
                skipped.append(Skipped(label, exc.args[0]))
                continue
            cached = cache.get(key) if cache is not None else None
            if cached is not None:
                results.append(cached)
                continue
            try:
                audit = _audit(head, answers)
                res = result_of(fw, audit, label, day)
            except (ValidationError, KeyError, ValueError, IndexError) as exc:
                skipped.append(Skipped(label, "a stored answer does not fit framework "
                                              f"{fw.id} {fw.version} ({_detail(exc)}); "
                                              "open the audit to correct it"))
                continue
            if cache is not None:
                cache[key] = res
            results.append(res)
    if not results:
        # Nothing (in scope) yet: an empty comparison, so a new authority's dashboard
        # shows "no audits" rather than an error.
        fw = resolve.known.get(fw_key) if fw_key else None
        if fw is None and resolve.known:
            fw = next(iter(resolve.known.values()))
        if fw is None and frameworks is None:
            try:
                fw = installed.default()
            except (KeyError, IndexError, InputError):
                fw = None
        if fw is None:
            raise LookupError("no audits to compare, and no framework to compare them by")
        return Comparison(framework=fw, results=(), skipped=tuple(skipped))
    return Comparison.from_results(results, resolve.known, framework=framework,
                                   skipped=skipped)
