"""What the checklist keeps between runs: each card's widgets, the stored answer and version
they were filled from, the answered map the progress bars read, and the context a card is
drawn with.

The database is the truth: :func:`sync` refills a card whenever the stored version differs
from the one its widgets show, so a reload, a second tab or a restarted server shows what is
saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ...audit import Audit, Response
from ...editing import FIELDS, field_values
from ...framework import Framework
from ...permissions import User
from ...worklist import is_answered
from .. import session

# Widget keys are f"{kind}::{criterion id}": stable, so a rerun or a reload finds them.
WIDGETS = FIELDS
SECTION_KEY = "section"
FILTERS_KEY = "show_only"
SEARCH_KEY = "find"
FULL_KEY = "full_cards"
ANSWERED = "_answered"
TASK_LIST = "task-list"  # the task list's fragment, rerun by name when its counts change


def wkey(kind: str, cid: str) -> str:
    """A card widget's key, the same in every run."""
    return f"{kind}::{cid}"


def answer_key(cid: str) -> str:
    """The name of a criterion's answer fragment, by which a callback reruns that card."""
    return f"answer::{cid}"


@dataclass(eq=False)
class Ctx:
    """What a criterion card needs; kept by Streamlit with the fragment between reruns."""

    key: tuple[str, str]
    fw: Framework
    user: User  # who acts; the store looks their rights up again at every save
    editable: bool
    carried_from: str | None
    order: list[str]  # applicable criterion ids, in framework order
    sections: dict[str, list[str]]  # section id -> its applicable criterion ids
    titles: dict[str, str]
    section_id: str
    compact: bool = True  # one line per criterion, details on demand
    by_answers: bool = False  # the cards shown are chosen by their answers (gaps, unanswered)
    shown: list[str] = field(default_factory=list)  # the criteria drawn in this run
    overall: Any = None  # placeholders made in the full run
    section_bar: Any = None
    settled: bool = field(default=False)  # True once the full run has drawn the progress


def load(cid: str, key: tuple[str, str], resp: Response | None, version: int,
         *, overwrite: bool) -> None:
    """Make ``resp`` (at ``version``) what the card for ``cid`` edits.

    With ``overwrite`` the widgets are set to it at once (allowed in callbacks); otherwise
    their state is dropped and the card refills it before drawing.
    """
    ss = st.session_state
    ss[f"_base::{cid}"] = resp
    ss[f"_ver::{cid}"] = (key, version)
    values = field_values(resp)
    for kind in WIDGETS:
        if overwrite:
            ss[wkey(kind, cid)] = values[kind]
        else:
            ss.pop(wkey(kind, cid), None)
    mark_answered(key, cid, resp)


def fill_missing(cid: str) -> None:
    """Give each widget of the card the stored value, unless it already has state."""
    ss = st.session_state
    values = field_values(ss.get(f"_base::{cid}"))
    for kind in WIDGETS:
        if wkey(kind, cid) not in ss:
            ss[wkey(kind, cid)] = values[kind]


def mark_answered(key: tuple[str, str], cid: str, resp: Response | None) -> None:
    """Keep the answered map the progress bars read in step with a card's answer."""
    board = st.session_state.get(ANSWERED)
    if board and board["key"] == key:
        board["done"][cid] = is_answered(resp)


def sync(audit: Audit, ctx: Ctx) -> None:
    """Bring this section's cards in line with the database (another tab, a restart...)."""
    store = session.store()
    ss = st.session_state
    ss[ANSWERED] = {"key": ctx.key, "done": {cid: is_answered(audit.responses.get(cid))
                                             for cid in ctx.order}}
    cids = ctx.shown
    versions = {cid: store.response_version(*ctx.key, cid) for cid in cids}
    stale = [cid for cid in cids if ss.get(f"_ver::{cid}") != (ctx.key, versions[cid])
             or any(wkey(k, cid) not in ss for k in ("rating", "na"))]
    if not stale:
        return
    # Versions were read after ``audit``: re-read the answers, so that no answer is ever
    # paired with a newer version than its own (which could let a save overwrite unseen).
    fresh = store.get_audit(*ctx.key) or audit
    for cid in stale:
        load(cid, ctx.key, fresh.responses.get(cid), versions[cid], overwrite=False)
