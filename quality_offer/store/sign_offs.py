"""Signing an audit off: who signs which line, which signatures lock it, when they stop counting.

A signature covers the audit as it was signed. So a signatory signs only the lines their
membership allows; an unfinished audit is signed only with a stated reason, which the report
prints; a report changed since it was shown is not signed; and a later change to the answers,
or a reopening, sets the signatures aside: kept in the history, no longer counted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import framework as frameworks
from ..audit import REQUIRED_CHOICES, Audit, SignOff, lowers, missing_sign_offs, requirement
from ..errors import InputError, Problem
from ..gaps import analyse
from ..permissions import sign_off_roles
from .changelog import ChangeLog
from .checks import _refuse_if_signed_off, _required_text, _signs
from .db import AuditRow
from .errors import Conflict, Forbidden, ReasonNeeded
from .reads import Reads
from .records import Actor
from .rows import _check_storable, _now, _sign_off_text


class SignOffs(Reads, ChangeLog):
    """The store's methods for signatures (mixed into :class:`Store`)."""

    def sign_off(self, urn: str, year: str, sign_off: SignOff, user: Actor, *,
                 expected_audit_version: int | None = None,
                 close: bool = True) -> list[tuple[str, ...]]:
        """Record a sign-off and (with ``close``) lock the audit once the signatures the
        school requires are in (``Audit.required_sign_offs``; by default the headteacher and
        a governor): one transaction.

        The signatory needs the sign-off right at this school and may sign only the lines
        their membership allows (a governor cannot sign as the headteacher). An audit that
        is not finished (criteria not assessed, answers not re-checked) is signed only with
        a stated reason (:class:`ReasonNeeded`). With ``expected_audit_version`` (read with
        the report they were shown), a report changed since is not signed
        (:class:`Conflict`). With ``close=False`` the status is left alone. Returns the
        required signatures still missing (empty once the audit is locked).
        """
        _check_storable(f"audit {urn} {year}", sign_off=sign_off)
        reason = (sign_off.reason or "").strip() or None
        sign_off = sign_off.model_copy(update={"reason": reason, "superseded": False})
        with self._writing() as s:
            actor, audit, la = self._audit_to_change(s, user, urn, year)
            lines = sign_off_roles(actor, urn, la)
            if not lines:
                raise Forbidden("you do not have the right to sign this audit; nothing was "
                                "saved")
            if sign_off.role not in lines:
                raise Forbidden(f"you cannot sign as {sign_off.role.replace('-', ' ')}; "
                                "nothing was signed")
            if expected_audit_version is not None and audit.version != expected_audit_version:
                raise Conflict(f"the audit for URN {urn} in {year} was changed after you "
                               "opened it; nothing was signed. Read it again, then sign.")
            unfinished = self._unfinished(self._audit_in(s, audit))
            if unfinished and reason is None:
                raise ReasonNeeded("the audit is not finished (" + "; ".join(unfinished)
                                   + "), so signing it needs a reason, which the report "
                                     "prints; nothing was signed")
            value = sign_off.model_dump(mode="json")
            now = _now()
            changed = False
            signs = _signs(audit.sign_offs)
            if value not in signs:
                self._log(s, audit, None, [("sign_off", None, _sign_off_text(sign_off))],
                          actor.label, now)
                signs.append(value)
                s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                          .values(sign_offs=signs))
                changed = True
            missing = missing_sign_offs([SignOff.model_validate(x) for x in signs],
                                        requirement(audit.required_sign_offs))
            if close and not missing and audit.status != "signed-off":
                self._log(s, audit, None, [("status", audit.status, "signed-off")],
                          actor.label, now)
                s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                          .values(status="signed-off"))
                changed = True
            if changed:
                self._touch(s, audit, now)
            return missing

    def add_sign_off(self, urn: str, year: str, sign_off: SignOff, user: Actor) -> None:
        """Add a sign-off, leaving the status alone (the same one twice is recorded once)."""
        self.sign_off(urn, year, sign_off, user, close=False)

    def set_required_sign_offs(self, urn: str, year: str, choices: list[str],
                               user: Actor) -> None:
        """Set the signatures that sign this audit off, e.g. ["headteacher", "governor"].

        Asking for more needs the edit right; asking for fewer than before needs the right
        to sign off as well (a headteacher, an administrator). A signed-off audit keeps the
        requirement it was signed under until it is reopened. If the signatures already
        given meet the new requirement, the audit is signed off in the same transaction.
        """
        problems = [f"{c!r} is not a signature; use one of " + ", ".join(REQUIRED_CHOICES)
                    for c in choices if c not in REQUIRED_CHOICES]
        if not problems and (len(set(choices)) != len(choices) or not set(choices) - {"senco"}):
            problems.append("require the headteacher or a governor, each once: the SENCO "
                            "wrote the audit, so their signature alone is no check")
        if problems:
            raise InputError([Problem(f"audit {urn} {year}", None, None,
                                      "required_sign_offs", p + "; nothing was saved")
                              for p in problems])
        with self._writing() as s:
            actor, audit, la = self._audit_to_change(s, user, urn, year)
            self._require(actor, "edit", urn, la, "you do not have the right to change this "
                                                  "audit")
            old, new = requirement(audit.required_sign_offs), requirement(choices)
            if list(choices) == (audit.required_sign_offs or []) or old == new:
                return
            if lowers(old, new):
                self._require(actor, "sign_off", urn, la, "only a headteacher or an "
                                                          "administrator can ask for fewer "
                                                          "signatures")
            _refuse_if_signed_off(audit, ["required_sign_offs"])
            now = _now()
            self._log(s, audit, None, [("required_sign_offs",
                                        _required_text(audit.required_sign_offs),
                                        _required_text(list(choices)))], actor.label, now)
            values: dict[str, Any] = {"required_sign_offs": list(choices)}
            if not missing_sign_offs([SignOff.model_validate(x) for x in audit.sign_offs],
                                     new):
                self._log(s, audit, None, [("status", audit.status, "signed-off")],
                          actor.label, now)
                values["status"] = "signed-off"
            s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id)
                      .values(**values))
            self._touch(s, audit, now)

    def _set_aside(self, s: Session, audit: AuditRow, who: str, now: dt.datetime,
                   why: str, keep: Collection[str] = ()) -> None:
        """Set the current signatures aside (kept, no longer counted), each in the history.

        ``why`` is "reopened" or "changed" (the audit changed after they signed); signatures
        in ``keep`` (JSON texts of new ones, e.g. from the same import) stay current.
        """
        signs = _signs(audit.sign_offs)
        aside = [x for x in signs if not x["superseded"] and json.dumps(x, sort_keys=True)
                 not in keep]
        if not aside:
            return
        self._log(s, audit, None, [("sign_off_superseded",
                                    _sign_off_text(SignOff.model_validate(x)), why)
                                   for x in aside], who, now)
        s.execute(update(AuditRow.__table__).where(AuditRow.id == audit.id).values(
            sign_offs=[{**x, "superseded": True} if x in aside else x for x in signs]))

    @staticmethod
    def _unfinished(audit: Audit) -> list[str]:
        """Why the audit is not finished (empty when finished), from its gap report; a
        framework that is not installed cannot be judged, so nothing is claimed."""
        try:
            fw = frameworks.get(audit.framework.id, audit.framework.version)
        except (KeyError, InputError):
            return []
        return analyse(fw, audit).unfinished
