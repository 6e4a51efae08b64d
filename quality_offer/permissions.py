"""Who may do what: one small module of pure rules that every page and data access asks.

A user is identified by the identity provider's issuer and subject (immutable claims), never
by display name or email. Rights come from memberships kept in the database: a role at a
school (by URN) or, for an LA adviser, at an authority (by LA code). Nothing here touches
the database or Streamlit, so the rules are tested exhaustively, persona by persona.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .vocabulary import ROLE_LABELS, ROLES, SCHOOL_ROLES, Role

Action = Literal[
    "view",  # read an audit and its reports
    "create",  # start an audit (or next year's)
    "edit",  # ratings, evidence, actions, school details
    "submit",  # mark the audit as submitted for sign-off
    "sign_off",  # sign the report off
    "comment",  # add a governor's comment with a sign-off
    "moderate",  # record the LA's moderated rating beside the school's
    "import",  # bring an audit file into the database
    "export",  # download the audit file and reports
    "history",  # see who changed what, when
    "compare",  # the authority's comparison of schools
    "manage_members",  # the administrator page
    "set_cycle",  # the authority's collection: the year it collects and its closing date
]


SCHOOL_RIGHTS: dict[Role, frozenset[str]] = {
    "senco": frozenset({"view", "create", "edit", "submit", "import", "export", "history"}),
    "headteacher": frozenset({"view", "create", "edit", "submit", "sign_off", "comment",
                              "import", "export", "history"}),
    "governor": frozenset({"view", "sign_off", "comment", "export", "history"}),
    "adviser": frozenset({"view", "moderate", "export", "history"}),
    "administrator": frozenset({"view", "create", "edit", "submit", "sign_off", "comment",
                                "moderate", "import", "export", "history"}),
}


@dataclass(frozen=True)
class Membership:
    """A role at one school (``urn``), at one authority (``la_code``), or everywhere."""

    role: Role
    urn: str | None = None
    la_code: str | None = None


@dataclass(frozen=True)
class User:
    """Someone signed in, with the memberships the database holds for them."""

    issuer: str
    subject: str
    name: str = ""
    memberships: tuple[Membership, ...] = field(default_factory=tuple)
    local: bool = False
    #: Memberships from the configuration (the first administrator), not from the database:
    #: the store keeps these when it looks the others up again at each write.
    configured: tuple[Membership, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, str]:
        return (self.issuer, self.subject)

    @property
    def label(self) -> str:
        """The name recorded in the change history for this user's changes."""
        return self.name or f"{self.issuer}:{self.subject}"

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    @property
    def is_admin(self) -> bool:
        return any(m.role == "administrator" for m in self.memberships)


LOCAL_USER = User(issuer="local", subject="local", name="Local user",
                  memberships=(Membership(role="administrator"),), local=True)


def operator(name: str) -> User:
    """The person running the command line (or a script) on the server, with full rights.

    They already hold the database itself, so no membership could limit them; the name is
    what the change history records.
    """
    return User(issuer="operator", subject=name, name=name,
                memberships=(Membership(role="administrator"),), local=True)


def _applies(m: Membership, urn: str, la_code: str | None) -> bool:
    if m.role == "administrator":
        return True
    if m.role == "adviser":
        return m.la_code is not None and m.la_code == la_code
    return m.urn == urn


def can(user: User | None, action: str, urn: str | None = None,
        la_code: str | None = None) -> bool:
    """May ``user`` do ``action`` on the school ``urn`` (in authority ``la_code``)?

    Without a school, the question is whether the user may do it anywhere: used to build
    the page list. Authority-wide actions (compare, manage_members) take no school.
    """
    if user is None:
        return False
    if action == "manage_members":
        return user.is_admin
    if action == "set_cycle":
        # An authority's collection is set by its advisers (``la_code`` names the authority)
        # or by an administrator; nobody sets another authority's.
        return user.is_admin or any(
            m.role == "adviser" and (la_code is None or m.la_code == la_code)
            for m in user.memberships)
    if action == "compare":
        return any(m.role in ("adviser", "administrator") for m in user.memberships)
    if urn is None:
        return any(action in SCHOOL_RIGHTS[m.role] for m in user.memberships)
    return any(action in SCHOOL_RIGHTS[m.role] and _applies(m, urn, la_code)
               for m in user.memberships)


@dataclass(frozen=True)
class Scope:
    """What a query may return: everything, or these schools and authorities only.

    Stores turn this into a WHERE clause, so a hand-typed URL or a crafted request can
    reach nothing more than the user may see.
    """

    everything: bool = False
    urns: frozenset[str] = frozenset()
    la_codes: frozenset[str] = frozenset()

    def allows(self, urn: str, la_code: str | None) -> bool:
        return self.everything or urn in self.urns or (
            la_code is not None and la_code in self.la_codes)


