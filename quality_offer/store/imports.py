"""Importing an audit file into the store: planned, checked field by field, then applied.

An import is planned first (what it would change), and the plan is checked against the
importer's rights exactly as the pages check each change: sign-offs, status, moderation,
reopening, the school's authority. Anything the importer may not change refuses the whole
file; otherwise the plan is applied in the same transaction that checked it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import (
    Audit,
    Response,
    SignOff,
    lowers,
    missing_sign_offs,
    missing_words,
    required_words,
    requirement,
)
from ..errors import InputError, Problem
from ..permissions import MODERATION_FIELDS, User, can, sign_off_roles, status_change_refusal
from .answers import Answers
from .changelog import ChangeLog
from .checks import (
    _changes_content,
    _refuse_if_signed_off,
    _required_text,
    _restoring,
    _signs,
)
from .db import AuditRow, ChangeRow, ResponseRow, SchoolRow
from .errors import AuditExists, Conflict, Forbidden
from .records import Actor, Change, ImportPreview
from .rows import (
    _archived_text,
    _check_storable,
    _now,
    _response_of,
    _sign_off_text,
    response_columns,
)
from .schools import Schools
from .sign_offs import SignOffs


@dataclass
class _Plan:
    """An import worked out against the stored audit: the preview, and the writes behind it."""

    audit: Audit
    preview: ImportPreview
    row: AuditRow | None
    writes: list[tuple[str, Response, ResponseRow | None, list[tuple[str, Any, Any]]]]
    header: dict[str, Any]


class Imports(Answers, Schools, SignOffs, ChangeLog):
    """The store's methods for importing audits (mixed into :class:`Store`)."""

    def _refusals(self, actor: User, plan: _Plan, la: str | None) -> list[str]:
        """What in a planned import or new audit the actor may not change, field by field.

        The same rules as the pages: the answers need the edit right, moderation the
        moderate right, each sign-off the right to sign that line, a change of status its own
        right (so a file cannot sign off, or reopen, what its importer could not).
        """
        audit = plan.audit
        urn = audit.school.urn
        problems: list[str] = []
        edits = any(
            (cid is not None and f not in MODERATION_FIELDS)
            or (cid is None and (f.startswith("school.")
                                 or f in ("completed_by", "carried_forward_from",
                                          "required_sign_offs")))
            for cid, f, _old, _new in plan.preview.changes)
        if edits and not can(actor, "edit", urn, la):
            problems.append("you do not have the right to change this audit's answers")
        moderated = sorted({c[0] for c in plan.preview.changes
                            if c[0] is not None and c[1] in MODERATION_FIELDS})
        if moderated and not can(actor, "moderate", urn, la):
            problems.append("the file records moderation (" + ", ".join(moderated[:5])
                            + (", ..." if len(moderated) > 5 else "") + "), which only an "
                            "LA adviser or an administrator can record")
        old_status = plan.row.status if plan.row is not None else "in-progress"
        refusal = status_change_refusal(actor, old_status, audit.status, urn, la)
        if refusal:
            problems.append(f"the file sets the status to {audit.status}, but {refusal}")
        stored = _signs(plan.row.sign_offs if plan.row is not None else [])
        lines = sign_off_roles(actor, urn, la)
        new_signs = [x for x in audit.sign_offs if x.model_dump(mode="json") not in stored]
        for x in new_signs:
            if x.role not in lines:
                problems.append(f"the file has a sign-off by {x.name} as "
                                f"{x.role.replace('-', ' ')}, which you cannot sign")
        old_required = requirement(plan.row.required_sign_offs if plan.row is not None
                                   else None)
        required = (requirement(audit.required_sign_offs)
                    if audit.required_sign_offs is not None else old_required)
        if (lowers(old_required, required) and not _restoring(actor)
                and not can(actor, "sign_off", urn, la)):
            problems.append("the file asks for fewer signatures to sign the audit off ("
                            f"{required_words(required)}), which only a headteacher or an "
                            "administrator can decide")
        if (audit.status == "signed-off" and old_status != "signed-off"
                and not _restoring(actor)):
            counted = [] if _changes_content(plan.preview.changes) else [
                SignOff.model_validate(x) for x in stored]
            missing = missing_sign_offs([*counted, *new_signs], required)
            if missing:
                problems.append("the file marks the audit signed off, but "
                                f"{missing_words(missing)} has not signed it")
        if not _restoring(actor) and any(not (x.reason or "").strip() for x in new_signs):
            unfinished = self._unfinished(audit)
            if unfinished:
                problems.append("the file has a sign-off of an unfinished audit ("
                                + "; ".join(unfinished) + ") with no reason given")
        return problems

    def _checked_plan(self, s: Session, audit: Audit, user: Actor | None, action: str, *,
                      lock: bool, change_la_code: bool = False) -> _Plan:
        """The plan of an import or a new audit, refused unless every part is the actor's."""
        urn = audit.school.urn
        if user is None:  # a preview for the operator: nothing to judge
            return self._plan(s, audit, lock=lock)
        actor = self._actor(s, user)
        la = self._la_of(s, urn, audit.school.la_code)
        verb = "import an audit of" if action == "import" else "start an audit for"
        self._require(actor, action, urn, la, f"you do not have the right to {verb} this "
                                              "school")
        school, note = self._kept_la_code(s, actor, audit.school, change_la_code)
        if note:
            audit = audit.model_copy(update={"school": school})
        plan = self._plan(s, audit, lock=lock)
        if note:
            plan.preview.notes.append(note)
        problems = self._refusals(actor, plan, la)
        if problems:
            raise Forbidden("; ".join(problems) + "; nothing was imported")
        return plan

    def preview_import(self, audit: Audit, user: Actor | None = None, *,
                       change_la_code: bool = False) -> ImportPreview:
        """What :meth:`import_audit` would change; writes nothing.

        With ``user``, refused (:class:`Forbidden`) as the import itself would be, so a
        person sees what they may not import before they press the button.
        """
        _check_storable(f"audit {audit.school.urn} {audit.academic_year}", audit=audit)
        with self._reading() as s:
            return self._checked_plan(s, audit, user, "import", lock=False,
                                      change_la_code=change_la_code).preview

    def import_audit(self, audit: Audit, user: Actor,
                     expected_audit_version: int | None = None, *,
                     change_la_code: bool = False) -> ImportPreview:
        """Create or update an audit from a file, in one transaction; what was changed.

        The importer needs the import right at the school, and each part of the file its
        own right, as on the pages (:meth:`_refusals`); anything they may not change refuses
        the whole file. A recorded school keeps its LA code unless an administrator passes
        ``change_la_code``. A stored answer the file does not mention, or leaves blank, is
        kept; a moderation the file lacks is kept; sign-offs are added to, never removed. If
        ``expected_audit_version`` (from a preview) is given and the audit has changed since,
        :class:`Conflict` is raised and nothing is written.
        """
        _check_storable(f"audit {audit.school.urn} {audit.academic_year}", audit=audit)
        with self._writing() as s:
            plan = self._checked_plan(s, audit, user, "import", lock=True,
                                      change_la_code=change_la_code)
            if (expected_audit_version is not None
                    and plan.preview.audit_version != expected_audit_version):
                raise Conflict(f"the audit for URN {audit.school.urn} in {audit.academic_year} "
                               "was changed since the import was previewed; nothing was "
                               "imported. Preview it again.")
            if not plan.preview.is_new:
                stored = self._audit_row(s, audit.school.urn, audit.academic_year)
                if stored is not None:
                    _refuse_if_signed_off(stored, [c[1] for c in plan.preview.changes
                                                   if c[0] is not None])
            self._apply(s, plan, self._actor(s, user).label)
            return plan.preview

    def _plan(self, s: Session, audit: Audit, *, lock: bool = False) -> _Plan:
        urn, year = audit.key
        row = self._audit_row(s, urn, year, lock=lock)
        school = s.get(SchoolRow, urn)
        # A new school's details are part of the new audit, not changes to show.
        school_changes: list[Change] = ([] if school is None else [
            (None, f, o, n) for f, o, n in self._school_diff(school, audit.school)])
        if row is None:
            changes = list(school_changes)
            changes += [(None, f, None, v) for f, v in (
                ("status", audit.status), ("completed_by", audit.completed_by),
                ("carried_forward_from", audit.carried_forward_from),
                ("required_sign_offs", _required_text(audit.required_sign_offs)))
                if v is not None]
            changes += [(None, "sign_off", None, _sign_off_text(x)) for x in audit.sign_offs]
            changes += [(None, "archived", None, _archived_text(a)) for a in audit.archived]
            writes = []
            for cid, resp in audit.responses.items():
                diff = self._diff(None, resp)
                changes += [(cid, f, o, n) for f, o, n in diff]
                writes.append((cid, resp, None, diff))
            preview = ImportPreview(is_new=True, changes=changes)
            return _Plan(audit, preview, None, writes, {})

        if (row.framework_id, row.framework_version) != (audit.framework.id,
                                                         audit.framework.version):
            raise InputError([Problem(
                f"audit {urn} {year}", None, None, "framework",
                f"the stored audit uses {row.framework_id} {row.framework_version} but this "
                f"file uses {audit.framework.id} {audit.framework.version}; move the stored "
                "audit to the new version first (nothing was imported)")])
        changes = list(school_changes)
        header_values: dict[str, Any] = {}
        if audit.status != row.status:
            header_values["status"] = audit.status
            changes.append((None, "status", row.status, audit.status))
        for name in ("completed_by", "carried_forward_from"):
            new, old = getattr(audit, name), getattr(row, name)
            if new is not None and new != old:  # a file without it keeps the stored value
                header_values[name] = new
                changes.append((None, name, old, new))
        if (audit.required_sign_offs is not None
                and audit.required_sign_offs != row.required_sign_offs):
            header_values["required_sign_offs"] = list(audit.required_sign_offs)
            changes.append((None, "required_sign_offs",
                            _required_text(row.required_sign_offs),
                            _required_text(audit.required_sign_offs)))
        stored_signs = _signs(row.sign_offs)
        for x in audit.sign_offs:
            value = x.model_dump(mode="json")
            if value not in stored_signs:
                stored_signs.append(value)
                changes.append((None, "sign_off", None, _sign_off_text(x)))
        if stored_signs != _signs(row.sign_offs):
            header_values["sign_offs"] = stored_signs
        # Archived answers are only ever added to, like sign-offs.
        stored_archived = list(row.archived or [])
        for a in audit.archived:
            value = a.model_dump(mode="json")
            if value not in stored_archived:
                stored_archived.append(value)
                changes.append((None, "archived", None, _archived_text(a)))
        if stored_archived != (row.archived or []):
            header_values["archived"] = stored_archived

        stored = {r.criterion_id: r for r in s.scalars(
            select(ResponseRow).where(ResponseRow.audit_id == row.id)
            .order_by(ResponseRow.position))}
        kept = [cid for cid in stored if cid not in audit.responses]
        writes = []
        for cid, resp in audit.responses.items():
            old_row = stored.get(cid)
            if old_row is not None:
                old = _response_of(old_row)
                if resp.blank and not old.blank:
                    kept.append(cid)
                    continue
                if (resp.moderated_rating is None and resp.moderation_note is None
                        and (old.moderated_rating is not None
                             or old.moderation_note is not None)):
                    resp = resp.model_copy(update={"moderated_rating": old.moderated_rating,
                                                   "moderation_note": old.moderation_note})
            diff = self._diff(old_row, resp)
            if diff:
                changes += [(cid, f, o, n) for f, o, n in diff]
                writes.append((cid, resp, old_row, diff))
        kept.sort(key=lambda cid: stored[cid].position)
        preview = ImportPreview(is_new=False, changes=changes, kept=kept,
                                audit_version=row.version)
        return _Plan(audit, preview, row, writes, header_values)

    def _apply(self, s: Session, plan: _Plan, user: str) -> None:
        audit, now = plan.audit, _now()
        self._upsert_school(s, audit.school, user, now)
        row = plan.row
        if row is None:
            try:
                with s.begin_nested():
                    row = AuditRow(urn=audit.school.urn, academic_year=audit.academic_year,
                                   framework_id=audit.framework.id,
                                   framework_version=audit.framework.version,
                                   status=audit.status, completed_by=audit.completed_by,
                                   required_sign_offs=audit.required_sign_offs,
                                   carried_forward_from=audit.carried_forward_from,
                                   sign_offs=[x.model_dump(mode="json")
                                              for x in audit.sign_offs],
                                   archived=[a.model_dump(mode="json")
                                             for a in audit.archived] or None,
                                   created_at=now, updated_at=now, version=1)
                    s.add(row)
                    s.flush()
            except IntegrityError:
                raise AuditExists(
                    f"an audit for URN {audit.school.urn} in {audit.academic_year} was "
                    "created by someone else just now; open it, or import again to update "
                    "it") from None
            header = [("audit", None, "created"),
                      *[(c[1], c[2], c[3]) for c in plan.preview.changes
                        if c[0] is None and not c[1].startswith("school.")]]
            self._log(s, row, None, header, user, now)
            values = []
            changes = []
            for position, (cid, resp, _old, diff) in enumerate(plan.writes):
                values.append({"audit_id": row.id, "criterion_id": cid, "position": position,
                               "version": 1, "updated_at": now, "updated_by": user,
                               **response_columns(resp)})
                changes += [{"audit_id": row.id, "urn": row.urn, "criterion_id": cid,
                             "field": f, "old_value": o, "new_value": n, "user": user,
                             "at": now, "version": 1} for f, o, n in diff]
            if values:
                s.execute(insert(ResponseRow), values)
            if changes:
                s.execute(insert(ChangeRow), changes)
            return
        if not plan.preview.changes:
            return
        if plan.header:
            s.execute(update(AuditRow.__table__).where(AuditRow.id == row.id)
                      .values(**plan.header))
            self._log(s, row, None, [(c[1], c[2], c[3]) for c in plan.preview.changes
                                     if c[0] is None and not c[1].startswith("school.")],
                      user, now)
        for cid, resp, old_row, diff in plan.writes:
            self._write_response(s, row, cid, resp, old_row, diff, user, now)
        if _changes_content(plan.preview.changes):
            # The answers changed: signatures given before no longer count; those the
            # file itself adds sign what it brings.
            before = _signs(row.sign_offs)
            keep = {json.dumps(x.model_dump(mode="json"), sort_keys=True)
                    for x in plan.audit.sign_offs if x.model_dump(mode="json") not in before}
            fresh = s.get_one(AuditRow, row.id, populate_existing=True)
            self._set_aside(s, fresh, user, now, "changed", keep=keep)
        self._touch(s, row, now)
