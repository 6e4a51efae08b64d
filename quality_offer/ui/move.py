"""Framework versions in the checklist: the offer to move an audit on, and its archived answers.

An audit on an older version says so and offers the move; the preview (what happens to each
of this audit's answers) comes first and nothing is written until the user confirms. The
move itself is :meth:`Store.move_audit`, which checks the right and that the audit has not
changed since the preview, in one transaction.
"""

from __future__ import annotations

import streamlit as st

from .. import framework as frameworks
from ..audit import Audit
from ..errors import InputError
from ..framework import Framework
from ..store import StoreError
from ..upgrade import MoveRefused, refusal
from . import session
from .downloads import audit_file_downloads
from .text import count, plain

PREVIEW = "_move_preview"  # Session State: (urn, year, to version, audit version) previewed
RESULT = "_move_result"
OUTCOME_WORDS = {"unchanged": "Carries over as it is", "recheck": "Carries over, to re-check",
                 "moved": "Moves to its replacement, to re-check",
                 "archived": "Kept as an archived answer"}


def newer_version(audit: Audit) -> Framework | None:
    """The newest installed version of the audit's framework, if newer than the audit's.

    Only the newest is offered: with 1.0.0, 1.1.0 and 2.0.0 installed, an audit on 1.0.0 is
    offered 2.0.0 and never a stop on the way (withdrawn criteria stay in the newest
    version's files with their ``replaced_by``, so one move reaches it).
    """
    try:
        newest = frameworks.get(audit.framework.id)
    except (KeyError, InputError):  # an uninstalled or broken framework: nothing to offer
        return None
    if frameworks.version_key(newest.version) > frameworks.version_key(audit.framework.version):
        return newest
    return None


def _preview(urn: str, year: str, to_version: str) -> None:
    """Button callback: remember that the preview is open, with the audit's version now."""
    st.session_state[PREVIEW] = (urn, year, to_version,
                                 session.store().audit_version(urn, year))
    st.session_state.pop(RESULT, None)


def _cancel() -> None:
    st.session_state.pop(PREVIEW, None)


def _move(urn: str, year: str, to_version: str, seen_version: int) -> None:
    """Button callback: move the audit as previewed; refused if it changed since."""
    ss = st.session_state
    user = session.current_user()
    try:
        move = session.store().move_audit(urn, year, to_version, session.user_label(user),
                                          actor=user, expected_audit_version=seen_version)
    except (MoveRefused, StoreError, KeyError) as exc:
        ss[RESULT] = ("error", f"The audit was not moved, nothing was changed: {exc}")
    else:
        ss[RESULT] = ("success", move.summary())
    ss.pop(PREVIEW, None)
    # Every answer widget on the page holds the old version's state: start the page afresh.
    for key in [k for k in ss if isinstance(k, str) and "::" in k]:
        del ss[key]


def offer(audit: Audit, fw: Framework) -> None:
    """Say the audit is on an older version, and offer the move with a preview first."""
    ss = st.session_state
    result = ss.pop(RESULT, None)
    if result:
        kind, text = result
        (st.success if kind == "success" else st.error)(plain(text))
    newest = newer_version(audit)
    if newest is None:
        return
    urn, year = audit.key
    why = refusal(audit, newest)
    with st.container(border=True):
        st.markdown(f"**This audit uses version {plain(fw.version)} of the criteria. Version "
                    f"{plain(newest.version)} is installed.** Moving the audit keeps every "
                    "answer: changed criteria are marked for re-checking, and answers with "
                    "nowhere to go are kept as archived answers.")
        if why:
            st.caption(plain(f"It cannot be moved now: {why}."))
            return
        if not session.may("edit", urn, audit.school.la_code):
            st.caption("Someone who can edit this audit can move it.")
            return
        previewing = ss.get(PREVIEW)
        if not previewing or previewing[:3] != (urn, year, newest.version):
            st.button(f"Preview the move to version {newest.version}", key="move_preview",
                      on_click=_preview, args=(urn, year, newest.version))
            return
        try:
            move = session.store().preview_move(urn, year, newest.version)
        except (MoveRefused, StoreError, KeyError) as exc:
            st.error(plain(str(exc)))
            return
        st.markdown(plain(move.summary()))
        rows = [{"Criterion": o.criterion, "What happens": OUTCOME_WORDS[o.kind],
                 "Where it goes": o.target or "Archived answers", "Why": plain(o.reason)}
                for o in move.outcomes if o.kind != "unchanged"]
        if rows:
            st.table(rows, hide_index=True)
        if move.new_criteria:
            st.caption("New criteria, not assessed yet: " + ", ".join(move.new_criteria))
        st.markdown(f"Before moving, you can download the audit as it stands on version "
                    f"{plain(fw.version)}, the same audit file the Import and export page "
                    "gives:")
        audit_file_downloads(audit, "move_before")
        with st.container(horizontal=True):
            st.button(f"Move to version {newest.version}", type="primary", key="move_confirm",
                      on_click=_move, args=(urn, year, newest.version, previewing[3]))
            st.button("Cancel", key="move_cancel", on_click=_cancel)


def archived_answers(audit: Audit) -> None:
    """The answers kept from earlier versions: shown in full, never counted."""
    if not audit.archived:
        return
    with st.expander(f"Archived answers ({len(audit.archived)}): kept from earlier versions "
                     "of the criteria, not counted"):
        for a in audit.archived:
            ans = a.answer
            st.markdown(f"**{plain(a.criterion)}** (version {plain(a.version)}): "
                        f"{plain(a.text)}")
            st.caption(plain(f"Archived because {a.reason}."))
            lines = []
            if ans.rating:
                lines.append(f"Rating: {ans.rating}")
            if ans.not_applicable_reason is not None:
                lines.append(f"Not applicable: {ans.not_applicable_reason}")
            if ans.evidence is not None and not ans.evidence.empty:
                lines.append(f"Evidence: {ans.evidence.text}"
                             + (f" ({ans.evidence.location})" if ans.evidence.location else ""))
            if ans.action is not None:
                lines.append(f"Action: {ans.action.what}"
                             + (f" ({ans.action.owner})" if ans.action.owner else ""))
            if ans.moderated_rating:
                lines.append(f"Moderated rating: {ans.moderated_rating}")
            if ans.moderation_note:
                lines.append(f"LA note: {ans.moderation_note}")
            st.text("\n".join(lines) or "Blank")
        st.caption(count(len(audit.archived), "archived answer") + " in all.")