def scope(user: User | None, action: str = "view") -> Scope:
    """The schools ``user`` may do ``action`` on, for scoping every query."""
    if user is None:
        return Scope()
    if user.is_admin and action in SCHOOL_RIGHTS["administrator"]:
        return Scope(everything=True)
    urns: set[str] = set()
    las: set[str] = set()
    for m in user.memberships:
        if action not in SCHOOL_RIGHTS[m.role]:
            continue
        if m.role == "adviser" and m.la_code:
            las.add(m.la_code)
        elif m.urn:
            urns.add(m.urn)
    return Scope(urns=frozenset(urns), la_codes=frozenset(las))


def page_names(user: User | None, pages: Iterable[tuple[str, str]]) -> list[str]:
    """The pages a user sees: each page names the action it needs."""
    return [name for name, action in pages if can(user, action)]




def membership_problems(role: str, urn: str | None, la_code: str | None) -> list[str]:
    """Why a membership cannot be recorded as given; empty when it can.

    A school role needs a school (a six-digit URN) and no authority; an adviser needs an
    authority (a three-digit LA code) and no school; an administrator needs neither.
    """
    problems: list[str] = []
    if role not in ROLES:
        return [f"{role!r} is not a role; use one of " + ", ".join(ROLES)]
    if urn is not None and not (len(urn) == 6 and urn.isascii() and urn.isdigit()):
        problems.append("The school URN is six digits, for example 123456.")
    if la_code is not None and not (len(la_code) == 3 and la_code.isascii()
                                    and la_code.isdigit()):
        problems.append("The local authority code is three digits, for example 919.")
    if role in SCHOOL_ROLES:
        if urn is None:
            problems.append(f"A {ROLE_LABELS[role]} needs a school URN.")
        if la_code is not None:
            problems.append(f"A {ROLE_LABELS[role]} belongs to a school, not an authority: "
                            "leave the LA code blank.")
    elif role == "adviser":
        if la_code is None:
            problems.append("An LA adviser needs a local authority code.")
        if urn is not None:
            problems.append("An LA adviser belongs to an authority, not a school: leave the "
                            "URN blank.")
    elif urn is not None or la_code is not None:
        problems.append("An administrator has every school: leave the URN and LA code blank.")
    return problems


# Which sign-off lines each membership role may sign: a governor cannot sign as the headteacher. The
# SENCO signs their own line (it counts only where the school requires it) without the
# sign-off right, so they can neither reopen a signed-off audit nor mark it signed off.
MAY_SIGN_AS: dict[Role, tuple[str, ...]] = {
    "senco": ("senco",),
    "headteacher": ("headteacher",),
    "governor": ("sen-governor", "chair-of-governors"),
    "administrator": ("senco", "headteacher", "sen-governor", "chair-of-governors"),
}


def sign_off_roles(user: User | None, urn: str, la_code: str | None = None) -> list[str]:
    """The sign-off lines ``user`` may sign on this school's audit, in report order.

    The administrator (and the local user) may record any line, as on a paper copy signed
    in a meeting; everyone else signs only as what their membership says they are.
    """
    if user is None:
        return []
    allowed: set[str] = set()
    for m in user.memberships:
        if m.role in MAY_SIGN_AS and _applies(m, urn, la_code):
            allowed.update(MAY_SIGN_AS[m.role])
    return [r for r in MAY_SIGN_AS["administrator"] if r in allowed]


# --- rights to a change, field by field ----------------------------------------------------

#: Fields an LA adviser records beside the school's own answer, never over it.
MODERATION_FIELDS = frozenset({"moderated_rating", "moderation_note"})


def field_action(name: str) -> str:
    """The right a change to this response field needs: moderation, or editing the answer."""
    return "moderate" if name in MODERATION_FIELDS else "edit"


def status_change_refusal(user: User | None, old: str, new: str, urn: str,
                          la_code: str | None) -> str | None:
    """Why ``user`` may not move this school's audit from ``old`` to ``new``; None if they may.

    Signing off needs the sign-off right; reopening a signed-off audit needs both editing and
    signing off (a headteacher, an administrator); submitting needs the submit right; taking
    a submitted audit back into progress needs the edit right.
    """
    if old == new:
        return None
    if new == "signed-off":
        return (None if can(user, "sign_off", urn, la_code)
                else "only a headteacher, a governor or an administrator can sign it off")
    if old == "signed-off":
        return (None if can(user, "edit", urn, la_code) and can(user, "sign_off", urn, la_code)
                else "only a headteacher or an administrator can reopen a signed-off audit")
    if new == "submitted":
        return None if can(user, "submit", urn, la_code) else "you cannot submit this audit"
    if old == "submitted":
        return (None if can(user, "submit", urn, la_code)
                else "only the school's SENCO, headteacher or an administrator can withdraw a "
                     "submitted audit")
    return None if can(user, "edit", urn, la_code) else "you cannot change this audit"
