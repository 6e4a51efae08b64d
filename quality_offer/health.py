"""Is this installation fit to serve? For monitoring, and for an operator after a change.

Three findings, each OK or not with a sentence saying why: the database answers, its schema is
the one this version builds (``quality-offer migrate`` creates or upgrades it, and the app
servers' units run it as they start; a schema newer than the code means an older version was
started against an upgraded database), and the installed frameworks validate and cover every
framework version the stored audits use (an audit of a version not installed cannot be
opened).

The check only reads: it never creates a database, a table or a file, so pointing it at the
wrong place cannot make a new empty database look healthy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from . import framework as frameworks
from .backup import current_revision, head_revision, known_revision
from .errors import InputError
from .store.db import AuditRow, MembershipRow

#: The command that creates or upgrades the tables, as the findings name it.
MIGRATE = "`quality-offer migrate` (the app servers run it as they start)"


@dataclass(frozen=True)
class Finding:
    """One line of the check: what was looked at, whether it is fine, and what was found."""

    name: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def where(url: str) -> str:
    """The database as it may be printed: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def check(url: str, criteria: Path | None = None) -> list[Finding]:
    """The findings for the database at ``url`` and the frameworks in ``criteria``."""
    findings: list[Finding] = []
    used = _database(url, findings)
    findings.append(_frameworks(criteria, used))
    return findings


def _database(url: str, findings: list[Finding]) -> set[tuple[str, str]] | None:
    """Add the database and schema findings; the framework versions the audits use."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = u.database
        if not path or path == ":memory:" or not Path(path).is_file():
            findings.append(Finding("database", False, f"no database file at {path or '(none)'}"))
            findings.append(Finding("schema", False, "not checked: no database"))
            return None
    args = {"connect_timeout": 5} if u.get_backend_name() == "postgresql" else {}
    engine = create_engine(u, connect_args=args)
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
            head = head_revision()
            if revision is None:
                findings.append(Finding("database", True, f"reachable at {where(url)}"))
                findings.append(Finding("schema", False, "no Quality Offer tables yet: "
                                        f"{MIGRATE} creates them"))
                return None
            if revision == head:
                audits = conn.execute(select(func.count()).select_from(AuditRow)).scalar_one()
                people = conn.execute(select(func.count(func.distinct(
                    MembershipRow.subject))).select_from(MembershipRow)).scalar_one()
                used = {(r[0], r[1]) for r in conn.execute(
                    select(AuditRow.framework_id, AuditRow.framework_version).distinct())}
                findings.append(Finding("database", True, f"reachable at {where(url)}: "
                                        f"{audits} audits, {people} people with memberships"))
                findings.append(Finding("schema", True, f"current (revision {head})"))
                return used
            findings.append(Finding("database", True, f"reachable at {where(url)}"))
            if known_revision(revision):
                findings.append(Finding("schema", False, f"at revision {revision}, this version "
                                        f"expects {head}: {MIGRATE} upgrades it"))
            else:
                findings.append(Finding("schema", False, f"at revision {revision}, which this "
                                        "version does not know: a newer version of Quality "
                                        "Offer has upgraded it; run that version"))
            return None
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()
        findings.append(Finding("database", False, f"cannot connect to {where(url)}: "
                                f"{reason[0] if reason else type(exc).__name__}"))
        findings.append(Finding("schema", False, "not checked: no database"))
        return None
    finally:
        engine.dispose()


def _frameworks(criteria: Path | None, used: set[tuple[str, str]] | None) -> Finding:
    folders = frameworks.shipped_folders(criteria) if criteria else frameworks.shipped_folders()
    if not folders:
        return Finding("frameworks", False, "no framework is installed")
    loaded, problems = [], []
    for folder in folders:
        try:
            fw = frameworks.load(folder)
        except InputError as exc:
            n = len(exc.problems)
            problems.append(f"{folder.name} has {n} problem{'s' * (n != 1)} (run "
                            "`quality-offer validate` to see them)")
            continue
        loaded.append((fw.id, fw.version))
    missing = sorted((used or set()) - set(loaded))
    if missing:
        problems.append("stored audits use framework versions that are not installed: "
                        + ", ".join(f"{fid} {version}" for fid, version in missing))
    if problems:
        return Finding("frameworks", False, "; ".join(problems))
    return Finding("frameworks", True, "valid: " + ", ".join(f"{fid} {version}"
                                                              for fid, version in loaded))


def as_json(findings: list[Finding]) -> dict[str, object]:
    return {"ok": all(f.ok for f in findings), "findings": [asdict(f) for f in findings]}
